"""A unit's rating of a year: started against the province's current criteria, the
unit's self-assessment, the commune Party committee's proposal, the decision from above
(approve, or adjust with a reason), one at a time or many at once with the quota
warning."""

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.choices import ScoreStage, Stage, StepAction
from evaluations.events import announce, rating_decided
from evaluations.measures import unit_record
from evaluations.models import Evaluation
from evaluations.periods import YEAR
from evaluations.services.criteria import criteria_missing, criteria_set_current, subject_of_unit
from evaluations.services.history import step_record
from evaluations.services.scores import (
    sheet_of,
    sheet_overrides,
    sheet_result,
    store_sheet,
    validate_sheet,
)
from evaluations.services.steps import (
    ERROR_ADJUST_REASON,
    require_opening,
    require_permission,
    require_stage,
    require_step,
)
from evaluations.stages import VIEW_RATINGS, next_stage
from portal.paths import province_path
from portal.text import normalize
from units.models import Unit
from units.services import ACTION_RATE, area_require_exists, rating_reference_day

WARNING_QUOTA = _(
    "Mức 1 vượt tỷ lệ {quota}%: {count}/{total} đơn vị được xếp mức 1 (tối đa {allowed})."
)


@transaction.atomic
def evaluation_start(*, acting_user, unit: Unit, year: int, period: str = YEAR) -> Evaluation:
    """The unit's rating for the period (``year`` and ``period``, the whole year by
    default: evaluations.periods), created on first use against the province's current
    criteria for it, if the unit's area exists at the year's end (today for the year in
    progress): a legacy unit is rated up to 2024, a 2025 unit from 2025. Opening is for
    whoever takes the unit's self-assessment (``require_opening``); a rating already
    open is returned to anyone who sees the unit's ratings."""
    existing = Evaluation.objects.filter(unit=unit, year=year, period=period).first()
    if existing is not None:
        require_permission(acting_user, VIEW_RATINGS, unit.area_path)
        return existing
    require_opening(acting_user, unit)
    area_require_exists(unit.area, rating_reference_day(year), action=ACTION_RATE, field="year")
    subject = subject_of_unit(unit)
    criteria_set = criteria_set_current(
        province_path_=province_path(unit.area_path), year=year, subject=subject, period=period
    )
    if criteria_set is None:
        raise ValidationError(
            criteria_missing(path=unit.area_path, year=year, subject=subject, period=period)
        )
    evaluation = Evaluation(unit=unit, year=year, criteria_set=criteria_set)
    evaluation.save()
    step_record(rating=evaluation, action=StepAction.START, acting_user=acting_user)
    return evaluation


@transaction.atomic
def evaluation_self_assess(
    *,
    acting_user,
    evaluation: Evaluation,
    scores: Mapping,
    gates: Mapping,
    submit: bool = False,
    evidence: Mapping | None = None,
    reasons: Mapping | None = None,
) -> Evaluation:
    """Save the unit's own scores (a draft may be partial); ``submit`` needs every item
    and gate, computes the total and level and hands the rating to the commune.
    ``evidence``: the files added and removed with the sheet (``evaluation_sheet_save``),
    recorded in the same step of the history. The record of the unit's daily work
    answers the automatic gates; a quantitative item scored otherwise than the record
    needs its reason in ``reasons`` (by item code), kept with the score and, once
    sent, in the step's history (``overrides``)."""
    require_step(acting_user, evaluation, Stage.SELF)
    require_stage(evaluation, Stage.SELF)
    record = unit_record(evaluation.unit_id, evaluation.criteria_set)
    reasons = reasons or {}
    clean_scores, clean_gates = validate_sheet(
        evaluation.criteria_set, scores, gates, complete=submit, record=record, reasons=reasons
    )
    changes = {
        **store_sheet(
            evaluation, ScoreStage.SELF, clean_scores, clean_gates, record=record, reasons=reasons
        )
    }
    changes.update(evidence or {})
    if submit and (overrides := sheet_overrides(clean_scores, record, reasons)):
        changes["overrides"] = overrides
    if submit:
        evaluation.self_total, evaluation.self_level = sheet_result(
            evaluation.criteria_set, clean_scores, clean_gates
        )
        evaluation.self_by, evaluation.self_at = acting_user, timezone.now()
        evaluation.stage = next_stage(evaluation)
        if evaluation.stage == Stage.DECISION:
            # The chain has no proposal: the self-assessment goes up unchanged as the
            # sheet the decision starts from (no one proposed it: proposed_by is empty).
            store_sheet(evaluation, ScoreStage.PROPOSAL, clean_scores, clean_gates)
            evaluation.proposed_total = evaluation.self_total
            evaluation.proposed_level = evaluation.self_level
            evaluation.proposed_by, evaluation.proposed_at = None, None
        evaluation.return_comment = ""
        # A draft changes only the sheet: the rating's own row (and its audit trail)
        # changes when the sheet is sent.
        evaluation.save()
    if submit or changes:
        step_record(
            rating=evaluation,
            action=StepAction.SELF if submit else StepAction.SELF_DRAFT,
            acting_user=acting_user,
            changes=changes,
            total=evaluation.self_total if submit else None,
            level=evaluation.self_level if submit else None,
        )
    return evaluation


@transaction.atomic
def evaluation_propose(
    *,
    acting_user,
    evaluation: Evaluation,
    scores: Mapping | None = None,
    gates: Mapping | None = None,
    submit: bool = False,
) -> Evaluation:
    """The commune Party committee's proposal: the self-assessment's scores unless
    changed; ``submit`` sends it up for decision."""
    require_step(acting_user, evaluation, Stage.PROPOSAL)
    require_stage(evaluation, Stage.PROPOSAL)
    if scores is None or gates is None:
        own_scores, own_gates = sheet_of(evaluation, ScoreStage.SELF)
        scores = own_scores if scores is None else scores
        gates = own_gates if gates is None else gates
    record = unit_record(evaluation.unit_id, evaluation.criteria_set)
    clean_scores, clean_gates = validate_sheet(
        evaluation.criteria_set, scores, gates, complete=submit, record=record
    )
    changes = store_sheet(evaluation, ScoreStage.PROPOSAL, clean_scores, clean_gates)
    if submit:
        evaluation.proposed_total, evaluation.proposed_level = sheet_result(
            evaluation.criteria_set, clean_scores, clean_gates
        )
        evaluation.proposed_by, evaluation.proposed_at = acting_user, timezone.now()
        evaluation.stage = Stage.DECISION
        evaluation.return_comment = ""
        evaluation.save()
    if submit or changes:
        step_record(
            rating=evaluation,
            action=StepAction.PROPOSAL if submit else StepAction.PROPOSAL_DRAFT,
            acting_user=acting_user,
            changes=changes,
            total=evaluation.proposed_total if submit else None,
            level=evaluation.proposed_level if submit else None,
        )
    return evaluation


@transaction.atomic
def evaluation_decide(
    *,
    acting_user,
    evaluation: Evaluation,
    scores: Mapping | None = None,
    gates: Mapping | None = None,
    reason: str = "",
) -> Evaluation:
    """Approve the proposal as it stands, or adjust it (other scores or answers) with a
    reason. The result is locked."""
    require_step(acting_user, evaluation, Stage.DECISION)
    require_stage(evaluation, Stage.DECISION)
    proposed_scores, proposed_gates = sheet_of(evaluation, ScoreStage.PROPOSAL)
    scores = proposed_scores if scores is None else scores
    gates = proposed_gates if gates is None else gates
    # An automatic gate keeps the proposal's answer (the record when it was proposed):
    # the decider changes scores, not the record.
    automatic = evaluation.criteria_set.gates.exclude(automatic="").values_list("code", flat=True)
    gates = {**gates, **{c: proposed_gates[c] for c in automatic if c in proposed_gates}}
    clean_scores, clean_gates = validate_sheet(
        evaluation.criteria_set, scores, gates, complete=True
    )
    adjusted = {i.code: s for i, s in clean_scores.items()} != {
        k: Decimal(v) for k, v in proposed_scores.items()
    } or {g.code: a for g, a in clean_gates.items()} != proposed_gates
    reason = normalize(reason)
    if adjusted and not reason:
        raise ValidationError(ERROR_ADJUST_REASON)
    changes = store_sheet(evaluation, ScoreStage.DECISION, clean_scores, clean_gates)
    evaluation.decided_total, evaluation.decided_level = sheet_result(
        evaluation.criteria_set, clean_scores, clean_gates
    )
    evaluation.decided_by, evaluation.decided_at = acting_user, timezone.now()
    evaluation.adjust_reason = reason if adjusted else ""
    evaluation.stage = Stage.DECIDED
    evaluation.save()
    step_record(
        rating=evaluation,
        action=StepAction.ADJUST if adjusted else StepAction.APPROVE,
        acting_user=acting_user,
        changes=changes,
        note=evaluation.adjust_reason,
        total=evaluation.decided_total,
        level=evaluation.decided_level,
    )
    announce(rating_decided, rating=evaluation, acting_user=acting_user)
    return evaluation


def quota_warning(*, evaluations: Iterable[Evaluation]) -> list[str]:
    """Warnings when approving ``evaluations`` as proposed would put more units at
    level 1 than their criteria's quota allows (per criteria set: province, period,
    subject; a quarter's ratings never count in the year's). A warning, never a block:
    the decider confirms."""
    warnings = []
    by_set: dict[int, list[Evaluation]] = {}
    for evaluation in evaluations:
        by_set.setdefault(evaluation.criteria_set_id, []).append(evaluation)
    for group in by_set.values():
        criteria_set = group[0].criteria_set
        if not criteria_set.quota_percent:
            continue
        same = Evaluation.objects.filter(
            year=criteria_set.year,
            period=criteria_set.period,
            criteria_set__province_id=criteria_set.province_id,
            criteria_set__subject=criteria_set.subject,
        ).exclude(stage=Stage.NOT_RATED)
        total = same.count()
        already = same.filter(stage=Stage.DECIDED, decided_level=1).exclude(
            pk__in=[e.pk for e in group]
        )
        count = already.count() + sum(1 for e in group if e.proposed_level == 1)
        allowed = total * criteria_set.quota_percent // 100
        if count > allowed:
            warnings.append(
                WARNING_QUOTA.format(
                    quota=criteria_set.quota_percent, count=count, total=total, allowed=allowed
                )
            )
    return warnings


@transaction.atomic
def evaluations_approve(*, acting_user, evaluations: Iterable[Evaluation]) -> list[Evaluation]:
    """Approve many proposals at once, all or nothing."""
    return [evaluation_decide(acting_user=acting_user, evaluation=e) for e in evaluations]
