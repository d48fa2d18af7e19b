"""A rating's history says what each step changed (issue 17, items 1, 2, 4): items'
scores from what to what, gate answers, evidence added or removed, who (their name in
written order), when, through which door; the audit trail's labels and numbers are
Vietnamese. And the return that goes back to the step the decider chooses (item 6)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.choices import StaffRole
from evaluations.choices import Stage, StepAction
from evaluations.models import EvaluationStep
from evaluations.selectors.history import rating_history
from evaluations.services.ratings import (
    evaluation_decide,
    evaluation_propose,
    evaluation_self_assess,
    evaluation_start,
)
from evaluations.services.steps import ERROR_RETURN_TARGET, rating_return
from portal.audit import Door
from tests.evaluations.conftest import FULL
from tests.evaluations.test_sheets import ITEM_COLUMNS, _download, _fill, _import
from tests.evaluations.test_views import sheet_data, sheet_url
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def named_officer(area_tree):
    """A commune officer whose name has a family, a middle and a given name."""
    return make_staff(
        StaffRole.COMMUNE_OFFICER,
        [area_tree["commune"]],
        username="nvtinh",
        first_name="Tỉnh",
        last_name="Nguyễn Văn",
    )


def test_an_account_is_named_in_written_order(named_officer):
    """ "Nguyễn Văn Tỉnh", never "Tỉnh Nguyễn Văn": the one place that writes names."""
    assert named_officer.get_full_name() == "Nguyễn Văn Tỉnh"


def test_an_excel_import_changing_one_score_says_which(
    client, area_tree, bloc, bloc_criteria, named_officer, province_staff
):
    """A draft of 10/20/40/30; the workbook changes 1.1 to 8: the history lists
    "1.1 … 10 → 8" through the Excel door, and the audit trail holds no empty change."""
    evaluation = evaluation_start(acting_user=named_officer, unit=bloc, year=2026)
    evaluation_self_assess(
        acting_user=named_officer, evaluation=evaluation, scores=FULL, gates={"K1": False}
    )
    workbook = _download(named_officer, area_tree["commune"])
    result = _import(_fill(workbook, {bloc.name: {ITEM_COLUMNS["1.1"]: 8}}), named_officer)
    assert result.written and not result.errors

    newest = rating_history(evaluation)[0]
    assert newest.door == Door.IMPORT
    assert newest.action == StepAction.SELF_DRAFT
    assert newest.user_label == "Nguyễn Văn Tỉnh"
    assert [(c.code, c.old, c.new) for c in newest.scores] == [("1.1", "10", "8")]
    assert newest.gates == []

    client.force_login(province_staff)
    page = client.get(reverse("evaluations:history", args=[evaluation.pk])).content.decode()
    assert "Nhập Excel" in page
    assert "Có quyết định thành lập, quy chế hoạt động" in page
    assert "Nguyễn Văn Tỉnh" in page and "Tỉnh Nguyễn Văn" not in page
    audit = client.get(reverse("audit:object_history", args=["evaluation", evaluation.pk]))
    assert audit.status_code == 200
    assert "không đổi mục nào" not in audit.content.decode()
    # The audit page of the rating opens its history, which says what changed.
    assert reverse("evaluations:history", args=[evaluation.pk]) in audit.content.decode()


def test_the_sheet_page_records_scores_gates_and_evidence_in_one_step(
    client, bloc, bloc_criteria, named_officer
):
    """Saving the page with a new photo, a changed score and a gate answer is one step
    through the web door; removing the photo later is another."""
    evaluation = evaluation_start(acting_user=named_officer, unit=bloc, year=2026)
    item = evaluation.criteria_set.groups.get(code="1").items.get(code="1.1")
    client.force_login(named_officer)
    photo = SimpleUploadedFile("bien-ban.png", PNG, "image/png")
    response = client.post(
        sheet_url(bloc),
        sheet_data(
            evaluation, {"1.1": "7,5"}, {"K1": True}, save="1", **{f"evidence_{item.pk}": photo}
        ),
    )
    assert response.status_code == 302
    step = rating_history(evaluation)[0]
    assert (step.door, step.action) == (Door.WEB, StepAction.SELF_DRAFT)
    assert [(c.code, c.old, c.new) for c in step.scores] == [("1.1", "—", "7,5")]
    assert [(c.code, c.old, c.new) for c in step.gates] == [("K1", "—", "Có")]
    assert step.added == [("1.1", "bien-ban.png")]

    evidence = evaluation.evidence.get()
    response = client.post(
        sheet_url(bloc),
        sheet_data(
            evaluation, {"1.1": "7,5"}, {"K1": True}, save="1", remove_evidence=[evidence.pk]
        ),
    )
    step = rating_history(evaluation)[0]
    assert step.removed == [("1.1", "bien-ban.png")]
    assert step.scores == [] and step.gates == []

    page = client.get(reverse("evaluations:history", args=[evaluation.pk])).content.decode()
    assert "Minh chứng thêm" in page and "Minh chứng bỏ" in page
    assert "7,5" in page


def test_a_decision_lists_only_the_items_it_adjusted(area_tree, bloc, bloc_criteria, officer):
    """Approving as proposed changes no item; an adjusted decision lists the item from
    the proposal's score to the decided one, with the reason, total and level."""
    decider = make_staff(StaffRole.PROVINCE_STAFF, [area_tree["province"]], username="tinh2")
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    evaluation_self_assess(
        acting_user=officer, evaluation=evaluation, scores=FULL, gates={"K1": False}, submit=True
    )
    evaluation_propose(acting_user=officer, evaluation=evaluation, submit=True)
    proposal = rating_history(evaluation)[0]
    assert proposal.action == StepAction.PROPOSAL
    assert proposal.scores == []  # the proposal kept the unit's scores
    evaluation_decide(
        acting_user=decider,
        evaluation=evaluation,
        scores={**FULL, "2.1": "32,5"},
        gates={"K1": False},
        reason="Thiếu biên bản",
    )
    decision = rating_history(evaluation)[0]
    assert decision.action == StepAction.ADJUST
    assert [(c.stage_label, c.code, c.old, c.new) for c in decision.scores] == [
        ("Quyết định", "2.1", "40", "32,5")
    ]
    assert decision.note == "Thiếu biên bản"
    assert decision.result == "92,5 điểm · Mức 1"


def test_the_audit_trail_of_a_rating_is_in_vietnamese(client, bloc, bloc_criteria, officer):
    """Every field of a rating has a Vietnamese label and totals are written "97,5"."""
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    evaluation_self_assess(
        acting_user=officer,
        evaluation=evaluation,
        scores={**FULL, "1.1": "7,5"},
        gates={"K1": False},
        submit=True,
    )
    client.force_login(officer)
    page = client.get(reverse("audit:object_history", args=["evaluation", evaluation.pk]))
    text = page.content.decode()
    assert "Tổng điểm tự đánh giá" in text and "97,5" in text
    for english in ("Self total", "Self by", "Self at", "Self level", "97.50"):
        assert english not in text


def test_a_decider_returns_a_rating_straight_to_the_unit(
    client, area_tree, bloc, bloc_criteria, officer
):
    """From the decision page the decider chooses the step: back to the unit itself
    (new evidence needed), without a second return; a proposal cannot skip forward."""
    decider = make_staff(StaffRole.PROVINCE_STAFF, [area_tree["province"]], username="tinh2")
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    evaluation_self_assess(
        acting_user=officer, evaluation=evaluation, scores=FULL, gates={"K1": False}, submit=True
    )
    with pytest.raises(ValidationError) as refused:
        rating_return(acting_user=officer, rating=evaluation, comment="x", to_stage=Stage.DECISION)
    assert refused.value.messages == [str(ERROR_RETURN_TARGET).format(stage=Stage.DECISION.label)]
    evaluation_propose(acting_user=officer, evaluation=evaluation, submit=True)

    client.force_login(decider)
    page = client.get(reverse("evaluations:decision", args=[evaluation.pk])).content.decode()
    assert 'name="to_stage"' in page and "Trả về bước" in page
    response = client.post(
        reverse("evaluations:return", args=[evaluation.pk]),
        {"text": "Bổ sung biên bản họp dân cho tiêu chí 2.1", "to_stage": Stage.SELF},
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.stage == Stage.SELF
    step = EvaluationStep.objects.filter(evaluation=evaluation).first()
    assert (step.action, step.stage, step.note) == (
        StepAction.RETURN,
        Stage.SELF,
        "Bổ sung biên bản họp dân cho tiêu chí 2.1",
    )


def test_an_empty_comment_shows_the_error_on_the_decision_page(
    client, area_tree, bloc, bloc_criteria, officer
):
    """No separate bare page: the decision page again, the error beside the field."""
    decider = make_staff(StaffRole.PROVINCE_STAFF, [area_tree["province"]], username="tinh2")
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    evaluation_self_assess(
        acting_user=officer, evaluation=evaluation, scores=FULL, gates={"K1": False}, submit=True
    )
    evaluation_propose(acting_user=officer, evaluation=evaluation, submit=True)
    client.force_login(decider)
    for name in ("return", "not_rated"):
        response = client.post(reverse(f"evaluations:{name}", args=[evaluation.pk]), {"text": " "})
        assert response.status_code == 200
        assert response.templates[0].name == "evaluations/decision.html"
        assert 'class="field__error"' in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.stage == Stage.DECISION


def test_every_rating_page_links_to_its_history(client, bloc, bloc_criteria, officer):
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    client.force_login(officer)
    history = reverse("evaluations:history", args=[evaluation.pk])
    for url in (sheet_url(bloc), reverse("evaluations:proposal", args=[evaluation.pk])):
        assert f'href="{history}"' in client.get(url).content.decode()
    response = client.get(history)
    assert response.status_code == 200
    assert "Mở phiếu tự đánh giá" in response.content.decode()
