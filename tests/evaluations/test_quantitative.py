"""Criteria scored from the record (issue 14): quantitative items counted from the
rated unit's activities and opinions over the rating's period and mapped to points by
thresholds; the self-assessment prefilled with them and overridden only with a
reason, which the next steps see; the hot-spot gate answered from the record; the
Excel score sheet round trip; bounded queries for many units.

Records are written straight to their tables (dates fixed in 2026, never "today"),
a handful per test."""

import datetime
import io
import random
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.choices import Measure, ScoreStage, Stage
from evaluations.forms.criteria import ItemForm
from evaluations.measures import unit_records
from evaluations.models import CriterionItem, EvaluationScore, EvaluationStep, GateAnswer
from evaluations.services.criteria import (
    ERROR_MEMBER_QUANTITATIVE,
    criteria_items,
    criteria_set_copy,
    criteria_set_create,
    criteria_set_issue,
    criteria_set_new_version,
)
from evaluations.services.ratings import (
    evaluation_decide,
    evaluation_propose,
    evaluation_self_assess,
    evaluation_start,
)
from evaluations.services.scores import ERROR_OVERRIDE_REASON
from evaluations.sheets.download import score_sheet_workbook
from evaluations.sheets.layout import COL_REASON, COL_SUBMIT, COL_UNIT, record_header
from evaluations.sheets.upload import score_sheet_import
from evaluations.thresholds import (
    ERROR_ORDER,
    ERROR_POINTS,
    ERROR_REQUIRED,
    parse_thresholds,
    points_for,
)
from tests.evaluations.test_criteria_editor import page_fields
from tests.evaluations.test_sheets import _fill, _header
from units.services import team_create_for_village
from work.choices import ActivityKind, OpinionStatus, Severity
from work.models import Activity, Opinion

pytestmark = pytest.mark.django_db

YEAR, PERIOD = 2026, "Q2"  # 01/04/2026 – 30/06/2026
IN, BEFORE, AFTER = (
    datetime.date(2026, 5, 10),
    datetime.date(2026, 3, 31),
    datetime.date(2026, 7, 1),
)

GROUPS = [
    {
        "code": "1",
        "title": "Kết quả hoạt động",
        "items": [
            {
                "code": "1.1",
                "text": "Số buổi tuyên truyền trong quý",
                "max_score": 10,
                "measure": Measure.ACTIVITIES,
                "activity_kind": ActivityKind.PROPAGANDA,
                "thresholds": "3: 10; 2: 5",
            },
            {"code": "1.2", "text": "Phối hợp với các đoàn thể", "max_score": 20},
        ],
    }
]
GATES = [
    {"code": "K1", "question": "Để xảy ra điểm nóng", "cap_level": 3, "automatic": "hot_spot"},
]
SCALE_FULL = {"1.1": "10", "1.2": "20"}


@pytest.fixture
def quarter_set(area_tree, province_staff):
    criteria = criteria_set_create(
        acting_user=province_staff,
        province=area_tree["province"],
        year=YEAR,
        period=PERIOD,
        subject="bloc",
        title="Tiêu chí Khối dân vận quý 2/2026",
        groups=GROUPS,
        gates=GATES,
        scale=[(1, "Xuất sắc", 28), (2, "Tốt", 20), (3, "Hoàn thành", 10), (4, "Không", 0)],
    )
    return criteria_set_issue(acting_user=province_staff, criteria_set=criteria)


def _activities(unit, *days, kind=ActivityKind.PROPAGANDA, participants=5, reached=20):
    Activity.objects.bulk_create(
        Activity(
            unit=unit,
            area_path=unit.area_path,
            kind=kind,
            date=day,
            participants=participants,
            people_reached=reached,
            work_days=3 if kind == ActivityKind.WORK_DAYS else None,
        )
        for day in days
    )


def _opinion(unit, received, *, answered=None, due_days=15, hot_spot=None):
    return Opinion.objects.create(
        unit=unit,
        received_on=received,
        channel="phone",
        topic="land",
        summary="Kiến nghị sửa đường",
        status=OpinionStatus.ANSWERED if answered else OpinionStatus.NEW,
        answered_on=answered,
        due_on=received + datetime.timedelta(days=due_days),
        hot_spot_severity=Severity.choices[0][0] if hot_spot else "",
        hot_spot_since=hot_spot,
    )


# --- Thresholds ---------------------------------------------------------------------------


def test_thresholds_map_counts_to_points_and_are_checked():
    pairs = parse_thresholds("6: 5; ≥12: 10", max_score=10)
    assert pairs == [(12, Decimal(10)), (6, Decimal(5))]
    assert [points_for(pairs, n) for n in (13, 12, 11, 6, 5, 0)] == [10, 10, 5, 5, 0, 0]
    with pytest.raises(ValidationError) as above_max:
        parse_thresholds("12: 15", max_score=10)
    assert above_max.value.messages == [str(ERROR_POINTS.format(part="12: 15", max="10"))]
    with pytest.raises(ValidationError) as unordered:
        parse_thresholds("12: 5; 6: 7,5", max_score=10)
    assert unordered.value.messages == [str(ERROR_ORDER.format(high="12: 5", low="6: 7,5"))]
    for bad in ("12; 6: 5", "0: 5", "6: 5; 6: 4", "x: 1"):
        with pytest.raises(ValidationError):
            parse_thresholds(bad, max_score=10)


def test_item_rule_in_the_model_and_the_editor_row():
    item = CriterionItem(max_score=Decimal(10), measure=Measure.ACTIVITIES, thresholds="")
    with pytest.raises(ValidationError) as missing:
        item.clean()
    assert missing.value.message_dict["thresholds"] == [str(ERROR_REQUIRED)]
    opinions_with_kind = CriterionItem(
        max_score=Decimal(10),
        measure=Measure.OPINIONS_RECEIVED,
        activity_kind=ActivityKind.MEETING,
        thresholds="5: 10",
    )
    with pytest.raises(ValidationError) as kind:
        opinions_with_kind.clean()
    assert "activity_kind" in kind.value.message_dict
    row = {"group": "1", "code": "1.1", "text": "Buổi tuyên truyền", "max_score": "10"}
    form = ItemForm(
        data={**row, "measure": "activities", "thresholds": "12: 12"}, empty_permitted=False
    )
    assert not form.is_valid()
    assert form.errors["thresholds"] == [str(ERROR_POINTS.format(part="12: 12", max="10"))]
    form = ItemForm(
        data={**row, "measure": "activities", "thresholds": "6:5;12:10"}, empty_permitted=False
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["thresholds"] == "12: 10; 6: 5"


def test_the_criteria_editor_sets_a_quantitative_item_and_an_automatic_gate(
    client, bloc_criteria, province_staff
):
    """The page's own fields posted back with item 1.1 counting meetings and K1
    answered from the record; a threshold above the maximum is refused beside its row
    and changes nothing."""
    client.force_login(province_staff)
    url = reverse("evaluations:criteria_update", args=[bloc_criteria.pk])
    data = page_fields(client, url)
    assert data["items-0-code"] == "1.1" and data["gates-0-code"] == "K1"
    refused = client.post(
        url, {**data, "items-0-measure": "activities", "items-0-thresholds": "12: 15"}
    )
    assert str(ERROR_POINTS.format(part="12: 15", max="10")) in refused.content.decode()
    assert not CriterionItem.objects.exclude(measure="").exists()
    data.update(
        {
            "items-0-measure": "activities",
            "items-0-activity_kind": "meeting",
            "items-0-thresholds": "6:5; 12:10",
            "gates-0-automatic": "hot_spot",
        }
    )
    assert client.post(url, data).status_code == 302
    item = next(i for i in criteria_items(bloc_criteria) if i.code == "1.1")
    assert (item.measure, item.activity_kind, item.thresholds) == (
        "activities",
        "meeting",
        "12: 10; 6: 5",
    )
    assert bloc_criteria.gates.get().automatic == "hot_spot"
    shown = page_fields(client, url)
    assert (shown["items-0-thresholds"], shown["gates-0-automatic"]) == ("12: 10; 6: 5", "hot_spot")


def test_copy_and_new_version_keep_quantitative_fields(quarter_set, province_staff):
    copy = criteria_set_copy(acting_user=province_staff, source=quarter_set, year=2027)
    version = criteria_set_new_version(acting_user=province_staff, source=quarter_set)
    for target in (copy, version):
        item = next(i for i in criteria_items(target) if i.code == "1.1")
        assert (item.measure, item.activity_kind, item.thresholds) == (
            Measure.ACTIVITIES,
            ActivityKind.PROPAGANDA,
            "3: 10; 2: 5",
        )
        assert target.gates.get().automatic == "hot_spot"
    assert copy.period == PERIOD and copy.year == 2027


def test_member_sets_take_no_quantitative_item(area_tree, province_staff):
    with pytest.raises(ValidationError) as refused:
        criteria_set_create(
            acting_user=province_staff,
            province=area_tree["province"],
            year=YEAR,
            subject="member",
            title="Thành viên",
            groups=GROUPS,
        )
    assert refused.value.messages == [str(ERROR_MEMBER_QUANTITATIVE)]


# --- Counting -----------------------------------------------------------------------------


def test_counts_equal_a_straight_count_in_two_queries(area_tree, bloc, province_staff):
    """Random records of three units over the year: every measure of every unit equals
    a count in Python over the period, and all units take the same two queries as one."""
    rng = random.Random(14)
    units = [
        bloc,
        team_create_for_village(commune=area_tree["commune"], village_name="Tổ 1"),
        team_create_for_village(commune=area_tree["commune"], village_name="Tổ 2"),
    ]
    for unit in units:
        for _ in range(12):
            day = datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randint(0, 300))
            _activities(
                unit,
                day,
                kind=rng.choice(list(ActivityKind)),
                participants=rng.randint(0, 9),
                reached=rng.randint(0, 50),
            )
        for _ in range(8):
            received = datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randint(0, 250))
            answered = received + datetime.timedelta(days=rng.randint(0, 30))
            hot = received + datetime.timedelta(days=rng.randint(0, 40))
            _opinion(
                unit,
                received,
                answered=answered if rng.random() < 0.7 else None,
                hot_spot=hot if rng.random() < 0.3 else None,
            )
    items = [
        CriterionItem(pk=1, code="a", measure=Measure.ACTIVITIES, thresholds="1: 1"),
        CriterionItem(
            pk=2, code="m", measure=Measure.ACTIVITIES, activity_kind="meeting", thresholds="1: 1"
        ),
        CriterionItem(pk=3, code="p", measure=Measure.PARTICIPANTS, thresholds="1: 1"),
        CriterionItem(pk=4, code="r", measure=Measure.PEOPLE_REACHED, thresholds="1: 1"),
        CriterionItem(pk=5, code="o", measure=Measure.OPINIONS_ON_TIME, thresholds="1: 1"),
        CriterionItem(pk=6, code="n", measure=Measure.OPINIONS_RECEIVED, thresholds="1: 1"),
        CriterionItem(pk=7, code="h", measure=Measure.HOT_SPOTS, thresholds="1: 1"),
    ]
    for item in items:
        item.max_score = Decimal(1)
    first, last = datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)

    def inside(day):
        return day is not None and first <= day <= last

    with CaptureQueriesContext(connection) as many:
        records = unit_records([u.pk for u in units], items, [], year=YEAR, period=PERIOD)
    with CaptureQueriesContext(connection) as one:
        unit_records([units[0].pk], items, [], year=YEAR, period=PERIOD)
    assert len(many) == len(one) == 2
    for unit in units:
        acts = [a for a in Activity.objects.filter(unit=unit) if inside(a.date)]
        ops = list(Opinion.objects.filter(unit=unit))
        expected = {
            "a": len(acts),
            "m": sum(1 for a in acts if a.kind == "meeting"),
            "p": sum(a.participants for a in acts),
            "r": sum(a.people_reached for a in acts),
            "o": sum(1 for o in ops if inside(o.answered_on) and o.answered_on <= o.due_on),
            "n": sum(1 for o in ops if inside(o.received_on)),
            "h": sum(1 for o in ops if inside(o.hot_spot_since)),
        }
        got = {code: reading.count for code, reading in records[unit.pk].items.items()}
        assert got == expected
        assert expected["a"] > 0


# --- Self-assessment and the next steps -------------------------------------------------------


def _sheet_url(unit):
    return reverse("evaluations:sheet", args=[unit.pk, YEAR]) + f"?period={PERIOD}"


def _post_data(form_page, **values):
    """The sheet's fields as the page rendered them (names from the form), with
    ``values`` (score_/reason_ by item code) changed."""
    form = form_page.context["form"]
    data = {}
    for row in form.sheet.items:
        data[f"score_{row.item.pk}"] = form[f"score_{row.item.pk}"].value()
        if f"reason_{row.item.pk}" in form.fields:
            data[f"reason_{row.item.pk}"] = form[f"reason_{row.item.pk}"].value()
        code = row.item.code
        if f"score {code}" in values:
            data[f"score_{row.item.pk}"] = values[f"score {code}"]
        if f"reason {code}" in values:
            data[f"reason_{row.item.pk}"] = values[f"reason {code}"]
    return data


def test_sheet_prefills_the_computed_score_and_an_override_needs_a_reason(
    client, bloc, quarter_set, officer, province_staff
):
    _activities(bloc, IN, IN, BEFORE, AFTER)  # two in the quarter: 5 points
    _activities(bloc, IN, kind=ActivityKind.MEETING)  # another kind: not counted
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=YEAR, period=PERIOD)
    client.force_login(officer)
    page = client.get(_sheet_url(bloc))
    html = page.content.decode()
    assert 'data-testid="record-count">2<' in html
    assert 'data-testid="record-points">5<' in html
    assert (
        reverse(
            "work:activity_detail",
            args=[Activity.objects.filter(date=IN, kind="propaganda").first().pk],
        )
        in html
    )
    item = criteria_items(quarter_set)[0]
    assert page.context["form"][f"score_{item.pk}"].value() == "5"

    refused = client.post(
        _sheet_url(bloc),
        {**_post_data(page, **{"score 1.1": "8", "score 1.2": "20"}), "submit": "1"},
    )
    message = str(ERROR_OVERRIDE_REASON.format(code="1.1", computed="5"))
    assert message in refused.content.decode()
    assert not EvaluationScore.objects.filter(evaluation=evaluation).exists()

    reason = "Thêm 3 buổi tuyên truyền lưu động chưa nhập sổ"
    sent = client.post(
        _sheet_url(bloc),
        {
            **_post_data(page, **{"score 1.1": "8", "score 1.2": "20", "reason 1.1": reason}),
            "submit": "1",
        },
    )
    assert sent.status_code == 302
    stored = EvaluationScore.objects.get(evaluation=evaluation, item=item, stage=ScoreStage.SELF)
    assert (stored.score, stored.count, stored.computed, stored.override_reason) == (
        Decimal(8),
        2,
        Decimal(5),
        reason,
    )
    other = EvaluationScore.objects.get(
        evaluation=evaluation, stage=ScoreStage.SELF, item__code="1.2"
    )
    assert (other.computed, other.override_reason) == (None, "")

    # The next steps see it: the proposal, the decision and the history pages.
    evaluation.refresh_from_db()
    assert evaluation.stage == Stage.PROPOSAL
    for name in ("evaluations:proposal", "evaluations:history"):
        assert reason in client.get(reverse(name, args=[evaluation.pk])).content.decode()
    evaluation_propose(acting_user=officer, evaluation=evaluation, submit=True)
    client.force_login(province_staff)
    decision = client.get(reverse("evaluations:decision", args=[evaluation.pk])).content.decode()
    assert reason in decision and 'data-testid="override-reason"' in decision
    step = EvaluationStep.objects.get(evaluation=evaluation, action="self")
    assert step.changes["overrides"] == [["1.1", "5", "8", reason]]


def test_score_equal_to_the_record_needs_no_reason(bloc, quarter_set, officer):
    _activities(bloc, IN, IN, IN)  # three: 10 points
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=YEAR, period=PERIOD)
    evaluation_self_assess(
        acting_user=officer, evaluation=evaluation, scores=SCALE_FULL, gates={}, submit=True
    )
    stored = EvaluationScore.objects.get(evaluation=evaluation, item__code="1.1")
    assert (stored.count, stored.computed, stored.override_reason) == (3, Decimal(10), "")


# --- The hot-spot gate -----------------------------------------------------------------------


def test_hot_spot_in_the_period_answers_the_gate_and_caps_the_level(
    bloc, quarter_set, officer, province_staff
):
    _activities(bloc, IN, IN, IN)
    _opinion(bloc, BEFORE, hot_spot=BEFORE)  # flagged before the quarter: not counted
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=YEAR, period=PERIOD)
    evaluation_self_assess(
        acting_user=officer, evaluation=evaluation, scores=SCALE_FULL, gates={"K1": True}
    )
    # The record answers, whatever was typed: no hot spot in the quarter.
    assert GateAnswer.objects.get(evaluation=evaluation, stage=ScoreStage.SELF).answer is False

    _opinion(bloc, IN, hot_spot=IN)
    evaluation_self_assess(
        acting_user=officer,
        evaluation=evaluation,
        scores=SCALE_FULL,
        gates={"K1": False},
        submit=True,
    )
    evaluation.refresh_from_db()
    assert (evaluation.self_total, evaluation.self_level) == (Decimal(30), 3)
    evaluation_propose(acting_user=officer, evaluation=evaluation, submit=True)
    evaluation.refresh_from_db()
    assert evaluation.proposed_level == 3
    # The decision keeps the proposal's answer: approving as proposed needs no reason.
    evaluation_decide(acting_user=province_staff, evaluation=evaluation, gates={"K1": False})
    evaluation.refresh_from_db()
    assert (evaluation.decided_level, evaluation.adjust_reason) == (3, "")


def test_sheet_shows_the_gate_answered_from_the_record(client, bloc, quarter_set, officer):
    _opinion(bloc, IN, hot_spot=IN)
    evaluation_start(acting_user=officer, unit=bloc, year=YEAR, period=PERIOD)
    client.force_login(officer)
    page = client.get(_sheet_url(bloc))
    html = page.content.decode()
    assert 'data-testid="gate-record"' in html
    gate = quarter_set.gates.get()
    field = page.context["form"][f"gate_{gate.pk}"]
    assert field.field.disabled and field.value() == "yes"


# --- The Excel score sheet -------------------------------------------------------------------


def _download(user, area):
    data = score_sheet_workbook(user=user, area=area, year=YEAR, subject="bloc", period=PERIOD)
    return openpyxl.load_workbook(io.BytesIO(data))


def _import(data, user):
    return score_sheet_import(
        data, filename="phieu.xlsx", user=user, year=YEAR, subject="bloc", period=PERIOD
    )


def test_score_sheet_workbook_round_trip_keeps_the_record_and_the_reason(
    area_tree, bloc, quarter_set, officer
):
    _activities(bloc, IN, IN)  # 2: 5 points
    item = criteria_items(quarter_set)[0]
    workbook = _download(officer, area_tree["commune"])
    sheet = workbook.active
    header, columns = _header(sheet)
    row = header + 1
    assert sheet.cell(row, columns["1.1 (tối đa 10)"]).value == 5
    assert sheet.cell(row, columns[record_header(item)]).value == "2 → 5"
    assert sheet.cell(row, columns["K1: Để xảy ra điểm nóng (Có/Không)"]).value == "Không"
    assert COL_REASON in columns

    # Sent back as downloaded: nothing to do.
    unchanged = _import(_fill(workbook, {bloc.name: {}}), officer)
    assert (unchanged.errors, unchanged.changed) == ([], 0)

    # Scored otherwise without a reason: an error on that row's reason column.
    workbook = _download(officer, area_tree["commune"])
    refused = _import(
        _fill(
            workbook, {bloc.name: {"1.1 (tối đa 10)": 8, "1.2 (tối đa 20)": 20, COL_SUBMIT: "x"}}
        ),
        officer,
    )
    assert [(e.column, e.message) for e in refused.errors] == [
        (COL_REASON, str(ERROR_OVERRIDE_REASON.format(code="1.1", computed="5")))
    ]
    assert not EvaluationScore.objects.exists()

    reason = "Có 2 buổi tuyên truyền chưa nhập sổ"
    workbook = _download(officer, area_tree["commune"])
    result = _import(
        _fill(
            workbook,
            {
                bloc.name: {
                    "1.1 (tối đa 10)": 8,
                    "1.2 (tối đa 20)": 20,
                    COL_SUBMIT: "x",
                    COL_REASON: reason,
                }
            },
        ),
        officer,
    )
    assert (result.errors, result.submitted) == ([], 1)
    stored = EvaluationScore.objects.get(item=item, stage=ScoreStage.SELF)
    assert (stored.score, stored.count, stored.computed, stored.override_reason) == (
        Decimal(8),
        2,
        Decimal(5),
        reason,
    )
    again = _download(officer, area_tree["commune"]).active
    header, columns = _header(again)
    assert again.cell(header + 1, columns[COL_REASON]).value == reason


def test_score_sheet_workbook_reads_the_record_in_bounded_queries(
    area_tree, bloc, quarter_set, officer, province_staff
):
    """The record of every unit comes in the same queries: a sheet of three blocs
    reads as many as a sheet of one."""
    from units.services import unit_create

    _activities(bloc, IN)
    with CaptureQueriesContext(connection) as one:
        _download(province_staff, area_tree["commune"])
    others = [unit_create(kind="bloc", area=area_tree[k]) for k in ("sibling_commune", "commune_b")]
    for unit in others:
        _activities(unit, IN, IN, IN)
        _opinion(unit, IN, hot_spot=IN)
    with CaptureQueriesContext(connection) as three:
        workbook = _download(province_staff, area_tree["province"])
    assert len(three) == len(one)
    sheet = workbook.active
    header, columns = _header(sheet)
    figures = {
        sheet.cell(r, columns[COL_UNIT]).value: sheet.cell(r, columns["1.1 (tối đa 10)"]).value
        for r in range(header + 1, sheet.max_row + 1)
    }
    assert figures == {bloc.name: 0, **{u.name: 10 for u in others}}
