"""The shared spreadsheet reader and error report (portal/spreadsheets.py), with a layout
of their own: real files written by openpyxl and by the csv module."""

import csv
import datetime
import io
from dataclasses import dataclass, field

import openpyxl
import pytest

from portal.error_report import error_report_workbook
from portal.spreadsheets import (
    ERROR_DUPLICATE_COLUMN,
    ERROR_FILE_EMPTY,
    ERROR_MISSING_COLUMN,
    ERROR_NO_ROWS,
    ERROR_NOT_SPREADSHEET,
    ERROR_TOO_MANY_ROWS,
    NOTE_SHEET_CHOSEN_LAYOUT,
    RowError,
    SheetLayout,
    header_key,
    read_table,
)

NO_HEADER = "Không tìm thấy dòng có ô “Tên hộ”."
LAYOUT = SheetLayout(
    marker="Tên hộ",
    columns=("Mã", "Tên hộ", "Số người", "Ngày"),
    required=("Mã", "Tên hộ"),
    no_header=NO_HEADER,
)


def xlsx(*sheets: tuple[str, list[list]], hidden: tuple[str, ...] = ()) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_data(rows: list[list], *, delimiter=",", bom=True) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def read(data: bytes, filename="ho.xlsx", layout=LAYOUT):
    errors, notes = [], []
    table = read_table(data, filename=filename, layout=layout, errors=errors, notes=notes)
    return table, errors, notes


def test_header_cells_match_without_case_diacritics_spaces_or_the_required_mark():
    assert header_key("  TÊN  HỘ (*)") == header_key("ten ho") == "tenho"
    assert LAYOUT.column_of("so nguoi") == "Số người"
    assert LAYOUT.column_of("STT") is None
    assert LAYOUT.column_of(12) is None


def test_an_openpyxl_workbook_is_read_below_its_title_rows():
    """The header is the first row with the marker; title rows above it, unknown
    columns and blank rows are ignored; numbers and dates keep their type; row numbers
    are the sheet rows Excel shows."""
    data = xlsx(
        (
            "Hộ gia đình",
            [
                ["DANH SÁCH HỘ"],
                [],
                ["STT", "mã (*)", "TÊN HỘ", "Số  người", "Ngày", "Ghi chú riêng"],
                [1, "A1", "Nguyễn Văn A", 4, datetime.datetime(2026, 11, 21), "x"],
                [2, None, None, None, None, None],
                [3, "A2", "Trần Thị B", None, None, None],
            ],
        )
    )
    table, errors, notes = read(data)
    assert errors == [] and notes == []
    assert (table.fmt, table.sheet_name, table.header_row) == ("xlsx", "Hộ gia đình", 3)
    assert table.columns == {"Mã": 1, "Tên hộ": 2, "Số người": 3, "Ngày": 4}
    assert [number for number, _cells in table.rows] == [4, 6]
    first = table.rows[0][1]
    assert first[1:5] == ["A1", "Nguyễn Văn A", 4, datetime.date(2026, 11, 21)]


def test_several_sheets_the_first_with_the_header_is_read_and_named_in_a_note():
    """Hidden sheets (a template's lists) do not count; a visible sheet without the
    header is passed over."""
    data = xlsx(
        ("Hướng dẫn", [["Điền danh sách ở trang sau"]]),
        ("Danh mục", [["Tày"], ["Nùng"]]),
        ("Hộ", [["Mã", "Tên hộ"], ["A1", "Nguyễn Văn A"]]),
        hidden=("Danh mục",),
    )
    table, errors, notes = read(data)
    assert errors == []
    assert table.sheet_name == "Hộ"
    assert notes == [
        NOTE_SHEET_CHOSEN_LAYOUT.format(
            count=2, names="“Hướng dẫn”, “Hộ”", sheet="Hộ", marker="Tên hộ"
        )
    ]


def test_a_csv_with_a_bom_and_semicolons_is_read():
    """UTF-8 with a byte-order mark, ";" between cells (Excel under Vietnamese regional
    settings); row numbers are record numbers."""
    data = csv_data(
        [["Danh sách"], ["Mã", "Tên hộ", "Số người"], ["A1", "Nguyễn Văn A", "4"], ["", "", ""]],
        delimiter=";",
    )
    table, errors, _notes = read(data, filename="ho.csv")
    assert errors == []
    assert (table.fmt, table.sheet_name, table.header_row) == ("csv", "", 2)
    assert table.rows == [(3, ["A1", "Nguyễn Văn A", "4"])]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_whole_file_problems_are_row_zero_errors(kind):
    """A missing required column and a column given twice are named; a header without
    data rows says so; no header gives the layout's own message."""
    write = (lambda rows: xlsx(("Hộ", rows))) if kind == "xlsx" else csv_data
    _table, errors, _notes = read(write([["Tên hộ", "Số người", "số NGƯỜI"], ["A", 1, 2]]))
    assert errors == [
        RowError(0, "Số người", ERROR_DUPLICATE_COLUMN.format(column="Số người")),
        RowError(0, "Mã", ERROR_MISSING_COLUMN.format(column="Mã")),
    ]
    _table, errors, _notes = read(write([["Mã", "Tên hộ"]]))
    assert errors == [RowError(0, "", ERROR_NO_ROWS)]
    table, errors, _notes = read(write([["Mã", "Tên"], ["A1", "B"]]))
    assert table is None
    assert errors == [RowError(0, "", NO_HEADER)]


def test_an_empty_file_and_too_many_rows(settings):
    assert read(b"")[1] == [RowError(0, "", ERROR_FILE_EMPTY)]
    settings.DANVAN_IMPORT_MAX_ROWS = 2
    rows = [["Mã", "Tên hộ"]] + [[f"A{i}", f"Hộ {i}"] for i in range(3)]
    _table, errors, _notes = read(xlsx(("Hộ", rows)))
    assert errors == [RowError(0, "", ERROR_TOO_MANY_ROWS.format(limit="2"))]


@dataclass
class Result:
    """What the error report needs of an import result."""

    errors: list
    header_row: int = 0
    file_format: str = ""
    sheet_name: str = ""
    notes: list = field(default_factory=list)


def report(data: bytes, result: Result, **kwargs):
    content = error_report_workbook(
        data, filename="ho.xlsx", plan=result, layout=LAYOUT, error_column="Lỗi", **kwargs
    )
    return openpyxl.load_workbook(io.BytesIO(content)).active


def test_the_error_report_adds_a_column_of_each_rows_messages():
    """Row messages go in the added column of their row ("column: message"), whole-file
    messages in its header cell; the cells are text."""
    data = xlsx(("Hộ", [["Mã", "Tên hộ"], ["A1", "Nguyễn Văn A"], ["A2", "=1+1"]]))
    result = Result(
        errors=[
            RowError(0, "", "Tệp có ghi chú."),
            RowError(3, "Tên hộ", "Tên không hợp lệ."),
            RowError(3, "", "Dòng trùng."),
        ],
        header_row=1,
        file_format="xlsx",
        sheet_name="Hộ",
    )
    sheet = report(data, result)
    assert sheet["A1"].value == "Lỗi: Tệp có ghi chú."
    assert sheet["A2"].value is None
    assert sheet["A3"].value == "Tên hộ: Tên không hợp lệ.\nDòng trùng."
    assert sheet["A3"].data_type == "s"
    # Streamed, a formula comes back as its last computed value (none here), never as
    # a formula (calamine gives values); formula-like text stays text (the CSV test).
    assert [c.value for c in sheet[3]][1:] == ["A2", None]
    assert sheet["C3"].data_type != "f"
    assert sheet["C3"].fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet["B3"].fill.fill_type is None
    assert sheet.auto_filter.ref == "A1:C3"


def test_the_error_column_goes_first_with_merged_titles_and_widths_moved():
    """A title merged across the columns and the column widths follow their cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Hộ"
    sheet.append(["DANH SÁCH HỘ"])
    sheet.merge_cells("A1:B1")
    sheet.append(["Mã", "Tên hộ"])
    sheet.append(["A1", "Nguyễn Văn A"])
    sheet.column_dimensions["B"].width = 33
    buffer = io.BytesIO()
    book.save(buffer)
    result = Result(
        errors=[RowError(3, "Mã", "Sai mã.")], header_row=2, file_format="xlsx", sheet_name="Hộ"
    )
    sheet = report(buffer.getvalue(), result)
    assert [str(r) for r in sheet.merged_cells.ranges] == ["B1:C1"]
    assert sheet["B1"].value == "DANH SÁCH HỘ"
    assert sheet.column_dimensions["C"].width == 33
    assert [c.value for c in sheet[3]] == ["Mã: Sai mã.", "A1", "Nguyễn Văn A"]
    assert sheet.auto_filter.ref == "A2:C3"


def test_the_error_report_reuses_its_column_and_reads_a_csv_back():
    """A report uploaded again keeps one error column (under the title of any language);
    a CSV comes back as a workbook of its rows, formula-like text as text."""
    data = csv_data([["Mã", "Tên hộ", "Errors"], ["A1", "'=1+1", "old message"]])
    result = Result(
        errors=[RowError(2, "Mã", "Sai mã.")], header_row=1, file_format="csv", sheet_name=""
    )
    sheet = report(data, result, error_title="Errors")
    assert [c.value for c in sheet[1]] == ["Mã", "Tên hộ", "Errors"]
    assert [c.value for c in sheet[2]] == ["A1", "=1+1", "Mã: Sai mã."]
    assert sheet["A2"].fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet["B2"].data_type == "s" and sheet["B2"].quotePrefix


def test_an_unreadable_file_gets_a_list_of_its_messages():
    sheet = report(b"", Result(errors=[RowError(0, "", ERROR_FILE_EMPTY)]))
    assert sheet.title == "Lỗi"
    assert [c.value for c in sheet[2]] == [None, None, str(ERROR_FILE_EMPTY)]


def test_the_error_report_clears_old_messages_and_streams_a_large_sheet():
    """A row without a message loses the old report's message; the report is written
    by openpyxl's write-only workbook (rows streamed, not a workbook in memory)."""
    rows = [["Mã", "Tên hộ", "Lỗi"]] + [[f"A{i}", f"Hộ {i}", "cũ"] for i in range(2, 2002)]
    data = xlsx(("Hộ", rows))
    result = Result(
        errors=[RowError(5, "Mã", "Sai mã.")], header_row=1, file_format="xlsx", sheet_name="Hộ"
    )
    sheet = report(data, result)
    assert sheet.max_row == 2001
    assert [c.value for c in sheet[5]] == ["A5", "Hộ 5", "Mã: Sai mã."]
    assert [c.value for c in sheet[6]] == ["A6", "Hộ 6", None]
    assert sheet["C5"].font.color.rgb.endswith("C00000")


def test_error_kinds_count_messages_by_template():
    from portal.spreadsheets import error_kinds

    templates = ["Mã {code} sai.", "Thiếu {what} ở {where}."]
    messages = ["Mã 1 sai.", "Mã 22 sai.", "Thiếu tên ở dòng 3.", "Lạ quá."]
    assert error_kinds(messages, templates) == [
        ("Mã … sai.", 2),
        ("Lạ quá.", 1),
        ("Thiếu … ở ….", 1),
    ]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("thu-moi.txt", "Kính gửi các đồng chí,\nĐề nghị nộp danh sách trước 15/12.\n"),
        ("bao-cao.pdf", "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"),
        ("du-lieu.json", '{"ho": [1, 2, 3]}'),
        ("danh-sach.xlsx", "%PDF-1.7\n"),
        ("ghi-chu", "Hộ Nguyễn Văn A, thôn 2\n"),
        ("danh-sach.csv", "Danh sách hộ gia đình\nkhông có cột nào\n"),
    ],
)
def test_a_text_file_that_is_not_a_table_is_not_a_spreadsheet(name, data):
    """Not "no header row found": the file itself is the problem."""
    table, errors, _notes = read(data.encode(), filename=name)
    assert table is None
    assert errors == [RowError(0, "", ERROR_NOT_SPREADSHEET.format(filename=name))]


@pytest.mark.parametrize("name", ["ho.csv", "ho.xlsx", "HO.TSV"])
def test_a_table_without_the_header_still_says_so(name):
    _table, errors, _notes = read("Mã,Tên\nA1,B\n".encode(), filename=name)
    assert errors == [RowError(0, "", NO_HEADER)]


def test_a_width_over_every_column_is_kept_on_the_used_ones_only():
    """LibreOffice writes one <col min="1" max="1024"> for the whole sheet: the report
    moves it to the sheet's used columns, not a thousand of them."""
    from portal.xlsx_layout import column_widths

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Hộ"
    sheet.append(["Mã", "Tên hộ"])
    sheet.append(["A1", "Nguyễn Văn A"])
    dimension = sheet.column_dimensions["A"]
    dimension.min, dimension.max, dimension.width = 1, 1024, 21
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    assert column_widths(data, "Hộ", columns=2) == {1: 21, 2: 21}
    assert column_widths(b"not a zip", "Hộ", columns=2) == {}
    result = Result(
        errors=[RowError(2, "Mã", "Sai mã.")], header_row=1, file_format="xlsx", sheet_name="Hộ"
    )
    report_sheet = report(data, result)
    assert report_sheet.column_dimensions["A"].width == 70  # the error column
    assert report_sheet.column_dimensions["C"].width == 21
    assert max(d.max or 0 for d in report_sheet.column_dimensions.values()) <= 3
