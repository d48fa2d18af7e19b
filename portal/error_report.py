"""The error report: the uploaded spreadsheet given back with each row's messages.

Every import (rosters, score sheets, activities) reads its file with
``portal.spreadsheets.read_table`` and, when rows were refused, hands the same file and
its errors to ``error_report_workbook``. docs/ROSTER_IMPORT.md ("Error report") states
the layout.

This module imports nothing of the project but the portal floor: the apps import it.
"""

from __future__ import annotations

import csv
import functools
import io
import logging
from collections import defaultdict

from django.utils.translation import gettext

from portal.cells import csv_unquote, text_cell
from portal.spreadsheets import HEADER_SLACK, SheetLayout, csv_delimiter, header_key
from portal.workbook_guard import check_workbook
from portal.xlsx_layout import column_widths

logger = logging.getLogger(__name__)


def error_report_workbook(
    data: bytes,
    *,
    filename: str,
    plan,
    layout: SheetLayout,
    error_column: str,
    error_title: str | None = None,
) -> bytes:
    """The uploaded sheet with a first column holding each row's messages, so the user
    fixes the rows in the file they know and uploads it again (the layout does not know
    that column, so the reader ignores it). Whole-file messages go in the header cell;
    each cell an error names is highlighted; the header row gets a filter. A file that
    could not be read at all gives a one-sheet workbook listing the messages.

    Streamed: the rows are read one at a time (calamine for .xlsx, after the same checks
    as ``read_table``; the csv module for CSV) and written by openpyxl's write-only
    workbook, every text through the safe-cell writer (portal/cells.py), so a 100,000-row
    file costs a few tens of MB, not a gigabyte (docs/SECURITY.md). Only the rows above
    the header are held until the header decides where the column goes. The cells keep
    their values, the merged ranges and the column widths, not their formatting.

    ``plan`` is any import result with ``errors`` (``RowError``), ``header_row``,
    ``file_format`` and ``sheet_name``; ``layout`` says how its CSV was read.
    ``error_column`` is the column's name in the file's layout ("Lỗi"), ``error_title``
    its title in the reader's language (default: the name); a column of an earlier
    report under either is reused (its old messages cleared) rather than a second one
    added.
    """
    import openpyxl
    from openpyxl.utils import get_column_letter

    by_row: dict[int, list[str]] = defaultdict(list)
    for error in plan.errors:
        text = f"{error.column}: {error.message}" if error.column and error.row else error.message
        by_row[error.row].append(text)
    errors_title = str(error_title or error_column)

    source = None
    if plan.header_row:
        try:
            source = _report_source(data, plan, layout)
        except Exception:  # unreadable after all: fall back to the plain list below
            logger.exception("error report: could not reopen %r", filename)
            source = None
    workbook = openpyxl.Workbook(write_only=True)
    if source is None:
        sheet = workbook.create_sheet(errors_title[:31])
        sheet.column_dimensions["C"].width = 100
        sheet.append([gettext("Dòng"), gettext("Cột"), errors_title])
        for error in plan.errors:
            sheet.append([error.row or "", error.column, _cell(sheet, error.message)])
        return _save(workbook)

    rows, merged, widths = source
    header = plan.header_row
    sheet = workbook.create_sheet((plan.sheet_name or errors_title)[:31])
    keys = (header_key(error_column), header_key(errors_title))
    above: list[list] = []  # the title rows, until the header says where the column goes
    column = shift = None
    bad: dict[int, set[int]] = {}
    last_row, last_column = header, 1
    for number, cells in rows:
        if column is None and number < header:
            above.append(cells)
            continue
        if column is None:  # the header row, or the first row after it
            head = cells if number == header else []
            found = [
                i
                for i, c in enumerate(head)
                if isinstance(c, str) and header_key(c).startswith(keys)
            ]
            column, shift = (found[-1], 0) if found else (0, 1)
            bad = _bad_cells(plan.errors, head, column, shift, layout)
            for index, width in widths.items():
                sheet.column_dimensions[get_column_letter(index + shift)].width = width
            sheet.column_dimensions[get_column_letter(column + 1)].width = 70
            for line in above:
                sheet.append([None] * shift + [_cell(sheet, value) for value in line])
            title = errors_title
            if by_row.get(0):
                title = f"{errors_title}: " + " ".join(by_row[0])
            sheet.append(_report_line(sheet, head, column, shift, title, bold=True))
            last_column = max(last_column, len(head) + shift, column + 1)
            if number == header:
                continue
        messages = by_row.get(number)
        message = "\n".join(messages or ()) or None
        line = _report_line(sheet, cells, column, shift, message, bad=bad.get(number, ()))
        sheet.append(line)
        last_row, last_column = number, max(last_column, len(line))
    if column is None:  # nothing from the header on: the title rows as they are
        for line in above:
            sheet.append([_cell(sheet, value) for value in line])
        return _save(workbook)
    for (top, left), (bottom, right) in merged:
        sheet.merged_cells.add(
            f"{get_column_letter(left + 1 + shift)}{top + 1}:"
            f"{get_column_letter(right + 1 + shift)}{bottom + 1}"
        )
    sheet.auto_filter.ref = f"A{header}:{get_column_letter(last_column)}{last_row}"
    return _save(workbook)


def _bad_cells(errors, head: list, column: int, shift: int, layout) -> dict[int, set[int]]:
    """{sheet row: indexes in the report's row} of the cells the row errors name, the
    columns mapped through the header cells the layout knows."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(head):
        name = layout.column_of(cell)
        if name is not None and (shift or index != column):  # not an old report's
            columns.setdefault(name, index + shift)
    bad: dict[int, set[int]] = defaultdict(set)
    for error in errors:
        if error.row > 0 and error.column in columns:
            bad[error.row].add(columns[error.column])
    return bad


def _report_source(data: bytes, plan, layout: SheetLayout):
    """(rows, merged ranges, column widths) of the sheet the plan read: the rows as
    (sheet row number, cell values), one at a time; the merged ranges as zero-based
    ((top, left), (bottom, right)); the widths as {1-based column: width}."""
    if plan.file_format == "csv":
        text = data.decode("utf-8-sig")
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text, layout))
        rows = (
            (number, [csv_unquote(c) for c in cells])
            for number, cells in enumerate(reader, start=1)
        )
        return rows, [], {}
    if plan.file_format != "xlsx":
        return None
    from python_calamine import CalamineWorkbook

    check_workbook(data, filename="", header_slack=HEADER_SLACK)  # as read_table did
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    names = workbook.sheet_names
    name = plan.sheet_name if plan.sheet_name in names else names[0]
    sheet = workbook.get_sheet_by_name(name)
    # iter_rows starts at the first row of the used range: number rows as the sheet does.
    first = sheet.start[0] if sheet.start else 0
    rows = enumerate(sheet.iter_rows(), start=first + 1)
    widths = column_widths(data, name, columns=sheet.end[1] + 1 if sheet.end else 0)
    return ((n, list(cells)) for n, cells in rows), list(sheet.merged_cell_ranges or ()), widths


def _cell(sheet, value):
    """A write-only cell for ``value``: text through the safe-cell writer."""
    from openpyxl.cell import WriteOnlyCell

    if not isinstance(value, str):
        return value
    return text_cell(WriteOnlyCell(sheet), value)


def _report_line(
    sheet, cells: list, column: int, shift: int, message, *, bold: bool = False, bad=()
) -> list:
    """The row's cells with ``message`` in the error column (red on yellow): a new
    first column when ``shift`` is 1, else the row's own cell ``column`` (an earlier
    report's). The cells at the indexes ``bad`` (in the report's row) are highlighted."""
    from openpyxl.cell import Cell, WriteOnlyCell

    style = _report_styles()
    line = [None] * shift + [_cell(sheet, value) for value in cells]
    line += [None] * (column + 1 - len(line))
    for index in bad:
        if index < len(line):
            cell = line[index]
            if not isinstance(cell, Cell):  # a number, a date or nothing
                cell = WriteOnlyCell(sheet, cell)
            cell.fill, cell.font = style["bad_fill"], style["bad_font"]
            line[index] = cell
    if message is None:  # an earlier report's message in this column is dropped
        line[column] = None
        return line
    target = text_cell(WriteOnlyCell(sheet), message)
    target.font = style["title_font" if bold else "font"]
    if not bold:
        target.alignment, target.fill = style["alignment"], style["fill"]
    line[column] = target
    return line


@functools.cache
def _report_styles() -> dict:
    """The report's styles, built once (not once per row of a 100,000-row file)."""
    from openpyxl.styles import Alignment, Font, PatternFill

    return {
        "bad_fill": PatternFill("solid", fgColor="FFC7CE"),
        "bad_font": Font(color="9C0006", bold=True),
        "title_font": Font(bold=True, color="C00000"),
        "font": Font(color="C00000"),
        "alignment": Alignment(wrap_text=True, vertical="top"),
        "fill": PatternFill("solid", fgColor="FFF2CC"),
    }


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
