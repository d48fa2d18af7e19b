"""Activity workbooks written by the portal: the export of a filtered list and the blank
template, both in the import layout (``work.imports``), so an exported file imports back
as "already recorded" and a filled template imports as it is.

Text cells that a spreadsheet would run as a formula (starting = + - @, tab or CR) are
written as text with Excel's leading-apostrophe flag, by the one safe-cell writer
(``portal.cells``).
"""

import datetime
import io

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from members.workbooks import DATE_FORMAT
from portal.cells import text_cell
from units.choices import TEAM_KINDS, UnitKind
from work.choices import ACTIVITY_KIND_WORDS
from work.imports import (
    COL_CODE,
    COL_DATE,
    COL_KIND,
    COL_PLACE,
    COL_UNIT,
    COL_WORK_DAYS,
    COLUMNS,
    REQUIRED_COLUMNS,
)

#: Export only: the unit's own name (the import ignores the column).
COL_UNIT_NAME = "Tên đơn vị"
EXPORT_COLUMNS = (*COLUMNS, COL_UNIT_NAME)
UNIT_WORDS = {UnitKind.BLOC: "Khối dân vận", UnitKind.TEAM: "Tổ dân vận"}
SHEET_TITLE = _("Hoạt động")
_WIDTHS = {
    "Mã xã": 9, "Xã": 24, "Thôn/Tổ dân phố": 22, "Đơn vị": 15, "Ngày": 12,
    "Loại hoạt động": 18, "Địa điểm": 24, "Số người tham gia": 11,
    "Số người dân tiếp cận": 12, "Số ngày công": 10, "Nội dung": 50, "Tên đơn vị": 32,
}  # fmt: skip
TEMPLATE_ROWS = 1000
TEMPLATE_SAMPLE = (
    "01864", "Xã Bằng Thành", "Thôn Nà Pục", "Tổ dân vận", datetime.date(2026, 11, 5),
    "Tuyên truyền", "Nhà văn hóa thôn Nà Pục", 8, 65, None,
    "Tuyên truyền phòng chống cháy rừng mùa khô",
)  # fmt: skip
TEMPLATE_NOTES = {
    COL_CODE: _("Mã xã 5 chữ số theo danh mục đơn vị hành chính, ví dụ 01834."),
    COL_UNIT: _("Khối dân vận hoặc Tổ dân vận; với Tổ dân vận ghi cả tên thôn."),
    COL_DATE: _("Ngày/tháng/năm, không sau hôm nay."),
    COL_KIND: _("Tuyên truyền, Gặp gỡ nhân dân, Thăm hộ gia đình, Hòa giải, Ngày công hoặc Khác."),
    COL_PLACE: _("Để trống: thôn hoặc xã của đơn vị."),
    COL_WORK_DAYS: _("Bắt buộc với Ngày công."),
}
SAMPLE_NOTE = _("Dòng mẫu: xoá hoặc ghi đè trước khi nhập.")


def _row(activity) -> list:
    unit = activity.unit
    is_team = unit.kind in TEAM_KINDS
    commune = unit.commune
    return [
        commune.code,
        commune.name,
        unit.area.name if is_team else None,
        UNIT_WORDS[UnitKind.TEAM if is_team else UnitKind.BLOC],
        activity.date,
        ACTIVITY_KIND_WORDS[activity.kind],
        activity.place,
        activity.participants,
        activity.people_reached,
        activity.work_days,
        activity.description,
        unit.name,
    ]


def _cell(sheet, value, column: str):
    if value is None or value == "":
        return None
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, str):
        text_cell(cell, value, text_format=column == COL_CODE)
    return cell


def activities_workbook(activities) -> bytes:
    """``activities`` (a queryset, scoped and filtered by the caller, with unit, area
    and commune joined: ``work.selectors.activity_get_queryset``) as an .xlsx in the
    import layout. Streams rows (write-only), one query whatever their number."""

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(SHEET_TITLE))
    for index, column in enumerate(EXPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(column, 14)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in EXPORT_COLUMNS:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for activity in activities.iterator(chunk_size=2000):
        values = zip(_row(activity), EXPORT_COLUMNS, strict=True)
        sheet.append([_cell(sheet, value, column) for value, column in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def activities_template() -> bytes:
    """A blank activities workbook: the header (required columns marked "(*)", which
    the import ignores), a sample row, notes on the headers, and dropdowns for the
    kind of unit and of activity."""

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(SHEET_TITLE)
    sheet.freeze_panes = "A2"
    fill = PatternFill("solid", fgColor="DDEBF7")
    letters = {}
    for index, column in enumerate(COLUMNS, start=1):
        letters[column] = get_column_letter(index)
        sheet.column_dimensions[letters[column]].width = _WIDTHS.get(column, 14)
        title = f"{column} (*)" if column in REQUIRED_COLUMNS else column
        cell = sheet.cell(1, index, title)
        cell.font = Font(bold=True)
        cell.fill = fill
        if column in TEMPLATE_NOTES:
            cell.comment = Comment(str(TEMPLATE_NOTES[column]), "danvan")
    for index, (column, value) in enumerate(zip(COLUMNS, TEMPLATE_SAMPLE, strict=True), start=1):
        if value is None:
            continue
        cell = sheet.cell(2, index, value)
        if isinstance(value, datetime.date):
            cell.number_format = DATE_FORMAT
        elif isinstance(value, str):
            text_cell(cell, value, text_format=column == COL_CODE)
    sheet.cell(2, 1).comment = Comment(str(SAMPLE_NOTE), "danvan")
    sheet.column_dimensions[letters[COL_CODE]].number_format = "@"
    last = TEMPLATE_ROWS + 1
    dropdowns = {
        COL_UNIT: list(UNIT_WORDS.values()),
        COL_KIND: list(ACTIVITY_KIND_WORDS.values()),
    }
    for column, words in dropdowns.items():
        # A warning, not a stop: the import also accepts other spellings.
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(words) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=column,
            error=gettext("Giá trị không có trong danh sách."),
        )
        validation.add(f"{letters[column]}2:{letters[column]}{last}")
        sheet.add_data_validation(validation)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
