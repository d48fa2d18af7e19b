"""One reader for every uploaded spreadsheet, and one error report.

Rosters (members.imports) and score sheets (evaluations.sheets) are both a header row
somewhere near the top of one sheet, then a row per thing. ``read_table`` reads such a
file, .xlsx or CSV, laid out as a ``SheetLayout``, and judges the file as a whole the
same way for every import (size, password, corruption, header, columns, row count);
``error_report_workbook`` gives the uploaded file back with a column of each row's
messages. docs/ROSTER_IMPORT.md ("Reading the file", "Error report") states the rules.

Why python-calamine: it reads an 18,000-row workbook about five times faster than
openpyxl, and it does not believe the bogus sheet dimensions LibreOffice writes.

This module imports nothing of the project: the apps import it.
"""

from __future__ import annotations

import csv
import functools
import io
import logging
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.cells import csv_unquote, text_cell
from portal.text import fold
from portal.workbook_guard import ERROR_TOO_MANY_CELLS, ERROR_TOO_MANY_ROWS, Refused, check_workbook
from portal.xlsx_layout import column_widths

logger = logging.getLogger(__name__)

# --- Whole-file messages (row 0), for the person who uploaded the file. ---------------
ERROR_FILE_EMPTY = _("Tệp rỗng, không có dữ liệu.")
ERROR_FILE_TOO_LARGE = _(
    "Tệp quá lớn ({size} MB): chỉ nhận tệp đến {limit} MB. Hãy chia danh sách thành nhiều tệp."
)
ERROR_NOT_SPREADSHEET = _(
    "Tệp “{filename}” không phải bảng tính Excel (.xlsx) hay CSV. "
    "Hãy mở bằng Excel hoặc LibreOffice rồi lưu thành .xlsx."
)
ERROR_CORRUPT = _(
    "Tệp “{filename}” bị hỏng, không đọc được. "
    "Hãy mở lại bằng Excel hoặc LibreOffice rồi lưu thành .xlsx."
)
ERROR_ENCRYPTED = _(
    "Tệp “{filename}” đang đặt mật khẩu nên không đọc được. "
    "Hãy gỡ mật khẩu (Tệp › Thông tin › Bảo vệ sổ làm việc) rồi lưu lại thành .xlsx."
)
ERROR_ENCRYPTED_OR_XLS = _(
    "Tệp “{filename}” có đặt mật khẩu, hoặc là tệp Excel cũ (.xls). "
    "Hãy gỡ mật khẩu nếu có, rồi lưu lại thành .xlsx (Sổ làm việc Excel)."
)
ERROR_CSV_ENCODING = _(
    "Tệp CSV không dùng bảng mã UTF-8 nên chữ tiếng Việt sẽ bị lỗi. Trong Excel chọn "
    "Lưu thành › “CSV UTF-8 (phân cách bằng dấu phẩy)”, hoặc lưu thành .xlsx."
)
ERROR_MISSING_COLUMN = _("Thiếu cột bắt buộc “{column}”.")
ERROR_DUPLICATE_COLUMN = _("Cột “{column}” xuất hiện hai lần trong dòng tiêu đề: chỉ giữ một cột.")
ERROR_NO_ROWS = _("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")
#: The note when several sheets hold data: ``marker`` is the layout's header cell.
NOTE_SHEET_CHOSEN_LAYOUT = _(
    "Tệp có {count} trang tính có dữ liệu ({names}): chỉ đọc trang “{sheet}”, "
    "trang đầu tiên có cột “{marker}”."
)

#: Title rows allowed above the header on top of DANVAN_IMPORT_MAX_ROWS data rows.
HEADER_SLACK = 200

_ZIP_SIGNATURE = b"PK\x03\x04"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"
# An encrypted .xlsx is an OLE container holding a stream of this name (MS-OFFCRYPTO).
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


# --- What a reader gets. --------------------------------------------------------------
@dataclass
class RowError:
    """One problem: the sheet row the user sees in Excel (0 for the whole file), the
    column ("" for the whole row or file) and a message."""

    row: int
    column: str
    message: str

    def __post_init__(self):
        # Messages are lazy translations until here: a result is stored as JSON (an
        # import job's result) and compared in tests, so keep plain text, in the
        # language active when the file is read.
        self.column = str(self.column)
        self.message = str(self.message)


@dataclass(frozen=True, kw_only=True)
class SheetLayout:
    """What a workbook of one kind looks like, so that one reader serves every import.

    ``marker`` is the header cell that identifies the header row (rows above it are
    titles); ``columns`` the known columns and ``required`` those that must be there;
    ``extra(cell_text)`` names the column of any other header cell (the items of a
    criteria set), or None to ignore it. ``no_header`` is the whole-file message when no
    row has the marker.
    """

    marker: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    no_header: str
    extra: Callable[[str], str | None] | None = None

    @property
    def marker_key(self) -> str:
        return header_key(self.marker)

    def column_of(self, cell) -> str | None:
        """The column a header cell names, or None when the layout does not know it."""
        if not isinstance(cell, str):
            return None
        key = header_key(cell)
        for column in self.columns:
            if header_key(column) == key:
                return column
        name_other = self.extra
        return name_other(cell) if name_other is not None else None


@dataclass
class Table:
    """The sheet that is read: its data rows with their sheet row numbers."""

    fmt: str  # "xlsx" or "csv"
    sheet_name: str
    header_row: int
    columns: dict[str, int]
    rows: list[tuple[int, list]]


def header_key(value) -> str:
    """How header cells are compared: no case, diacritics, spaces or trailing "(*)"."""
    text = fold(str(value if value is not None else ""))
    text = re.sub(r"\(\s*\*\s*\)\s*$", "", text).rstrip("* ")
    return re.sub(r"\s+", "", text)


def is_blank(value) -> bool:
    """An empty cell: nothing, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def megabytes(size: int) -> str:
    """12.5 MB as "12,5", 10 MB as "10" (Vietnamese decimal comma)."""
    return f"{size / (1024 * 1024):.1f}".replace(".", ",").replace(",0", "")


# --- Reading. -------------------------------------------------------------------------
def read_table(
    data: bytes,
    *,
    filename: str,
    layout: SheetLayout,
    errors: list[RowError],
    notes: list[str],
) -> Table | None:
    """Read an uploaded .xlsx or CSV laid out as ``layout``: the table (header row
    number, column indexes by column name, non-blank data rows with their sheet row
    numbers), or None. Every problem with the file as a whole (size, empty, password,
    corrupt, not a spreadsheet, no header, missing or doubled columns, too many rows)
    is appended to ``errors`` as a row-0 ``RowError``; a note (several sheets) to
    ``notes``. Every import shares it, so a file is judged the same way."""
    max_bytes = getattr(settings, "DANVAN_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
    max_rows = getattr(settings, "DANVAN_IMPORT_MAX_ROWS", 100_000)
    if not data:
        errors.append(RowError(0, "", ERROR_FILE_EMPTY))
        return None
    if len(data) > max_bytes:
        message = ERROR_FILE_TOO_LARGE.format(size=megabytes(len(data)), limit=megabytes(max_bytes))
        errors.append(RowError(0, "", message))
        return None
    name = filename or gettext("tệp")
    if data.startswith(_OLE_SIGNATURE):
        message = ERROR_ENCRYPTED if _ENCRYPTED_STREAM in data else ERROR_ENCRYPTED_OR_XLS
        errors.append(RowError(0, "", message.format(filename=name)))
        return None
    try:
        if data.startswith(_ZIP_SIGNATURE):
            # Hostile or oversized workbooks stop here, before calamine builds a range.
            check_workbook(data, filename=name, header_slack=HEADER_SLACK)
            return _read_workbook(data, name, max_rows, errors, notes, layout)
        return _read_csv(data, name, max_rows, errors, layout)
    except Refused as refused:
        errors.append(RowError(0, "", refused.message))
        return None
    except Exception:  # a reader bug must not become a 500: the file is unreadable
        logger.exception("spreadsheet could not be read: %r", filename)
        errors.append(RowError(0, "", ERROR_CORRUPT.format(filename=name)))
        return None


def _find_header(rows: list[list], layout: SheetLayout) -> int | None:
    """Index of the first row with the layout's marker cell (rows above are titles)."""
    key = layout.marker_key
    for index, cells in enumerate(rows):
        if any(isinstance(c, str) and header_key(c) == key for c in cells):
            return index
    return None


def _read_workbook(data, name, max_rows, errors, notes, layout) -> Table | None:
    """The first visible sheet that has the layout's header, read with calamine."""
    from python_calamine import (
        CalamineError,
        CalamineWorkbook,
        PasswordError,
        SheetTypeEnum,
        SheetVisibleEnum,
        XmlError,
        ZipError,
    )

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        errors.append(RowError(0, "", ERROR_ENCRYPTED.format(filename=name)))
        return None
    except (ZipError, XmlError):
        errors.append(RowError(0, "", ERROR_CORRUPT.format(filename=name)))
        return None
    except CalamineError:
        # A sound zip that is not a workbook (.docx ...) vs. a workbook cut short.
        sound = zipfile.is_zipfile(io.BytesIO(data))
        message = ERROR_NOT_SPREADSHEET if sound else ERROR_CORRUPT
        errors.append(RowError(0, "", message.format(filename=name)))
        return None

    limit = max_rows + HEADER_SLACK + 1
    with_data: list[str] = []
    chosen = None
    try:
        for meta in workbook.sheets_metadata:
            # Hidden sheets hold lookup lists (a template's dropdowns), not data.
            if meta.visible != SheetVisibleEnum.Visible or meta.typ != SheetTypeEnum.WorkSheet:
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            if sheet.end is None:
                continue
            with_data.append(meta.name)
            if chosen is not None:
                continue
            # skip_empty_area=False keeps row i at sheet row i + 1, as Excel shows it.
            rows = sheet.to_python(skip_empty_area=False, nrows=limit)
            header = _find_header(rows, layout)
            if header is not None:
                more = sheet.end[0] >= limit and _rows_beyond(sheet, limit)
                chosen = (meta.name, rows, header, more)
    except (ZipError, XmlError):
        errors.append(RowError(0, "", ERROR_CORRUPT.format(filename=name)))
        return None
    finally:
        workbook.close()

    if chosen is None:
        errors.append(RowError(0, "", layout.no_header if with_data else ERROR_FILE_EMPTY))
        return None
    sheet_name, rows, header, more = chosen
    if len(with_data) > 1:
        notes.append(
            NOTE_SHEET_CHOSEN_LAYOUT.format(
                count=len(with_data),
                names=", ".join(f"“{n}”" for n in with_data),
                sheet=sheet_name,
                marker=layout.marker,
            )
        )
    return _table("xlsx", sheet_name, rows, header, more, max_rows, errors, layout)


def _rows_beyond(sheet, start: int) -> bool:
    """Whether a non-blank row exists at or after row index ``start``: only walked when
    the sheet reaches that far, which a file within the limit never does."""
    for index, cells in enumerate(sheet.iter_rows()):
        if index >= start and not all(is_blank(c) for c in cells):
            return True
    return False


def _read_csv(data: bytes, name, max_rows, errors, layout) -> Table | None:
    """A UTF-8 CSV (a BOM is fine). Comma; a semicolon file, what Excel writes under
    Vietnamese regional settings, is read too."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        looks_csv = name.lower().endswith((".csv", ".txt"))
        message = ERROR_CSV_ENCODING if looks_csv else ERROR_NOT_SPREADSHEET
        errors.append(RowError(0, "", message.format(filename=name)))
        return None
    if "\x00" in text or text.lstrip()[:1] == "<":  # binary, or an HTML page named .xls
        errors.append(RowError(0, "", ERROR_NOT_SPREADSHEET.format(filename=name)))
        return None
    if not text.strip():
        errors.append(RowError(0, "", ERROR_FILE_EMPTY))
        return None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_csv_delimiter(text, layout))
    limit = max_rows + HEADER_SLACK + 1
    max_cells = getattr(settings, "DANVAN_IMPORT_MAX_CELLS", 2_500_000)
    rows, more, cells_read = [], False, 0
    try:
        for index, cells in enumerate(reader):
            if index >= limit:
                more = more or not all(is_blank(c) for c in cells)
                if more:
                    break
                continue
            cells_read += len(cells)
            if cells_read > max_cells:
                message = ERROR_TOO_MANY_CELLS.format(cell="—", limit=f"{max_cells:,}")
                errors.append(RowError(0, "", message))
                return None
            rows.append([csv_unquote(c) for c in cells])
    except csv.Error:
        errors.append(RowError(0, "", ERROR_CORRUPT.format(filename=name)))
        return None
    header = _find_header(rows, layout)
    if header is None:
        if _looks_like_a_table(text, name):
            errors.append(RowError(0, "", layout.no_header))
        else:
            errors.append(RowError(0, "", ERROR_NOT_SPREADSHEET.format(filename=name)))
        return None
    return _table("csv", "", rows, header, more, max_rows, errors, layout)


#: Names a table without the expected header may have: a CSV, or a CSV renamed .xlsx.
_TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods")


def _looks_like_a_table(text: str, name: str) -> bool:
    """Whether a text file without the layout's header is still a table (then the
    header is what is wrong) rather than something else (a letter saved as .txt, an
    exported PDF, a JSON file: then the file is). A table is named like one and its
    first line has a delimiter."""
    if not name.lower().endswith(_TABLE_SUFFIXES) or text.lstrip().startswith("%PDF"):
        return False
    first = next((line for line in text.splitlines() if line.strip()), "")
    return any(d in first for d in (",", ";", "\t"))


def _csv_delimiter(text: str, layout: SheetLayout) -> str:
    """The delimiter of the header line: the most frequent of , ; and tab (comma on a
    tie, or when no line has the marker)."""
    marker = fold(layout.marker)
    for line in text.splitlines()[:HEADER_SLACK]:
        if marker in fold(line):
            counts = {d: line.count(d) for d in (",", ";", "\t")}
            return max(counts, key=lambda d: (counts[d], d == ","))
    return ","


def _table(fmt, sheet_name, rows, header, more, max_rows, errors, layout) -> Table:
    """Map the header cells to the layout's columns and keep the non-blank data rows."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(rows[header]):
        column = layout.column_of(cell)
        if column is None:
            continue  # columns the layout does not know are ignored
        if column in columns:
            errors.append(RowError(0, column, ERROR_DUPLICATE_COLUMN.format(column=column)))
            continue
        columns[column] = index
    for column in layout.required:
        if column not in columns:
            errors.append(RowError(0, column, ERROR_MISSING_COLUMN.format(column=column)))
    wanted = sorted(columns.values())
    data_rows = []
    for offset, cells in enumerate(rows[header + 1 :], start=header + 2):
        # A row is blank when every known column is (an "STT" number alone is blank).
        if all(i >= len(cells) or is_blank(cells[i]) for i in wanted):
            continue
        data_rows.append((offset, cells))
    if more or len(data_rows) > max_rows:
        errors.append(RowError(0, "", ERROR_TOO_MANY_ROWS.format(limit=f"{max_rows:,}")))
    elif not data_rows and not errors:
        errors.append(RowError(0, "", ERROR_NO_ROWS))
    return Table(fmt, sheet_name, header + 1, columns, data_rows)


# --- Errors by kind. ------------------------------------------------------------------
def error_kinds(messages, templates) -> list[tuple[str, int]]:
    """How many of ``messages`` were written from each of ``templates`` (message
    constants with ``{placeholders}``), most frequent first, each kind labelled by its
    template with "…" for the values. A message no template matches counts under its
    own text. Import pages show these counts and only the first errors, so a file with
    a thousand errors says what kind they are in a few lines."""
    patterns = []
    for template in templates:
        text = str(template)
        parts = re.split(r"\{[^{}]*\}", text)
        patterns.append(
            (re.compile("(?s)" + "(.+?)".join(re.escape(p) for p in parts) + "$"), "…".join(parts))
        )
    counts: dict[str, int] = defaultdict(int)
    for message in messages:
        label = next((lab for pattern, lab in patterns if pattern.match(message)), message)
        counts[label] += 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


# --- The error report. ----------------------------------------------------------------
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
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_csv_delimiter(text, layout))
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
