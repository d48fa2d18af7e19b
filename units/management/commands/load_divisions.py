"""``manage.py load_divisions [--edition 2025|legacy] [--province CODE ...]``."""

import time

from django.core.management.base import BaseCommand, CommandError

from units.choices import Edition
from units.services import divisions_load


class Command(BaseCommand):
    help = (
        "Nạp danh mục tỉnh, huyện (trước 2025), xã chính thức từ gói vietnamadminunits. "
        "Chạy lại không thay đổi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--edition",
            choices=Edition.values,
            default=Edition.V2025,
            help="Danh mục: 2025 (mặc định) hoặc legacy (trước 01/07/2025).",
        )
        parser.add_argument(
            "--province",
            nargs="+",
            default=None,
            metavar="CODE",
            help="Chỉ nạp các tỉnh có mã này (2 chữ số).",
        )

    def handle(self, *args, edition, province, **options):
        started = time.perf_counter()
        try:
            result = divisions_load(edition=edition, provinces=province)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(f"edition={edition} {result.summary()} ({elapsed:.1f}s)")
