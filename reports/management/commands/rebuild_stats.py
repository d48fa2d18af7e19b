"""``manage.py rebuild_stats [--compact]``: recompute the statistics' aggregates from the
tables (reports.aggregates, PostgreSQL).

The triggers log every write and the compaction folds the log into the totals, exactly;
a rebuild is for a database restored without them (a dump of some tables only, a
restore from another version) or to check them: it empties the log and the totals and
writes every membership's, person's, unit's and rating's contribution again, in one
transaction (writers of memberships, units, people and ratings wait for it). ``--compact``
only folds the log into the totals (readers on the primary do it themselves, and the
task the big writers enqueue after their commit, ``reports.tasks.stats_compact``).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from reports import aggregates


class Command(BaseCommand):
    help = (
        "Tính lại từ đầu các tổng số thống kê duy trì bằng trigger (PostgreSQL), ví dụ sau "
        "khi khôi phục cơ sở dữ liệu."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--compact",
            action="store_true",
            help="Chỉ gộp nhật ký thay đổi vào bảng tổng (không tính lại).",
        )

    def handle(self, *args, compact, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "Chỉ dùng với PostgreSQL: với SQLite số liệu thống kê được đếm trực tiếp."
            )
        started = time.perf_counter()
        if compact:
            moved = aggregates.compact()
            self.stdout.write(f"compacted={moved} ({time.perf_counter() - started:.1f}s)")
            return
        aggregates.rebuild()
        self.stdout.write(f"rebuilt ({time.perf_counter() - started:.1f}s)")
