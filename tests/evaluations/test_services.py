"""A whole year of ratings through the services."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluations.choices import Stage
from evaluations.models import CriteriaSet, Evaluation, EvaluationScore
from evaluations.scoring import ERROR_SCORE_RANGE, scale_level
from evaluations.services.criteria import (
    ERROR_FROZEN,
    ERROR_NO_CRITERIA,
    criteria_set_copy,
    criteria_set_new_version,
    criteria_set_update,
)
from evaluations.services.member_ratings import member_rating_start, member_rating_step
from evaluations.services.ratings import (
    evaluation_decide,
    evaluation_propose,
    evaluation_self_assess,
    evaluation_start,
    evaluations_approve,
    quota_warning,
)
from evaluations.services.scores import ERROR_MISSING_GATES, ERROR_MISSING_ITEMS
from evaluations.services.steps import (
    ERROR_ADJUST_REASON,
    ERROR_COMMENT_REQUIRED,
    ERROR_LOCKED,
    ERROR_NO_PERMISSION,
    ERROR_OUTSIDE_AREA,
    rating_not_rated,
    rating_reopen,
    rating_return,
)
from members.services import membership_add
from tests.evaluations.conftest import FULL
from units.services import unit_create

pytestmark = pytest.mark.django_db


def _through_proposal(evaluation, officer, scores=FULL, gates=None):
    gates = {"K1": False} if gates is None else gates
    evaluation_self_assess(
        acting_user=officer, evaluation=evaluation, scores=scores, gates=gates, submit=True
    )
    return evaluation_propose(acting_user=officer, evaluation=evaluation, submit=True)


def test_a_year_end_to_end(bloc, bloc_criteria, officer, province_staff):
    """Self-assessment → proposal (copies the scores) → approval: 100 points, level 1,
    locked."""
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    assert evaluation.criteria_set == bloc_criteria
    evaluation_self_assess(
        acting_user=officer, evaluation=evaluation, scores={"1.1": "7,5"}, gates={}
    )
    assert evaluation.stage == Stage.SELF  # a partial draft is kept
    _through_proposal(evaluation, officer)
    assert (evaluation.stage, evaluation.proposed_total, evaluation.proposed_level) == (
        Stage.DECISION,
        Decimal("100"),
        1,
    )
    evaluation_decide(acting_user=province_staff, evaluation=evaluation)
    evaluation.refresh_from_db()
    assert (evaluation.stage, evaluation.decided_level, evaluation.decided_by) == (
        Stage.DECIDED,
        1,
        province_staff,
    )
    assert evaluation.self_by == officer and evaluation.proposed_by == officer
    assert EvaluationScore.objects.filter(evaluation=evaluation).count() == 12


def test_gate_caps_the_level(bloc, bloc_criteria, officer):
    """A hot spot caps a full score at level 3."""
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    _through_proposal(evaluation, officer, gates={"K1": True})
    assert (evaluation.proposed_total, evaluation.proposed_level) == (Decimal("100"), 3)


def test_scale_thresholds(bloc_criteria):
    """≥ 90 → 1, 70–<90 → 2, 50–<70 → 3, < 50 → 4."""
    levels = list(bloc_criteria.levels.all())
    assert [scale_level(Decimal(t), levels, []) for t in (90, 89.99, 70, 50, 49.5)] == [
        1,
        2,
        2,
        3,
        4,
    ]


def test_out_of_range_and_missing_scores_change_nothing(bloc, bloc_criteria, officer):
    """A score above its maximum or below zero, or a submit with items missing, is
    refused with every problem named; nothing is stored."""
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    with pytest.raises(ValidationError) as excinfo:
        evaluation_self_assess(
            acting_user=officer,
            evaluation=evaluation,
            scores={"1.1": 11, "1.2": -1, "2.1": 40},
            gates={},
            submit=True,
        )
    assert excinfo.value.messages == [
        ERROR_SCORE_RANGE.format(code="1.1", max="10"),
        ERROR_SCORE_RANGE.format(code="1.2", max="20"),
        ERROR_MISSING_ITEMS.format(codes="2.2"),
        ERROR_MISSING_GATES.format(codes="K1"),
    ]
    assert not EvaluationScore.objects.exists()
    evaluation.refresh_from_db()
    assert evaluation.stage == Stage.SELF


def test_adjusting_needs_a_reason_and_return_needs_a_comment(
    bloc, bloc_criteria, officer, province_staff
):
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    _through_proposal(evaluation, officer)
    lower = {**FULL, "2.1": 20}
    with pytest.raises(ValidationError, match=str(ERROR_ADJUST_REASON)):
        evaluation_decide(
            acting_user=province_staff, evaluation=evaluation, scores=lower, gates={"K1": False}
        )
    with pytest.raises(ValidationError, match=str(ERROR_COMMENT_REQUIRED)):
        rating_return(acting_user=province_staff, rating=evaluation, comment="  ")
    rating_return(acting_user=province_staff, rating=evaluation, comment="Bổ sung minh chứng")
    assert (evaluation.stage, evaluation.return_comment) == (
        Stage.PROPOSAL,
        "Bổ sung minh chứng",
    )
    evaluation_propose(acting_user=officer, evaluation=evaluation, submit=True)
    evaluation_decide(
        acting_user=province_staff,
        evaluation=evaluation,
        scores=lower,
        gates={"K1": False},
        reason="Chưa có biên bản họp quý III",
    )
    assert (evaluation.decided_total, evaluation.decided_level) == (Decimal("80"), 2)
    assert evaluation.adjust_reason == "Chưa có biên bản họp quý III"


def test_locked_until_the_province_reopens(bloc, bloc_criteria, officer, province_staff):
    """A decided rating refuses changes; a commune officer cannot reopen it; provincial
    staff reopen with a reason."""
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    _through_proposal(evaluation, officer)
    evaluation_decide(acting_user=province_staff, evaluation=evaluation)
    with pytest.raises(ValidationError, match=str(ERROR_LOCKED)):
        evaluation_self_assess(acting_user=officer, evaluation=evaluation, scores=FULL, gates={})
    with pytest.raises(PermissionDenied, match=str(ERROR_NO_PERMISSION)):
        rating_reopen(acting_user=officer, rating=evaluation, reason="Sai sót")
    rating_reopen(acting_user=province_staff, rating=evaluation, reason="Sai sót số liệu")
    assert evaluation.stage == Stage.DECISION


def test_commune_officer_cannot_decide_and_nobody_acts_outside_their_area(
    bloc, bloc_criteria, officer, sibling_officer, area_tree
):
    """Deciding needs district or provincial staff; the sibling commune's officer gets
    refused on commune A's bloc."""
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    with pytest.raises(PermissionDenied, match=str(ERROR_OUTSIDE_AREA)):
        evaluation_self_assess(
            acting_user=sibling_officer, evaluation=evaluation, scores=FULL, gates={}
        )
    _through_proposal(evaluation, officer)
    with pytest.raises(PermissionDenied, match=str(ERROR_NO_PERMISSION)):
        evaluation_decide(acting_user=officer, evaluation=evaluation)
    evaluation.refresh_from_db()
    assert evaluation.stage == Stage.DECISION


def test_a_year_without_criteria_is_refused(bloc, officer):
    with pytest.raises(ValidationError) as excinfo:
        evaluation_start(acting_user=officer, unit=bloc, year=2030)
    assert excinfo.value.messages == [
        ERROR_NO_CRITERIA.format(period="năm 2030", subject="khối dân vận", province="Tỉnh Bắc Kạn")
    ]
    assert not Evaluation.objects.exists()


def test_used_set_is_frozen_and_a_new_version_takes_over(
    bloc, bloc_criteria, officer, province_staff
):
    evaluation_start(acting_user=officer, unit=bloc, year=2026)
    with pytest.raises(ValidationError, match=str(ERROR_FROZEN)):
        criteria_set_update(acting_user=province_staff, criteria_set=bloc_criteria, title="Mới")
    version_two = criteria_set_new_version(acting_user=province_staff, source=bloc_criteria)
    assert version_two.version == 2
    assert version_two.max_total == Decimal("100")
    criteria_set_update(acting_user=province_staff, criteria_set=version_two, quota_percent=15)


def test_copy_from_previous_year(bloc_criteria, province_staff):
    copy = criteria_set_copy(acting_user=province_staff, source=bloc_criteria, year=2027)
    assert (copy.year, copy.title, copy.issued, copy.copied_from) == (
        2027,
        "Tiêu chí đánh giá Khối dân vận năm 2027",
        False,
        bloc_criteria,
    )
    assert [g.items.count() for g in copy.groups.all()] == [2, 2]
    assert CriteriaSet.objects.count() == 2


def test_quota_warning_and_bulk_approval(area_tree, bloc_criteria, officer, province_staff):
    """Five blocs proposed at level 1 with a 20 % quota: a warning before approving;
    bulk approval decides all five."""
    from tests.factories import AreaFactory
    from units.choices import Level

    evaluations = []
    for n in range(5):
        commune = (
            area_tree["commune"]
            if n == 0
            else AreaFactory(
                level=Level.COMMUNE,
                code=f"0190{n}",
                name=f"Xã Thử {n}",
                parent=area_tree["district"],
            )
        )
        unit = unit_create(kind="bloc", area=commune)
        evaluation = evaluation_start(acting_user=province_staff, unit=unit, year=2026)
        _through_proposal(evaluation, province_staff)
        evaluations.append(evaluation)
    assert quota_warning(evaluations=evaluations) == [
        "Mức 1 vượt tỷ lệ 20%: 5/5 đơn vị được xếp mức 1 (tối đa 1)."
    ]
    evaluations_approve(acting_user=province_staff, evaluations=evaluations)
    assert Evaluation.objects.filter(stage=Stage.DECIDED, decided_level=1).count() == 5


def test_not_rated_with_a_reason(bloc, bloc_criteria, officer, province_staff):
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    rating_not_rated(
        acting_user=province_staff, rating=evaluation, reason="Thành lập tháng 11/2026"
    )
    assert evaluation.stage == Stage.NOT_RATED and evaluation.is_locked


def test_member_rating_steps(bloc, officer, province_staff):
    membership = membership_add(unit=bloc, full_name="Lò Văn Pọm", birth_year=1970)
    rating = member_rating_start(acting_user=officer, membership=membership, year=2026)
    member_rating_step(acting_user=officer, rating=rating, level=1)
    member_rating_step(acting_user=officer, rating=rating, level=2)
    with pytest.raises(ValidationError, match=str(ERROR_ADJUST_REASON)):
        member_rating_step(acting_user=province_staff, rating=rating, level=3)
    member_rating_step(acting_user=province_staff, rating=rating, level=2)
    assert (rating.stage, rating.self_level, rating.proposed_level, rating.decided_level) == (
        Stage.DECIDED,
        1,
        2,
        2,
    )
