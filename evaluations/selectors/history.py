"""The history of a unit's rating as its page shows it: one entry per step (newest
first) with what it changed, written for the reader: items and gates by code and
text, numbers the Vietnamese way ("7,5"), names in written order, the door by name."""

from __future__ import annotations

import dataclasses
import datetime

from django.utils.translation import gettext as _

from accounts.names import display_name
from evaluations.choices import ScoreStage, Stage, StepAction, level_label
from evaluations.models import CriterionItem, EvaluationStep, GateCondition
from evaluations.scoring import number_text
from portal.audit import Door


@dataclasses.dataclass
class ItemChange:
    stage_label: str
    code: str
    text: str
    old: str
    new: str


@dataclasses.dataclass
class StepEntry:
    when: datetime.datetime
    user_label: str
    door: str
    door_label: str
    action: str
    action_label: str
    stage_label: str
    result: str
    note: str
    scores: list[ItemChange]
    gates: list[ItemChange]
    added: list[tuple[str, str]]
    removed: list[tuple[str, str]]
    # Quantitative items the unit scored otherwise than the record:
    # (code, points from the record, score, reason), numbers as written.
    overrides: list[tuple[str, str, str, str]] = dataclasses.field(default_factory=list)

    @property
    def changed_nothing(self) -> bool:
        return not (self.scores or self.gates or self.added or self.removed or self.overrides)


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or ""


def _answer(value) -> str:
    if value is None:
        return "—"
    return _("Có") if value else _("Không")


def rating_history(evaluation, *, limit: int = 200) -> list[StepEntry]:
    """The steps of ``evaluation``, newest first: three queries (steps with their
    users, the set's items, its gates)."""
    steps = list(
        EvaluationStep.objects.filter(evaluation=evaluation)
        .select_related("user")
        .order_by("-at", "-pk")[:limit]
    )
    items = {
        i.code: i.text
        for i in CriterionItem.objects.filter(group__criteria_set_id=evaluation.criteria_set_id)
    }
    gates = {
        g.code: g.question
        for g in GateCondition.objects.filter(criteria_set_id=evaluation.criteria_set_id)
    }
    entries = []
    for step in steps:
        changes = step.changes or {}
        result = ""
        if step.total is not None:
            result = _("{total} điểm").format(total=number_text(step.total))
            if step.level:
                result = f"{result} · {level_label(step.level)}"
        entries.append(
            StepEntry(
                when=step.at,
                user_label=display_name(step.user) if step.user else _("Hệ thống"),
                door=step.door,
                door_label=_label(Door, step.door),
                action=step.action,
                action_label=_label(StepAction, step.action),
                stage_label=_label(Stage, step.stage),
                result=result,
                note=step.note,
                scores=[
                    ItemChange(
                        _label(ScoreStage, stage),
                        code,
                        items.get(code, ""),
                        number_text(old) or "—",
                        number_text(new) or "—",
                    )
                    for stage, code, old, new in changes.get("scores", ())
                ],
                gates=[
                    ItemChange(
                        _label(ScoreStage, stage),
                        code,
                        gates.get(code, ""),
                        _answer(old),
                        _answer(new),
                    )
                    for stage, code, old, new in changes.get("gates", ())
                ],
                added=[tuple(pair) for pair in changes.get("added", ())],
                removed=[tuple(pair) for pair in changes.get("removed", ())],
                overrides=[
                    (code, number_text(computed), number_text(score), reason)
                    for code, computed, score, reason in changes.get("overrides", ())
                ],
            )
        )
    return entries
