"""Ratings of the user's area: the units of a year by stage, and the decided levels by
year."""

import datetime

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from evaluations.choices import LEVELS, Stage
from evaluations.filtersets import STAGE_NONE
from evaluations.periods import YEAR as YEARLY
from evaluations.periods import period_label
from evaluations.selectors.overview import late_rows, rating_rows
from evaluations.selectors.scope import evaluations_visible_to
from reports.reports.base import INT, LEVEL_COLUMN_LABELS, TEXT, YEAR, Column
from reports.reports.staff import StaffReport, ratings_url

STAGE_ROWS = (
    (STAGE_NONE, _("Chưa tự đánh giá (chưa mở phiếu)")),
    (Stage.SELF, _("Đang tự đánh giá, chưa gửi")),
    (Stage.PROPOSAL, _("Chờ Đảng ủy xã đề xuất")),
    (Stage.DECISION, _("Chờ cấp trên quyết định")),
    (Stage.DECIDED, _("Đã quyết định")),
    (Stage.NOT_RATED, _("Không xếp loại")),
)


class EvaluationProgressReport(StaffReport):
    """Units of the user's area by rating stage for a year: exactly the counts of the
    ratings overview (``evaluations.selectors.rating_overview``), which the figures
    link to. Ratings are not split by edition: a year belongs to one edition already."""

    slug = "danh-gia"
    columns = (
        Column("item", _("Bước"), TEXT),
        Column("units", _("Số đơn vị"), INT),
    )

    def __init__(
        self, *, user, edition: str, today: datetime.date, year: int, period: str = YEARLY
    ):
        super().__init__(user=user, edition=edition, today=today)
        self.year = year
        self.period = period

    @property
    def title(self):
        return _("Đánh giá, xếp loại %(period)s") % {"period": period_label(self.year, self.period)}

    def get_queryset(self):
        return rating_rows(user=self.user, year=self.year, period=self.period)

    def late_count(self) -> int:
        """Units whose rating is past the deadline of its step today: the same rows as
        the overview's list of late units (``late_rows``)."""
        return late_rows(self.get_queryset(), self.today).count()

    def figures(self) -> dict:
        if not hasattr(self, "_figures"):
            self._figures = {
                r["stage_key"]: r["n"]
                for r in self.get_queryset()
                .order_by()
                .values("stage_key")
                .annotate(n=Count("pk", distinct=True))
            }
        return self._figures

    def rows(self):
        f = self.figures()
        period = self.period or None
        rows = [
            {
                "item": label,
                "units": f.get(stage, 0),
                "links": {"units": ratings_url(year=self.year, period=period, stage=stage)},
            }
            for stage, label in STAGE_ROWS
        ]
        rows.append(
            {
                "item": _("Tổng số đơn vị"),
                "units": sum(f.values()),
                "links": {"units": ratings_url(year=self.year, period=period)},
            }
        )
        rows.append(
            {
                "item": _("Quá hạn bước đang chờ"),
                "units": self.late_count(),
                "links": {"units": ratings_url(year=self.year, period=period, late=1)},
            }
        )
        return rows


class RatingTrendReport(StaffReport):
    """Approved ratings of the user's area by year and level."""

    slug = "xu-huong-xep-loai"
    title = _("Kết quả xếp loại đã quyết định theo năm")
    columns = (
        Column("year", _("Năm"), YEAR),
        *(Column(f"level_{lv}", LEVEL_COLUMN_LABELS[lv], INT) for lv in LEVELS),
        Column("total", _("Tổng số"), INT),
    )

    def get_queryset(self):
        # The yearly ratings: the links open the overview of the year.
        return evaluations_visible_to(self.user).filter(stage=Stage.DECIDED, period=YEARLY)

    def rows(self):
        counts: dict[int, dict[int, int]] = {}
        for r in (
            self.get_queryset().order_by().values("year", "decided_level").annotate(n=Count("pk"))
        ):
            counts.setdefault(r["year"], {})[r["decided_level"]] = r["n"]
        rows = []
        for year in sorted(counts, reverse=True):
            row = {"year": year, "links": {}}
            for lv in LEVELS:
                row[f"level_{lv}"] = counts[year].get(lv, 0)
                row["links"][f"level_{lv}"] = ratings_url(year=year, stage=Stage.DECIDED, level=lv)
            row["total"] = sum(counts[year].values())
            row["links"]["total"] = ratings_url(year=year, stage=Stage.DECIDED)
            rows.append(row)
        return rows
