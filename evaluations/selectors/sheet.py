"""One rating's score sheet as the pages show it: every item with its scores at each
stage and its evidence, the gates with their answers, each stage's running result."""

import dataclasses
from decimal import Decimal

from django.db.models import Prefetch

from evaluations.choices import ScoreStage
from evaluations.measures import Reading, records_behind, unit_records
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
    # A quantitative item: what the record says now, the records behind it (the first
    # few and the list of all), and what the self-assessment stored (the count and
    # points when it was saved, the reason of a score that differs).
    reading: Reading | None = None
    records: list = dataclasses.field(default_factory=list)
    records_url: str = ""
    saved: EvaluationScore | None = None

    @property
    def points_text(self) -> str:
        return number_text(self.reading.points) if self.reading else ""

    @property
    def override_reason(self) -> str:
        return self.saved.override_reason if self.saved else ""

    @property
    def saved_computed_text(self) -> str:
        return number_text(self.saved.computed) if self.saved else ""

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
    # An automatic gate: the record's answer now, the number of hot spots, the records.
    recorded: bool | None = None
    hot_spots: int = 0
    records: list = dataclasses.field(default_factory=list)
    records_url: str = ""

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
    items, gates, scale, scores of every stage, gate answers, evidence; a set with
    quantitative items or automatic gates adds the unit's record (two queries) and
    the records behind each of them (one query each)."""
    criteria_set = evaluation.criteria_set
    groups = list(
        CriteriaGroup.objects.filter(criteria_set=criteria_set).prefetch_related(
            Prefetch("items", queryset=CriterionItem.objects.order_by("order", "code"))
        )
    )
    gates = list(criteria_set.gates.all())
    levels = list(criteria_set.levels.all())
    stored = list(EvaluationScore.objects.filter(evaluation=evaluation))
    scores: dict[tuple[int, str], Decimal] = {(s.item_id, s.stage): s.score for s in stored}
    saved = {s.item_id: s for s in stored if s.stage == ScoreStage.SELF and s.computed is not None}
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
                    saved=saved.get(i.pk),
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
    _add_records(evaluation, all_items, sheet_gates)
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


def _add_records(evaluation: Evaluation, rows: list[SheetItem], gates: list[SheetGate]) -> None:
    """What the unit's record says for the quantitative items and automatic gates, with
    the records behind each."""
    quantitative = [r for r in rows if r.item.measure]
    automatic = [g for g in gates if g.gate.automatic]
    if not (quantitative or automatic):
        return
    year, period = evaluation.year, evaluation.period
    record = unit_records(
        [evaluation.unit_id],
        [r.item for r in quantitative],
        [g.gate for g in automatic],
        year=year,
        period=period,
    )[evaluation.unit_id]
    for row in quantitative:
        row.reading = record.items[row.item.code]
        row.records, row.records_url = records_behind(
            evaluation.unit_id,
            measure=row.item.measure,
            activity_kind=row.item.activity_kind,
            year=year,
            period=period,
        )
    for gate in automatic:
        gate.recorded, gate.hot_spots = record.gates[gate.gate.code], record.hot_spots
        gate.records, gate.records_url = records_behind(
            evaluation.unit_id, measure="hot_spots", activity_kind="", year=year, period=period
        )
