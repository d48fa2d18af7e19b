"""The units of a user's area with their rating of a year: the overview, the decision
list and the dashboard's progress by stage read the same rows."""

import dataclasses
from collections.abc import Mapping

from django.db.models import Case, Count, F, FilteredRelation, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.selectors import units_visible_to
from evaluations.choices import Stage
from evaluations.filtersets import STAGE_NONE, RatingFilterSet
from evaluations.models import RatingLevel
from evaluations.scoring import number_text
from units.choices import UnitKind, UnitStatus


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
