"""The roster workbook as users and programs know it (docs/ROSTER_IMPORT.md, "The
workbook"): its columns in their order, the words its cells use, the layout the shared
reader reads it with, and what an import returns to its callers.

The column names and cell words are never translated: the layout is fixed, and an
exported file must import back in any language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from portal.spreadsheets import NOTE_SHEET_CHOSEN_LAYOUT, RowError, SheetLayout
from units.choices import Edition, UnitKind

# --- The columns, in the contract's order. -------------------------------------------
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

#: The column the error report adds (error_report_workbook); the reader ignores it.
COL_ERRORS = "Lỗi"

#: Longest text a cell may hold (the database columns' lengths).
TEXT_LIMITS = {COL_NAME: 120, COL_POSITION: 200, COL_VILLAGE: 150}

# --- Cell words for stored values. ---------------------------------------------------
GENDER_WORDS = {"male": "Nam", "female": "Nữ"}
KIND_WORDS = {
    UnitKind.BLOC: "Khối dân vận",
    UnitKind.TEAM: "Tổ dân vận",
    UnitKind.COMMUNITY_TEAM: "Tổ dân vận cộng đồng",
}
#: How messages name an edition of the divisions.
EDITION_WORDS = {Edition.V2025: _("từ 01/07/2025"), Edition.LEGACY: _("trước 01/07/2025")}

# --- The header. ---------------------------------------------------------------------
ERROR_NO_HEADER = _(
    "Không tìm thấy dòng tiêu đề: cần một dòng có ô “Họ và tên” (xem tệp mẫu để biết tên các cột)."
)
#: The several-sheets note of the roster layout.
NOTE_SHEET_CHOSEN = lazy(lambda: str(NOTE_SHEET_CHOSEN_LAYOUT).replace("{marker}", COL_NAME), str)()

#: The header row is the first row with a cell "Họ và tên"; other columns are ignored.
ROSTER_LAYOUT = SheetLayout(
    marker=COL_NAME, columns=COLUMNS, required=REQUIRED_COLUMNS, no_header=ERROR_NO_HEADER
)


# --- What the callers get. -----------------------------------------------------------
@dataclass
class PlannedRow:
    """What importing one valid row does: create, update or leave a membership."""

    row: int
    action: str  # "create" | "update" | "unchanged"
    unit_label: str
    full_name: str
    changes: dict = field(default_factory=dict)  # column -> (old, new), as text
    #: How the row's cells were read, as text, for new and updated rows: column -> value
    #: (the commune's name for the code, dates dd/mm/yyyy, the phone with its 0 ...).
    values: dict = field(default_factory=dict)

    @classmethod
    def reading(cls, row, action, unit_label, full_name, changes, read) -> PlannedRow:
        """A planned row whose ``values`` are built by ``read()`` when first asked for:
        the preview's texts cost as much as the checks of 18,000 rows, and a caller that
        shows only the counts (the command) never asks (docs/PERFORMANCE.md)."""
        planned = cls(row, action, unit_label, full_name, changes)
        del planned.values
        planned._read = read
        return planned

    def __getattr__(self, name):
        # Only reached for an attribute the instance lacks: ``values`` of ``reading``.
        read = self.__dict__.get("_read")
        if name != "values" or read is None:
            raise AttributeError(name)
        self.values = read()
        del self._read
        return self.values


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
