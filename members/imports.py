"""Roster workbook import (CONTRACTS.md section 1): one engine for every door.

The staff page, the admin and ``manage.py import_roster`` all call ``roster_plan`` /
``roster_import`` / ``error_report_workbook`` here, so a file gives the same result
whichever way it comes in. docs/ROSTER_IMPORT.md describes the rules for people.

How it stays fast (issue 3: 18,000 rows in <= 15 s, <= 400 MB): the file is read once
with python-calamine (about 5x faster than openpyxl, and blind to the bogus sheet
dimensions LibreOffice writes); every lookup the rows need (communes of the edition by
code, villages, units, memberships and people of the communes and provinces in the file)
is loaded in a fixed number of queries before the rows are checked; rows are matched in
memory; the writes are bulk inserts and updates in one transaction. No query runs per row,
so the number of queries does not grow with the file (a test asserts it).
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.access import scope_of
from members.choices import ROLE_LABELS, Role
from members.models import Membership, Person
from members.selectors import people_visible_to
from members.services import ERROR_END_BEFORE_START, ERROR_END_IN_FUTURE
from members.validation import (
    parse_birth_year,
    parse_date,
    parse_ethnicity,
    parse_gender,
    parse_party_member,
    parse_phone,
    parse_role,
    parse_unit_kind,
)
from portal import audit
from portal.paths import province_path
from portal.text import fold, normalize
from units.choices import Edition, Level, UnitKind, UnitStatus
from units.models import Area, Unit, unit_default_name
from units.selectors import edition_default
from units.services import (
    ERROR_UNKNOWN_EDITION,
    ERROR_VILLAGE_AMBIGUOUS,
    VillageAmbiguous,
    VillageIndex,
    village_name_accentless,
    village_name_key,
    village_type_word,
)
from units.signals import data_changed

logger = logging.getLogger(__name__)

# --- The contract's columns (CONTRACTS.md section 1), in the contract's order. ---------
COL_CODE = "Mã xã"
COL_COMMUNE = "Xã"
COL_VILLAGE = "Thôn/Tổ dân phố"
COL_UNIT = "Đơn vị"
COL_NAME = "Họ và tên"
COL_GENDER = "Giới tính"
COL_BIRTH_YEAR = "Năm sinh"
COL_ETHNICITY = "Dân tộc"
COL_PARTY = "Đảng viên"
COL_POSITION = "Chức vụ"
COL_ROLE = "Vai trò"
COL_PHONE = "Số điện thoại"
COL_START = "Ngày tham gia"
COL_END = "Ngày thôi"

COLUMNS = (
    COL_CODE, COL_COMMUNE, COL_VILLAGE, COL_UNIT, COL_NAME, COL_GENDER, COL_BIRTH_YEAR,
    COL_ETHNICITY, COL_PARTY, COL_POSITION, COL_ROLE, COL_PHONE, COL_START, COL_END,
)  # fmt: skip
REQUIRED_COLUMNS = (COL_CODE, COL_UNIT, COL_NAME)

#: The column the error report adds (error_report_workbook).
COL_ERRORS = "Lỗi"

# --- Messages (Vietnamese, for a commune officer). Whole-file problems: row 0. --------
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
ERROR_NO_HEADER = _(
    "Không tìm thấy dòng tiêu đề: cần một dòng có ô “Họ và tên” (xem tệp mẫu để biết tên các cột)."
)
ERROR_MISSING_COLUMN = _("Thiếu cột bắt buộc “{column}”.")
ERROR_DUPLICATE_COLUMN = _("Cột “{column}” xuất hiện hai lần trong dòng tiêu đề: chỉ giữ một cột.")
ERROR_NO_ROWS = _("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")
ERROR_TOO_MANY_ROWS = _("Tệp có hơn {limit} dòng dữ liệu: hãy chia thành nhiều tệp nhỏ hơn.")
ERROR_CONFLICT = _(
    "Dữ liệu vừa bị người khác thay đổi trong lúc nhập nên chưa ghi gì. Hãy nhập lại tệp."
)
#: The sheet note of any layout: ``marker`` is the cell that identifies its header row.
NOTE_SHEET_CHOSEN_LAYOUT = _(
    "Tệp có {count} trang tính có dữ liệu ({names}): chỉ đọc trang “{sheet}”, "
    "trang đầu tiên có cột “{marker}”."
)
NOTE_SHEET_CHOSEN = lazy(lambda: str(NOTE_SHEET_CHOSEN_LAYOUT).replace("{marker}", COL_NAME), str)()

# Row problems.
ERROR_REQUIRED = _("Chưa ghi {what}.")
ERROR_CODE_FORMAT = _("Mã xã “{value}” không hợp lệ: mã xã gồm 5 chữ số, ví dụ 01834.")
ERROR_CODE_UNKNOWN = _("Không có xã, phường mã {code} trong danh mục đơn vị hành chính {edition}.")
ERROR_CODE_OTHER_EDITION = _(
    "Không có xã, phường mã {code} trong danh mục đơn vị hành chính {edition}; "
    "mã này là {name} trong danh mục {other}: hãy chọn đúng danh mục khi nhập."
)
ERROR_COMMUNE_NAME = _("Tên xã “{value}” không khớp với mã {code}: mã {code} là {name}.")
ERROR_OUT_OF_SCOPE = _("{name} (mã {code}) ngoài địa bàn bạn quản lý.")
ERROR_VILLAGE_REQUIRED = _("Dòng Tổ dân vận phải ghi tên thôn/tổ dân phố.")
ERROR_VILLAGE_FOR_BLOC = _(
    "Dòng Khối dân vận không ghi thôn/tổ dân phố: Khối dân vận đặt ở cấp xã. "
    "Nếu là thành viên tổ dân vận, ghi Đơn vị là Tổ dân vận."
)
ERROR_TOO_LONG = _("{column} dài quá {limit} ký tự.")
ERROR_DUPLICATE_MEMBER = _(
    "Trùng thành viên: {name} ({year}) được ghi ở các dòng {rows} trong cùng {unit}. "
    "Mỗi người chỉ ghi một dòng trong một đơn vị."
)
ERROR_PERSON_CONFLICT = _(
    "{name} ({year}) đã ghi {column} là “{other}” ở dòng {row}, dòng này ghi “{value}”: "
    "cùng một người phải ghi giống nhau."
)
ERROR_UNIT_DISSOLVED = _("{unit} đã giải thể: không thêm hay sửa thành viên được.")
YEAR_UNKNOWN = _("không rõ năm sinh")
#: Warnings (plan notes, not errors): a new village whose name differs only by its
#: diacritics from a stored one, or from another new one of the file.
NOTE_VILLAGE_SIMILAR = _(
    "Thôn, tổ dân phố “{name}” sẽ được tạo mới; {commune} đã có {others}: "
    "kiểm tra lại dấu nếu là cùng một nơi."
)
NOTE_VILLAGE_SIMILAR_IN_FILE = _(
    "Tệp ghi {names} ở {commune}: sẽ tạo thành các thôn, tổ dân phố khác nhau; "
    "kiểm tra lại dấu nếu là cùng một nơi."
)

EDITION_WORDS = {Edition.V2025: _("từ 01/07/2025"), Edition.LEGACY: _("trước 01/07/2025")}

#: Progress is reported every this many rows.
PROGRESS_EVERY = 500
#: Rows per INSERT / UPDATE statement: well under SQLite's variable limit and large enough
#: that an 18,000-row import is a few dozen statements.
BATCH_SIZE = 1000
#: Title rows allowed above the header on top of DANVAN_IMPORT_MAX_ROWS data rows.
_HEADER_SLACK = 200

_ZIP_SIGNATURE = b"PK\x03\x04"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"
# An encrypted .xlsx is an OLE container holding a stream of this name (MS-OFFCRYPTO).
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
#: First characters that make a spreadsheet run a cell as a formula (the export guards them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_TEXT_LIMITS = {COL_NAME: 120, COL_POSITION: 200, COL_VILLAGE: 150}
_COMMUNE_PREFIXES = ("thi tran", "dac khu", "phuong", "xa")

# Contract words for stored values (never translated: the workbook layout is fixed).
GENDER_WORDS = {"male": "Nam", "female": "Nữ"}
KIND_WORDS = {
    UnitKind.BLOC: "Khối dân vận",
    UnitKind.TEAM: "Tổ dân vận",
    UnitKind.COMMUNITY_TEAM: "Tổ dân vận cộng đồng",
}


# --- What the callers get. -----------------------------------------------------------
@dataclass
class RowError:
    """One problem: the sheet row the user sees in Excel (0 for the whole file), the
    contract column ("" for the whole row or file) and a Vietnamese message."""

    row: int
    column: str
    message: str

    def __post_init__(self):
        # Messages are lazy translations until here: a plan is stored as JSON
        # (ImportJob.result) and compared in tests, so keep plain text, in the language
        # active when the file is read.
        self.column = str(self.column)
        self.message = str(self.message)


@dataclass
class PlannedRow:
    """What importing one valid row does: create, update or leave a membership."""

    row: int
    action: str  # "create" | "update" | "unchanged"
    unit_label: str
    full_name: str
    changes: dict = field(default_factory=dict)  # column -> (old, new), as text


@dataclass
class ImportPlan:
    """Everything an import would do (or did, when ``written``), with every error."""

    filename: str
    edition: str
    sheet_name: str = ""
    notes: list[str] = field(default_factory=list)
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    new_villages: list[str] = field(default_factory=list)
    new_units: list[str] = field(default_factory=list)
    #: Sheet row number of the header (0 when none was found); the error report uses it.
    header_row: int = 0
    #: Non-blank data rows read.
    total_rows: int = 0
    #: "xlsx" or "csv" once the file was recognised.
    file_format: str = ""
    #: True once the rows are in the database (roster_import without errors or dry_run).
    written: bool = False

    @property
    def created(self) -> int:
        return sum(1 for r in self.rows if r.action == "create")

    @property
    def updated(self) -> int:
        return sum(1 for r in self.rows if r.action == "update")

    @property
    def unchanged(self) -> int:
        return sum(1 for r in self.rows if r.action == "unchanged")

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    @property
    def error_rows(self) -> int:
        """Rows with at least one error; a whole-file problem counts as one row."""
        return len({e.row for e in self.errors})

    def summary(self) -> str:
        """``created=N updated=N unchanged=N errors=N``: import_roster's last line."""
        return (
            f"created={self.created} updated={self.updated} "
            f"unchanged={self.unchanged} errors={self.error_rows}"
        )


# --- Public entry points. ------------------------------------------------------------
def roster_plan(
    data: bytes,
    *,
    filename: str,
    edition: str | None = None,
    acting_user=None,
    scope: Callable[[Area], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """Parse and check a roster workbook and say what importing it would do; writes
    nothing. Bad input never raises: every problem is a ``RowError`` in the plan.

    ``scope(commune) -> bool`` limits the communes the acting user may import into;
    ``progress(done_rows, total_rows)`` is called every ``PROGRESS_EVERY`` rows.
    """
    plan, _writes = _build_plan(
        data,
        filename=filename,
        edition=edition,
        scope=scope,
        progress=progress,
        acting_user=acting_user,
    )
    _report_done(plan, progress)
    return plan


class _Progress:
    """Maps the work to ``progress(done_rows, total_rows)``: checking the rows is the
    first half of the bar, writing them the second, so a bar never sits at 100 % while
    the database is still busy."""

    def __init__(self, callback, total: int):
        self.callback = callback
        self.total = total

    def checked(self, done: int) -> None:
        if self.callback and done % PROGRESS_EVERY == 0:
            self.callback(done // 2, self.total)

    def written(self, done: int, of: int) -> None:
        if self.callback and of:
            self.callback(self.total // 2 + (self.total - self.total // 2) * done // of, self.total)


def _report_done(plan: ImportPlan, progress) -> None:
    if progress:
        progress(plan.total_rows, plan.total_rows)


def roster_import(
    data: bytes,
    *,
    filename: str,
    edition: str | None = None,
    acting_user=None,
    scope: Callable[[Area], bool] | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """Plan, then, when there is no error and not ``dry_run``, write everything in one
    transaction: a file with any error writes nothing (CONTRACTS section 1).

    Planning runs inside the same transaction as the writes so that the rows are
    matched against the data they are written over. A constraint that fails anyway (a
    concurrent edit) rolls everything back and comes back as a whole-file error.
    """
    plan = None
    try:
        with transaction.atomic():
            plan, writes = _build_plan(
                data,
                filename=filename,
                edition=edition,
                scope=scope,
                progress=progress,
                acting_user=acting_user,
            )
            if plan.has_errors or dry_run:
                _report_done(plan, progress)
                return plan
            # One batch id ties the history rows of this import together: the task and
            # the command set it (with the uploader and a reason) before calling.
            context = audit.current()
            with audit.audit_context(
                door=audit.Door.IMPORT,
                user=context.user or acting_user,
                batch_id=context.batch_id or audit.new_batch_id(),
            ):
                writes.apply(_Progress(progress, plan.total_rows))
            # Bulk writes send no model signal: the statistics of the provinces written
            # in become stale (reports.signals), in this transaction.
            data_changed.send(sender=Membership, province_paths=_written_provinces(writes))
            plan.written = True
    except IntegrityError:
        if plan is None:
            raise
        # A constraint the plan could not foresee: someone changed the same rosters
        # between the checks and the writes. Everything is rolled back.
        logger.exception("roster_import rolled back file=%r", filename)
        plan.errors.append(RowError(0, "", ERROR_CONFLICT))
        plan.written = False
        return plan
    _report_done(plan, progress)
    logger.info(
        "roster_import file=%r edition=%s user=%s %s villages=%d units=%d",
        filename,
        plan.edition,
        getattr(acting_user, "pk", None),
        plan.summary(),
        len(plan.new_villages),
        len(plan.new_units),
    )
    return plan


# --- Reading the file. ---------------------------------------------------------------
@dataclass(frozen=True)
class SheetLayout:
    """What a workbook of one kind looks like, so that one reader serves every import
    (rosters here, score sheets in evaluations.sheets).

    ``marker`` is the header cell that identifies the header row (rows above it are
    titles); ``columns`` the known columns and ``required`` those that must be there;
    ``extra(cell_text)`` names the column of any other header cell (the items of a
    criteria set), or None to ignore it. ``no_header`` is the whole-file message when no
    row has the marker.
    """

    marker: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    extra: Callable[[str], str | None] | None = None
    no_header: str = ERROR_NO_HEADER

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


#: The roster contract (CONTRACTS.md section 1).
ROSTER_LAYOUT = SheetLayout(marker=COL_NAME, columns=COLUMNS, required=REQUIRED_COLUMNS)


@dataclass
class _Table:
    """The sheet that is read: its data rows with their sheet row numbers."""

    fmt: str
    sheet_name: str
    header_row: int
    columns: dict[str, int]
    rows: list[tuple[int, list]]


def header_key(value) -> str:
    """How header cells are compared: no case, diacritics, spaces or trailing "(*)"."""
    text = fold(str(value if value is not None else ""))
    text = re.sub(r"\(\s*\*\s*\)\s*$", "", text).rstrip("* ")
    return re.sub(r"\s+", "", text)


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _find_header(rows: list[list], layout: SheetLayout = ROSTER_LAYOUT) -> int | None:
    """Index of the first row with the layout's marker cell ("Họ và tên" for rosters;
    rows above are titles)."""
    key = layout.marker_key
    for index, cells in enumerate(rows):
        if any(isinstance(c, str) and header_key(c) == key for c in cells):
            return index
    return None


Table = _Table


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
    ``notes``. Rosters and score sheets share it, so a file is judged the same way."""
    return _read_table(data, filename, errors, notes, layout)


def _read_table(
    data: bytes,
    filename: str,
    errors: list[RowError],
    notes: list[str],
    layout: SheetLayout = ROSTER_LAYOUT,
):
    """Recognise the file and return its table, or None after adding the whole-file
    error that says why it cannot be read."""
    max_bytes = getattr(settings, "DANVAN_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
    max_rows = getattr(settings, "DANVAN_IMPORT_MAX_ROWS", 100_000)
    if not data:
        errors.append(RowError(0, "", ERROR_FILE_EMPTY))
        return None
    if len(data) > max_bytes:
        errors.append(
            RowError(
                0,
                "",
                ERROR_FILE_TOO_LARGE.format(size=megabytes(len(data)), limit=megabytes(max_bytes)),
            )
        )
        return None
    name = filename or gettext("tệp")
    if data.startswith(_OLE_SIGNATURE):
        message = ERROR_ENCRYPTED if _ENCRYPTED_STREAM in data else ERROR_ENCRYPTED_OR_XLS
        errors.append(RowError(0, "", message.format(filename=name)))
        return None
    try:
        if data.startswith(_ZIP_SIGNATURE):
            return _read_workbook(data, name, max_rows, errors, notes, layout)
        return _read_csv(data, name, max_rows, errors, layout)
    except Exception:  # a reader bug must not become a 500: the file is unreadable
        logger.exception("roster file could not be read: %r", filename)
        errors.append(RowError(0, "", ERROR_CORRUPT.format(filename=name)))
        return None


def megabytes(size: int) -> str:
    """12.5 MB as "12,5", 10 MB as "10" (Vietnamese decimal comma)."""
    return f"{size / (1024 * 1024):.1f}".replace(".", ",").replace(",0", "")


def _read_workbook(data, name, max_rows, errors, notes, layout) -> _Table | None:
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

    limit = max_rows + _HEADER_SLACK + 1
    with_data: list[str] = []
    chosen = None
    try:
        for meta in workbook.sheets_metadata:
            # Hidden sheets hold lookup lists (the template's ethnic groups), not rosters.
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
    the sheet reaches that far, which a roster within the limit never does."""
    for index, cells in enumerate(sheet.iter_rows()):
        if index >= start and not all(_is_blank(c) for c in cells):
            return True
    return False


def _read_csv(data: bytes, name, max_rows, errors, layout=ROSTER_LAYOUT) -> _Table | None:
    """A UTF-8 CSV (a BOM is fine). Comma per the contract; a semicolon file, what
    Excel writes under Vietnamese regional settings, is read too."""
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
    delimiter = _csv_delimiter(text, layout)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    limit = max_rows + _HEADER_SLACK + 1
    rows, more = [], False
    try:
        for index, cells in enumerate(reader):
            if index >= limit:
                more = more or not all(_is_blank(c) for c in cells)
                if more:
                    break
                continue
            rows.append([_csv_unescape(c) for c in cells])
    except csv.Error:
        errors.append(RowError(0, "", ERROR_CORRUPT.format(filename=name)))
        return None
    header = _find_header(rows, layout)
    if header is None:
        errors.append(RowError(0, "", layout.no_header))
        return None
    return _table("csv", "", rows, header, more, max_rows, errors, layout)


def _csv_delimiter(text: str, layout: SheetLayout = ROSTER_LAYOUT) -> str:
    marker = fold(layout.marker)
    for line in text.splitlines()[:_HEADER_SLACK]:
        if marker in fold(line):
            counts = {d: line.count(d) for d in (",", ";", "\t")}
            return max(counts, key=lambda d: (counts[d], d == ","))
    return ","


def _csv_unescape(cell: str) -> str:
    """Undo the export's formula guard: "'=x" -> "=x" (only before = + - @ tab CR)."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in FORMULA_STARTS:
        return cell[1:]
    return cell


def _table(fmt, sheet_name, rows, header, more, max_rows, errors, layout) -> _Table | None:
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
        if all(i >= len(cells) or _is_blank(cells[i]) for i in wanted):
            continue
        data_rows.append((offset, cells))
    if more or len(data_rows) > max_rows:
        errors.append(RowError(0, "", ERROR_TOO_MANY_ROWS.format(limit=f"{max_rows:,}")))
    elif not data_rows and not errors:
        errors.append(RowError(0, "", ERROR_NO_ROWS))
    return _Table(fmt, sheet_name, header + 1, columns, data_rows)


# --- Checking the rows. --------------------------------------------------------------
@dataclass(slots=True)
class _Row:
    """One data row, parsed. ``None`` in a person or membership field means the cell is
    empty: the stored value is kept (docs/ROSTER_IMPORT.md)."""

    row: int
    code: str = ""
    commune_name: str = ""
    village: str = ""
    kind: str = ""
    full_name: str = ""
    name_key: str = ""
    gender: str | None = None
    birth_year: int | None = None
    ethnicity: str | None = None
    party_member: bool | None = None
    position: str | None = None
    role: str | None = None
    phone: str | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    ok: bool = True
    commune: Area | None = None
    area: Area | None = None  # the row's village, found or planned (team rows)
    unit_key: tuple = ()


def _text(value) -> str:
    """A cell as NFC text; integral numbers lose their ".0"; dates are day first."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return normalize(str(value))


def commune_code(value) -> str:
    """ "01834", 1834, 1834.0 or "1834" -> "01834"; ValueError otherwise."""
    text = _text(value)
    if re.fullmatch(r"\d{1,5}(\.0+)?", text):
        return text.split(".")[0].zfill(5)
    raise ValueError(ERROR_CODE_FORMAT.format(value=text))


def _commune_key(text: str) -> str:
    folded = fold(text)
    for prefix in _COMMUNE_PREFIXES:
        if folded.startswith(prefix + " "):
            folded = folded[len(prefix) + 1 :]
            break
    return re.sub(r"[^a-z0-9]", "", folded)


def commune_name_matches(value: str, commune: Area) -> bool:
    """The "Xã" cell names ``commune``, ignoring diacritics, spacing and the prefix
    Xã / Phường / Thị trấn / Đặc khu."""
    key = _commune_key(value)
    return key in {_commune_key(commune.name), _commune_key(commune.short_name)}


def _integral(value):
    """1961.0 (how a spreadsheet hands over every number) -> 1961, so that messages
    quote the number the user typed."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _none_if_empty(value):
    return None if value in ("", None) else value


_PARSERS = (
    # (column, attribute, parser)
    (COL_GENDER, "gender", lambda v: _none_if_empty(parse_gender(_text(v)))),
    (COL_BIRTH_YEAR, "birth_year", lambda v: parse_birth_year(_integral(v))),
    (COL_ETHNICITY, "ethnicity", lambda v: _none_if_empty(parse_ethnicity(_text(v)))),
    (
        COL_PARTY,
        "party_member",
        lambda v: (
            None if _is_blank(v) else parse_party_member(v if isinstance(v, bool) else _text(v))
        ),
    ),
    (COL_ROLE, "role", lambda v: None if _is_blank(v) else parse_role(_text(v))),
    (COL_PHONE, "phone", lambda v: _none_if_empty(parse_phone(v))),
    (COL_START, "start", parse_date),
    (COL_END, "end", parse_date),
)


def _parse_row(number: int, cells: list, columns: dict[str, int], errors: list) -> _Row:
    """Parse one row with the shared parsers (members.validation); each bad cell adds
    an error naming its column, and the row is marked not ok."""
    row = _Row(row=number)

    def cell(column):
        index = columns.get(column)
        if index is None or index >= len(cells):
            return None
        value = cells[index]
        return None if _is_blank(value) else value

    def fail(column, message):
        errors.append(RowError(number, column, message))
        row.ok = False

    raw_code = cell(COL_CODE)
    if raw_code is None:
        fail(COL_CODE, ERROR_REQUIRED.format(what=gettext("mã xã")))
    else:
        try:
            row.code = commune_code(raw_code)
        except ValueError as exc:
            fail(COL_CODE, str(exc))
    row.commune_name = _text(cell(COL_COMMUNE))
    row.village = _text(cell(COL_VILLAGE))
    raw_kind = cell(COL_UNIT)
    if raw_kind is None:
        fail(COL_UNIT, ERROR_REQUIRED.format(what=gettext("đơn vị (Khối dân vận hoặc Tổ dân vận)")))
    else:
        try:
            row.kind = parse_unit_kind(_text(raw_kind))
        except ValueError as exc:
            fail(COL_UNIT, str(exc))
    row.full_name = _text(cell(COL_NAME))
    row.name_key = fold(row.full_name)
    if not row.full_name:
        fail(COL_NAME, ERROR_REQUIRED.format(what=gettext("họ và tên")))
    position = _text(cell(COL_POSITION))
    row.position = position or None
    for column, text in ((COL_NAME, row.full_name), (COL_POSITION, position)):
        if len(text) > _TEXT_LIMITS[column]:
            fail(column, ERROR_TOO_LONG.format(column=column, limit=_TEXT_LIMITS[column]))
    for column, attribute, parser in _PARSERS:
        value = cell(column)
        if value is None:
            continue
        try:
            setattr(row, attribute, parser(value))
        except ValueError as exc:
            fail(column, str(exc))
    if row.kind == UnitKind.BLOC and row.village:
        fail(COL_VILLAGE, ERROR_VILLAGE_FOR_BLOC)
    elif row.kind and row.kind != UnitKind.BLOC:
        if not row.village:
            fail(COL_VILLAGE, ERROR_VILLAGE_REQUIRED)
        elif len(row.village) > _TEXT_LIMITS[COL_VILLAGE]:
            fail(
                COL_VILLAGE,
                ERROR_TOO_LONG.format(column=COL_VILLAGE, limit=_TEXT_LIMITS[COL_VILLAGE]),
            )
    if row.start and row.end and row.end < row.start:
        fail(COL_END, ERROR_END_BEFORE_START.format(date=_day(row.start)))
    if row.end and row.end > timezone.localdate():
        fail(COL_END, ERROR_END_IN_FUTURE)
    return row


def _day(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _show(column: str, value, kind: str = UnitKind.TEAM) -> str:
    """A stored value as the workbook writes it, for the preview's changes."""
    if value is None or value == "":
        return ""
    if column == COL_GENDER:
        return GENDER_WORDS.get(value, value)
    if column == COL_PARTY:
        return "Có" if value else "Không"
    if column == COL_ROLE:
        return ROLE_LABELS["bloc" if kind == UnitKind.BLOC else "team"][value]
    if isinstance(value, datetime.date):
        return _day(value)
    return str(value)


#: Person fields a row can set, with their columns. The full name is handled apart.
_PERSON_FIELDS = (
    ("gender", COL_GENDER),
    ("ethnicity", COL_ETHNICITY),
    ("party_member", COL_PARTY),
    ("phone", COL_PHONE),
    ("position", COL_POSITION),
)
_PERSON_UPDATE_FIELDS = [
    "full_name", "search_name", "gender", "ethnicity", "party_member", "phone", "position",
    "updated_at",
]  # fmt: skip
_MEMBERSHIP_UPDATE_FIELDS = ["role", "start_date", "end_date", "updated_at"]


class _Writes:
    """The objects a plan creates and changes, written by ``apply`` in dependency order."""

    def __init__(self):
        self.villages: list[Area] = []
        self.units: list[Unit] = []
        self.people: list[Person] = []
        self.changed_people: dict[int, Person] = {}
        self.memberships: list[Membership] = []
        self.changed_memberships: dict[int, Membership] = {}

    def apply(self, progress: _Progress) -> None:
        """Bulk writes, each object's derived columns filled first (bulk writes skip
        ``save()``). Ended memberships are updated before new ones are inserted, so a
        member who left and rejoined never has two open seats, even for a moment.

        Every object written gets its history row in the same statements' batches
        (``portal.audit.bulk_create`` / ``bulk_update``), with the audit context's user,
        door and batch id (``roster_import`` makes sure there is one); unchanged rows
        are not written, so they get none.
        """
        now = timezone.now()
        for village in self.villages:
            village.fill_derived_fields()
        audit.bulk_create(Area, self.villages, batch_size=BATCH_SIZE)
        for unit in self.units:
            unit.fill_derived_fields()
        audit.bulk_create(Unit, self.units, batch_size=BATCH_SIZE)
        for person in self.people:
            person.fill_derived_fields()
        audit.bulk_create(Person, self.people, batch_size=BATCH_SIZE)
        changed = list(self.changed_people.values())
        for person in changed:
            person.fill_derived_fields()
            person.updated_at = now
        audit.bulk_update(Person, changed, _PERSON_UPDATE_FIELDS, batch_size=BATCH_SIZE)
        changed = list(self.changed_memberships.values())
        for membership in changed:
            membership.fill_derived_fields()
            membership.updated_at = now
        audit.bulk_update(Membership, changed, _MEMBERSHIP_UPDATE_FIELDS, batch_size=BATCH_SIZE)
        # Inserted chunk by chunk (the bulk of the writing) to move the progress bar.
        total = len(self.memberships)
        for start in range(0, total, BATCH_SIZE):
            chunk = self.memberships[start : start + BATCH_SIZE]
            for membership in chunk:
                membership.fill_derived_fields()
            audit.bulk_create(Membership, chunk, batch_size=BATCH_SIZE)
            progress.written(start + len(chunk), total)


class _Planner:
    """Matches parsed rows against what is stored, in memory, after loading every
    lookup in a fixed number of queries (see the module docstring)."""

    def __init__(self, plan: ImportPlan, scope, acting_user=None):
        self.plan = plan
        self.scope = scope
        self.acting_user = acting_user
        self.writes = _Writes()
        self.communes: dict[str, Area] = {}
        self.provinces: dict[str, Area] = {}  # by path
        self.villages: dict[int, VillageIndex] = defaultdict(VillageIndex)  # by commune id
        self.units: dict[int, Unit] = {}  # by area id: the active unit, else the last one
        self.members: dict[tuple, list[Membership]] = defaultdict(list)
        self.people: dict[tuple, list[Person]] = defaultdict(list)
        self.new_units: dict[tuple, Unit] = {}
        self.seen_values: dict[int, dict[str, tuple[int, object]]] = {}
        self.name_owner: dict[int, int] = {}

    def error(self, row: _Row, column: str, message: str) -> None:
        self.plan.errors.append(RowError(row.row, column, message))
        row.ok = False

    # Loading: one query per kind of object, whatever the number of rows.
    def load_communes(self, rows: list[_Row]) -> None:
        codes = {r.code for r in rows if r.code}
        if not codes:
            return
        edition = self.plan.edition
        self.communes = {
            a.code: a
            for a in Area.objects.filter(edition=edition, level=Level.COMMUNE, code__in=codes)
        }
        unknown = codes - set(self.communes)
        other_names = {}
        if unknown:
            other = Edition.LEGACY if edition == Edition.V2025 else Edition.V2025
            other_names = dict(
                Area.objects.filter(
                    edition=other, level=Level.COMMUNE, code__in=unknown
                ).values_list("code", "name")
            )
        province_paths = {province_path(a.path) for a in self.communes.values()}
        self.provinces = {a.path: a for a in Area.objects.filter(path__in=province_paths)}
        allowed = {}
        for row in rows:
            if not row.code:
                continue
            commune = self.communes.get(row.code)
            if commune is None:
                if row.code in other_names:
                    message = ERROR_CODE_OTHER_EDITION.format(
                        code=row.code,
                        edition=EDITION_WORDS[edition],
                        name=other_names[row.code],
                        other=EDITION_WORDS[other],
                    )
                else:
                    message = ERROR_CODE_UNKNOWN.format(
                        code=row.code, edition=EDITION_WORDS[edition]
                    )
                self.error(row, COL_CODE, message)
                continue
            row.commune = commune
            if row.commune_name and not commune_name_matches(row.commune_name, commune):
                self.error(
                    row,
                    COL_COMMUNE,
                    ERROR_COMMUNE_NAME.format(
                        value=row.commune_name, code=row.code, name=commune.name
                    ),
                )
            if self.scope is not None:
                if commune.pk not in allowed:
                    allowed[commune.pk] = bool(self.scope(commune))
                if not allowed[commune.pk]:
                    self.error(
                        row,
                        COL_CODE,
                        ERROR_OUT_OF_SCOPE.format(name=commune.name, code=commune.code),
                    )

    def load_rosters(self) -> None:
        """Villages, units, memberships and people of the communes and provinces the
        file names: five queries, six when a member is recorded in another province."""
        commune_ids = [a.pk for a in self.communes.values()]
        if not commune_ids:
            return
        villages = Area.objects.filter(level=Level.VILLAGE, parent_id__in=commune_ids)
        for village in villages.order_by("pk"):
            self.villages[village.parent_id].add(village)
        units = Unit.objects.filter(commune_id__in=commune_ids).order_by("dissolved_on", "pk")
        for unit in units:
            current = self.units.get(unit.area_id)
            if current is None or current.status != UnitStatus.ACTIVE:
                self.units[unit.area_id] = unit
        unit_by_id = {u.pk: u for u in self.units.values()}
        memberships = list(Membership.objects.filter(unit_id__in=list(unit_by_id)))
        province_ids = [p.pk for p in self.provinces.values()]
        candidates = Person.objects.filter(province_id__in=province_ids)
        if self.acting_user is not None and not scope_of(self.acting_user).everything:
            # The identity rule recognises only people the importer may see: a person
            # seated only in another commune is neither matched nor revealed nor
            # overwritten; a second record is made, which provincial staff can merge.
            candidates = candidates.filter(pk__in=people_visible_to(self.acting_user).values("pk"))
        people = {p.pk: p for p in candidates}
        missing = {m.person_id for m in memberships} - set(people)
        if missing:
            people.update((p.pk, p) for p in Person.objects.filter(pk__in=missing))
        for person in people.values():
            key = (person.province_id, person.search_name, person.birth_year)
            self.people[key].append(person)
        for key in self.people:
            self.people[key].sort(key=lambda p: p.pk)
        for membership in memberships:
            # Cached objects, so that fill_derived_fields and the matching never query.
            membership.unit = unit_by_id[membership.unit_id]
            person = people[membership.person_id]
            membership.person = person
            key = (membership.unit_id, person.search_name, person.birth_year)
            self.members[key].append(membership)

    # Units and villages.
    def resolve_villages(self, rows: list[_Row]) -> None:
        """Set each team row's village by ``units.services.VillageIndex.match``, among
        the commune's stored villages and the new ones of the file, whatever the order
        of the rows: names with diacritics first (an exact match, else a new village),
        then names typed without diacritics, which then see every village in play
        ("thon na" with both "Thôn Na" and "Thôn Nà" is ambiguous: a row error).
        A dict lookup per row."""
        team_rows = [r for r in rows if r.ok and r.commune is not None and r.kind != UnitKind.BLOC]
        for accentless in (False, True):
            for row in team_rows:
                if village_name_accentless(row.village) != accentless:
                    continue
                index = self.villages[row.commune.pk]
                found = index.match(row.village)
                if isinstance(found, VillageAmbiguous):
                    self.error(
                        row,
                        COL_VILLAGE,
                        ERROR_VILLAGE_AMBIGUOUS.format(
                            name=row.village,
                            commune=row.commune.name,
                            candidates=found.names(),
                        ),
                    )
                    continue
                row.area = found if found is not None else self.new_village(row, index)
        self.note_similar_villages()

    def new_village(self, row: _Row, index: VillageIndex) -> Area:
        commune = row.commune
        area = Area(
            edition=commune.edition,
            level=Level.VILLAGE,
            parent=commune,
            name=row.village,
            short_name=row.village,
            type_word=village_type_word(row.village),
            valid_from=commune.valid_from,
            valid_until=commune.valid_until,
        )
        index.add(area)
        self.writes.villages.append(area)
        self.plan.new_villages.append(f"{row.village} ({commune.name})")
        return area

    def note_similar_villages(self) -> None:
        """Warn about new villages whose name differs only by diacritics from a stored
        village of the commune, or from another new village of the file: a new name is
        a new village (the rule), but it may be a typing slip."""
        grouped: set[tuple[int, str]] = set()
        for village in self.writes.villages:
            commune = village.parent
            similar = self.villages[commune.pk].similar(village.name)
            stored = [v for v in similar if v.pk is not None]
            if stored:
                self.plan.notes.append(
                    NOTE_VILLAGE_SIMILAR.format(
                        name=village.name,
                        commune=commune.name,
                        others=", ".join(f"“{v.name}”" for v in stored),
                    )
                )
            elif len(similar) > 1 and (commune.pk, fold(village.name)) not in grouped:
                grouped.add((commune.pk, fold(village.name)))
                self.plan.notes.append(
                    NOTE_VILLAGE_SIMILAR_IN_FILE.format(
                        names=", ".join(f"“{v.name}”" for v in similar),
                        commune=commune.name,
                    )
                )

    def unit_for(self, row: _Row) -> tuple[Unit, str]:
        """The unit a row belongs to (found or planned) and its label."""
        commune = row.commune
        if row.kind == UnitKind.BLOC:
            area = commune
            row.unit_key = ("bloc", commune.pk)
        else:
            area = row.area
            row.unit_key = ("team", commune.pk, village_name_key(area.name))
        unit = self.units.get(area.pk) if area.pk else None
        if unit is None:
            unit = self.new_units.get(row.unit_key)
            if unit is None:
                unit = Unit(kind=row.kind, area=area, name=unit_default_name(row.kind, area))
                self.new_units[row.unit_key] = unit
                self.writes.units.append(unit)
                self.plan.new_units.append(self.label(unit, commune))
        return unit, self.label(unit, commune)

    @staticmethod
    def label(unit: Unit, commune: Area) -> str:
        """ "Tổ dân vận Thôn Nà Pục — Xã Bằng Thành"; a bloc's name already says its
        commune."""
        if unit.kind == UnitKind.BLOC:
            return unit.name
        return f"{unit.name} — {commune.name}"

    # Matching rows to stored memberships.
    def match(self, rows: list[_Row], units: dict[int, tuple[Unit, str]]) -> dict:
        """Row index -> stored membership, by unit + folded name + birth year.

        Several rows of one member in one unit are allowed only as history (different
        start dates, at most one without an end date), which is what an export of a
        member who left and came back holds; otherwise they are duplicates. Rows are
        matched to stored seats by exact dates first, then by start date, then to the
        open seat; a row left over is a new seat.
        """
        groups: dict[tuple, list[int]] = defaultdict(list)
        for index, row in enumerate(rows):
            if row.ok:
                groups[(row.unit_key, row.name_key, row.birth_year)].append(index)
        matched = {}
        for (_unit_key, name_key, year), indexes in groups.items():
            group = [rows[i] for i in indexes]
            if len(group) > 1:
                starts = [r.start for r in group]
                open_rows = sum(1 for r in group if r.end is None)
                if open_rows > 1 or len(set(starts)) < len(starts):
                    unit, label = units[indexes[0]]
                    message = ERROR_DUPLICATE_MEMBER.format(
                        name=group[0].full_name,
                        year=year or YEAR_UNKNOWN,
                        rows=", ".join(str(r.row) for r in group),
                        unit=label,
                    )
                    for row in group:
                        self.error(row, COL_NAME, message)
                    continue
            unit = units[indexes[0]][0]
            if unit.pk is None:
                continue
            candidates = list(self.members.get((unit.pk, name_key, year), ()))
            tests = (
                lambda r, m: m.start_date == r.start and m.end_date == r.end,
                lambda r, m: r.start is not None and m.start_date == r.start,
                lambda r, m: m.end_date is None,
            )
            for test in tests:
                for index in indexes:
                    if index in matched:
                        continue
                    found = next((m for m in candidates if test(rows[index], m)), None)
                    if found is not None:
                        matched[index] = found
                        candidates.remove(found)
        return matched

    # People.
    def person_for(self, row: _Row) -> Person:
        """The person the identity rule recognises in the commune's province (same
        folded name and birth year, phones that agree: members.services.
        person_identity_matches), or a new one. Exactly one match is needed, as in
        ``person_find``; people created earlier in the file count too."""
        province = self.provinces[province_path(row.commune.path)]
        key = (province.pk, row.name_key, row.birth_year)
        phone = row.phone or ""
        found = [p for p in self.people[key] if not phone or p.phone in ("", phone)]
        if len(found) == 1:
            return found[0]
        person = Person(
            province=province,
            full_name=row.full_name,
            birth_year=row.birth_year,
            party_member=False,
        )
        self.people[key].append(person)
        self.writes.people.append(person)
        return person

    def apply_person(self, row: _Row, person: Person, changes: dict) -> None:
        """Set the row's non-empty person cells; the same person written twice in one
        file with different values is an error, not a silent last-wins.

        The spelling of the name (same folded name, so case or accent placement) comes
        from the first row of the file that names the person; later rows do not flip
        it back, so importing the file again finds nothing to change.
        """
        seen = self.seen_values.setdefault(id(person), {})
        owns_name = self.name_owner.setdefault(id(person), row.row) == row.row
        if owns_name and person.full_name != row.full_name:
            if person.pk is not None:
                changes[COL_NAME] = (person.full_name, row.full_name)
            person.full_name = row.full_name
        for attribute, column in _PERSON_FIELDS:
            value = getattr(row, attribute)
            if value is None:
                continue
            if attribute in seen and seen[attribute][1] != value:
                self.error(
                    row,
                    column,
                    ERROR_PERSON_CONFLICT.format(
                        name=row.full_name,
                        year=row.birth_year or YEAR_UNKNOWN,
                        column=column.lower(),
                        other=_show(column, seen[attribute][1]),
                        row=seen[attribute][0],
                        value=_show(column, value),
                    ),
                )
                continue
            seen[attribute] = (row.row, value)
            old = getattr(person, attribute)
            if old != value:
                if person.pk is not None:
                    changes[column] = (_show(column, old), _show(column, value))
                setattr(person, attribute, value)
        if person.pk is not None and changes:
            self.writes.changed_people[person.pk] = person

    def plan_rows(self, rows: list[_Row]) -> None:
        self.resolve_villages(rows)
        units = {}
        for index, row in enumerate(rows):
            if row.ok and row.commune is not None:
                units[index] = self.unit_for(row)
        matched = self.match(rows, units)
        for index, row in enumerate(rows):
            if not row.ok:
                continue
            unit, label = units[index]
            membership = matched.get(index)
            changes: dict = {}
            if membership is not None:
                person = membership.person
                self.apply_person(row, person, changes)
                action = self.apply_membership(row, membership, unit, changes)
            else:
                person = self.person_for(row)
                self.apply_person(row, person, changes)
                membership = Membership(
                    unit=unit,
                    person=person,
                    role=row.role or Role.MEMBER,
                    start_date=row.start,
                    end_date=row.end,
                )
                self.writes.memberships.append(membership)
                action = "create"
            if unit.status != UnitStatus.ACTIVE and action != "unchanged":
                self.error(row, "", ERROR_UNIT_DISSOLVED.format(unit=label))
            if row.ok:
                self.plan.rows.append(PlannedRow(row.row, action, label, person.full_name, changes))

    def apply_membership(self, row: _Row, membership: Membership, unit: Unit, changes) -> str:
        """Update a stored seat from the row's non-empty cells; its action."""
        person_changed = bool(changes)
        start = row.start or membership.start_date
        end = row.end or membership.end_date
        if start and end and end < start:
            self.error(row, COL_END, ERROR_END_BEFORE_START.format(date=_day(start)))
        updates = (
            (COL_ROLE, "role", row.role),
            (COL_START, "start_date", row.start),
            (COL_END, "end_date", row.end),
        )
        changed = False
        for column, attribute, value in updates:
            old = getattr(membership, attribute)
            if value is not None and value != old:
                changes[column] = (_show(column, old, unit.kind), _show(column, value, unit.kind))
                setattr(membership, attribute, value)
                changed = True
        if changed:
            self.writes.changed_memberships[membership.pk] = membership
        return "update" if changed or person_changed else "unchanged"


def _written_provinces(writes: _Writes) -> set[str]:
    """Paths in the provinces ``writes`` wrote in (any path inside a province names it):
    the areas, units and seats written, and the people's own provinces (one query for
    those not loaded with their province)."""
    paths = {a.path for a in writes.villages} | {u.area_path for u in writes.units}
    paths |= {m.area_path for m in writes.memberships}
    paths |= {m.area_path for m in writes.changed_memberships.values()}
    people = [*writes.people, *writes.changed_people.values()]
    unknown = set()
    for person in people:
        if Person.province.is_cached(person):
            paths.add(person.province.path)
        else:
            unknown.add(person.province_id)
    if unknown:
        paths |= set(Area.objects.filter(pk__in=unknown).values_list("path", flat=True))
    return paths


def _build_plan(
    data, *, filename, edition, scope, progress, acting_user=None
) -> tuple[ImportPlan, _Writes]:
    """Read, parse, load, match: the plan and the writes it would make."""
    plan = ImportPlan(filename=filename, edition=edition or "")
    if edition is not None and edition not in Edition.values:
        plan.errors.append(RowError(0, "", ERROR_UNKNOWN_EDITION))
        return plan, _Writes()
    table = _read_table(data or b"", filename, plan.errors, plan.notes)
    if table is None:
        plan.edition = plan.edition or edition_default()
        return plan, _Writes()
    plan.file_format = table.fmt
    plan.sheet_name = table.sheet_name
    plan.header_row = table.header_row
    plan.total_rows = len(table.rows)
    if plan.has_errors:  # missing columns, too many rows: the rows cannot be read
        plan.edition = plan.edition or edition_default()
        return plan, _Writes()
    plan.edition = edition or edition_default()

    tracker = _Progress(progress, len(table.rows))
    rows = []
    for done, (number, cells) in enumerate(table.rows, start=1):
        rows.append(_parse_row(number, cells, table.columns, plan.errors))
        tracker.checked(done)
    planner = _Planner(plan, scope, acting_user=acting_user)
    planner.load_communes(rows)
    planner.load_rosters()
    planner.plan_rows(rows)
    order = {c: i for i, c in enumerate(COLUMNS)}
    plan.errors.sort(key=lambda e: (e.row, order.get(e.column, -1)))
    return plan, planner.writes


# --- The error report. ---------------------------------------------------------------
def error_report_workbook(
    data: bytes, *, filename: str, plan: ImportPlan, layout: SheetLayout = ROSTER_LAYOUT
) -> bytes:
    """The uploaded workbook with a last column "Lỗi" holding each row's messages, so
    the officer fixes the rows in the file they know and uploads it again (the extra
    column is ignored on import). Whole-file messages go in the header cell; a file that
    could not be read at all gives a one-sheet workbook listing the messages.

    ``plan`` is any import result with ``errors`` (RowError), ``header_row``,
    ``file_format`` and ``sheet_name``: a roster ``ImportPlan`` or a score sheet's
    ``SheetResult``; ``layout`` says how its CSV was read."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill

    by_row: dict[int, list[str]] = defaultdict(list)
    for error in plan.errors:
        text = f"{error.column}: {error.message}" if error.column and error.row else error.message
        by_row[error.row].append(text)

    # The added column's title in the reader's language; a "Lỗi" column of an earlier
    # report is reused whatever the language.
    errors_title = gettext("Lỗi")
    workbook, sheet = None, None
    if plan.header_row:
        try:
            if plan.file_format == "xlsx":
                workbook = openpyxl.load_workbook(io.BytesIO(data))
                names = workbook.sheetnames
                sheet = workbook[plan.sheet_name] if plan.sheet_name in names else workbook.active
            elif plan.file_format == "csv":
                workbook, sheet = _csv_workbook(data, layout)
        except Exception:  # unreadable after all: fall back to the plain list below
            logger.exception("error report: could not reopen %r", filename)
            workbook = None
    if workbook is None:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = errors_title[:31]
        sheet.append([gettext("Dòng"), gettext("Cột"), errors_title])
        for error in plan.errors:
            sheet.append([error.row or "", error.column, error.message])
        sheet.column_dimensions["C"].width = 100
        return _save(workbook)

    header = plan.header_row
    column = None
    for cell in sheet[header]:
        if isinstance(cell.value, str) and header_key(cell.value).startswith(
            (header_key(COL_ERRORS), header_key(errors_title))
        ):
            column = cell.column
    if column is None:
        column = sheet.max_column + 1
    else:
        for (cell,) in sheet.iter_rows(min_row=header + 1, min_col=column, max_col=column):
            cell.value = None
    title = errors_title
    if by_row.get(0):
        title = f"{errors_title}: " + " ".join(by_row[0])
    fill = PatternFill("solid", fgColor="FFF2CC")
    _string_cell(sheet.cell(header, column), title).font = Font(bold=True, color="C00000")
    for row, messages in by_row.items():
        if row <= 0:
            continue
        target = _string_cell(sheet.cell(row, column), "\n".join(messages))
        target.alignment = Alignment(wrap_text=True, vertical="top")
        target.fill = fill
        target.font = Font(color="C00000")
    letter = sheet.cell(header, column).column_letter
    sheet.column_dimensions[letter].width = 70
    return _save(workbook)


def _string_cell(cell, value: str):
    """Set a text cell that no spreadsheet will run as a formula."""
    cell.value = value
    cell.data_type = "s"
    return cell


def _csv_workbook(data: bytes, layout: SheetLayout = ROSTER_LAYOUT):
    import openpyxl

    text = data.decode("utf-8-sig")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    delimiter = _csv_delimiter(text, layout)
    for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        sheet.append([_csv_unescape(c) for c in cells])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    return workbook, sheet


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
