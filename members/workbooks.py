"""Roster workbooks written by the portal: exports and the blank template.

Both use the contract layout (docs/ROSTER_IMPORT.md, "The workbook"), so an exported
file imports back unchanged and a filled template imports as it is. Every text cell goes
through the safe-cell writer (portal/cells.py): a cell a spreadsheet would run as a
formula is written as text with the quote prefix, which the import removes again.
"""

import csv
import datetime
import io

from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from members.choices import ETHNIC_GROUPS
from members.imports import (
    COL_BIRTH_YEAR,
    COL_CODE,
    COL_END,
    COL_ETHNICITY,
    COL_GENDER,
    COL_NAME,
    COL_PARTY,
    COL_PHONE,
    COL_ROLE,
    COL_START,
    COL_UNIT,
    COLUMNS,
    REQUIRED_COLUMNS,
)
from members.resources import RosterResource, roster_queryset
from portal.cells import csv_text, text_cell

ERROR_EXPORT_FORMAT = _("Định dạng xuất không hợp lệ: chọn xlsx hoặc csv.")

SHEET_TITLE = _("Danh sách thành viên")
#: The hidden sheet of the dropdown lists ("Danh mục" is also the edition of the divisions).
LISTS_SHEET_TITLE = pgettext_lazy("workbook sheet", "Danh mục")
DATE_FORMAT = "DD/MM/YYYY"

#: Columns kept as text in .xlsx so that Excel never drops their leading zeros.
_TEXT_COLUMNS = (COL_CODE, COL_PHONE)
_DATE_COLUMNS = (COL_START, COL_END)
_WIDTHS = {
    "Mã xã": 9, "Xã": 24, "Thôn/Tổ dân phố": 22, "Đơn vị": 15, "Họ và tên": 26,
    "Giới tính": 9, "Năm sinh": 9, "Dân tộc": 12, "Đảng viên": 10, "Chức vụ": 32,
    "Vai trò": 13, "Số điện thoại": 14, "Ngày tham gia": 13, "Ngày thôi": 12,
}  # fmt: skip

#: Rows of the template that carry the dropdown lists.
TEMPLATE_ROWS = 2000
UNIT_CHOICES = ("Khối dân vận", "Tổ dân vận", "Tổ dân vận cộng đồng")
ROLE_CHOICES = ("Trưởng khối", "Phó khối", "Tổ trưởng", "Tổ phó", "Thành viên")
GENDER_CHOICES = ("Nam", "Nữ")
PARTY_CHOICES = ("Có", "Không")
# Contract values (docs/ROSTER_IMPORT.md): the headers, the dropdown words and the sample
# row stay Vietnamese in every language, since the import reads them. The notes, sheet
# titles and messages around them are translated (str() before they reach openpyxl).
TEMPLATE_SAMPLE_ROW = (
    "01864", "Xã Bằng Thành", "Thôn Nà Pục", "Tổ dân vận", "Hoàng Văn Pục", "Nam", 1975,
    "Tày", "Có", "Bí thư chi bộ", "Tổ trưởng", "0912345678", datetime.date(2024, 1, 15), None,
)  # fmt: skip
TEMPLATE_NOTES = {
    COL_CODE: _("Mã xã 5 chữ số theo danh mục đơn vị hành chính, ví dụ 01834."),
    "Xã": _("Không bắt buộc; nếu ghi thì phải đúng tên xã của mã."),
    "Thôn/Tổ dân phố": _("Bắt buộc với Tổ dân vận; để trống với Khối dân vận."),
    COL_UNIT: _("Khối dân vận hoặc Tổ dân vận."),
    COL_NAME: _("Họ và tên đầy đủ, có dấu."),
    COL_BIRTH_YEAR: _("Năm sinh (ví dụ 1975) hoặc ngày sinh."),
    COL_ETHNICITY: _("Một trong 54 dân tộc Việt Nam."),
    COL_PARTY: _("Có hoặc Không."),
    COL_ROLE: _("Trưởng khối, Phó khối, Tổ trưởng, Tổ phó hoặc Thành viên (mặc định)."),
    COL_PHONE: _("Ví dụ 0912345678."),
    COL_START: _("Ngày/tháng/năm, ví dụ 15/01/2024."),
    COL_END: _("Chỉ ghi khi thành viên thôi tham gia."),
}
SAMPLE_NOTE = _("Dòng mẫu: xoá hoặc ghi đè trước khi nhập.")


def roster_export(memberships, *, fmt: str) -> bytes:
    """The memberships (a queryset, already filtered and scoped by the caller) as a
    roster workbook in the contract layout: "xlsx" or "csv" (UTF-8 with a BOM, so that
    Excel shows Vietnamese correctly; the import accepts the BOM).

    The rows come from ``RosterResource`` over one joined query, so the number of
    queries does not depend on the number of rows.
    """
    if fmt not in ("xlsx", "csv"):
        raise ValueError(str(ERROR_EXPORT_FORMAT))
    dataset = RosterResource().export(queryset=roster_queryset(memberships))
    headers = list(dataset.headers)
    if fmt == "csv":
        return _csv(headers, dataset)
    return _xlsx(headers, dataset)


def _csv(headers: list[str], rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_value(value) -> str:
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return csv_text(value)


def _xlsx(headers: list[str], rows) -> bytes:
    """Write-only openpyxl: rows stream to the file, so a province's roster stays small
    in memory."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(SHEET_TITLE))
    _column_layout(sheet, headers)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    kinds = [_column_kind(h) for h in headers]
    for row in rows:
        cells = zip(row, kinds, strict=True)
        sheet.append([_xlsx_cell(sheet, value, kind) for value, kind in cells])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _column_kind(header: str) -> str:
    if header in _TEXT_COLUMNS:
        return "text"
    if header in _DATE_COLUMNS:
        return "date"
    return ""


def _column_layout(sheet, headers) -> None:
    from openpyxl.utils import get_column_letter

    for index, header in enumerate(headers, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = _WIDTHS.get(header, 14)
        if header in _TEXT_COLUMNS:
            dimension.number_format = "@"


def _xlsx_cell(sheet, value, kind: str):
    from openpyxl.cell import WriteOnlyCell

    if value is None or value == "":
        return None
    cell = WriteOnlyCell(sheet, value=value)
    if kind == "date":
        cell.number_format = DATE_FORMAT
    elif isinstance(value, str):
        text_cell(cell, value, text_format=kind == "text")
    return cell


def roster_template_workbook() -> bytes:
    """A blank roster: the header row (required columns marked "(*)", which the import
    ignores), one sample row, a note on each header, and dropdown lists for Đơn vị,
    Vai trò, Giới tính, Dân tộc and Đảng viên. The 54 ethnic groups are too long for
    an inline list (Excel caps those at 255 characters), so they sit on a hidden sheet
    that the dropdown references; the import skips hidden sheets."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(SHEET_TITLE)
    headers = [f"{c} (*)" if c in REQUIRED_COLUMNS else c for c in COLUMNS]
    _column_layout(sheet, list(COLUMNS))
    sheet.freeze_panes = "A2"
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, (column, header) in enumerate(zip(COLUMNS, headers, strict=True), start=1):
        cell = sheet.cell(1, index, header)
        cell.font = Font(bold=True)
        cell.fill = fill
        if column in TEMPLATE_NOTES:
            cell.comment = Comment(str(TEMPLATE_NOTES[column]), "danvan")
    sample = zip(COLUMNS, TEMPLATE_SAMPLE_ROW, strict=True)
    for index, (column, value) in enumerate(sample, start=1):
        if value is None:
            continue
        cell = sheet.cell(2, index, value)
        if column in _DATE_COLUMNS:
            cell.number_format = DATE_FORMAT
        elif isinstance(value, str):
            text_cell(cell, value, text_format=column in _TEXT_COLUMNS)
    sheet.cell(2, 1).comment = Comment(str(SAMPLE_NOTE), "danvan")

    lists_title = str(LISTS_SHEET_TITLE)
    lists = workbook.create_sheet(lists_title)
    for row, name in enumerate(ETHNIC_GROUPS, start=1):
        lists.cell(row, 1, name)
    lists.sheet_state = "hidden"

    last = TEMPLATE_ROWS + 1
    letters = {c: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
    dropdowns = {
        COL_UNIT: _inline_list(UNIT_CHOICES),
        COL_ROLE: _inline_list(ROLE_CHOICES),
        COL_GENDER: _inline_list(GENDER_CHOICES),
        COL_PARTY: _inline_list(PARTY_CHOICES),
        COL_ETHNICITY: f"'{lists_title}'!$A$1:$A${len(ETHNIC_GROUPS)}",
    }
    for column, formula in dropdowns.items():
        # A warning, not a stop: the import also accepts other spellings ("Khối",
        # "H'Mông", "x" for Có), and refusing them in Excel would only confuse.
        validation = DataValidation(
            type="list",
            formula1=formula,
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


def _inline_list(values) -> str:
    return '"' + ",".join(values) + '"'
