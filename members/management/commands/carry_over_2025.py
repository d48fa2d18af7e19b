"""``manage.py carry_over_2025 --province CODE [--province CODE ...] [--dry-run]``
(docs/CONTRACTS.md, section 2; docs/REORGANISATION.md, "Carry-over").

A thin door onto ``members.carry_over``, the code the staff wizard runs too. Prints the
warnings and errors, the audit batch of each province carried, then as the last line
exactly ``blocs=N teams=N villages=N memberships=N errors=N``: what was created on the
2025 map (a second run prints zeros). With any error nothing is written, for any of
the provinces, and the exit status is 1. Split communes go to their default piece (the
wizard lets staff choose another village by village).
"""

import sys

from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse

from members.carry_over import carry_over_apply, legacy_province_get
from members.carry_over.apply import COUNT_KEYS
from members.carry_over.plan import ERROR_NOT_LEGACY_PROVINCE

MESSAGE_DRY_RUN = "Chạy thử (--dry-run): không ghi gì vào cơ sở dữ liệu."
MESSAGE_NOT_WRITTEN = "Có lỗi nên không ghi gì vào cơ sở dữ liệu."
MESSAGE_BATCH = "{province}: lịch sử thay đổi của lượt chuyển: {url}"


class Command(BaseCommand):
    help = "Chuyển khối, tổ dân vận và thành viên của tỉnh cũ sang địa bàn mới (01/07/2025)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            action="append",
            required=True,
            metavar="CODE",
            help="mã tỉnh trước 01/07/2025 (lặp lại cho nhiều tỉnh)",
        )
        parser.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi gì")

    def handle(self, *args, **options):
        totals = dict.fromkeys(COUNT_KEYS, 0)
        errors: list[str] = []
        batches = []
        with transaction.atomic():
            for code in options["province"]:
                province = legacy_province_get(code)
                if province is None:
                    errors.append(str(ERROR_NOT_LEGACY_PROVINCE).format(code=code))
                    continue
                result = carry_over_apply(legacy_province=province, dry_run=options["dry_run"])
                errors += [f"{province.name}: {e}" for e in result.errors]
                if options["verbosity"] > 1:
                    for commune_plan in result.plan.communes:
                        for warning in commune_plan.warnings:
                            self.stdout.write(f"{province.name}: {warning}")
                for key in COUNT_KEYS:
                    totals[key] += result.counts[key]
                if result.reorganisation:
                    batches.append((province, result.reorganisation))
            if errors:
                transaction.set_rollback(True)
        for error in errors:
            self.stdout.write(error)
        if errors:
            self.stdout.write(MESSAGE_NOT_WRITTEN)
            totals = dict.fromkeys(COUNT_KEYS, 0)
        elif options["dry_run"]:
            self.stdout.write(MESSAGE_DRY_RUN)
        else:
            for province, reorganisation in batches:
                url = reverse("audit:history") + f"?batch={reorganisation.batch_id}"
                self.stdout.write(MESSAGE_BATCH.format(province=province.name, url=url))
        summary = " ".join(f"{key}={totals[key]}" for key in COUNT_KEYS)
        self.stdout.write(f"{summary} errors={len(errors)}")
        if errors:
            sys.exit(1)
