"""The score sheet's format: its columns and the words its cells hold (read back by the
import, so Vietnamese in every language), and what a row shows for a rating."""

from collections import defaultdict

from django.conf import settings
from django.utils import translation

from evaluations.choices import LOCKED_STAGES, ScoreStage, Stage, Subject
from evaluations.models import CriteriaSet, CriterionItem, EvaluationScore, GateAnswer
from evaluations.scoring import number_text
from evaluations.services.criteria import criteria_items
from evaluations.sheets.reader import COL_CODE, COL_COMMUNE, COL_UNIT, COL_VILLAGE
from portal.text import fold, normalize
from units.choices import TEAM_KINDS, UnitKind

COL_STAGE = "Bước hiện tại"
COL_SUBMIT = "Gửi (x)"
#: A set with quantitative items adds, after the gates, one column per such item saying
#: what the record gives ("Theo sổ 1.3": "8 → 5", ignored by the import) and this one:
#: the reason of a self-assessment that scores them otherwise (every such item of the row).
COL_REASON = "Lý do khác điểm theo sổ"
SHEET_COLUMNS = (COL_CODE, COL_COMMUNE, COL_VILLAGE, COL_UNIT, COL_STAGE, COL_SUBMIT, COL_REASON)


#: What "Bước hiện tại" says for a unit without a rating yet, and after a locked stage.
STAGE_NONE_LABEL = "Chưa đánh giá"
LOCKED_SUFFIX = " (đã khóa)"
YES, NO = "Có", "Không"


#: Which stored scores a row shows, by the rating's stage: the editable stage's own
#: scores, else what the service would start from.
SHOWN = {
    Stage.SELF: (ScoreStage.SELF,),
    Stage.PROPOSAL: (ScoreStage.PROPOSAL, ScoreStage.SELF),
    Stage.DECISION: (ScoreStage.PROPOSAL,),
    Stage.DECIDED: (ScoreStage.DECISION, ScoreStage.PROPOSAL),
    Stage.NOT_RATED: (ScoreStage.DECISION, ScoreStage.PROPOSAL, ScoreStage.SELF),
}


def stage_label(stage: str | None) -> str:
    """What "Bước hiện tại" says: read back by the import, so written in Vietnamese in
    any language, like the rest of the sheet's columns."""
    if stage is None:
        return STAGE_NONE_LABEL
    with translation.override(settings.LANGUAGE_CODE):
        label = str(Stage(stage).label)
    return label + LOCKED_SUFFIX if stage in LOCKED_STAGES else label


def item_header(item: CriterionItem) -> str:
    """ "1.1 (tối đa 10)"."""
    return f"{item.code} (tối đa {number_text(item.max_score)})"


def record_header(item: CriterionItem) -> str:
    """ "Theo sổ 1.3": what the record gives for a quantitative item (read-only)."""
    return f"Theo sổ {item.code}"


def record_text(reading) -> str:
    """ "8 → 5": the count and the points it reaches."""
    return f"{reading.count} → {number_text(reading.points)}"


def gate_header(gate) -> str:
    """ "K1: Để xảy ra điểm nóng (Có/Không)"."""
    return f"{gate.code}: {gate.question} (Có/Không)"


def unit_kinds(subject: str) -> tuple[str, ...]:
    """The kinds of unit a sheet of ``subject`` lists."""
    return (UnitKind.BLOC,) if subject == Subject.BLOC else TEAM_KINDS


def criteria_contents(criteria_set: CriteriaSet) -> tuple[list, list]:
    """The set's items and gates in the order of the sheet's columns."""
    return criteria_items(criteria_set), list(criteria_set.gates.order_by("order", "code"))


def stored_sheets(evaluations) -> dict[int, dict[str, tuple[dict, dict]]]:
    """{evaluation id: {score stage: (scores by item code, answers by gate code)}}, in
    two queries for any number of ratings."""
    sheets: dict[int, dict] = defaultdict(lambda: defaultdict(lambda: ({}, {})))
    ids = [e.pk for e in evaluations]
    for score in EvaluationScore.objects.filter(evaluation_id__in=ids).select_related("item"):
        sheets[score.evaluation_id][score.stage][0][score.item.code] = score.score
        if score.override_reason and score.stage == ScoreStage.SELF:
            sheets[score.evaluation_id][REASONS][0][score.item.code] = score.override_reason
    for answer in GateAnswer.objects.filter(evaluation_id__in=ids).select_related("gate"):
        sheets[answer.evaluation_id][answer.stage][1][answer.gate.code] = answer.answer
    return sheets


def shown_sheet(evaluation, sheets) -> tuple[dict, dict]:
    """What a row shows for a rating: the first stored stage of ``SHOWN``."""
    if evaluation is None:
        return {}, {}
    stored = sheets.get(evaluation.pk, {})
    for stage in SHOWN[evaluation.stage]:
        scores, gates = stored.get(stage, ({}, {}))
        if scores or gates:
            return dict(scores), dict(gates)
    return {}, {}


#: Where ``stored_sheets`` keeps a rating's override reasons (as "scores" by item code).
REASONS = "reasons"


def prefilled_sheet(evaluation, sheets, record) -> tuple[dict, dict, str]:
    """What a row shows and what the import compares a row with: ``shown_sheet``, where
    the unit's ``record`` (``evaluations.measures.UnitRecord``) fills what the services
    would take from it: a quantitative item not yet scored on a self-assessment, the
    automatic gates of a stage still typed; and the stored override reasons."""
    scores, gates = shown_sheet(evaluation, sheets)
    stage = evaluation.stage if evaluation is not None else Stage.SELF
    if record is not None and stage in (Stage.SELF, Stage.PROPOSAL):
        if stage == Stage.SELF:
            for code, reading in record.items.items():
                scores.setdefault(code, reading.points)
        gates.update(record.gates)
    reasons = sheets.get(evaluation.pk, {}).get(REASONS, ({}, {}))[0] if evaluation else {}
    return scores, gates, "; ".join(dict.fromkeys(reasons.values()))


def cell_text(value) -> str:
    """A cell as text: a whole number without ".0", spaces normalised."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize(str(value))


def gate_value(value) -> bool | None:
    """Có / x -> True, Không -> False, empty -> None; ValueError otherwise."""
    if isinstance(value, bool):
        return value
    text = fold(cell_text(value))
    if not text:
        return None
    if text in ("co", "x"):
        return True
    if text == "khong":
        return False
    raise ValueError


def stage_from_label(text: str) -> str | None:
    """The stage a "Bước hiện tại" cell names (as the download wrote it), or None."""
    key = fold(text.replace(LOCKED_SUFFIX, ""))
    if key == fold(STAGE_NONE_LABEL):
        return ""
    # A sheet written by an older version in the downloader's language reads too.
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for stage in Stage:
                if fold(str(stage.label)) == key:
                    return stage.value
    return None
