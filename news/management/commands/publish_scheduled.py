"""``manage.py publish_scheduled [--every SECONDS]``: record scheduled articles whose time
has come as published and refresh the cached news pages.

Scheduled articles are public from their publish time whether or not this runs
(``news.models.public_q``); running it every minute keeps the status true and lets the
cached pages be used again after a scheduled publication. In production: a cron line or
a systemd timer every minute, or this command with ``--every 60`` as a long-running
process beside the web server (docs/NEWS.md).
"""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from news.services import publish_due


class Command(BaseCommand):
    help = (
        "Đăng các tin bài hẹn giờ đã tới giờ đăng và làm mới bộ nhớ đệm trang tin. "
        "Chạy mỗi phút (cron, systemd timer) hoặc để chạy liên tục với --every 60."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Chạy liên tục, mỗi SECONDS giây một lần (mặc định: chạy một lần rồi thoát).",
        )

    def handle(self, *args, every, verbosity, **options):
        while True:
            count = publish_due()
            if verbosity >= 1 and (count or not every):
                self.stdout.write(f"published={count}")
            if not every:
                return
            close_old_connections()
            time.sleep(every)
