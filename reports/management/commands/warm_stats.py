"""``manage.py warm_stats [--edition E ...] [--date YYYY-MM-DD]``: compute the statistics
of the whole installation and of every province into the cache.

The figures are cached under their province's data version (reports.stats), so a write
makes its province's figures (and the country's sum) stale and the next request
recomputes that province only. The country comes first: it computes every province
whose figures are not cached, all together (seven queries), and caches each, so the
provinces that follow are served from the cache. Run this after an import, a demo
generation or loading the divisions (which make every province stale) so that the first
visitor does not pay for it. It only helps when the cache
is shared by the web workers (CACHE_URL: Redis, a file or database cache); with the
default per-process memory cache each worker still computes its own first answer.
"""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.stats import Place, area_stats_cached
from units.choices import Edition, Level
from units.models import Area
from units.selectors import editions_loaded


class Command(BaseCommand):
    help = (
        "Tính trước số liệu thống kê toàn quốc và từng tỉnh vào bộ nhớ đệm (chạy sau khi "
        "nhập danh sách để người xem đầu tiên không phải chờ)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--edition",
            nargs="+",
            choices=Edition.values,
            default=None,
            help="Danh mục (mặc định: mọi danh mục đã nạp).",
        )
        parser.add_argument("--date", default=None, help="Ngày YYYY-MM-DD (mặc định: hôm nay).")

    def handle(self, *args, edition, date, verbosity, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError("Ngày phải theo dạng YYYY-MM-DD.") from exc
        started = time.perf_counter()
        count = 0
        for name in edition or editions_loaded():
            places = [Place(edition=name)] + [
                Place(edition=name, area=province)
                for province in Area.objects.filter(edition=name, level=Level.PROVINCE).order_by(
                    "code"
                )
            ]
            for place in places:
                begun = time.perf_counter()
                area_stats_cached(place, day)
                count += 1
                if verbosity >= 2:
                    label = place.area.name if place.area else name
                    self.stdout.write(f"  {label}: {time.perf_counter() - begun:.2f}s")
        self.stdout.write(
            f"warmed={count} date={day.isoformat()} ({time.perf_counter() - started:.1f}s)"
        )
