"""A report, its columns, and the formatters that print it as CSV, XLSX or HTML."""

import csv
import dataclasses
import io

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font

from portal.cells import csv_text, text_cell

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


LEVEL_COLUMN_LABELS = {
    1: _("Mức 1 (xuất sắc)"),
    2: _("Mức 2 (tốt)"),
    3: _("Mức 3 (hoàn thành)"),
    4: _("Mức 4 (không hoàn thành)"),
}


# --- Formatters ----------------------------------------------------------------------------


class CSVFormatter:
    """UTF-8 with a byte-order mark (Excel then reads the Vietnamese letters), comma
    separated, one heading row. Numbers are plain digits ("1265"); percentages have a
    decimal point ("92.5"), the form every program parses."""

    def format(self, report: Report) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([csv_text(c.label) for c in report.columns])
        for row in report.rows():
            writer.writerow([self.value(c, row.get(c.key)) for c in report.columns])
        return buffer.getvalue().encode("utf-8-sig")

    @staticmethod
    def value(column: Column, value) -> str:
        if value is None:
            return ""
        if isinstance(value, str):  # a figure given as words ("dưới 5")
            return csv_text(value)
        if column.kind in (INT, YEAR):
            return str(int(value))
        if column.kind == PERCENT:
            return f"{value:.1f}"
        return csv_text(value)


class XLSXFormatter:
    """One sheet per report: a title row, the headings, the rows. Numbers are number
    cells (a percentage is the fraction with a "0.0%" format), text is forced to a
    string cell and formula-like text is neutralised (openpyxl would store "=..." as a
    formula)."""

    def format(self, reports: list[Report]) -> bytes:
        workbook = Workbook()
        workbook.remove(workbook.active)
        for report in reports:
            sheet = workbook.create_sheet(title=self.sheet_title(report))
            title = sheet.cell(row=1, column=1)
            text_cell(title, report.caption)
            title.font = Font(bold=True)
            for col, column in enumerate(report.columns, start=1):
                cell = sheet.cell(row=2, column=col)
                text_cell(cell, str(column.label))
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

    def put(self, cell, column: Column, value) -> None:
        if value is None:
            return
        if isinstance(value, str):  # a figure given as words ("dưới 5")
            text_cell(cell, value)
            return
        if column.kind in (INT, YEAR):
            cell.value = int(value)
            cell.number_format = "0" if column.kind == YEAR else "#,##0"
        elif column.kind == PERCENT:
            cell.value = float(value) / 100
            cell.number_format = "0.0%"
        else:
            text_cell(cell, str(value))


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
        if isinstance(value, str):  # a figure given as words ("dưới 5")
            return value
        if column.kind == INT:
            return number_format(value, use_l10n=True, force_grouping=True)
        if column.kind == PERCENT:
            return number_format(value, decimal_pos=1, use_l10n=True)
        return str(value)
