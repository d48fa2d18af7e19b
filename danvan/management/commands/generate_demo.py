"""``manage.py generate_demo --scale small|province|national [--seed N] [--edition E]``.

The command lives in ``danvan`` because it composes the demo data of several apps:
rosters now (members.demo), ratings and news later, province by province. See
docs/DEMO.md.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries, transaction
from django.utils import timezone, translation

from accounts.demo import demo_accounts_ensure
from documents.demo import documents_generate
from evaluations.demo import generate_ratings, units_for_ratings
from exemplars.demo import exemplars_generate
from members.demo import DEFAULT_SEED, SCALES, DemoCounts, demo_scope, rosters_generate
from members.demo.history import (
    LEGACY_YEARS,
    HistoryError,
    history_carry,
    history_plan,
    history_rosters,
)
from news.demo import news_generate
from reports import aggregates
from units.choices import Edition
from units.models import Unit
from work.demo import work_generate

NOTHING_ADDED = (
    "Dữ liệu mẫu đã có đủ trong phạm vi này: không tạo thêm gì "
    "(chạy lại chỉ bổ sung đơn vị còn thiếu, không nhân đôi)."
)
DEMO_ACCOUNTS = "Tài khoản dùng thử (chỉ ngoài production; xem docs/ROLES.md):"
NEWS_ADDED = "Tin bài mẫu: {articles} bài ({scheduled} hẹn giờ, {archived} lưu trữ), {images} ảnh."
RATINGS_ADDED = "Đánh giá mẫu: {evaluations} lượt xếp loại đơn vị, {criteria_sets} bộ tiêu chí."
DOCUMENTS_ADDED = "Văn bản mẫu: {documents} văn bản, mỗi văn bản một tệp PDF."
WORK_ADDED = (
    "Hoạt động, ý kiến mẫu: {activities} hoạt động, {opinions} ý kiến "
    "({overdue} quá hạn, {hot_spots} điểm nóng đang theo dõi)."
)
EXEMPLARS_ADDED = "Mô hình “Dân vận khéo” mẫu: {exemplars} mô hình, {recognised} đã được công nhận."
HISTORY_ADDED = (
    "Lịch sử qua sắp xếp 2025: {province} có {blocs} khối, {teams} tổ dân vận "
    "({ratings} lượt xếp loại 2022–2024), đã chuyển sang địa bàn mới: {carried_blocs} khối, "
    "{carried_teams} tổ, {carried_memberships} lượt thành viên."
)
DIVISIONS_LOADED = "Chưa có danh mục địa bàn {edition} cần dùng: đã nạp ({summary})."


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu như thật (khối dân vận, thôn, tổ dân vận, thành viên) ở quy mô "
        "small (vài xã), province (một tỉnh) hoặc national (cả nước). Chạy lại chỉ bổ sung "
        "phần còn thiếu."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=SCALES,
            default="small",
            help="small: 2 tỉnh × 6 xã (mặc định); province: một tỉnh; national: cả nước.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Cùng hạt giống cho cùng dữ liệu (mặc định {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--edition",
            choices=Edition.values,
            default=None,
            help="Danh mục địa bàn: mặc định danh mục duy nhất đã nạp, hoặc 2025 khi có cả hai.",
        )
        parser.add_argument(
            "--province",
            nargs="+",
            default=None,
            metavar="CODE",
            help="Quy mô small/province: chỉ các tỉnh có mã này (2 chữ số).",
        )

    def handle(self, *args, scale, seed, edition, province, verbosity, **options):
        started = time.perf_counter()
        # Unit names are built from translatable labels ("Tổ dân vận ..."): demo data is
        # Vietnamese whatever language the shell runs in.
        with translation.override("vi"):
            try:
                scope = demo_scope(scale=scale, edition=edition, provinces=province, seed=seed)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            if scope.divisions_loaded:
                self.stdout.write(
                    DIVISIONS_LOADED.format(edition=scope.edition, summary=scope.divisions_loaded)
                )
            totals = DemoCounts()
            history = DemoCounts()
            if scale == "small" and scope.edition == Edition.V2025 and not province:
                history = self._history(seed)
            for area, communes in scope.provinces:
                counts = rosters_generate(province=area, scale=scale, seed=seed, communes=communes)
                totals.add(counts)
                # With DEBUG on, Django keeps every statement (the bulk INSERTs with
                # all their rows) in connection.queries: drop them, or a national run
                # holds the whole country in memory.
                reset_queries()
                if verbosity >= 2:
                    self.stdout.write(
                        f"  {area.name}: blocs={counts.blocs} teams={counts.teams} "
                        f"memberships={counts.memberships} "
                        f"({time.perf_counter() - started:.1f}s)"
                    )
        if not totals.created_anything and not history.created_anything:
            self.stdout.write(NOTHING_ADDED)
        # Criteria and ratings: the last three finished years and the year in progress
        # (evaluations.demo); the national scale skips the per-item score rows.
        with translation.override("vi"):
            ratings = generate_ratings(
                units=units_for_ratings(scope.edition),
                today=timezone.localdate(),
                seed=seed,
                with_scores=scale != "national",
            )
        if ratings["evaluations"]:
            self.stdout.write(RATINGS_ADDED.format(**ratings))
        # A year of activities and citizens' opinions per unit (work.demo).
        work = work_generate(
            units=units_for_ratings(scope.edition),
            today=timezone.localdate(),
            seed=seed,
            scale=scale,
        )
        if work.activities or work.opinions:
            self.stdout.write(WORK_ADDED.format(**vars(work)))
        # "Dân vận khéo" models of about half the communes (exemplars.demo).
        exemplars = exemplars_generate(
            units=units_for_ratings(scope.edition),
            today=timezone.localdate(),
            seed=seed,
            scale=scale,
        )
        if exemplars.exemplars:
            self.stdout.write(EXEMPLARS_ADDED.format(**vars(exemplars)))
        if not settings.PRODUCTION:
            # Accounts a newcomer can log in with (docs/ROLES.md); never in production.
            self.stdout.write(DEMO_ACCOUNTS)
            with translation.override("vi"):  # role group names are the Vietnamese labels
                lines = demo_accounts_ensure(province=scope.provinces[0][0])
            for line in lines:
                self.stdout.write(line)
        # News bulletins about the demo's provinces (news.demo); nothing on a second run.
        with translation.override("vi"):
            news = news_generate(provinces=[area for area, _c in scope.provinces], seed=seed)
        if news.articles:
            self.stdout.write(
                NEWS_ADDED.format(
                    articles=news.articles,
                    scheduled=news.scheduled,
                    archived=news.archived,
                    images=news.images,
                )
            )
        # The guidance documents the domain knows by number (documents.demo).
        documents = documents_generate()
        if documents:
            self.stdout.write(DOCUMENTS_ADDED.format(documents=documents))
        # The statistics' log of everything written folded now (a rebuild when it is
        # most of the data), not by the first reader (reports.aggregates).
        aggregates.compact()
        if connection.vendor == "postgresql":
            # The planner's statistics of what was just written. Without them (autovacuum
            # off, or not come round yet) PostgreSQL plans the next queries as if the
            # tables were empty: a national straight count ran for over 16 minutes
            # instead of under 2 s (docs/PERFORMANCE.md). A few seconds at national scale.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"scale={scale} edition={scope.edition} provinces={totals.provinces} "
            f"communes={totals.communes} villages={totals.villages} blocs={totals.blocs} "
            f"teams={totals.teams} memberships={totals.memberships} people={totals.people} "
            f"({elapsed:.1f}s)"
        )

    def _history(self, seed: int) -> DemoCounts:
        """A province across the reform (members.demo.history): legacy rosters, their
        2022–2024 ratings, then the carry-over onto the 2025 map; all or nothing, and
        nothing once the province has been carried."""
        plan = history_plan(seed=seed)
        if plan is None:
            return DemoCounts()
        try:
            with transaction.atomic():
                counts = history_rosters(plan, seed=seed)
                ratings = generate_ratings(
                    units=Unit.objects.filter(area_path__startswith=plan.legacy_province.path),
                    today=timezone.localdate(),
                    seed=seed,
                    years=LEGACY_YEARS,
                )
                carried = history_carry(plan)
        except HistoryError as exc:
            self.stdout.write(str(exc))
            return DemoCounts()
        self.stdout.write(
            HISTORY_ADDED.format(
                province=plan.legacy_province.name,
                blocs=counts.blocs,
                teams=counts.teams,
                ratings=ratings["evaluations"],
                carried_blocs=carried.counts["blocs"],
                carried_teams=carried.counts["teams"],
                carried_memberships=carried.counts["memberships"],
            )
        )
        return counts
