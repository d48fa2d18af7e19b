"""Roster exports and the template (members.workbooks): the contract layout, round trips
through the import, formula-like cells written as text, dropdown lists."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from python_calamine import CalamineWorkbook

from members.choices import ETHNIC_GROUPS
from members.imports import COLUMNS, roster_import
from members.models import Membership, Person
from members.services import membership_add, membership_end
from members.workbooks import (
    ERROR_EXPORT_FORMAT,
    LISTS_SHEET_TITLE,
    roster_export,
    roster_template_workbook,
)
from tests.members.conftest import (
    BLOC_ROW,
    SAMPLES,
    TEAM_ROW,
    csv_bytes,
    team_rows,
    xlsx_bytes,
)
from units.models import Unit

pytestmark = pytest.mark.django_db


def sheet_rows(data: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, so that Excel reads UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_exported_roster_imports_back_unchanged(fmt, thai_nguyen):
    sample = (SAMPLES / "roster_thai_nguyen_2025.xlsx").read_bytes()
    assert roster_import(sample, filename="tn.xlsx").created == 50
    exported = roster_export(Membership.objects.all(), fmt=fmt)
    plan = roster_import(exported, filename=f"export.{fmt}")
    assert plan.errors == []
    assert (plan.created, plan.updated, plan.unchanged) == (0, 0, 50)


def test_export_writes_the_contract_layout_with_typed_cells(thai_nguyen):
    roster_import(xlsx_bytes([BLOC_ROW, TEAM_ROW]), filename="a.xlsx")
    rows = sheet_rows(roster_export(Membership.objects.all(), fmt="xlsx"))
    assert rows[0] == list(COLUMNS)
    # A commune's bloc comes before its villages' teams.
    assert rows[1] == [
        "01843", "Phường Bắc Kạn", "", "Khối dân vận", "Lục Thị Khối", "Nữ", 1980.0, "Tày",
        "Có", "Phó Bí thư Đảng ủy", "Trưởng khối", "0987654321", datetime.date(2024, 1, 15), "",
    ]  # fmt: skip
    assert rows[2][:5] == ["01843", "Phường Bắc Kạn", "Tổ 1", "Tổ dân vận", "Hoàng Văn Thử"]
    assert rows[2][10] == "Tổ trưởng"

    lines = csv_rows(roster_export(Membership.objects.all(), fmt="csv"))
    assert lines[0] == list(COLUMNS)
    assert lines[1][0] == "01843"
    assert lines[1][6] == "1980"
    assert lines[1][12] == "15/01/2024"


def test_a_member_who_left_and_came_back_round_trips(thai_nguyen):
    """History rows (an ended seat and a new one in the same unit) are not duplicates:
    the export holds both and imports back unchanged."""
    roster_import(xlsx_bytes([TEAM_ROW]), filename="a.xlsx")
    first = Membership.objects.get()
    membership_end(membership=first, end_date=datetime.date(2024, 6, 30))
    membership_add(
        unit=first.unit,
        person=first.person,
        role="member",
        start_date=datetime.date(2025, 2, 1),
    )
    for fmt in ("xlsx", "csv"):
        exported = roster_export(Membership.objects.all(), fmt=fmt)
        plan = roster_import(exported, filename=f"export.{fmt}")
        assert plan.errors == []
        assert (plan.created, plan.updated, plan.unchanged) == (0, 0, 2)
    assert Membership.objects.count() == 2


def test_formula_like_cells_are_written_as_text(thai_nguyen):
    positions = ['=HYPERLINK("http://x")', "+84 trưởng thôn", "-Công an viên", "@Trưởng"]
    rows = [{**r, "Chức vụ": position} for r, position in zip(team_rows(4), positions, strict=True)]
    # Read from a CSV: text there is text, even "=..." (an .xlsx would hold a formula).
    assert roster_import(csv_bytes(rows), filename="a.csv").created == 4
    queryset = Membership.objects.all()

    sheet = openpyxl.load_workbook(io.BytesIO(roster_export(queryset, fmt="xlsx"))).active
    cells = {sheet.cell(r, 10).value: sheet.cell(r, 10) for r in range(2, 6)}
    assert set(cells) == set(positions)
    for cell in cells.values():
        assert cell.data_type == "s"
        assert cell.quotePrefix
    lines = csv_rows(roster_export(queryset, fmt="csv"))
    assert sorted(line[9] for line in lines[1:]) == sorted("'" + p for p in positions)

    for fmt in ("xlsx", "csv"):
        plan = roster_import(roster_export(queryset, fmt=fmt), filename=f"a.{fmt}")
        assert plan.unchanged == 4, plan.errors
    assert sorted(Person.objects.values_list("position", flat=True)) == sorted(positions)


def test_export_queries_do_not_grow_with_the_rows(thai_nguyen):
    roster_import(xlsx_bytes(team_rows(3)), filename="a.xlsx")
    with CaptureQueriesContext(connection) as few:
        roster_export(Membership.objects.all(), fmt="xlsx")
    roster_import(xlsx_bytes(team_rows(40, villages=4)), filename="b.xlsx")
    with CaptureQueriesContext(connection) as many:
        exported = roster_export(Membership.objects.all(), fmt="csv")
    assert len(csv_rows(exported)) > 40
    assert len(few) == len(many) == 1


def test_an_unknown_export_format_is_refused():
    with pytest.raises(ValueError, match=str(ERROR_EXPORT_FORMAT)):
        roster_export(Membership.objects.none(), fmt="pdf")


def test_template_has_header_sample_row_and_dropdown_lists():
    workbook = openpyxl.load_workbook(io.BytesIO(roster_template_workbook()))
    sheet = workbook.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[:5] == ["Mã xã (*)", "Xã", "Thôn/Tổ dân phố", "Đơn vị (*)", "Họ và tên (*)"]
    assert len(headers) == len(COLUMNS)
    assert sheet.cell(2, 1).value == "01864"
    assert sheet.cell(2, 5).value == "Hoàng Văn Pục"

    by_column = {}
    for validation in sheet.data_validations.dataValidation:
        letter = str(validation.sqref).split(":")[0].rstrip("0123456789")
        by_column[sheet[f"{letter}1"].value] = validation
    assert set(by_column) == {"Đơn vị (*)", "Vai trò", "Giới tính", "Dân tộc", "Đảng viên"}
    assert all(v.type == "list" for v in by_column.values())
    assert by_column["Đơn vị (*)"].formula1 == '"Khối dân vận,Tổ dân vận,Tổ dân vận cộng đồng"'
    assert by_column["Vai trò"].formula1 == '"Trưởng khối,Phó khối,Tổ trưởng,Tổ phó,Thành viên"'
    assert by_column["Giới tính"].formula1 == '"Nam,Nữ"'
    assert by_column["Đảng viên"].formula1 == '"Có,Không"'
    assert by_column["Dân tộc"].formula1 == f"'{LISTS_SHEET_TITLE}'!$A$1:$A$54"

    lists = workbook[LISTS_SHEET_TITLE]
    assert lists.sheet_state == "hidden"
    assert [lists.cell(r, 1).value for r in range(1, 55)] == ETHNIC_GROUPS


def test_the_filled_template_imports(thai_nguyen):
    """The "(*)" marks, the hidden list sheet and the sample row (a commune of Thái
    Nguyên, 2025) import as they are."""
    plan = roster_import(roster_template_workbook(), filename="mau.xlsx")
    assert plan.errors == []
    assert plan.notes == []
    assert plan.created == 1
    assert Unit.objects.get().name == "Tổ dân vận Thôn Nà Pục"
