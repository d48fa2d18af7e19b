"""The units of a user's area with their rating of a year: the overview, the decision
list and the dashboard's progress by stage read the same rows."""

import dataclasses
import datetime
from collections.abc import Mapping

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    FilteredRelation,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.selectors import units_visible_to
from evaluations.chains import ChainBook
from evaluations.choices import Stage
from evaluations.filtersets import STAGE_NONE, RatingFilterSet
from evaluations.models import EvaluationScore, GateAnswer, RatingLevel
from evaluations.periods import YEAR
from evaluations.rounds import DUE_FIELD
from evaluations.scoring import number_text, scale_level
from units.choices import UnitKind, UnitStatus


def rating_rows(*, user, year: int, period: str = YEAR) -> QuerySet:
    """Every unit of ``user``'s area for the period (``year`` and ``period``, the whole
    year by default: evaluations.periods) with its rating: the active units, and
    dissolved ones that have a rating then. One query; a unit without an
    ``Evaluation`` row yet has ``stage_key`` "none" (not self-assessed). ``due_on`` is
    the deadline of the step the rating waits at (evaluations.rounds)."""
    return (
        units_visible_to(user)
        .annotate(
            ev=FilteredRelation(
                "evaluations",
                condition=Q(evaluations__year=year, evaluations__period=period),
            )
        )
        .filter(Q(status=UnitStatus.ACTIVE) | Q(ev__isnull=False))
        .select_related("area", "commune")
        .annotate(
            ev_id=F("ev__id"),
            ev_criteria_set_id=F("ev__criteria_set_id"),
            stage_key=Coalesce(F("ev__stage"), Value(STAGE_NONE)),
            self_total=F("ev__self_total"),
            self_level=F("ev__self_level"),
            proposed_total=F("ev__proposed_total"),
            proposed_level=F("ev__proposed_level"),
            decided_total=F("ev__decided_total"),
            decided_level=F("ev__decided_level"),
            # The level the rating stands at: the one sent to the step it waits at.
            current_level=Case(
                When(ev__stage=Stage.DECIDED, then=F("ev__decided_level")),
                When(ev__stage=Stage.DECISION, then=F("ev__proposed_level")),
                When(ev__stage=Stage.PROPOSAL, then=F("ev__self_level")),
                default=Value(None),
            ),
            due_on=Case(
                *(
                    When(ev__stage=stage, then=F(f"ev__criteria_set__{field}"))
                    for stage, field in DUE_FIELD.items()
                ),
                default=Value(None),
                output_field=DateField(),
            ),
            return_comment=F("ev__return_comment"),
            not_rated_reason=F("ev__not_rated_reason"),
        )
        # By commune, its bloc first, then its teams by name.
        .order_by(
            "commune__path",
            Case(When(kind=UnitKind.BLOC, then=Value(0)), default=Value(1)),
            "search_name",
            "pk",
        )
    )


def late_rows(rows: QuerySet, day: datetime.date) -> QuerySet:
    """The rows of ``rating_rows`` whose rating is past the deadline of its step on
    ``day``: the dashboard's count of late units and the list it links to."""
    return rows.filter(due_on__lt=day)


@dataclasses.dataclass
class RatingOverview:
    """What the ratings pages list: the filtered rows (lazy, to be paged), the filter
    form and the number of units at each stage (every filter applied but the stage)."""

    year: int
    period: str
    rows: QuerySet
    filterset: RatingFilterSet
    stage_counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.stage_counts.values())


def rating_overview(
    *,
    user,
    year: int,
    period: str = YEAR,
    filters: Mapping | None = None,
    late_on: datetime.date | None = None,
    restrict: Q | None = None,
) -> RatingOverview:
    """Every active unit of ``user``'s area for the period with its stage, totals and
    levels, filtered by ``filters`` (``request.GET``: stage, level, kind, area_code, q);
    ``late_on``: only the ratings late on that day (``late_rows``); ``restrict``: a
    further condition on the rows (the decision list keeps the decisions the user takes).
    The counts by stage follow every filter but the stage itself, so that they stay
    the menu of stages. A constant number of queries whatever the number of units
    (rows, counts by stage); the page adds one for the level labels
    (``attach_labels``) and one for its paginator's count."""
    filters = filters or {}
    base = rating_rows(user=user, year=year, period=period)
    if late_on is not None:
        base = late_rows(base, late_on)
    if restrict is not None:
        base = base.filter(restrict)
    filterset = RatingFilterSet(filters, queryset=base, user=user)
    rows = filterset.qs if filterset.is_valid() else base.none()
    others = filters.copy()
    others.pop("stage", None)
    unstaged = RatingFilterSet(others, queryset=base, user=user)
    counted = unstaged.qs if unstaged.is_valid() else base.none()
    counts = {
        r["stage_key"]: r["n"]
        for r in counted.order_by().values("stage_key").annotate(n=Count("pk", distinct=True))
    }
    return RatingOverview(
        year=year, period=period, rows=rows, filterset=filterset, stage_counts=counts
    )


STAGE_LABELS = {STAGE_NONE: _("Chưa tự đánh giá"), **dict(Stage.choices)}


#: What the result shown for a rating is, by the stage it waits at: a draft being typed
#: at that step, or the result the step before sent to it.
STEP_RESULT_LABELS = {
    "self_draft": _("Bản nháp tự đánh giá"),
    "proposal_draft": _("Bản nháp đề xuất"),
    Stage.PROPOSAL: _("Tự đánh giá đã gửi"),
    Stage.DECISION: _("Đề xuất đã gửi"),
    # The unit's chain has no proposal: the self-assessment went up as it was.
    "self_as_proposal": _("Tự đánh giá đã gửi"),
    Stage.DECIDED: _("Đã quyết định"),
}


@dataclasses.dataclass
class StepResult:
    """The total and level of the step a rating stands at, and what they are."""

    kind: str
    label: str
    total_text: str
    level: int | None
    level_label: str

    @property
    def is_draft(self) -> bool:
        return self.kind.endswith("_draft")


def _drafts(rows) -> dict[int, tuple]:
    """(total, level) of the draft being typed on the rows waiting at the unit's or the
    commune's step, from the scores and answers stored for that step: two queries."""
    waiting = {r.ev_id: r.stage_key for r in rows if r.stage_key in (Stage.SELF, Stage.PROPOSAL)}
    if not waiting:
        return {}
    totals = {}
    for row in (
        EvaluationScore.objects.filter(evaluation_id__in=waiting)
        .values("evaluation_id", "stage")
        .annotate(total=Sum("score"))
    ):
        if waiting[row["evaluation_id"]] == row["stage"]:
            totals[row["evaluation_id"]] = row["total"]
    caps: dict[int, list[int]] = {}
    for answer in GateAnswer.objects.filter(evaluation_id__in=waiting, answer=True).values(
        "evaluation_id", "stage", "gate__cap_level"
    ):
        if waiting[answer["evaluation_id"]] == answer["stage"]:
            caps.setdefault(answer["evaluation_id"], []).append(answer["gate__cap_level"])
    return {pk: (total, caps.get(pk, [])) for pk, total in totals.items()}


def _step_result(row, drafts, scales, labels, book: ChainBook) -> StepResult | None:
    stage = row.stage_key
    if stage in (Stage.SELF, Stage.PROPOSAL) and row.ev_id in drafts:
        total, caps = drafts[row.ev_id]
        level = scale_level(total, scales.get(row.ev_criteria_set_id, []), caps)
        kind = "self_draft" if stage == Stage.SELF else "proposal_draft"
    elif stage == Stage.PROPOSAL and row.self_total is not None:
        kind, total, level = stage, row.self_total, row.self_level
    elif stage == Stage.DECISION and row.proposed_total is not None:
        kind, total, level = stage, row.proposed_total, row.proposed_level
        if book.of_unit(row).skips(Stage.PROPOSAL):
            kind = "self_as_proposal"
    elif stage == Stage.DECIDED:
        kind, total, level = stage, row.decided_total, row.decided_level
    else:
        return None
    return StepResult(
        kind=kind,
        label=str(STEP_RESULT_LABELS[kind]),
        total_text=number_text(total),
        level=level,
        level_label=labels.get((row.ev_criteria_set_id, level), ""),
    )


def attach_labels(rows) -> list:
    """Give each row of a page its stage label, the result of the step it stands at
    (``step_result``: the draft being typed there, else what the step before sent; a
    returned rating never shows the level it had before) and the first line of a
    return comment. A constant number of queries for the page (the scales; the
    drafts' totals and gate answers)."""
    rows = list(rows)
    set_ids = {r.ev_criteria_set_id for r in rows if r.ev_criteria_set_id}
    scales: dict[int, list] = {}
    for lv in RatingLevel.objects.filter(criteria_set_id__in=set_ids):
        scales.setdefault(lv.criteria_set_id, []).append(lv)
    labels = {(lv.criteria_set_id, lv.level): lv.label for lvs in scales.values() for lv in lvs}
    drafts = _drafts(rows)
    book = ChainBook()  # the provinces' chains, one query when a row needs one
    for row in rows:
        row.stage_label = STAGE_LABELS.get(row.stage_key, row.stage_key)
        for name in ("self_total", "proposed_total", "decided_total"):
            setattr(row, f"{name}_text", number_text(getattr(row, name)))
        for name in ("self_level", "proposed_level", "decided_level", "current_level"):
            setattr(row, f"{name}_label", labels.get((row.ev_criteria_set_id, getattr(row, name))))
        row.step_result = _step_result(row, drafts, scales, labels, book)
        comment = (row.return_comment or "").strip()
        row.return_first_line = comment.splitlines()[0] if comment else ""
    return rows
