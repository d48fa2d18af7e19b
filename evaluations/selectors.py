"""Reads of criteria and ratings that depend on the user.

Every staff page, the admin and the exports take their base queryset from the
``*_visible_to(user)`` functions here, which filter with the user's scope
(``accounts.access.scope_of``) on the area path copied onto each rating: an object outside
the user's area is not in the queryset and answers 404 like a missing one.
"""

import dataclasses
from collections.abc import Mapping
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import scope_of
from accounts.selectors import units_visible_to
from evaluations.choices import ScoreStage, Stage, Subject
from evaluations.filtersets import STAGE_NONE, RatingFilterSet
from evaluations.models import (
    CriteriaGroup,
    CriteriaSet,
    CriterionItem,
    Evaluation,
    EvaluationScore,
    EvidenceFile,
    GateAnswer,
    MemberRating,
    RatingLevel,
)
from evaluations.services import scale_level
from members.selectors import memberships_visible_to, role_sort_key
from portal.paths import province_path
from units.choices import UnitKind, UnitStatus
from units.models import Unit

# --- Scoping ---------------------------------------------------------------------------


def evaluations_visible_to(user) -> QuerySet:
    """Unit ratings ``user`` may see: those of units under the account's areas."""
    return scope_of(user).apply(Evaluation.objects.all(), "area_path")


def member_ratings_visible_to(user) -> QuerySet:
    """Member ratings ``user`` may see: those of seats under the account's areas."""
    return scope_of(user).apply(MemberRating.objects.all(), "area_path")


def member_rating_get_queryset(user) -> QuerySet:
    """Member ratings of the user's area, with what their page shows (the member, the
    roster's unit and commune, who took each step)."""
    return member_ratings_visible_to(user).select_related(
        "membership__person",
        "membership__unit__commune",
        "self_by",
        "proposed_by",
        "decided_by",
    )


def criteria_sets_visible_to(user) -> QuerySet:
    """Criteria sets of the provinces ``user`` works in: a set is visible when the
    user's scope covers its province (provincial staff), or when the province lies
    above one of the user's areas (district and commune staff read the criteria they
    are rated against)."""
    scope = scope_of(user)
    if scope.everything:
        return CriteriaSet.objects.all()
    if scope.is_empty:
        return CriteriaSet.objects.none()
    above = {province_path(p) for p in scope.paths}
    return CriteriaSet.objects.filter(scope.q("province__path") | Q(province__path__in=above))


def criteria_sets_managed_by(user) -> QuerySet:
    """Sets ``user`` may change: of provinces the scope covers, with the permission."""
    if not user.has_perm("evaluations.manage_criteria"):
        return CriteriaSet.objects.none()
    return scope_of(user).apply(CriteriaSet.objects.all(), "province__path")


def can_manage(user, criteria_set: CriteriaSet) -> bool:
    return user.has_perm("evaluations.manage_criteria") and scope_of(user).covers(
        criteria_set.province.path
    )


# --- Criteria sets ----------------------------------------------------------------------


def criteria_set_list(*, user, year: int | None = None, subject: str = "") -> QuerySet:
    """The sets ``user`` may read, newest year first, each with ``used`` (a rating was
    scored against it, so it is frozen) computed in the same query."""
    unit_use = Evaluation.objects.filter(criteria_set=OuterRef("pk"))
    member_use = MemberRating.objects.filter(
        year=OuterRef("year"), area_path__descendant_of=OuterRef("province__path")
    )
    sets = criteria_sets_visible_to(user).select_related("province", "copied_from")
    if year:
        sets = sets.filter(year=year)
    if subject:
        sets = sets.filter(subject=subject)
    return sets.annotate(
        used_by_units=Exists(unit_use), used_by_members=Exists(member_use)
    ).order_by("-year", "province__path", "subject", "-version")


def criteria_set_years(user) -> list[int]:
    return sorted(set(criteria_sets_visible_to(user).values_list("year", flat=True)), reverse=True)


def is_used(criteria_set: CriteriaSet) -> bool:
    """From ``criteria_set_list``'s annotations."""
    if criteria_set.subject == Subject.MEMBER:
        return criteria_set.used_by_members
    return criteria_set.used_by_units


def criteria_set_get_queryset(user) -> QuerySet:
    return criteria_sets_visible_to(user).select_related("province", "copied_from")


def criteria_set_contents(criteria_set: CriteriaSet) -> CriteriaSet:
    """Load the groups with their items, the gates and the scale (three queries)."""
    groups = CriteriaGroup.objects.filter(criteria_set=criteria_set).prefetch_related(
        Prefetch("items", queryset=CriterionItem.objects.order_by("order", "code"))
    )
    criteria_set.group_list = list(groups)
    criteria_set.gate_list = list(criteria_set.gates.all())
    criteria_set.level_list = list(criteria_set.levels.all())
    return criteria_set


def default_year(user) -> int:
    """The year a ratings page opens on: the latest year with issued criteria the user
    may read, not after the current year; the current year when there is none."""
    this_year = timezone.localdate().year
    latest = (
        criteria_sets_visible_to(user)
        .filter(issued=True, year__lte=this_year)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return latest or this_year


# --- The overview of an area's units for a year -----------------------------------------


def rating_rows(*, user, year: int) -> QuerySet:
    """Every unit of ``user``'s area for ``year`` with its rating: the active units,
    and dissolved ones that have a rating that year. One query; a unit without an
    ``Evaluation`` row yet has ``stage_key`` "none" (not self-assessed)."""
    return (
        units_visible_to(user)
        .annotate(ev=FilteredRelation("evaluations", condition=Q(evaluations__year=year)))
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
            current_level=Coalesce(
                F("ev__decided_level"), F("ev__proposed_level"), F("ev__self_level")
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


@dataclasses.dataclass
class RatingOverview:
    """What the ratings pages list: the filtered rows (lazy, to be paged), the filter
    form and the number of units at each stage (every filter applied but the stage)."""

    year: int
    rows: QuerySet
    filterset: RatingFilterSet
    stage_counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.stage_counts.values())


def rating_overview(*, user, year: int, filters: Mapping | None = None) -> RatingOverview:
    """Every active unit of ``user``'s area for ``year`` with its stage, totals and
    levels, filtered by ``filters`` (``request.GET``: stage, level, kind, area_code, q).
    The counts by stage follow every filter but the stage itself, so that they stay
    the menu of stages. A constant number of queries whatever the number of units
    (rows, counts by stage); the page adds one for the level labels
    (``attach_labels``) and one for its paginator's count."""
    filters = filters or {}
    base = rating_rows(user=user, year=year)
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
    return RatingOverview(year=year, rows=rows, filterset=filterset, stage_counts=counts)


STAGE_LABELS = {STAGE_NONE: _("Chưa tự đánh giá"), **dict(Stage.choices)}


def number_text(value) -> str:
    """A score or total as Vietnamese write it: 7.50 -> "7,5", 100.00 -> "100"."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")


def attach_labels(rows) -> list:
    """Give each row of a page its stage label and its levels' labels from its own
    criteria set's scale (one query for the whole page)."""
    rows = list(rows)
    set_ids = {r.ev_criteria_set_id for r in rows if r.ev_criteria_set_id}
    labels = {
        (lv.criteria_set_id, lv.level): lv.label
        for lv in RatingLevel.objects.filter(criteria_set_id__in=set_ids)
    }
    for row in rows:
        row.stage_label = STAGE_LABELS.get(row.stage_key, row.stage_key)
        for name in ("self_total", "proposed_total", "decided_total"):
            setattr(row, f"{name}_text", number_text(getattr(row, name)))
        for name in ("self_level", "proposed_level", "decided_level", "current_level"):
            setattr(row, f"{name}_label", labels.get((row.ev_criteria_set_id, getattr(row, name))))
    return rows


# --- Score sheets -----------------------------------------------------------------------


def evaluation_get_queryset(user) -> QuerySet:
    return evaluations_visible_to(user).select_related(
        "unit__area", "unit__commune", "criteria_set__province", "decided_by"
    )


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


def evidence_get_queryset(user) -> QuerySet:
    """Evidence files ``user`` may open: those of ratings in the user's area."""
    return EvidenceFile.objects.filter(evaluation__in=evaluations_visible_to(user)).select_related(
        "evaluation"
    )


# --- Member ratings of a roster ---------------------------------------------------------


@dataclasses.dataclass
class MemberRow:
    membership: object
    rating: MemberRating | None

    @property
    def stage(self) -> str:
        return self.rating.stage if self.rating else Stage.SELF

    @property
    def is_locked(self) -> bool:
        return bool(self.rating and self.rating.is_locked)


def roster_ratings(*, user, unit: Unit, year: int) -> list[MemberRow]:
    """The unit's current members, and past members rated that year, each with their
    rating for ``year`` (or none yet); heads first. Two queries."""
    ratings = {
        r.membership_id: r
        for r in member_ratings_visible_to(user).filter(membership__unit=unit, year=year)
    }
    memberships = (
        memberships_visible_to(user)
        .filter(unit=unit)
        .filter(Q(end_date__isnull=True) | Q(pk__in=list(ratings)))
        .select_related("person")
    )
    rows = []
    for membership in memberships:
        membership.unit = unit
        rows.append(MemberRow(membership=membership, rating=ratings.get(membership.pk)))
    return sorted(rows, key=lambda r: role_sort_key(r.membership))


#: The permission each step of a rating needs (as in evaluations.services).
STEP_PERMISSION = {
    Stage.SELF: "evaluations.self_assess",
    Stage.PROPOSAL: "evaluations.propose",
    Stage.DECISION: "evaluations.decide",
}


def can_step(user, stage: str) -> bool:
    permission = STEP_PERMISSION.get(stage)
    return bool(permission) and user.has_perm(permission)
