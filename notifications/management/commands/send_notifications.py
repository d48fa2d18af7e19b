"""The daily run of notifications (docs/NOTIFICATIONS.md): tell the people of what is
due in 3 days or late, then queue the day's e-mail digests for the worker.

    python manage.py send_notifications [--day YYYY-MM-DD] [--no-email]

Cron-able: safe to run twice a day or again after a failure (nobody is told twice, at
most one digest per account and day). Exit status 0; prints what it did.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.deadlines import notify_deadlines
from notifications.tasks import send_digests


class Command(BaseCommand):
    help = "Thông báo hạn, quá hạn trong ngày và gửi thư tổng hợp (docs/NOTIFICATIONS.md)."

    def add_arguments(self, parser):
        parser.add_argument("--day", help="Ngày chạy, YYYY-MM-DD (mặc định: hôm nay).")
        parser.add_argument(
            "--no-email", action="store_true", help="Chỉ tạo thông báo, không gửi thư."
        )

    def handle(self, *args, day=None, no_email=False, **options):
        try:
            day = datetime.date.fromisoformat(day) if day else timezone.localdate()
        except ValueError as exc:
            raise CommandError("--day: YYYY-MM-DD") from exc
        made = notify_deadlines(day=day)
        self.stdout.write(f"notifications: {made}")
        if not no_email:
            result = send_digests.enqueue(day.isoformat())
            self.stdout.write(f"digests: queued ({result.id})")
