"""The lists show the state of the step a rating stands at, labelled as such (issue 17,
item 3), the first line of a return comment with a link (item 6), and the decisions
list opens on what waits for the user's decision (issue 15, item 8)."""

import pytest
from django.urls import reverse

from accounts.choices import StaffRole
from evaluations.choices import Stage
from evaluations.selectors.overview import attach_labels, rating_overview
from evaluations.services.ratings import (
    evaluation_decide,
    evaluation_propose,
    evaluation_self_assess,
    evaluation_start,
)
from evaluations.services.steps import rating_reopen, rating_return
from tests.evaluations.conftest import FULL
from tests.factories import make_staff
from units.services import team_create_for_village

pytestmark = pytest.mark.django_db

COMMENT = (
    "Tiêu chí 2.1 thiếu biên bản họp dân của cả ba thôn trong quý IV; đề nghị bổ sung "
    "biên bản có chữ ký của trưởng thôn. Xem thêm hướng dẫn 267-HD/DVTU, mục 3."
)
#: 90 points (level 1) proposed, then a draft of 87,5 (level 2) after the return.
PROPOSED = {**FULL, "2.1": 30}
DRAFT = {**FULL, "2.1": "27,5"}


@pytest.fixture
def decider(area_tree):
    return make_staff(StaffRole.PROVINCE_STAFF, [area_tree["province"]], username="tinh2")


def _submitted(unit, officer, proposal=PROPOSED):
    evaluation = evaluation_start(acting_user=officer, unit=unit, year=2026)
    evaluation_self_assess(
        acting_user=officer, evaluation=evaluation, scores=FULL, gates={"K1": False}, submit=True
    )
    return evaluation_propose(
        acting_user=officer,
        evaluation=evaluation,
        scores=proposal,
        gates={"K1": False},
        submit=True,
    )


def _row(user, unit):
    rows = attach_labels(rating_overview(user=user, year=2026).rows)
    return next(r for r in rows if r.pk == unit.pk)


def test_a_returned_proposal_shows_its_draft_not_the_last_one_sent(
    client, bloc, bloc_criteria, officer, decider
):
    """Proposed 90 (level 1), returned, redrafted at 87,5 (level 2): the list shows the
    draft, labelled as a draft, as the proposal page does; and the comment's first line
    with a link to it."""
    evaluation = _submitted(bloc, officer)
    rating_return(acting_user=decider, rating=evaluation, comment=COMMENT)
    evaluation_propose(
        acting_user=officer, evaluation=evaluation, scores=DRAFT, gates={"K1": False}
    )

    row = _row(officer, bloc)
    result = row.step_result
    assert (result.label, result.total_text, result.level) == ("Bản nháp đề xuất", "87,5", 2)
    assert result.is_draft
    assert row.return_first_line == COMMENT

    client.force_login(officer)
    page = client.get(reverse("evaluations:overview") + "?year=2026").content.decode()
    assert "Bản nháp đề xuất:" in page and "87,5" in page
    assert "Tiêu chí 2.1 thiếu biên bản họp dân" in page
    assert "mục 3." not in page  # a long comment is cut, in full on the rating's page
    assert reverse("evaluations:sheet", args=[bloc.pk, 2026]) + "#y-kien-tra-lai" in page
    assert ">90 ·" not in page and "90 ·" not in page


def test_each_stage_is_labelled_and_a_returned_rating_hides_its_old_decision(
    area_tree, bloc, bloc_criteria, team_criteria, officer, decider
):
    """Waiting for a decision: the proposal sent; waiting for the commune: the
    self-assessment sent; decided: the decision; decided, reopened and returned: no
    longer the old decided level."""
    teams = [
        team_create_for_village(commune=area_tree["commune"], village_name=f"Thôn {n}")
        for n in (1, 2)
    ]
    waiting = _submitted(bloc, officer)
    row = _row(decider, bloc)
    assert (row.step_result.label, row.step_result.total_text) == ("Đề xuất đã gửi", "90")

    at_commune = evaluation_start(acting_user=officer, unit=teams[0], year=2026)
    evaluation_self_assess(
        acting_user=officer, evaluation=at_commune, scores=FULL, gates={"K1": False}, submit=True
    )
    row = _row(decider, teams[0])
    assert (row.step_result.label, row.step_result.total_text, row.step_result.level) == (
        "Tự đánh giá đã gửi",
        "100",
        1,
    )

    evaluation_decide(acting_user=decider, evaluation=waiting)
    row = _row(decider, bloc)
    assert (row.step_result.label, row.step_result.level) == ("Đã quyết định", 1)
    rating_reopen(acting_user=decider, rating=waiting, reason="Sai sót")
    rating_return(acting_user=decider, rating=waiting, comment="Xem lại", to_stage=Stage.SELF)
    row = _row(decider, bloc)
    assert row.decided_level == 1  # kept on the rating until the next decision
    assert row.step_result.label == "Bản nháp tự đánh giá"
    assert row.current_level is None
    names = [r.name for r in rating_overview(user=decider, year=2026, filters={"level": "1"}).rows]
    assert bloc.name not in names and teams[0].name in names


def test_the_decisions_list_opens_on_what_waits_for_a_decision(
    client, area_tree, bloc, bloc_criteria, team_criteria, officer, decider
):
    team = team_create_for_village(commune=area_tree["commune"], village_name="Thôn 1")
    _submitted(bloc, officer)
    evaluation_start(acting_user=officer, unit=team, year=2026)
    client.force_login(decider)
    url = reverse("evaluations:decision_list")
    response = client.get(url + "?year=2026")
    names = [r.name for r in response.context["rows"]]
    assert names == [bloc.name]
    page = response.content.decode()
    assert 'data-testid="all-stages"' in page
    everything = client.get(url + "?year=2026&stage=")
    assert {r.name for r in everything.context["rows"]} == {bloc.name, team.name}
    proposal = client.get(url + "?year=2026&stage=self")
    assert [r.name for r in proposal.context["rows"]] == [team.name]
