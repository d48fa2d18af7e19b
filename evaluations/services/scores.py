"""One stage's score sheet of a unit's rating: checked (numbers within range; on submit
every item scored and every gate answered), stored apart from the other stages' scores,
and totalled to a level."""

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from evaluations.measures import UnitRecord
from evaluations.models import Evaluation, EvaluationScore, GateAnswer
from evaluations.scoring import number_text, parse_score, scale_level
from evaluations.services.criteria import criteria_items
from evaluations.services.history import sheet_baseline, sheet_changes
from portal.text import normalize

ERROR_MISSING_ITEMS = _("Chưa chấm các tiêu chí: {codes}.")
ERROR_MISSING_GATES = _("Chưa trả lời các điều kiện: {codes}.")
ERROR_OVERRIDE_REASON = _(
    "Điểm tiêu chí {code} khác điểm tính từ sổ theo dõi ({computed} điểm): hãy ghi lý do."
)


def override_problems(
    items, scores: Mapping, record: UnitRecord | None, reasons: Mapping | None
) -> dict[str, str]:
    """The rule of a quantitative item's self-assessment: a score other than the one the
    record gives needs a reason. ``scores``: checked scores by item code. Returns the
    message for each item that breaks it, by item code."""
    if record is None:
        return {}
    problems = {}
    for item in items:
        reading = record.items.get(item.code)
        score = scores.get(item.code)
        if reading is None or score is None or score == reading.points:
            continue
        if not normalize((reasons or {}).get(item.code, "")):
            problems[item.code] = str(
                ERROR_OVERRIDE_REASON.format(code=item.code, computed=number_text(reading.points))
            )
    return problems


def validate_sheet(
    criteria_set,
    scores: Mapping,
    gates: Mapping,
    *,
    complete: bool,
    record: UnitRecord | None = None,
    reasons: Mapping | None = None,
):
    """Check a score sheet: numbers within range; on submit every item scored and every
    gate answered. ``scores`` and ``gates`` are keyed by item / gate code. With the
    unit's ``record`` (the self-assessment and the proposal), the automatic gates are
    answered from it whatever was given, and (``reasons`` given: the self-assessment)
    a quantitative item scored otherwise than the record needs a reason. Returns
    (clean scores by item, answers by gate); raises one ValidationError listing every
    problem."""
    items = criteria_items(criteria_set)
    conditions = list(criteria_set.gates.all())
    if record is not None:
        gates = {**gates, **record.gates}
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
    if reasons is not None:
        by_code = {i.code: score for i, score in clean_scores.items()}
        problems.extend(override_problems(items, by_code, record, reasons).values())
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


def store_sheet(
    evaluation,
    stage: str,
    scores: Mapping,
    gates: Mapping,
    *,
    record: UnitRecord | None = None,
    reasons: Mapping | None = None,
) -> dict:
    """Replace the stage's stored scores and answers with checked ones (``validate_sheet``);
    with the unit's ``record``, a quantitative item's row keeps the count, the points
    the record gave and the reason of a score that differs. Returns what changed
    (``services.history.sheet_changes``) for the step's history."""
    before = sheet_baseline(evaluation, stage, sheet_of(evaluation, stage))
    after = ({i.code: v for i, v in scores.items()}, {g.code: a for g, a in gates.items()})
    readings = record.items if record is not None else {}
    rows = []
    for item, score in scores.items():
        row = EvaluationScore(evaluation=evaluation, item=item, stage=stage, score=score)
        reading = readings.get(item.code)
        if reading is not None:
            row.count, row.computed = reading.count, reading.points
            if score != reading.points:
                row.override_reason = normalize((reasons or {}).get(item.code, ""))[:500]
        rows.append(row)
    EvaluationScore.objects.filter(evaluation=evaluation, stage=stage).delete()
    EvaluationScore.objects.bulk_create(rows)
    GateAnswer.objects.filter(evaluation=evaluation, stage=stage).delete()
    GateAnswer.objects.bulk_create(
        GateAnswer(evaluation=evaluation, gate=gate, stage=stage, answer=answer)
        for gate, answer in gates.items()
    )
    return sheet_changes(stage, before, after)


def sheet_overrides(scores: Mapping, record: UnitRecord | None, reasons: Mapping | None):
    """``[[code, computed, score, reason]]`` of the quantitative items scored otherwise
    than the record (numbers as text), for the history of the step that sends them."""
    if record is None:
        return []
    overrides = []
    for item, score in scores.items():
        reading = record.items.get(item.code)
        if reading is not None and score != reading.points:
            reason = normalize((reasons or {}).get(item.code, ""))
            overrides.append([item.code, str(reading.points), str(score), reason])
    return overrides


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
