"""``manage.py erase_stale_phones [--years N] [--today YYYY-MM-DD] [--dry-run]``: the
retention rule for phone numbers (docs/SECURITY.md, "Personal data"), meant for cron.

A person's phone number is kept while they take part: once they have had no membership in
force for ``--years`` years (``DANVAN_PHONE_RETENTION_YEARS``, 5 by default), it is erased.
Each erasure is an ordinary audited change (door "command", the retention reason), all in
one transaction; the last line is ``erased=N``.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from members.models import Person
from members.subject_access import REASON_RETENTION, phones_to_erase
from portal.audit import audit_context, bulk_update


class Command(BaseCommand):
    help = "Xoá số điện thoại của người đã thôi tham gia mọi đơn vị quá số năm lưu trữ."

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=None)
        parser.add_argument("--today", default=None, help="YYYY-MM-DD (mặc định: hôm nay)")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        from django.utils import timezone

        years = options["years"] or getattr(settings, "DANVAN_PHONE_RETENTION_YEARS", 5)
        if years < 1:
            raise CommandError("--years phải từ 1 trở lên.")
        try:
            today = (
                datetime.date.fromisoformat(options["today"])
                if options["today"]
                else timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError("--today phải có dạng YYYY-MM-DD.") from exc
        with transaction.atomic():
            people = list(phones_to_erase(today=today, years=years).select_for_update())
            if not options["dry_run"]:
                for person in people:
                    person.phone = ""
                with audit_context(reason=REASON_RETENTION.format(years=years)):
                    bulk_update(Person, people, ["phone"])
        label = "would_erase" if options["dry_run"] else "erased"
        self.stdout.write(f"{label}={len(people)}")
