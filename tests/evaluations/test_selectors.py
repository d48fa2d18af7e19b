"""Scoped reads of criteria and ratings: every read by area, two actors each; the
overview lists units without a rating yet, filters, and reads a constant number of
queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.choices import StaffRole
from evaluations.choices import ScoreStage, Stage
from evaluations.filtersets import STAGE_NONE
from evaluations.scoring import number_text
from evaluations.selectors.criteria import default_year
from evaluations.selectors.member_ratings import roster_ratings
from evaluations.selectors.overview import attach_labels, rating_overview
from evaluations.selectors.scope import (
    criteria_sets_managed_by,
    criteria_sets_visible_to,
    evaluations_visible_to,
    member_ratings_visible_to,
)
from evaluations.selectors.sheet import score_sheet
from evaluations.services.criteria import criteria_set_create
from evaluations.services.member_ratings import member_rating_start
from evaluations.services.ratings import (
    evaluation_propose,
    evaluation_self_assess,
    evaluation_start,
)
from members.services import membership_add
from tests.evaluations.conftest import FULL
from tests.factories import make_staff
from units.services import team_create_for_village, unit_create

pytestmark = pytest.mark.django_db


def test_evaluations_visible_to_the_area_only(bloc, bloc_criteria, officer, sibling_officer):
    """Commune A's officer sees A's rating; the sibling commune's does not."""
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    assert list(evaluations_visible_to(officer)) == [evaluation]
    assert not evaluations_visible_to(sibling_officer).exists()


def test_member_ratings_visible_to_the_area_only(bloc, officer, sibling_officer):
    membership = membership_add(unit=bloc, full_name="Lò Văn Pọm")
    rating = member_rating_start(acting_user=officer, membership=membership, year=2026)
    assert list(member_ratings_visible_to(officer)) == [rating]
    assert not member_ratings_visible_to(sibling_officer).exists()


def test_criteria_sets_of_the_provinces_the_user_works_in(
    area_tree, bloc_criteria, province_staff, officer
):
    """Staff under the province read its sets; staff of another province do not; only
    provincial staff of that province may change them."""
    far_officer = make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["far_commune"]], username="x3")
    other_province = make_staff(
        StaffRole.PROVINCE_STAFF, [area_tree["other_province"]], username="t2"
    )
    district = make_staff(StaffRole.DISTRICT_STAFF, [area_tree["district"]], username="h1")
    for user in (province_staff, officer, district):
        assert list(criteria_sets_visible_to(user)) == [bloc_criteria]
    for user in (far_officer, other_province):
        assert not criteria_sets_visible_to(user).exists()
    assert list(criteria_sets_managed_by(province_staff)) == [bloc_criteria]
    assert not criteria_sets_managed_by(officer).exists()
    assert not criteria_sets_managed_by(other_province).exists()
    own = criteria_set_create(
        acting_user=other_province,
        province=area_tree["other_province"],
        year=2026,
        subject="team",
        title="Tiêu chí Điện Biên",
    )
    assert list(criteria_sets_visible_to(far_officer)) == [own]


def test_default_year_is_the_latest_issued_year(bloc_criteria, officer, area_tree):
    assert default_year(officer) == 2026
    stranger = make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["far_commune"]], username="x9")
    assert default_year(stranger) >= 2026  # the current year without criteria


def _teams(commune, count, start=0):
    return [
        team_create_for_village(commune=commune, village_name=f"Thôn {n + 1}")
        for n in range(start, start + count)
    ]


def _proposed(unit, officer, scores=FULL):
    evaluation = evaluation_start(acting_user=officer, unit=unit, year=2026)
    evaluation_self_assess(
        acting_user=officer, evaluation=evaluation, scores=scores, gates={"K1": False}, submit=True
    )
    return evaluation_propose(acting_user=officer, evaluation=evaluation, submit=True)


@pytest.fixture
def team_criteria(area_tree, province_staff):
    from evaluations.services.criteria import criteria_set_issue
    from tests.evaluations.conftest import GATES, GROUPS

    criteria = criteria_set_create(
        acting_user=province_staff,
        province=area_tree["province"],
        year=2026,
        subject="team",
        title="Tiêu chí Tổ dân vận 2026",
        groups=GROUPS,
        gates=GATES,
    )
    return criteria_set_issue(acting_user=province_staff, criteria_set=criteria)


def test_rating_overview_lists_every_active_unit_with_its_stage(
    area_tree, bloc, bloc_criteria, team_criteria, officer, sibling_officer
):
    """Units without a rating row are listed as not self-assessed; dissolved units
    without a rating are not; the sibling commune's officer sees none of them."""
    teams = _teams(area_tree["commune"], 2)
    _proposed(teams[0], officer, scores={**FULL, "2.1": "25,5"})
    overview = rating_overview(user=officer, year=2026)
    rows = attach_labels(overview.rows)
    assert [(r.name, r.stage_key) for r in rows] == [
        (bloc.name, STAGE_NONE),
        (teams[0].name, Stage.DECISION),
        (teams[1].name, STAGE_NONE),
    ]
    decided = rows[1]
    assert (decided.proposed_total, decided.proposed_level) == (Decimal("85.5"), 2)
    assert (decided.proposed_total_text, decided.proposed_level_label) == (
        "85,5",
        "Hoàn thành tốt nhiệm vụ",
    )
    assert rows[0].stage_label == "Chưa tự đánh giá"
    assert overview.stage_counts == {STAGE_NONE: 2, Stage.DECISION: 1}
    assert overview.total == 3
    assert not rating_overview(user=sibling_officer, year=2026).rows.exists()


def test_rating_overview_filters(area_tree, bloc, bloc_criteria, team_criteria, officer):
    teams = _teams(area_tree["commune"], 2)
    _proposed(teams[0], officer)
    sibling_bloc = unit_create(kind="bloc", area=area_tree["sibling_commune"])
    province = make_staff(StaffRole.PROVINCE_STAFF, [area_tree["province"]], username="t9")

    def names(**filters):
        overview = rating_overview(user=province, year=2026, filters=filters)
        return [u.name for u in overview.rows]

    assert names(stage="decision") == [teams[0].name]
    assert names(stage=STAGE_NONE) == [bloc.name, teams[1].name, sibling_bloc.name]
    assert names(level="1") == [teams[0].name]
    assert names(kind="bloc") == [bloc.name, sibling_bloc.name]
    assert names(area_code="01837") == [sibling_bloc.name]  # the sibling commune's code
    assert names(area_code="058") == [bloc.name, *[t.name for t in teams], sibling_bloc.name]
    assert names(area_code="99999") == []
    assert names(q="KHOI DAN VAN phuong song cau") == [sibling_bloc.name]
    overview = rating_overview(user=province, year=2026, filters={"stage": "nonsense"})
    assert not overview.filterset.is_valid() and not overview.rows.exists()


def test_rating_overview_reads_a_constant_number_of_queries(
    area_tree, team_criteria, officer, province_staff
):
    def read():
        with CaptureQueriesContext(connection) as queries:
            overview = rating_overview(user=province_staff, year=2026, filters={"kind": "team"})
            rows = attach_labels(overview.rows)
        return len(queries), len(rows)

    teams = _teams(area_tree["commune"], 3)
    _proposed(teams[0], officer)
    province_staff = type(province_staff).objects.get(pk=province_staff.pk)
    few = read()
    more = _teams(area_tree["commune"], 7, start=3)
    _proposed(more[0], officer)
    province_staff = type(province_staff).objects.get(pk=province_staff.pk)
    many = read()
    assert (few[1], many[1]) == (3, 10)
    assert few[0] == many[0]


def test_score_sheet_results_per_stage(bloc, bloc_criteria, officer):
    """The running total of a draft, then the submitted self-assessment and the
    proposal, each with its level; a gate answered yes caps it."""
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    evaluation_self_assess(
        acting_user=officer, evaluation=evaluation, scores={"1.1": "7,5"}, gates={}
    )
    sheet = score_sheet(evaluation)
    draft = sheet.results[ScoreStage.SELF]
    assert (draft.total, draft.level, draft.complete) == (Decimal("7.5"), 4, False)
    assert sheet.max_total_text == "100" and sheet.items[0].self_text == "7,5"
    evaluation_self_assess(
        acting_user=officer, evaluation=evaluation, scores=FULL, gates={"K1": True}, submit=True
    )
    sheet = score_sheet(evaluation)
    result = sheet.self_result
    assert (result.total, result.level, result.label, result.complete) == (
        Decimal("100"),
        3,
        "Hoàn thành nhiệm vụ",
        True,
    )
    assert sheet.proposal_result.level is None


def test_roster_ratings_heads_first(bloc, officer):
    member = membership_add(unit=bloc, full_name="An Văn Bình")
    head = membership_add(unit=bloc, full_name="Vi Văn Cường", role="head")
    member_rating_start(acting_user=officer, membership=member, year=2026)
    rows = roster_ratings(user=officer, unit=bloc, year=2026)
    assert [r.membership for r in rows] == [head, member]
    assert rows[0].rating is None and rows[1].rating.stage == Stage.SELF


def test_number_text():
    assert [number_text(v) for v in (Decimal("7.50"), Decimal("100.00"), None)] == [
        "7,5",
        "100",
        "",
    ]


def test_stage_counts_ignore_the_stage_filter(area_tree, bloc, bloc_criteria, officer):
    """The counts by stage are the menu of stages: choosing one keeps the others."""
    _proposed(bloc, officer)
    overview = rating_overview(user=officer, year=2026, filters={"stage": STAGE_NONE})
    assert not overview.rows.exists()
    assert overview.stage_counts == {Stage.DECISION: 1}
