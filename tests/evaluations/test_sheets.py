"""The score sheet workbook: download, fill, import back. The import follows the roster
rules: everything checked first, all or nothing, errors by sheet row and column; writes
go through the rating services (two actors wherever an area matters)."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.choices import ScoreStage, Stage
from evaluations.models import Evaluation, EvaluationScore
from evaluations.scoring import ERROR_SCORE_NUMBER, ERROR_SCORE_RANGE
from evaluations.services.criteria import ERROR_NO_CRITERIA, criteria_set_create, criteria_set_issue
from evaluations.services.ratings import (
    evaluation_decide,
    evaluation_propose,
    evaluation_self_assess,
    evaluation_start,
)
from evaluations.services.scores import ERROR_MISSING_ITEMS
from evaluations.services.steps import ERROR_LOCKED, ERROR_OUTSIDE_AREA
from evaluations.sheets.download import score_sheet_workbook
from evaluations.sheets.layout import COL_STAGE, COL_SUBMIT
from evaluations.sheets.upload import (
    ERROR_DUPLICATE_UNIT,
    ERROR_GATE_VALUE,
    score_sheet_error_report,
    score_sheet_import,
)
from members.imports import COL_CODE, COL_COMMUNE, COL_UNIT, COL_VILLAGE, RowError
from tests.evaluations.conftest import FULL, GATES, GROUPS
from units.services import team_create_for_village, unit_create

pytestmark = pytest.mark.django_db

YEAR = 2026
ITEM_COLUMNS = {"1.1": "1.1 (tối đa 10)", "1.2": "1.2 (tối đa 20)", "2.1": "2.1 (tối đa 40)",
                "2.2": "2.2 (tối đa 30)"}  # fmt: skip
GATE_COLUMN = "K1: Để xảy ra điểm nóng (Có/Không)"


@pytest.fixture
def blocs(area_tree, bloc):
    """The bloc of commune A (the officer's) and of its sibling commune."""
    return {"a": bloc, "b": unit_create(kind="bloc", area=area_tree["sibling_commune"])}


def _download(user, area, subject="bloc") -> openpyxl.Workbook:
    data = score_sheet_workbook(user=user, area=area, year=YEAR, subject=subject)
    return openpyxl.load_workbook(io.BytesIO(data))


def _header(sheet) -> tuple[int, dict[str, int]]:
    for row in sheet.iter_rows():
        values = [c.value for c in row]
        if COL_CODE in values:
            return row[0].row, {v: i + 1 for i, v in enumerate(values) if v}
    raise AssertionError("no header row")


def _fill(workbook, rows: dict[str, dict]) -> bytes:
    """Set cells by unit name ("Đơn vị") and column header, return the file."""
    sheet = workbook.active
    header, columns = _header(sheet)
    for number in range(header + 1, sheet.max_row + 1):
        name = sheet.cell(number, columns[COL_UNIT]).value
        for column, value in rows.get(name, {}).items():
            sheet.cell(number, columns[column], value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row_of(workbook, unit_name) -> int:
    sheet = workbook.active
    header, columns = _header(sheet)
    for number in range(header + 1, sheet.max_row + 1):
        if sheet.cell(number, columns[COL_UNIT]).value == unit_name:
            return number
    raise AssertionError(unit_name)


def _full_row(submit=True, **overrides):
    row = {ITEM_COLUMNS[code]: score for code, score in FULL.items()}
    row[GATE_COLUMN] = "Không"
    if submit:
        row[COL_SUBMIT] = "x"
    row.update(overrides)
    return row


def _import(data, user, *, filename="phieu.xlsx", year=YEAR, subject="bloc"):
    return score_sheet_import(data, filename=filename, user=user, year=year, subject=subject)


def _scores(unit, stage=ScoreStage.SELF) -> dict:
    return {
        s.item.code: s.score
        for s in EvaluationScore.objects.filter(evaluation__unit=unit, stage=stage).select_related(
            "item"
        )
    }


def test_download_lists_the_units_with_items_gates_and_prefilled_scores(
    area_tree, blocs, bloc_criteria, officer, province_staff
):
    """Header: the fixed columns, one per item with its maximum, one per gate, "Gửi";
    one row per visible unit; the editable stage's scores as numbers; a decimal
    validation on each item column."""
    evaluation = evaluation_start(acting_user=officer, unit=blocs["a"], year=YEAR)
    evaluation_self_assess(
        acting_user=officer, evaluation=evaluation, scores={"1.1": "7,5"}, gates={}
    )
    workbook = _download(province_staff, area_tree["district"])
    sheet = workbook.active
    header, columns = _header(sheet)
    assert list(columns) == [
        COL_CODE, COL_COMMUNE, COL_VILLAGE, COL_UNIT, COL_STAGE,
        *ITEM_COLUMNS.values(), GATE_COLUMN, COL_SUBMIT,
    ]  # fmt: skip
    assert sheet.max_row == header + 2
    row = _row_of(workbook, blocs["a"].name)
    assert sheet.cell(row, 1).value == "01834"
    assert sheet.cell(row, columns[COL_STAGE]).value == str(Stage.SELF.label)
    assert sheet.cell(row, columns[ITEM_COLUMNS["1.1"]]).value == 7.5
    validations = {v.formula2 for v in sheet.data_validations.dataValidation}
    assert {"10", "20", "40", "30"} <= validations
    # The commune officer sees only the bloc of their own commune.
    officer_sheet = _download(officer, area_tree["district"]).active
    assert officer_sheet.max_row == _header(officer_sheet)[0] + 1


def test_round_trip_submits_and_reimport_changes_nothing(area_tree, blocs, bloc_criteria, officer):
    """Filled scores are stored as the self-assessment; "Gửi" submits with total and
    level computed; importing the same file again changes nothing."""
    workbook = _download(officer, area_tree["commune"])
    data = _fill(workbook, {blocs["a"].name: _full_row(**{ITEM_COLUMNS["2.2"]: 25.5})})
    result = _import(data, officer)
    assert result.errors == []
    assert (result.rows, result.changed, result.submitted) == (1, 1, 1)
    evaluation = Evaluation.objects.get(unit=blocs["a"], year=YEAR)
    assert evaluation.stage == Stage.PROPOSAL
    assert evaluation.self_total == Decimal("95.5")
    assert evaluation.self_level == 1
    assert _scores(blocs["a"])["2.2"] == Decimal("25.5")
    updated = evaluation.updated_at

    again = _import(data, officer)
    assert again.errors == []
    assert (again.changed, again.submitted, again.skipped) == (0, 0, 1)
    evaluation.refresh_from_db()
    assert evaluation.updated_at == updated
    assert evaluation.stage == Stage.PROPOSAL


def test_proposal_stage_rows_are_saved_as_the_proposal(area_tree, blocs, bloc_criteria, officer):
    """A rating waiting for the commune's proposal is prefilled with the unit's scores;
    a changed score is stored as the proposal, and "Gửi" sends it up for decision."""
    evaluation = evaluation_start(acting_user=officer, unit=blocs["a"], year=YEAR)
    evaluation_self_assess(
        acting_user=officer, evaluation=evaluation, scores=FULL, gates={"K1": False}, submit=True
    )
    workbook = _download(officer, area_tree["commune"])
    row = _row_of(workbook, blocs["a"].name)
    _h, columns = _header(workbook.active)
    assert workbook.active.cell(row, columns[ITEM_COLUMNS["2.1"]]).value == 40
    data = _fill(workbook, {blocs["a"].name: {ITEM_COLUMNS["2.1"]: 30, COL_SUBMIT: "x"}})
    result = _import(data, officer)
    assert result.errors == []
    evaluation.refresh_from_db()
    assert evaluation.stage == Stage.DECISION
    assert evaluation.proposed_total == Decimal("90")
    assert _scores(blocs["a"], ScoreStage.PROPOSAL)["2.1"] == Decimal("30")
    assert _scores(blocs["a"], ScoreStage.SELF)["2.1"] == Decimal("40")


def test_out_of_range_score_names_row_and_column_and_writes_nothing(
    area_tree, blocs, bloc_criteria, province_staff
):
    """One bad cell: every row is refused, the valid ones too."""
    workbook = _download(province_staff, area_tree["district"])
    row_b = _row_of(workbook, blocs["b"].name)
    row_a = _row_of(workbook, blocs["a"].name)
    data = _fill(
        workbook,
        {
            blocs["a"].name: _full_row(),
            blocs["b"].name: _full_row(**{ITEM_COLUMNS["1.2"]: 21, ITEM_COLUMNS["2.1"]: -1}),
        },
    )
    result = _import(data, province_staff)
    assert result.errors == [
        RowError(row_b, ITEM_COLUMNS["1.2"], ERROR_SCORE_RANGE.format(code="1.2", max="20")),
        RowError(row_b, ITEM_COLUMNS["2.1"], ERROR_SCORE_RANGE.format(code="2.1", max="40")),
    ]
    assert row_a != row_b
    assert not result.written
    assert not Evaluation.objects.exists()
    assert not EvaluationScore.objects.exists()
    # The error report writes the messages next to the row.
    report = openpyxl.load_workbook(io.BytesIO(score_sheet_error_report(data, result=result)))
    header, _columns = _header(report.active)
    last = 1  # the error column comes first
    assert report.active.cell(header, last).value == "Lỗi"
    assert report.active.cell(row_b, last).value.startswith(f"{ITEM_COLUMNS['1.2']}: ")
    assert report.active.cell(row_a, last).value is None


def test_bad_values_gate_submit_and_duplicates(area_tree, blocs, bloc_criteria, officer):
    """Text where a number goes, a gate answer other than Có/Không/x, "Gửi" with items
    missing and the same unit twice are each an error on their row and column."""
    code = "01834"
    rows = [
        [COL_CODE, COL_COMMUNE, COL_VILLAGE, COL_UNIT, *ITEM_COLUMNS.values(), GATE_COLUMN,
         COL_SUBMIT],
        [code, "", "", "", "mười", "", "", "", "Chắc là không", ""],
        [code, "", "", "", "10", "20", "", "", "Không", "x"],
    ]  # fmt: skip
    result = _import(_csv(rows), officer, filename="phieu.csv")
    assert result.errors == [
        RowError(2, ITEM_COLUMNS["1.1"], ERROR_SCORE_NUMBER.format(code="1.1")),
        RowError(2, GATE_COLUMN, ERROR_GATE_VALUE.format(code="K1", value="Chắc là không")),
        RowError(3, COL_CODE, ERROR_DUPLICATE_UNIT.format(unit=blocs["a"].name, row=2)),
    ]
    rows[1] = [code, "", "", "", "10", "20", "", "", "Không", "x"]
    rows.pop()
    result = _import(_csv(rows), officer, filename="phieu.csv")
    assert result.errors == [
        RowError(2, COL_SUBMIT, ERROR_MISSING_ITEMS.format(codes="2.1, 2.2")),
    ]
    assert not Evaluation.objects.exists()


def _csv(rows, delimiter=",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode()


def test_csv_with_semicolons_and_leading_zeros_restored(area_tree, blocs, bloc_criteria, officer):
    """A CSV (Excel's semicolon flavour) works too; "1834" is commune 01834."""
    rows = [
        [COL_CODE, *ITEM_COLUMNS.values(), GATE_COLUMN, COL_SUBMIT],
        ["1834", "10", "20", "7,5", "30", "x", "x"],
    ]
    result = _import(_csv(rows, ";"), officer, filename="phieu.csv")
    assert result.errors == []
    evaluation = Evaluation.objects.get(unit=blocs["a"])
    assert evaluation.self_total == Decimal("67.5")
    assert evaluation.self_level == 3  # K1 answered yes caps the level at 3 anyway


def test_unknown_commune_and_other_commune_outside_the_area(
    area_tree, blocs, bloc_criteria, officer, sibling_officer
):
    """Officer A cannot score commune B's bloc (and B cannot score A's); an unknown code
    is an error on "Mã xã"; nothing is written."""
    header = [COL_CODE, *ITEM_COLUMNS.values()]
    data = _csv([header, ["01834", "10"], ["01837", "10"], ["99999", "10"]])
    result = _import(data, officer, filename="phieu.csv")
    assert [(e.row, e.column) for e in result.errors] == [(3, COL_CODE), (4, COL_CODE)]
    assert result.errors[0].message == ERROR_OUTSIDE_AREA
    assert "99999" in result.errors[1].message
    result_b = _import(_csv([header, ["01834", "10"]]), sibling_officer, filename="b.csv")
    assert result_b.errors == [RowError(2, COL_CODE, ERROR_OUTSIDE_AREA)]
    assert not Evaluation.objects.exists()
    # Each officer's own commune goes through.
    assert _import(_csv([header, ["01837", "10"]]), sibling_officer, filename="b.csv").changed == 1


def test_locked_rating_is_an_error_unless_left_as_it_is(
    area_tree, blocs, bloc_criteria, officer, province_staff
):
    """A decided rating comes down marked as locked; left alone it is skipped, changed
    it is an error and nothing is written."""
    evaluation = evaluation_start(acting_user=officer, unit=blocs["a"], year=YEAR)
    evaluation_self_assess(
        acting_user=officer, evaluation=evaluation, scores=FULL, gates={"K1": False}, submit=True
    )
    evaluation_propose(acting_user=officer, evaluation=evaluation, submit=True)
    evaluation_decide(acting_user=province_staff, evaluation=evaluation)
    workbook = _download(province_staff, area_tree["district"])
    row = _row_of(workbook, blocs["a"].name)
    _h, columns = _header(workbook.active)
    assert workbook.active.cell(row, columns[COL_STAGE]).value.endswith("(đã khóa)")
    untouched = _fill(workbook, {blocs["b"].name: _full_row(submit=False)})
    assert _import(untouched, province_staff).errors == []
    changed = _fill(workbook, {blocs["a"].name: {ITEM_COLUMNS["1.1"]: 5}})
    Evaluation.objects.filter(unit=blocs["b"]).delete()
    result = _import(changed, province_staff)
    assert result.errors == [RowError(row, "", ERROR_LOCKED)]
    assert not Evaluation.objects.filter(unit=blocs["b"]).exists()


def test_year_without_criteria_is_a_whole_file_error(area_tree, blocs, bloc_criteria, officer):
    workbook = _download(officer, area_tree["commune"])
    data = _fill(workbook, {blocs["a"].name: _full_row()})
    result = _import(data, officer, year=YEAR + 1)
    assert result.errors == [
        RowError(
            0,
            "",
            ERROR_NO_CRITERIA.format(
                period=f"năm {YEAR + 1}", subject="khối dân vận", province="Tỉnh Bắc Kạn"
            ),
        )
    ]
    assert not Evaluation.objects.exists()


def test_unreadable_file_is_a_whole_file_error(officer, bloc_criteria):
    result = _import(b"", officer)
    assert result.errors and result.errors[0].row == 0


@pytest.fixture
def team_criteria(area_tree, province_staff):
    criteria = criteria_set_create(
        acting_user=province_staff,
        province=area_tree["province"],
        year=YEAR,
        subject="team",
        title="Tiêu chí Tổ dân vận 2026",
        groups=GROUPS,
        gates=GATES,
    )
    return criteria_set_issue(acting_user=province_staff, criteria_set=criteria)


def _teams(area_tree, officer, numbers):
    for number in numbers:
        team = team_create_for_village(commune=area_tree["commune"], village_name=f"Tổ {number}")
        if number % 2:
            evaluation = evaluation_start(acting_user=officer, unit=team, year=YEAR)
            evaluation_self_assess(
                acting_user=officer, evaluation=evaluation, scores={"1.1": 5}, gates={"K1": True}
            )


def _download_queries(user, area) -> int:
    user = type(user).objects.get(pk=user.pk)  # no scope cached on the object
    with CaptureQueriesContext(connection) as queries:
        data = score_sheet_workbook(user=user, area=area, year=YEAR, subject="team")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return len(queries), sheet.max_row - _header(sheet)[0]


def test_download_query_count_does_not_grow(area_tree, team_criteria, officer):
    """The same number of queries for 3 and 10 teams (no query per row)."""
    _teams(area_tree, officer, range(3))
    few, rows = _download_queries(officer, area_tree["commune"])
    assert rows == 3
    _teams(area_tree, officer, range(3, 10))
    many, rows = _download_queries(officer, area_tree["commune"])
    assert rows == 10
    assert few == many <= 10


def test_team_rows_match_by_village(area_tree, team_criteria, officer):
    """Teams are matched by commune code + village name, ignoring case and accents."""
    team = team_create_for_village(commune=area_tree["commune"], village_name="Tổ 7")
    rows = [
        [COL_CODE, COL_VILLAGE, ITEM_COLUMNS["1.1"]],
        ["01834", "to 7", "9"],
        ["01834", "Tổ 99", "9"],
    ]
    result = _import(_csv(rows), officer, filename="t.csv", subject="team")
    assert [(e.row, e.column) for e in result.errors] == [(3, COL_VILLAGE)]
    rows.pop()
    assert _import(_csv(rows), officer, filename="t.csv", subject="team").changed == 1
    assert _scores(team) == {"1.1": Decimal("9")}


# --- The pages ---------------------------------------------------------------------------


def test_pages_download_and_upload_over_http(client, area_tree, blocs, bloc_criteria, officer):
    """The overview links to the page; the officer downloads the own commune's sheet
    (another commune's code answers 404), uploads it filled, and an upload with an
    error lists it by row and column and offers the error report; nothing is written."""
    from django.urls import reverse

    client.force_login(officer)
    overview = client.get(reverse("evaluations:overview"), {"year": YEAR})
    assert reverse("evaluations:sheet_upload") in overview.content.decode()
    page = client.get(reverse("evaluations:sheet_upload"))
    assert page.status_code == 200
    url = reverse("evaluations:sheet_download")
    assert client.get(url, {"area": "01837", "year": YEAR, "subject": "bloc"}).status_code == 404
    response = client.get(url, {"year": YEAR, "subject": "bloc"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    row = _row_of(workbook, blocs["a"].name)

    bad = _fill(workbook, {blocs["a"].name: _full_row(**{ITEM_COLUMNS["1.1"]: 11})})
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = reverse("evaluations:sheet_upload")
    response = client.post(
        upload,
        {"file": SimpleUploadedFile("phieu.xlsx", bad), "year": YEAR, "subject": "bloc"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert f"Dòng {row}" in text and ITEM_COLUMNS["1.1"] in text
    assert ERROR_SCORE_RANGE.format(code="1.1", max="10") in text
    assert not Evaluation.objects.exists()
    report = client.get(reverse("evaluations:sheet_errors"))
    assert report.status_code == 200

    good = _fill(workbook, {blocs["a"].name: _full_row()})
    response = client.post(
        upload,
        {"file": SimpleUploadedFile("phieu.xlsx", good), "year": YEAR, "subject": "bloc"},
    )
    assert response.status_code == 302
    assert Evaluation.objects.get(unit=blocs["a"]).stage == Stage.PROPOSAL


def test_pages_are_for_rating_staff_only(client, area_tree, bloc_criteria):
    """Anonymous visitors go to the login page; a news editor gets 403."""
    from django.urls import reverse

    from accounts.choices import StaffRole
    from tests.factories import make_staff

    url = reverse("evaluations:sheet_upload")
    assert client.get(url).status_code == 302
    client.force_login(make_staff(StaffRole.NEWS_EDITOR, username="bao"))
    assert client.get(url).status_code == 403
    assert client.get(reverse("evaluations:sheet_download")).status_code == 403
    assert client.get(reverse("evaluations:sheet_errors")).status_code == 403
