"""The safe-cell writer (portal/cells.py): every text a spreadsheet would run as a formula
is written as text with the quote prefix, and reads back as the very same text."""

import csv
import io

import openpyxl
import pytest
from openpyxl.cell import WriteOnlyCell

from portal.cells import FORMULA_STARTS, csv_text, csv_unquote, runs_as_formula, text_cell
from portal.spreadsheets import SheetLayout, read_table

#: One text per formula start: = + - @ tab CR.
FORMULA_TEXTS = [
    '=HYPERLINK("http://x.example","bấm")',
    "+84912345678",
    "-5",
    "@SUM(A1)",
    "\tx",
    "\rx",
]
PLAIN_TEXTS = ["Tổ 1", "'Tổ 1", "Nguyễn Văn A", "", "0912345678", "a=b"]

LAYOUT = SheetLayout(marker="Tên", columns=("Tên",), required=("Tên",), no_header="Không có")


def test_the_six_formula_starts():
    """= + - @ tab and CR are the starts guarded, and nothing else."""
    assert FORMULA_STARTS == ("=", "+", "-", "@", "\t", "\r")
    assert [text[0] for text in FORMULA_TEXTS] == list(FORMULA_STARTS)


@pytest.mark.parametrize("text", FORMULA_TEXTS)
def test_a_formula_like_csv_cell_gets_the_quote_prefix_and_loses_it_on_reading(text):
    """In CSV the text goes behind an apostrophe; reading removes it again."""
    assert runs_as_formula(text)
    assert csv_text(text) == "'" + text
    assert csv_unquote(csv_text(text)) == text


@pytest.mark.parametrize("text", PLAIN_TEXTS)
def test_other_text_is_written_and_read_as_it_is(text):
    """Text that runs as nothing is left alone both ways, an apostrophe typed by the user
    included ("'Tổ 1" stays "'Tổ 1")."""
    assert not runs_as_formula(text)
    assert csv_text(text) == text
    assert csv_unquote(text) == text


def test_csv_text_of_none_and_numbers():
    """None is an empty cell; a negative number written as a number stays a number, but
    as text it is guarded like any other text."""
    assert csv_text(None) == ""
    assert csv_text(1265) == "1265"
    assert csv_text(-5) == "'-5"


@pytest.mark.parametrize("text", FORMULA_TEXTS)
@pytest.mark.parametrize("write_only", [False, True])
def test_an_xlsx_cell_is_a_string_cell_with_the_quote_prefix_flag(text, write_only):
    """In .xlsx the value stays the text to the letter: a string cell (openpyxl would
    store "=…" as a formula) flagged with Excel's quote prefix, in a normal sheet and in
    a write-only (streamed) one."""
    workbook = openpyxl.Workbook(write_only=write_only)
    sheet = workbook.create_sheet("Danh sách") if write_only else workbook.active
    if write_only:
        sheet.append([WriteOnlyCell(sheet, value="Tên")])
        sheet.append([text_cell(WriteOnlyCell(sheet), text)])
    else:
        sheet["A1"] = "Tên"
        cell = text_cell(sheet["A2"], text)
        assert cell.data_type == "s" and cell.quotePrefix
    buffer = io.BytesIO()
    workbook.save(buffer)

    # A carriage return in a text comes back as written or as a line feed, depending on
    # the XML library openpyxl writes with (lxml escapes it; the standard library does
    # not, and XML then reads it as a line feed): either way the text is not a formula.
    stored = {text, text.replace("\r", "\n")}
    reread = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    cell = reread.worksheets[-1]["A2"]
    assert cell.data_type == "s"
    assert cell.quotePrefix
    assert cell.value in stored

    errors, notes = [], []
    table = read_table(
        buffer.getvalue(), filename="a.xlsx", layout=LAYOUT, errors=errors, notes=notes
    )
    assert errors == []
    ((row, (value,)),) = table.rows
    assert row == 2 and value in stored


def test_plain_text_gets_no_quote_prefix_but_may_keep_the_text_format():
    """A code or a phone is a text cell in the text format "@" (Excel then keeps its
    leading zero), without the quote prefix; a non-text value is set as it is."""
    sheet = openpyxl.Workbook().active
    code = text_cell(sheet["A1"], "01834", text_format=True)
    assert (code.value, code.data_type, code.number_format) == ("01834", "s", "@")
    assert not code.quotePrefix
    number = text_cell(sheet["A2"], 1975)
    assert (number.value, number.data_type) == (1975, "n")


def test_a_guarded_csv_imports_back_unchanged():
    """Every formula-like text written with csv_text reads back, through the shared
    reader, as the text that was written."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Tên"])
    for text in FORMULA_TEXTS + PLAIN_TEXTS[:3]:
        writer.writerow([csv_text(text)])
    errors, notes = [], []
    table = read_table(
        buffer.getvalue().encode("utf-8-sig"),
        filename="a.csv",
        layout=LAYOUT,
        errors=errors,
        notes=notes,
    )
    assert errors == []
    assert [cells[0] for _number, cells in table.rows] == FORMULA_TEXTS + PLAIN_TEXTS[:3]
