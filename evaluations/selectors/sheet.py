"""One rating's score sheet as the pages show it: every item with its scores at each
stage and its evidence, the gates with their answers, each stage's running result."""

import dataclasses
from decimal import Decimal

from django.db.models import Prefetch

from evaluations.choices import ScoreStage
from evaluations.models import (
    CriteriaGroup,
    CriterionItem,
    Evaluation,
    EvaluationScore,
    EvidenceFile,
    GateAnswer,
    RatingLevel,
)
from evaluations.scoring import number_text, scale_level


@dataclasses.dataclass
class SheetItem:
    item: CriterionItem
    scores: dict[str, Decimal | None]  # by score stage
    evidence: list[EvidenceFile]

    @property
    def max_text(self) -> str:
        return number_text(self.item.max_score)

    @property
    def self_text(self) -> str:
        return number_text(self.scores.get(ScoreStage.SELF))

    @property
    def proposal_text(self) -> str:
        return number_text(self.scores.get(ScoreStage.PROPOSAL))

    @property
    def decision_text(self) -> str:
        return number_text(self.scores.get(ScoreStage.DECISION))

    @property
    def changed(self) -> bool:
        """The decision differs from the proposal (shown as an adjustment)."""
        decided = self.scores.get(ScoreStage.DECISION)
        return decided is not None and decided != self.scores.get(ScoreStage.PROPOSAL)


@dataclasses.dataclass
class SheetGate:
    gate: object
    answers: dict[str, bool | None]

    @property
    def self_answer(self):
        return self.answers.get(ScoreStage.SELF)

    @property
    def proposal_answer(self):
        return self.answers.get(ScoreStage.PROPOSAL)

    @property
    def decision_answer(self):
        return self.answers.get(ScoreStage.DECISION)


@dataclasses.dataclass
class SheetGroup:
    group: CriteriaGroup
    items: list[SheetItem]


@dataclasses.dataclass
class StageResult:
    """A stage's total and the level it reaches (with the gates), as stored so far."""

    total: Decimal
    level: int | None
    label: str
    complete: bool

    @property
    def total_text(self) -> str:
        return number_text(self.total)


@dataclasses.dataclass
class Sheet:
    """A rating's score sheet: every item with its scores at each stage, its evidence,
    the gates with their answers, the scale, and each stage's running result."""

    evaluation: Evaluation
    groups: list[SheetGroup]
    gates: list[SheetGate]
    levels: list[RatingLevel]
    results: dict[str, StageResult]
    max_total: Decimal

    @property
    def items(self) -> list[SheetItem]:
        return [i for g in self.groups for i in g.items]

    @property
    def max_total_text(self) -> str:
        return number_text(self.max_total)

    @property
    def self_result(self) -> StageResult:
        return self.results[ScoreStage.SELF]

    @property
    def proposal_result(self) -> StageResult:
        return self.results[ScoreStage.PROPOSAL]

    @property
    def decision_result(self) -> StageResult:
        return self.results[ScoreStage.DECISION]

    def level_label(self, level) -> str:
        return next((lv.label for lv in self.levels if lv.level == level), "")


def score_sheet(evaluation: Evaluation) -> Sheet:
    """The whole sheet of ``evaluation`` in six queries whatever its size: groups,
    items, gates, scale, scores of every stage, gate answers, evidence."""
    criteria_set = evaluation.criteria_set
    groups = list(
        CriteriaGroup.objects.filter(criteria_set=criteria_set).prefetch_related(
            Prefetch("items", queryset=CriterionItem.objects.order_by("order", "code"))
        )
    )
    gates = list(criteria_set.gates.all())
    levels = list(criteria_set.levels.all())
    scores: dict[tuple[int, str], Decimal] = {
        (s.item_id, s.stage): s.score for s in EvaluationScore.objects.filter(evaluation=evaluation)
    }
    answers = {
        (a.gate_id, a.stage): a.answer for a in GateAnswer.objects.filter(evaluation=evaluation)
    }
    evidence: dict[int, list[EvidenceFile]] = {}
    for file in EvidenceFile.objects.filter(evaluation=evaluation).order_by("uploaded_at", "pk"):
        file.display_name = file.description or file.file.name.rsplit("/", 1)[-1]
        evidence.setdefault(file.item_id, []).append(file)
    stages = [s.value for s in ScoreStage]
    sheet_groups = [
        SheetGroup(
            group=g,
            items=[
                SheetItem(
                    item=i,
                    scores={s: scores.get((i.pk, s)) for s in stages},
                    evidence=evidence.get(i.pk, []),
                )
                for i in g.items.all()
            ],
        )
        for g in groups
    ]
    sheet_gates = [
        SheetGate(gate=g, answers={s: answers.get((g.pk, s)) for s in stages}) for g in gates
    ]
    all_items = [i for g in sheet_groups for i in g.items]
    results = {}
    for stage in stages:
        stage_scores = [i.scores[stage] for i in all_items if i.scores[stage] is not None]
        stage_answers = [g for g in sheet_gates if g.answers[stage] is not None]
        total = sum(stage_scores, Decimal(0))
        caps = [g.gate.cap_level for g in stage_answers if g.answers[stage]]
        level = scale_level(total, levels, caps) if (stage_scores or stage_answers) else None
        results[stage] = StageResult(
            total=total,
            level=level,
            label=next((lv.label for lv in levels if lv.level == level), ""),
            complete=len(stage_scores) == len(all_items) and len(stage_answers) == len(gates),
        )
    return Sheet(
        evaluation=evaluation,
        groups=sheet_groups,
        gates=sheet_gates,
        levels=levels,
        results=results,
        max_total=sum((i.item.max_score for i in all_items), Decimal(0)),
    )
