"""Reports as classes (../shared/STYLE.md, Reports; django-oscar's ReportGenerator).

A report knows three things and nothing else: its aggregate query, already limited to
what its reader may see (``get_queryset`` / ``rows``); who may see it
(``is_available_to``); and its columns. Output goes through separate formatters
(``CSVFormatter``, ``XLSXFormatter``, ``HTMLFormatter``), so the public statistics
pages, their downloads and the staff dashboard print the same rows the same way.

Public reports read one figure set of CONTRACTS section 3 (``reports.stats``): the
place is their whole scope and they hold aggregates only, never a person. Staff reports
start from the scoped selectors (``accounts.access.scope_of`` through ``*_visible_to``),
so a commune officer's dashboard counts their commune and nothing else.
"""

import csv
import dataclasses
import datetime
import io
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.selectors import areas_visible_to, units_visible_to, user_is_portal_staff
from evaluations.choices import LEVELS, Stage
from evaluations.filtersets import STAGE_NONE
from members.choices import ROSTER_SIZE
from members.imports import FORMULA_STARTS
from members.selectors import memberships_visible_to, units_with_roster_counts
from reports.stats import Place, area_stats_cached
from units.choices import TEAM_KINDS, Level, UnitKind, UnitStatus
from units.models import Unit

# --- Columns and rows --------------------------------------------------------------------

INT, PERCENT, TEXT, CODE, YEAR = "int", "percent", "text", "code", "year"


@dataclasses.dataclass(frozen=True)
class Column:
    """One column: the key in each row, its heading, and how its values print
    (``int``: "1.265" on a page, a number in a file; ``percent``: a share in percent,
    "92,5" on a page, a percentage cell in a workbook; ``code`` and ``year``: never
    grouped by thousands; ``text``)."""

    key: str
    label: str
    kind: str = INT


def percent(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole``, one decimal; None when ``whole`` is 0."""
    if not whole:
        return None
    return round(100 * part / whole, 1)


class Report:
    """A table: rows of dicts keyed by the columns' keys. ``links`` (optional, per row)
    map a column key to the URL of the list behind that figure."""

    slug = ""
    title = ""
    columns: tuple[Column, ...] = ()
    note = ""
    #: The column whose cell heads each row (``<th scope="row">``); the first by default.
    row_header = ""

    @property
    def row_header_key(self) -> str:
        return self.row_header or self.columns[0].key

    @property
    def compact(self) -> bool:
        """A narrow table stays a table on a phone; wider ones become cards."""
        return len(self.columns) <= 4

    @classmethod
    def is_available_to(cls, user) -> bool:
        raise NotImplementedError

    def rows(self) -> list[dict]:
        raise NotImplementedError

    @property
    def caption(self) -> str:
        return str(self.title)

    def filename(self, stem: str, extension: str) -> str:
        return f"{stem}-{self.slug}.{extension}"

    def as_csv(self) -> bytes:
        return CSVFormatter().format(self)

    def as_xlsx(self) -> bytes:
        return XLSXFormatter().format([self])

    def as_html(self, *, table_id: str = "") -> str:
        return HTMLFormatter().format(self, table_id=table_id)


# --- Formatters ----------------------------------------------------------------------------


def _safe_text(value) -> str:
    """Text that no spreadsheet runs as a formula (cells starting = + - @ tab CR get a
    leading apostrophe, as the roster export does, CONTRACTS section 1)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class CSVFormatter:
    """UTF-8 with a byte-order mark (Excel then reads the Vietnamese letters), comma
    separated, one heading row. Numbers are plain digits ("1265"); percentages have a
    decimal point ("92.5"), the form every program parses."""

    def format(self, report: Report) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([_safe_text(c.label) for c in report.columns])
        for row in report.rows():
            writer.writerow([self.value(c, row.get(c.key)) for c in report.columns])
        return buffer.getvalue().encode("utf-8-sig")

    @staticmethod
    def value(column: Column, value) -> str:
        if value is None:
            return ""
        if column.kind in (INT, YEAR):
            return str(int(value))
        if column.kind == PERCENT:
            return f"{value:.1f}"
        return _safe_text(value)


class XLSXFormatter:
    """One sheet per report: a title row, the headings, the rows. Numbers are number
    cells (a percentage is the fraction with a "0.0%" format), text is forced to a
    string cell and formula-like text is neutralised (openpyxl would store "=..." as a
    formula)."""

    def format(self, reports: list[Report]) -> bytes:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        workbook = Workbook()
        workbook.remove(workbook.active)
        for report in reports:
            sheet = workbook.create_sheet(title=self.sheet_title(report))
            title = sheet.cell(row=1, column=1)
            self.text(title, report.caption)
            title.font = Font(bold=True)
            for col, column in enumerate(report.columns, start=1):
                cell = sheet.cell(row=2, column=col)
                self.text(cell, str(column.label))
                cell.font = Font(bold=True)
                sheet.column_dimensions[cell.column_letter].width = max(
                    10, min(40, len(str(column.label)) + 2)
                )
            for r, row in enumerate(report.rows(), start=3):
                for col, column in enumerate(report.columns, start=1):
                    self.put(sheet.cell(row=r, column=col), column, row.get(column.key))
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    @staticmethod
    def sheet_title(report: Report) -> str:
        # Excel: at most 31 characters, none of []:*?/\
        return report.slug[:31] or "bang"

    @staticmethod
    def text(cell, value: str) -> None:
        cell.value = value
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True

    def put(self, cell, column: Column, value) -> None:
        if value is None:
            return
        if column.kind in (INT, YEAR):
            cell.value = int(value)
            cell.number_format = "0" if column.kind == YEAR else "#,##0"
        elif column.kind == PERCENT:
            cell.value = float(value) / 100
            cell.number_format = "0.0%"
        else:
            self.text(cell, str(value))


class HTMLFormatter:
    """An accessible table (caption, column and row headers with ``scope``), numbers
    in the reader's format ("1.265", "92,5"); a figure with a link in the row's
    ``links`` is a link to the list behind it. On a phone, tables of more than four
    columns become cards (portal.css ``.data-table`` with each cell's ``data-label``).

    Written with ``format_html`` rather than a template: a national page has tables of
    63 rows and the template engine spent most of the page's time on them."""

    def format(self, report: Report, *, table_id: str = "") -> SafeString:
        columns = report.columns
        header_key = report.row_header_key
        css = "stats-table stats-table--compact" if report.compact else "data-table stats-table"
        # Headings are lazy translations: resolve and escape each one once per table.
        labels = [escape(str(c.label)) for c in columns]
        nums = [' class="num"' if c.kind in (INT, PERCENT) else "" for c in columns]
        head = "".join(
            f'<th scope="col"{num}>{label}</th>' for label, num in zip(labels, nums, strict=True)
        )
        body = []
        for row in report.rows():
            links = row.get("links", {})
            cells = []
            for column, label, num in zip(columns, labels, nums, strict=True):
                text = escape(self.text(column, row.get(column.key)))
                link = links.get(column.key)
                if link:
                    text = f'<a href="{escape(link)}">{text}</a>'
                if column.key == header_key:
                    cells.append(f'<th scope="row" data-label="{label}">{text}</th>')
                else:
                    cells.append(f'<td data-label="{label}"{num}>{text}</td>')
            body.append("<tr>" + "".join(cells) + "</tr>")
        if not body:
            empty = escape(str(_("Chưa có số liệu.")))
            body.append(
                f'<tr><td class="stats-table__empty" colspan="{len(columns)}">{empty}</td></tr>'
            )
        # Every piece above is escaped text or a constant tag.
        return mark_safe(  # noqa: S308
            f'<div class="stats-table-wrap"><table class="{css}" '
            f'id="{escape(table_id or "table-" + report.slug)}">'
            f"<caption>{escape(str(report.caption))}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        )

    @staticmethod
    def text(column: Column, value) -> str:
        if value is None:
            return "–"
        if column.kind == INT:
            return number_format(value, use_l10n=True, force_grouping=True)
        if column.kind == PERCENT:
            return number_format(value, decimal_pos=1, use_l10n=True)
        return str(value)


# --- Public reports: one place, from the statistics of CONTRACTS section 3 ----------------


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
            rows.append({"item": label, "people": s[key], "percent": percent(s[key], people)})
        return rows


LEVEL_COLUMN_LABELS = {
    1: _("Mức 1 (xuất sắc)"),
    2: _("Mức 2 (tốt)"),
    3: _("Mức 3 (hoàn thành)"),
    4: _("Mức 4 (không hoàn thành)"),
}


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

    def __init__(self, stats: dict, *, link=None):
        super().__init__(stats)
        self.link = link

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
        return rows


PUBLIC_REPORTS = (
    CoverageReport,
    MembershipReport,
    CompositionReport,
    RatingReport,
    AreaBreakdownReport,
)
PUBLIC_REPORTS_BY_SLUG = {r.slug: r for r in PUBLIC_REPORTS}


# --- Staff reports: the user's area, through the scoped selectors ---------------------------


def _url(name: str, fallback: str, **params) -> str:
    """A URL with a query string; ``fallback`` (a path) when the name does not exist
    yet (the ratings screens are built alongside)."""
    try:
        base = reverse(name)
    except NoReverseMatch:
        base = fallback
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{base}?{query}" if query else base


def _list_url(kind: str, edition: str) -> str:
    return reverse("reports:dashboard_list", args=[kind]) + "?" + urlencode({"edition": edition})


def ratings_url(**params) -> str:
    return _url("evaluations:overview", "/can-bo/danh-gia/", **params)


class StaffReport(Report):
    """A table of the staff dashboard: figures of the user's area only."""

    def __init__(self, *, user, edition: str, today: datetime.date):
        self.user = user
        self.edition = edition
        self.today = today

    @classmethod
    def is_available_to(cls, user) -> bool:
        return user_is_portal_staff(user)

    @property
    def edition_prefix(self) -> str:
        return f"{self.edition}/"


def active_unit_exists(kinds, *, field: str = "area") -> Exists:
    """Whether an active unit of ``kinds`` sits on the outer area (``status`` is the
    roster interface's notion of a current unit, as on the commune page)."""
    return Exists(
        Unit.objects.filter(**{field: OuterRef("pk")}, kind__in=kinds, status=UnitStatus.ACTIVE)
    )


class CoverageGapReport(StaffReport):
    """Communes without an active bloc, villages without an active team."""

    slug = "khoang-trong"
    title = _("Độ phủ trong địa bàn: nơi chưa có đơn vị")
    columns = (
        Column("item", _("Cấp"), TEXT),
        Column("total", _("Tổng số"), INT),
        Column("covered", _("Đã có đơn vị"), INT),
        Column("missing", _("Chưa có"), INT),
        Column("percent", _("Tỷ lệ đã có (%)"), PERCENT),
    )

    def get_queryset(self):
        return areas_visible_to(self.user).filter(
            edition=self.edition, level__in=[Level.COMMUNE, Level.VILLAGE]
        )

    def figures(self) -> dict:
        if not hasattr(self, "_figures"):
            commune, village = Q(level=Level.COMMUNE), Q(level=Level.VILLAGE)
            self._figures = self.get_queryset().aggregate(
                communes=Count("pk", filter=commune),
                communes_missing=Count(
                    "pk", filter=commune & ~Q(active_unit_exists([UnitKind.BLOC]))
                ),
                villages=Count("pk", filter=village),
                villages_missing=Count("pk", filter=village & ~Q(active_unit_exists(TEAM_KINDS))),
            )
        return self._figures

    def rows(self):
        f = self.figures()
        rows = []
        for key, label, list_all, list_missing in (
            ("communes", _("Xã có Khối dân vận"), "xa", "xa-chua-co-khoi"),
            ("villages", _("Thôn có Tổ dân vận"), "thon", "thon-chua-co-to"),
        ):
            total, missing = f[key], f[f"{key}_missing"]
            rows.append(
                {
                    "item": label,
                    "total": total,
                    "covered": total - missing,
                    "missing": missing,
                    "percent": percent(total - missing, total),
                    "links": {
                        "total": _list_url(list_all, self.edition),
                        "missing": _list_url(list_missing, self.edition),
                    },
                }
            )
        return rows


def roster_problem_filters() -> dict[str, Q]:
    """Conditions on units annotated by ``members.selectors.units_with_roster_counts``,
    one per roster warning of ``members.selectors.roster_health_from_counts`` (the same
    sizes, ``members.choices.ROSTER_SIZE``)."""
    bloc_low, bloc_high = ROSTER_SIZE["bloc"]
    team_low, team_high = ROSTER_SIZE["team"]
    bloc, team = Q(kind=UnitKind.BLOC), Q(kind__in=TEAM_KINDS)
    return {
        "ngoai-quy-mo": (
            bloc & (Q(active_count__lt=bloc_low) | Q(active_count__gt=bloc_high))
            | team & (Q(active_count__lt=team_low) | Q(active_count__gt=team_high))
        ),
        "chua-co-truong": Q(head_count=0),
        "nhieu-truong": Q(head_count__gt=1),
        "to-truong-chua-dang-vien": team & Q(heads_not_party__gt=0),
    }


ROSTER_PROBLEMS = {
    "ngoai-quy-mo": _("Số thành viên ngoài quy định (khối 7–13, tổ 7–10 người)"),
    "chua-co-truong": _("Chưa có trưởng khối, tổ trưởng"),
    "nhieu-truong": _("Có hơn một trưởng khối, tổ trưởng"),
    "to-truong-chua-dang-vien": _("Tổ trưởng chưa là đảng viên"),
}


class RosterHealthReport(StaffReport):
    """Active units whose roster breaks a health rule, counted in SQL over the roster
    counts (one query whatever the number of units)."""

    slug = "danh-sach"
    title = _("Danh sách thành viên cần kiện toàn")
    columns = (
        Column("item", _("Vấn đề"), TEXT),
        Column("units", _("Số đơn vị"), INT),
    )

    def get_queryset(self):
        return units_with_roster_counts(
            units_visible_to(self.user).filter(
                status=UnitStatus.ACTIVE, area_path__descendant_of=self.edition_prefix
            )
        )

    def figures(self) -> dict:
        if not hasattr(self, "_figures"):
            aggregates = {"units": Count("pk")}
            for key, condition in roster_problem_filters().items():
                aggregates[key] = Count("pk", filter=condition)
            self._figures = self.get_queryset().aggregate(**aggregates)
        return self._figures

    def rows(self):
        f = self.figures()
        rows = [
            {
                "item": _("Đơn vị đang hoạt động"),
                "units": f["units"],
                "links": {"units": _list_url("don-vi", self.edition)},
            }
        ]
        for key, label in ROSTER_PROBLEMS.items():
            rows.append(
                {"item": label, "units": f[key], "links": {"units": _list_url(key, self.edition)}}
            )
        return rows


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

    def __init__(self, *, user, edition: str, today: datetime.date, year: int):
        super().__init__(user=user, edition=edition, today=today)
        self.year = year

    @property
    def title(self):
        return _("Đánh giá, xếp loại năm %(year)s") % {"year": self.year}

    def get_queryset(self):
        from evaluations.selectors import rating_rows

        return rating_rows(user=self.user, year=self.year)

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
        rows = [
            {
                "item": label,
                "units": f.get(stage, 0),
                "links": {"units": ratings_url(year=self.year, stage=stage)},
            }
            for stage, label in STAGE_ROWS
        ]
        rows.append(
            {
                "item": _("Tổng số đơn vị"),
                "units": sum(f.values()),
                "links": {"units": ratings_url(year=self.year)},
            }
        )
        return rows


def trend_years(today: datetime.date, count: int = 5) -> list[int]:
    return list(range(today.year - count + 1, today.year + 1))


def trend_day(year: int, today: datetime.date) -> datetime.date:
    """31/12 of a past year; today for the year in progress."""
    return min(datetime.date(year, 12, 31), today)


class MembershipTrendReport(StaffReport):
    """Seats held on 31/12 of each of the last five years (today for this year): the
    count of the member list filtered on that day, which each figure links to."""

    slug = "xu-huong-thanh-vien"
    title = _("Số lượt thành viên theo năm (ngày 31/12, năm nay: hôm nay)")
    columns = (
        Column("year", _("Năm"), YEAR),
        Column("day", _("Ngày"), TEXT),
        Column("memberships", _("Số lượt thành viên"), INT),
    )

    def get_queryset(self):
        return memberships_visible_to(self.user).filter(
            area_path__descendant_of=self.edition_prefix
        )

    def rows(self):
        days = {year: trend_day(year, self.today) for year in trend_years(self.today)}
        counts = self.get_queryset().aggregate(
            **{
                f"y{year}": Count(
                    "pk",
                    filter=(Q(start_date__isnull=True) | Q(start_date__lte=day))
                    & (Q(end_date__isnull=True) | Q(end_date__gte=day)),
                )
                for year, day in days.items()
            }
        )
        rows = []
        for year, day in sorted(days.items(), reverse=True):
            shown = day.strftime("%d/%m/%Y")
            rows.append(
                {
                    "year": year,
                    "day": shown,
                    "memberships": counts[f"y{year}"],
                    "links": {
                        "memberships": _url(
                            "members:membership_list",
                            "/can-bo/thanh-vien/",
                            active_on=shown,
                            edition=self.edition,
                        )
                    },
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
        from evaluations.selectors import evaluations_visible_to

        return evaluations_visible_to(self.user).filter(stage=Stage.DECIDED)

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


DASHBOARD_REPORTS = (
    CoverageGapReport,
    RosterHealthReport,
    EvaluationProgressReport,
    MembershipTrendReport,
    RatingTrendReport,
)


# --- The lists behind the dashboard's figures ---------------------------------------------


class StaffListReport(StaffReport):
    """Areas or units of the user's area behind one figure of the dashboard, one page
    at a time (``page_rows``); the whole list goes to the downloads."""

    kind = ""

    @classmethod
    def for_kind(cls, kind: str, **kwargs) -> "StaffListReport | None":
        report_class = STAFF_LISTS.get(kind)
        return report_class(kind=kind, **kwargs) if report_class else None

    def __init__(self, *, kind: str, **kwargs):
        super().__init__(**kwargs)
        self.kind = kind
        self.slug = kind

    def rows_of(self, objects) -> list[dict]:
        raise NotImplementedError

    def rows(self):
        return self.rows_of(self.get_queryset())


class AreaListReport(StaffListReport):
    """Communes or villages of the user's area, all of them or those without a unit."""

    row_header = "name"
    columns = (
        Column("name", _("Tên"), TEXT),
        Column("code", _("Mã"), CODE),
        Column("parent", _("Trực thuộc"), TEXT),
        Column("unit", _("Đơn vị"), TEXT),
    )
    TITLES = {
        "xa": _("Xã, phường, thị trấn trong địa bàn"),
        "xa-chua-co-khoi": _("Xã, phường, thị trấn chưa có Khối dân vận"),
        "thon": _("Thôn, tổ dân phố trong địa bàn"),
        "thon-chua-co-to": _("Thôn, tổ dân phố chưa có Tổ dân vận"),
    }

    @property
    def title(self):
        return self.TITLES[self.kind]

    def get_queryset(self):
        communes = self.kind.startswith("xa")
        kinds = [UnitKind.BLOC] if communes else list(TEAM_KINDS)
        areas = (
            areas_visible_to(self.user)
            .filter(edition=self.edition, level=Level.COMMUNE if communes else Level.VILLAGE)
            .annotate(has_unit=active_unit_exists(kinds))
            .select_related("parent__parent")
            .order_by("path")
        )
        if self.kind.endswith(("chua-co-khoi", "chua-co-to")):
            areas = areas.filter(has_unit=False)
        return areas

    def rows_of(self, objects):
        rows = []
        for area in objects:
            commune = area if area.level == Level.COMMUNE else area.parent
            parent = area.parent
            row = {
                "code": area.code or "",
                "name": area.name,
                "parent": ", ".join(
                    a.name for a in (parent, parent.parent if parent else None) if a
                ),
                "unit": _("Đã có") if area.has_unit else _("Chưa có"),
                "links": {"name": reverse("members:commune_detail", args=[commune.pk])},
            }
            rows.append(row)
        return rows


class UnitListReport(StaffListReport):
    """Active units of the user's area, all of them or those with one roster problem,
    with their counts of current members."""

    columns = (
        Column("name", _("Đơn vị"), TEXT),
        Column("commune", _("Xã"), TEXT),
        Column("members", _("Thành viên hiện tại"), INT),
        Column("heads", _("Số trưởng khối, tổ trưởng"), INT),
    )

    @property
    def title(self):
        return ROSTER_PROBLEMS.get(self.kind, _("Đơn vị đang hoạt động"))

    def get_queryset(self):
        units = units_with_roster_counts(
            units_visible_to(self.user).filter(
                status=UnitStatus.ACTIVE, area_path__descendant_of=self.edition_prefix
            )
        )
        condition = roster_problem_filters().get(self.kind)
        if condition is not None:
            units = units.filter(condition)
        return units.select_related("commune").order_by("area_path", "kind", "pk")

    def rows_of(self, objects):
        return [
            {
                "name": unit.name,
                "commune": unit.commune.name,
                "members": unit.active_count,
                "heads": unit.head_count,
                "links": {"name": reverse("members:unit_detail", args=[unit.pk])},
            }
            for unit in objects
        ]


STAFF_LISTS: dict[str, type[StaffListReport]] = {
    **dict.fromkeys(AreaListReport.TITLES, AreaListReport),
    "don-vi": UnitListReport,
    **dict.fromkeys(ROSTER_PROBLEMS, UnitListReport),
}
