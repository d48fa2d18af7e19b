"""Charts drawn on the server as inline SVG: no script, no chart library, no CDN.

The Content-Security-Policy allows no inline style, so shapes carry classes
(static/css/stats.css colours them) and sizes are attributes. Every chart is an image
with a text alternative (``role="img"``, ``<title>`` and ``<desc>`` naming every value),
and the page prints the same figures in a table next to it.
"""

import dataclasses

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from reports.disclosure import WITHHELD_TEXT
from reports.reports.base import percent

WIDTH = 300  # viewBox units; the CSS scales the chart to its column
LABEL_HEIGHT = 20
BAR_HEIGHT = 18
ROW_GAP = 12


def number(value, decimals: int | None = None) -> str:
    """A figure in the reader's format ("1.265", "92,5" in Vietnamese)."""
    if value is None:
        return "–"
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def percent_text(value) -> str:
    return "–" if value is None else f"{number(value, 1)} %"


@dataclasses.dataclass(frozen=True)
class Bar:
    """One bar: its label, its length (``value``, on the chart's scale) and the text
    printed beside it."""

    label: str
    value: float
    text: str
    tone: int = 1  # colour class chart__bar--N


def _header(chart_id: str, title: str, description: str, height: int) -> SafeString:
    return format_html(
        '<svg class="chart" id="{id}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'role="img" aria-labelledby="{id}-title {id}-desc" focusable="false" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>',
        id=chart_id,
        w=WIDTH,
        h=height,
        title=title,
        desc=description,
    )


def bar_chart(
    *, chart_id: str, title: str, bars: list[Bar], scale: float | None = None
) -> SafeString:
    """Horizontal bars, one per row: the label at the left and the value at the right
    above a full-width bar (the shape that reads best on a 375 px phone, whatever the
    length of the figures). ``scale`` is the value of a full bar (100 for
    percentages); by default the largest value."""
    top = scale if scale else max((b.value for b in bars), default=0) or 1
    row = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    height = max(row * len(bars) - ROW_GAP, row)
    description = "; ".join(f"{b.label}: {b.text}" for b in bars) or _("Chưa có số liệu")
    parts = [_header(chart_id, title, description, height)]
    for i, bar in enumerate(bars):
        y = i * row
        length = 0 if not bar.value else max(1.0, WIDTH * min(bar.value, top) / top)
        parts.append(
            format_html(
                '<g class="chart__row">'
                '<text class="chart__label" x="0" y="{ty}">{label}</text>'
                '<text class="chart__value" x="{w}" y="{ty}" text-anchor="end">{text}</text>'
                '<rect class="chart__track" x="0" y="{by}" width="{w}" height="{bh}" rx="3"/>'
                '<rect class="chart__bar chart__bar--{tone}" x="0" y="{by}" width="{bw}" '
                'height="{bh}" rx="3"/></g>',
                ty=y + 14,
                label=bar.label,
                w=WIDTH,
                text=bar.text,
                by=y + LABEL_HEIGHT,
                bh=BAR_HEIGHT,
                tone=bar.tone,
                bw=f"{length:.1f}",
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))  # noqa: S308 - every part went through format_html


@dataclasses.dataclass(frozen=True)
class Segment:
    label: str
    tone: int


def stacked_chart(
    *, chart_id: str, title: str, segments: list[Segment], rows: list[tuple[str, list[int]]]
) -> SafeString:
    """One stacked horizontal bar per row (a year), each segment a share of the row's
    total, with a legend below. ``rows`` are (label, counts in the order of
    ``segments``)."""
    row = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    legend_row = 20
    legend_top = row * len(rows) + 4
    height = legend_top + legend_row * len(segments)
    summaries = []
    for label, counts in rows:
        figures = ", ".join(f"{s.label} {number(c)}" for s, c in zip(segments, counts, strict=True))
        summaries.append(f"{label}: {figures}")
    description = "; ".join(summaries) or _("Chưa có số liệu")
    parts = [_header(chart_id, title, description, height)]
    room = WIDTH
    for i, (label, counts) in enumerate(rows):
        y = i * row
        total = sum(counts)
        parts.append(
            format_html(
                '<text class="chart__label" x="0" y="{ly}">{label}</text>'
                '<text class="chart__value" x="{w}" y="{ly}" text-anchor="end">{total}</text>',
                ly=y + 14,
                w=WIDTH,
                label=label,
                total=_("%(n)s đơn vị") % {"n": number(total)},
            )
        )
        parts.append(
            format_html(
                '<rect class="chart__track" x="0" y="{by}" width="{w}" height="{bh}"/>',
                by=y + LABEL_HEIGHT,
                w=room,
                bh=BAR_HEIGHT,
            )
        )
        x = 0.0
        for segment, count in zip(segments, counts, strict=True):
            if not count or not total:
                continue
            width = room * count / total
            parts.append(
                format_html(
                    '<rect class="chart__bar chart__bar--{tone}" x="{x}" y="{by}" '
                    'width="{w}" height="{bh}"><title>{label}: {n}</title></rect>',
                    tone=segment.tone,
                    x=f"{x:.1f}",
                    by=y + LABEL_HEIGHT,
                    w=f"{width:.1f}",
                    bh=BAR_HEIGHT,
                    label=segment.label,
                    n=number(count),
                )
            )
            x += width
    parts.append(
        format_html_join(
            "",
            '<g class="chart__legend"><rect class="chart__bar chart__bar--{}" x="0" y="{}" '
            'width="14" height="14"/><text class="chart__label" x="20" y="{}">{}</text></g>',
            (
                (s.tone, legend_top + i * legend_row, legend_top + i * legend_row + 12, s.label)
                for i, s in enumerate(segments)
            ),
        )
    )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))  # noqa: S308 - every part went through format_html


# --- The charts of the statistics page ----------------------------------------------------


def coverage_chart(stats: dict, chart_id: str = "chart-coverage") -> SafeString:
    bars = []
    for label, covered, total in (
        (_("Xã có Khối dân vận"), stats["communes_with_bloc"], stats["communes"]),
        (_("Thôn có Tổ dân vận"), stats["villages_with_team"], stats["villages"]),
    ):
        share = percent(covered, total)
        text = f"{percent_text(share)} ({number(covered)}/{number(total)})"
        bars.append(Bar(label=label, value=share or 0, text=text, tone=1))
    return bar_chart(chart_id=chart_id, title=_("Độ phủ (%)"), bars=bars, scale=100)


def members_chart(stats: dict, chart_id: str = "chart-members") -> SafeString:
    bars = [
        Bar(
            _("Khối dân vận"),
            stats["bloc_members"],
            _("%(n)s lượt") % {"n": number(stats["bloc_members"])},
            1,
        ),
        Bar(
            _("Tổ dân vận"),
            stats["team_members"],
            _("%(n)s lượt") % {"n": number(stats["team_members"])},
            2,
        ),
    ]
    return bar_chart(chart_id=chart_id, title=_("Số lượt thành viên theo loại đơn vị"), bars=bars)


def composition_chart(stats: dict, chart_id: str = "chart-composition") -> SafeString:
    people = stats["people"]
    bars = []
    for tone, (label, key) in enumerate(
        (
            (_("Nữ"), "women"),
            (_("Đảng viên"), "party_members"),
            (_("Dân tộc thiểu số"), "ethnic_minority"),
        ),
        start=3,
    ):
        if stats[key] is None:  # withheld (reports.disclosure)
            bars.append(Bar(label=label, value=0, text=str(WITHHELD_TEXT), tone=tone))
            continue
        share = percent(stats[key], people)
        text = _("%(share)s (%(n)s người)") % {
            "share": percent_text(share),
            "n": number(stats[key]),
        }
        bars.append(Bar(label=label, value=share or 0, text=text, tone=tone))
    return bar_chart(
        chart_id=chart_id,
        title=_("Thành phần trên tổng số %(n)s người") % {"n": number(people)},
        bars=bars,
        scale=100,
    )


def ratings_chart(stats: dict, chart_id: str = "chart-ratings") -> SafeString:
    segments = [
        Segment(_("Mức 1"), 11),
        Segment(_("Mức 2"), 12),
        Segment(_("Mức 3"), 13),
        Segment(_("Mức 4"), 14),
        Segment(_("Chưa xếp loại"), 15),
    ]
    rows = []
    for year, figures in sorted(stats["ratings"].items(), reverse=True):
        rows.append(
            (year, [figures["1"], figures["2"], figures["3"], figures["4"], figures["unrated"]])
        )
    return stacked_chart(
        chart_id=chart_id, title=_("Xếp loại đơn vị theo năm"), segments=segments, rows=rows
    )


# --- The charts of the staff dashboard ----------------------------------------------------


def dashboard_chart(slug: str, rows: list[dict]) -> SafeString | str:
    """The chart of a dashboard table, drawn from the rows the table prints (so chart
    and table never disagree): coverage as bars of percentages, the membership trend as
    a bar per year, the rating trend as a stacked bar per year. Other tables: none."""
    if slug == "khoang-trong":
        bars = [
            Bar(
                label=str(r["item"]),
                value=r["percent"] or 0,
                text=f"{percent_text(r['percent'])} ({number(r['covered'])}/{number(r['total'])})",
                tone=1,
            )
            for r in rows
        ]
        return bar_chart(
            chart_id="chart-dashboard-coverage", title=_("Độ phủ (%)"), bars=bars, scale=100
        )
    if slug == "xu-huong-thanh-vien":
        bars = [
            Bar(
                label=str(r["year"]),
                value=r["memberships"] or 0,
                text=_("%(n)s lượt") % {"n": number(r["memberships"] or 0)},
                tone=2,
            )
            for r in rows
        ]
        return bar_chart(
            chart_id="chart-dashboard-members",
            title=_("Số lượt thành viên theo năm"),
            bars=bars,
        )
    if slug == "xu-huong-xep-loai" and rows:
        segments = [
            Segment(_("Mức 1"), 11),
            Segment(_("Mức 2"), 12),
            Segment(_("Mức 3"), 13),
            Segment(_("Mức 4"), 14),
        ]
        return stacked_chart(
            chart_id="chart-dashboard-ratings",
            title=_("Xếp loại đơn vị theo năm"),
            segments=segments,
            rows=[
                (str(r["year"]), [r.get(f"level_{level}") or 0 for level in (1, 2, 3, 4)])
                for r in rows
            ],
        )
    return ""
