"""The table of the areas one level down on a statistics page, as a phone reads it.

A province page lists a hundred communes or more; as cards of zeros it ran to 24,000
px on a phone. Here it stays a compact table (the code column left out on a phone),
sortable by a link in each heading (no script: the CSP allows none inline), and the
areas without any bloc or team are folded behind a toggle (``<details>``), each still a
link to its own page."""

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

#: The query parameter of the sort order (docs: the statistics pages).
SORT_PARAMETER = "sap-xep"


def children_table_html(report, *, sort_url=None) -> SafeString:
    """``sort_url(value)`` is the page's URL with ``sap-xep=value`` (None: headings
    are not links)."""
    rows = report.rows()
    full = [r for r in rows if not report.is_empty_row(r)]
    empty = [r for r in rows if report.is_empty_row(r)]
    current = report.sort
    head = []
    for column in report.columns:
        label = escape(str(column.label))
        css = ["num"] if column.kind in ("int", "percent") else []
        if column.key == "code":
            css.append("stats-children__code")
        attrs = f' class="{" ".join(css)}"' if css else ""
        sort = ""
        if current.lstrip("-") == column.key:
            order = "descending" if current.startswith("-") else "ascending"
            sort = f' aria-sort="{order}"'
        if sort_url is not None:
            # Figures sort largest first on the first click, names A to Z.
            first = column.key if column.key in ("name", "code") else "-" + column.key
            value = first
            if current == first:
                value = first[1:] if first.startswith("-") else "-" + first
            arrow = {' aria-sort="ascending"': " ▲", ' aria-sort="descending"': " ▼"}.get(sort, "")
            label = (
                f'<a href="{escape(sort_url(value))}#{escape(report.slug)}">{label}'
                f'<span aria-hidden="true">{arrow}</span></a>'
            )
        head.append(f'<th scope="col"{attrs}{sort}>{label}</th>')
    body = []
    for row in full:
        links = row.get("links", {})
        cells = []
        for column in report.columns:
            value = row.get(column.key)
            if column.kind == "int":
                text = number_format(value or 0, use_l10n=True, force_grouping=True)
            else:
                text = "" if value is None else str(value)
            text = escape(text)
            if links.get(column.key):
                text = f'<a href="{escape(links[column.key])}">{text}</a>'
            if column.key == report.row_header_key:
                cells.append(f'<th scope="row">{text}</th>')
            else:
                css = "num" if column.kind == "int" else ""
                if column.key == "code":
                    css = "stats-children__code"
                cells.append(f'<td class="{css}">{text}</td>' if css else f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    parts = []
    if body:
        parts.append(
            f'<div class="stats-table-wrap stats-children" tabindex="0" role="region" '
            f'aria-labelledby="heading-{escape(report.slug)}">'
            f'<table class="stats-table stats-table--compact stats-table--children" '
            f'id="table-{escape(report.slug)}" data-testid="children-table">'
            f"<caption>{escape(str(report.caption))}</caption>"
            f"<thead><tr>{''.join(head)}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        )
    if empty:
        summary = ngettext(
            "%(n)s địa bàn chưa có khối, tổ dân vận nào",
            "%(n)s địa bàn chưa có khối, tổ dân vận nào",
            len(empty),
        ) % {"n": number_format(len(empty), use_l10n=True, force_grouping=True)}
        items = []
        for row in empty:
            name = escape(row.get("name") or "")
            link = row.get("links", {}).get("name")
            item = f'<a href="{escape(link)}">{name}</a>' if link else name
            items.append(f"<li>{item}</li>")
        parts.append(
            f'<details class="stats-empty-rows" data-testid="children-empty">'
            f"<summary>{escape(summary)}</summary>"
            f'<ul class="chip-list">{"".join(items)}</ul></details>'
        )
    if not parts:
        parts.append(f'<p class="empty">{escape(_("Chưa có số liệu."))}</p>')
    # Every piece above is escaped text or a constant tag.
    return mark_safe("".join(parts))  # noqa: S308
