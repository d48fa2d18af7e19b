"""The spreadsheet reader, its error report and the roster workbook's words that the
score sheet shares (docs/ROSTER_IMPORT.md). The score sheet takes them from here only, so
that where the reader lives is written once."""

from members.imports import (
    COL_CODE,
    COL_COMMUNE,
    COL_UNIT,
    COL_VILLAGE,
    EDITION_WORDS,
    ERROR_CODE_UNKNOWN,
    ERROR_REQUIRED,
    FORMULA_STARTS,
    RowError,
    SheetLayout,
    commune_code,
    error_report_workbook,
    read_table,
)

__all__ = [
    "COL_CODE",
    "COL_COMMUNE",
    "COL_UNIT",
    "COL_VILLAGE",
    "EDITION_WORDS",
    "ERROR_CODE_UNKNOWN",
    "ERROR_REQUIRED",
    "FORMULA_STARTS",
    "RowError",
    "SheetLayout",
    "commune_code",
    "error_report_workbook",
    "read_table",
]
