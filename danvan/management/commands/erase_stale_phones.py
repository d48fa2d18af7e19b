"""``manage.py erase_stale_phones [--years N] [--today YYYY-MM-DD] [--dry-run]``: the
retention rule for phone numbers (docs/SECURITY.md, "Personal data"), meant for cron.

A person's phone number is kept while they take part: once they have had no membership in
force for ``--years`` years (``DANVAN_PHONE_RETENTION_YEARS``, 5 by default), it is erased.
The same run applies the rule for citizens' contact details in opinions: a closed
opinion closed ``--citizen-years`` years ago or more
(``DANVAN_CITIZEN_CONTACT_RETENTION_YEARS``, 5 by default) loses the citizen's name and
phone (``work.citizen_data``); opinions still open are never touched.

It lives in ``danvan``, which wires the apps, because it runs the rules of two of them
(``members`` and ``work``, which is built on ``members``).

Each erasure is an ordinary audited change (door "command", the retention reason), all in
one transaction. Output: ``citizens_erased=N`` (opinions), then ``erased=N`` (people) as
the last line; with ``--dry-run`` ``citizens_would_erase=N`` and ``would_erase=N``, and
nothing is changed.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from members.subject_access import stale_phones_erase
from work.citizen_data import citizen_contacts_erase


class Command(BaseCommand):
    help = (
        "Xoá số điện thoại của người đã thôi tham gia mọi đơn vị quá số năm lưu trữ, và họ "
        "tên, số điện thoại người dân trong ý kiến đã kết thúc quá số năm lưu trữ."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=None)
        parser.add_argument("--citizen-years", type=int, default=None)
        parser.add_argument("--today", default=None, help="YYYY-MM-DD (mặc định: hôm nay)")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        from django.utils import timezone

        years = options["years"] or getattr(settings, "DANVAN_PHONE_RETENTION_YEARS", 5)
        citizen_years = options["citizen_years"] or getattr(
            settings, "DANVAN_CITIZEN_CONTACT_RETENTION_YEARS", 5
        )
        if years < 1 or citizen_years < 1:
            raise CommandError("--years và --citizen-years phải từ 1 trở lên.")
        try:
            today = (
                datetime.date.fromisoformat(options["today"])
                if options["today"]
                else timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError("--today phải có dạng YYYY-MM-DD.") from exc
        dry_run = options["dry_run"]
        with transaction.atomic():
            citizens = citizen_contacts_erase(today=today, years=citizen_years, dry_run=dry_run)
            people = stale_phones_erase(today=today, years=years, dry_run=dry_run)
        label = "would_erase" if dry_run else "erased"
        self.stdout.write(f"citizens_{label}={citizens}")
        self.stdout.write(f"{label}={people}")
