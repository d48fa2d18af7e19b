"""One stage's score sheet of a unit's rating: checked (numbers within range; on submit
every item scored and every gate answered), stored apart from the other stages' scores,
and totalled to a level."""

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from evaluations.models import Evaluation, EvaluationScore, GateAnswer
from evaluations.scoring import parse_score, scale_level
from evaluations.services.criteria import criteria_items
from evaluations.services.history import sheet_baseline, sheet_changes

ERROR_MISSING_ITEMS = _("Chưa chấm các tiêu chí: {codes}.")
ERROR_MISSING_GATES = _("Chưa trả lời các điều kiện: {codes}.")


def validate_sheet(criteria_set, scores: Mapping, gates: Mapping, *, complete: bool):
    """Check a score sheet: numbers within range; on submit every item scored and every
    gate answered. ``scores`` and ``gates`` are keyed by item / gate code. Returns
    (clean scores by item, answers by gate); raises one ValidationError listing every
    problem."""
    items = criteria_items(criteria_set)
    conditions = list(criteria_set.gates.all())
    problems, clean_scores, clean_gates, invalid = [], {}, {}, set()
    for item in items:
        try:
            score = parse_score(scores.get(item.code), item)
        except ValidationError as exc:
            problems.extend(exc.messages)
            invalid.add(item.code)
            continue
        if score is not None:
            clean_scores[item] = score
    for gate in conditions:
        answer = gates.get(gate.code)
        if answer is not None:
            clean_gates[gate] = bool(answer)
    if complete:
        missing = [i.code for i in items if i not in clean_scores and i.code not in invalid]
        if missing:
            problems.append(ERROR_MISSING_ITEMS.format(codes=", ".join(missing)))
        unanswered = [g.code for g in conditions if g not in clean_gates]
        if unanswered:
            problems.append(ERROR_MISSING_GATES.format(codes=", ".join(unanswered)))
    if problems:
        raise ValidationError(problems)
    return clean_scores, clean_gates


def store_sheet(evaluation, stage: str, scores: Mapping, gates: Mapping) -> dict:
    """Replace the stage's stored scores and answers with checked ones (``validate_sheet``);
    returns what changed (``services.history.sheet_changes``) for the step's history."""
    before = sheet_baseline(evaluation, stage, sheet_of(evaluation, stage))
    after = ({i.code: v for i, v in scores.items()}, {g.code: a for g, a in gates.items()})
    EvaluationScore.objects.filter(evaluation=evaluation, stage=stage).delete()
    EvaluationScore.objects.bulk_create(
        EvaluationScore(evaluation=evaluation, item=item, stage=stage, score=score)
        for item, score in scores.items()
    )
    GateAnswer.objects.filter(evaluation=evaluation, stage=stage).delete()
    GateAnswer.objects.bulk_create(
        GateAnswer(evaluation=evaluation, gate=gate, stage=stage, answer=answer)
        for gate, answer in gates.items()
    )
    return sheet_changes(stage, before, after)


def sheet_of(evaluation: Evaluation, stage: str) -> tuple[dict, dict]:
    """Scores and gate answers stored for a stage, keyed by item / gate code."""
    scores = {
        s.item.code: s.score for s in evaluation.scores.filter(stage=stage).select_related("item")
    }
    gates = {
        a.gate.code: a.answer
        for a in evaluation.gate_answers.filter(stage=stage).select_related("gate")
    }
    return scores, gates


def sheet_result(criteria_set, scores: Mapping, gates: Mapping) -> tuple[Decimal, int]:
    """The total of checked scores and the level it reaches with the gates' caps."""
    total = sum(scores.values(), Decimal(0))
    caps = [gate.cap_level for gate, answer in gates.items() if answer]
    return total, scale_level(total, criteria_set.levels.all(), caps)
