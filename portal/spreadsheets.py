"""One reader for every uploaded spreadsheet, and one error report.

Rosters (members.imports) and score sheets (evaluations.sheets) are both a header row
somewhere near the top of one sheet, then a row per thing. ``read_table`` reads such a
file, .xlsx or CSV, laid out as a ``SheetLayout``, and judges the file as a whole the
same way for every import (size, password, corruption, header, columns, row count);
``portal.error_report.error_report_workbook`` gives the uploaded file back with a
column of each row's messages. docs/ROSTER_IMPORT.md ("Reading the file", "Error
report") states the rules.

Why python-calamine: it reads an 18,000-row workbook about five times faster than
openpyxl, and it does not believe the bogus sheet dimensions LibreOffice writes.

This module imports nothing of the project: the apps import it.
"""

from __future__ import annotations

import csv
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

from portal.cells import csv_unquote
from portal.text import fold
from portal.workbook_guard import ERROR_TOO_MANY_CELLS, ERROR_TOO_MANY_ROWS, Refused, check_workbook

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
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text, layout))
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


def csv_delimiter(text: str, layout: SheetLayout) -> str:
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
