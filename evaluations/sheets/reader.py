"""The spreadsheet reader (portal.spreadsheets), the roster's error report and the roster
workbook's words that the score sheet shares (docs/ROSTER_IMPORT.md). The score sheet
takes them from here only, so that where they live is written once."""

from members.imports import (
    COL_CODE,
    COL_COMMUNE,
    COL_UNIT,
    COL_VILLAGE,
    EDITION_WORDS,
    ERROR_CODE_UNKNOWN,
    ERROR_REQUIRED,
    commune_code,
    error_report_workbook,
)
from portal.spreadsheets import RowError, SheetLayout, read_table

__all__ = [
    "COL_CODE",
    "COL_COMMUNE",
    "COL_UNIT",
    "COL_VILLAGE",
    "EDITION_WORDS",
    "ERROR_CODE_UNKNOWN",
    "ERROR_REQUIRED",
    "RowError",
    "SheetLayout",
    "commune_code",
    "error_report_workbook",
    "read_table",
]
