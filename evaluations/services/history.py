"""The history of a unit's rating, step by step: what each step changed (items' scores
from what to what, gate answers, evidence added or removed), by whom, when and through
which door. The audit trail records the rating's own row; the scores, answers and
files are replaced as a sheet is saved, so every service that takes a step writes one
``EvaluationStep`` here, in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from evaluations.models import Evaluation, EvaluationStep
from evaluations.stages import STARTS_FROM
from portal.audit import acting_user as context_user


def _number(value) -> str | None:
    return None if value is None else format(Decimal(value).normalize(), "f")


def sheet_changes(
    stage: str, before: tuple[Mapping, Mapping], after: tuple[Mapping, Mapping]
) -> dict:
    """What saving a stage's sheet changes: ``before`` and ``after`` are (scores by item
    code, answers by gate code). Scores compare as numbers ("8" = "8.00")."""
    old_scores, old_gates = before
    new_scores, new_gates = after
    scores = []
    for code in sorted({*old_scores, *new_scores}, key=_code_key):
        old, new = _number(old_scores.get(code)), _number(new_scores.get(code))
        if old != new:
            scores.append([stage, code, old, new])
    gates = []
    for code in sorted({*old_gates, *new_gates}, key=_code_key):
        old, new = old_gates.get(code), new_gates.get(code)
        if old != new:
            gates.append([stage, code, old, new])
    return {key: value for key, value in (("scores", scores), ("gates", gates)) if value}


def _code_key(code: str):
    """ "1.10" after "1.9": codes sort by their numbers."""
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in code.split(".")]


def sheet_baseline(evaluation: Evaluation, stage: str, stored: tuple[dict, dict]):
    """What a stage's sheet is compared with: its stored scores, or, when it has none
    yet, the sheet it starts from (a proposal from the self-assessment, a decision from
    the proposal), so that approving as proposed changes no item."""
    from evaluations.services.scores import sheet_of

    if stored[0] or stored[1] or stage not in STARTS_FROM:
        return stored
    return sheet_of(evaluation, STARTS_FROM[stage])


def evidence_changes(added: Iterable = (), removed: Iterable = ()) -> dict:
    """Evidence files added and removed, as (item code, file name) pairs."""
    changes = {}
    if added := [[e.item.code, _file_name(e)] for e in added]:
        changes["added"] = added
    if removed := [[e.item.code, _file_name(e)] for e in removed]:
        changes["removed"] = removed
    return changes


def _file_name(evidence) -> str:
    return evidence.description or evidence.file.name.rsplit("/", 1)[-1]


def step_record(
    *,
    rating,
    action: str,
    acting_user=None,
    changes: Mapping | None = None,
    note: str = "",
    total=None,
    level=None,
) -> EvaluationStep | None:
    """Record one step on a unit's rating (a member's rating has its audit history
    only: it holds a level, no sheet). The door and the import batch come from the
    audit context; the user is ``acting_user``, else the context's."""
    if not isinstance(rating, Evaluation):
        return None
    step = EvaluationStep(
        evaluation=rating,
        user=acting_user or context_user(),
        action=action,
        stage=rating.stage,
        total=total,
        level=level,
        note=note[:500],
        changes=dict(changes or {}),
    )
    step.save()
    return step
