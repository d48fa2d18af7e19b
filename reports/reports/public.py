"""The public statistics pages' tables: one place on one day, from the figures of the open
statistics API (docs/STATS_API.md). Aggregates only; anyone may read them."""

import datetime

from django.utils.translation import gettext_lazy as _

from evaluations.choices import LEVELS
from reports.disclosure import WITHHELD_NOTE, WITHHELD_TEXT, any_withheld
from reports.reports.base import (
    CODE,
    INT,
    LEVEL_COLUMN_LABELS,
    PERCENT,
    TEXT,
    YEAR,
    Column,
    Report,
    percent,
)
from reports.reports.children import children_table_html
from reports.stats import Place, area_stats_cached
from units.choices import Level

CHILD_HEADINGS = {
    Level.PROVINCE: _("Tỉnh, thành phố"),
    Level.DISTRICT: _("Huyện, quận, thị xã, thành phố"),
    Level.COMMUNE: _("Xã, phường, thị trấn, đặc khu"),
    Level.VILLAGE: _("Thôn, tổ dân phố"),
}


class StatsReport(Report):
    """A table of the public statistics of one place on one day. The figures are
    aggregates only; anyone may read them (CONTRACTS section 4)."""

    def __init__(self, stats: dict):
        self.stats = stats

    @classmethod
    def for_place(cls, place: Place, day: datetime.date) -> "StatsReport":
        return cls(area_stats_cached(place, day))

    @classmethod
    def is_available_to(cls, user) -> bool:
        return True

    def get_queryset(self) -> dict:
        """The aggregate itself: the figures of ``reports.stats.area_stats``."""
        return self.stats


class CoverageReport(StatsReport):
    slug = "do-phu"
    title = _("Độ phủ: xã có Khối dân vận, thôn có Tổ dân vận")
    columns = (
        Column("item", _("Chỉ tiêu"), TEXT),
        Column("covered", _("Đã có"), INT),
        Column("total", _("Tổng số"), INT),
        Column("percent", _("Tỷ lệ (%)"), PERCENT),
    )

    def rows(self):
        s = self.stats
        return [
            {
                "item": _("Xã, phường, thị trấn có Khối dân vận"),
                "covered": s["communes_with_bloc"],
                "total": s["communes"],
                "percent": percent(s["communes_with_bloc"], s["communes"]),
            },
            {
                "item": _("Thôn, tổ dân phố có Tổ dân vận"),
                "covered": s["villages_with_team"],
                "total": s["villages"],
                "percent": percent(s["villages_with_team"], s["villages"]),
            },
        ]


class MembershipReport(StatsReport):
    slug = "thanh-vien"
    title = _("Đơn vị và số lượt thành viên")
    note = _(
        "Số lượt: một người ở cả Khối và một Tổ được tính hai lượt. Số người (không tính "
        "trùng) ở bảng Thành phần."
    )
    columns = (
        Column("item", _("Loại đơn vị"), TEXT),
        Column("units", _("Số đơn vị"), INT),
        Column("memberships", _("Số lượt thành viên"), INT),
    )

    def rows(self):
        s = self.stats
        return [
            {"item": _("Khối dân vận"), "units": s["blocs"], "memberships": s["bloc_members"]},
            {"item": _("Tổ dân vận"), "units": s["teams"], "memberships": s["team_members"]},
            {
                "item": _("Tổng cộng"),
                "units": s["blocs"] + s["teams"],
                "memberships": s["bloc_members"] + s["team_members"],
            },
        ]


class CompositionReport(StatsReport):
    slug = "thanh-phan"
    title = _("Thành phần: số người (không tính trùng)")
    note = _("Mỗi người được tính một lần dù tham gia nhiều đơn vị. Tỷ lệ: trên tổng số người.")
    columns = (
        Column("item", _("Chỉ tiêu"), TEXT),
        Column("people", _("Số người"), INT),
        Column("percent", _("Tỷ lệ (%)"), PERCENT),
    )

    def rows(self):
        s = self.stats
        people = s["people"]
        rows = [{"item": _("Tổng số người"), "people": people, "percent": percent(people, people)}]
        for key, label in (
            ("women", _("Nữ")),
            ("party_members", _("Đảng viên")),
            ("ethnic_minority", _("Dân tộc thiểu số")),
        ):
            if s[key] is None:  # withheld (reports.disclosure): text, in every format
                rows.append({"item": label, "people": str(WITHHELD_TEXT), "percent": None})
                continue
            rows.append({"item": label, "people": s[key], "percent": percent(s[key], people)})
        return rows

    @property
    def caption(self) -> str:
        if any_withheld(self.stats):
            return f"{self.title} — {WITHHELD_NOTE}"
        return str(self.title)


class RatingReport(StatsReport):
    slug = "xep-loai"
    title = _("Xếp loại đơn vị theo năm (kết quả đã phê duyệt)")
    note = _(
        "Mức 1: Hoàn thành xuất sắc nhiệm vụ; mức 2: Hoàn thành tốt nhiệm vụ; mức 3: "
        "Hoàn thành nhiệm vụ; mức 4: Không hoàn thành nhiệm vụ. Chưa xếp loại: đơn vị "
        "hoạt động trong năm chưa có kết quả được phê duyệt."
    )
    columns = (
        Column("year", _("Năm"), YEAR),
        *(Column(f"level_{lv}", LEVEL_COLUMN_LABELS[lv], INT) for lv in LEVELS),
        Column("unrated", _("Chưa xếp loại"), INT),
        Column("total", _("Tổng số đơn vị"), INT),
    )

    def rows(self):
        rows = []
        for year, figures in sorted(self.stats["ratings"].items(), reverse=True):
            row = {"year": int(year), "unrated": figures["unrated"]}
            for lv in LEVELS:
                row[f"level_{lv}"] = figures[str(lv)]
            row["total"] = sum(figures[str(lv)] for lv in LEVELS) + figures["unrated"]
            rows.append(row)
        return rows


class DailyWorkReport(StatsReport):
    slug = "hoat-dong"
    title = _("Hoạt động, ý kiến nhân dân, mô hình “Dân vận khéo”")
    note = _(
        "Ý kiến quá hạn: chưa có trả lời sau số ngày tỉnh quy định, tính đến ngày xem. "
        "Mô hình được công nhận: theo quyết định của cấp ủy xã hoặc tỉnh."
    )
    columns = (
        Column("item", _("Chỉ tiêu"), TEXT),
        Column("count", _("Số lượng"), INT),
    )

    def rows(self):
        s = self.stats
        rows = [
            {
                "item": str(_("Hoạt động năm {year}")).format(year=year),
                "count": count,
            }
            for year, count in s["activities"].items()
        ]
        opinions, models = s["opinions"], s["models"]
        rows += [
            {"item": _("Ý kiến, kiến nghị đã tiếp nhận"), "count": opinions["received"]},
            {"item": _("Ý kiến đã được trả lời"), "count": opinions["answered"]},
            {"item": _("Ý kiến quá hạn chưa trả lời"), "count": opinions["overdue"]},
            {"item": _("Mô hình “Dân vận khéo” đã đăng ký"), "count": models["registered"]},
            {"item": _("Mô hình “Dân vận khéo” được công nhận"), "count": models["recognised"]},
        ]
        return rows


class AreaBreakdownReport(StatsReport):
    """The next level down (``children``), with links to drill down."""

    slug = "dia-ban"
    row_header = "name"
    columns = (
        Column("name", _("Địa bàn"), TEXT),
        Column("code", _("Mã"), CODE),
        Column("blocs", _("Khối dân vận"), INT),
        Column("bloc_members", _("Lượt thành viên khối"), INT),
        Column("teams", _("Tổ dân vận"), INT),
        Column("team_members", _("Lượt thành viên tổ"), INT),
    )

    #: Columns the page sorts by (``?sap-xep=blocs``, ``-blocs`` for the largest first).
    SORTABLE = ("name", "code", "blocs", "bloc_members", "teams", "team_members")
    #: The figures a row without any unit has all at zero.
    FIGURES = ("blocs", "bloc_members", "teams", "team_members")

    def __init__(self, stats: dict, *, link=None, sort: str = ""):
        super().__init__(stats)
        self.link = link
        self.sort = sort if sort.lstrip("-") in self.SORTABLE else ""

    @classmethod
    def is_empty_row(cls, row: dict) -> bool:
        return not any(row.get(key) for key in cls.FIGURES)

    def as_html(self, *, table_id: str = "", sort_url=None) -> str:
        """A compact table that stays a table on a phone, sortable by its headings
        (links: no script), the areas without any unit folded below it."""
        return children_table_html(self, sort_url=sort_url)

    @property
    def title(self):
        children = self.stats["children"]
        level = children[0]["level"] if children else None
        return CHILD_HEADINGS.get(level, _("Địa bàn trực thuộc"))

    def rows(self):
        rows = []
        for child in self.stats["children"]:
            row = {key: child[key] for key in ("code", "name", "blocs", "teams")}
            row.update(bloc_members=child["bloc_members"], team_members=child["team_members"])
            if self.link and child["code"]:
                row["links"] = {"name": self.link(child["code"])}
            rows.append(row)
        if self.sort:
            key = self.sort.lstrip("-")
            text = key in ("name", "code")
            rows.sort(
                key=lambda r: (r.get(key) or "") if text else (r.get(key) or 0),
                reverse=self.sort.startswith("-"),
            )
        return rows


PUBLIC_REPORTS = (
    CoverageReport,
    MembershipReport,
    CompositionReport,
    RatingReport,
    DailyWorkReport,
    AreaBreakdownReport,
)
PUBLIC_REPORTS_BY_SLUG = {r.slug: r for r in PUBLIC_REPORTS}
