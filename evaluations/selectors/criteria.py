"""Criteria sets as the pages list them, and the year a ratings page opens on."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from evaluations.choices import Subject
from evaluations.models import CriteriaGroup, CriteriaSet, CriterionItem, Evaluation, MemberRating
from evaluations.periods import YEAR, period_label
from evaluations.selectors.scope import criteria_sets_visible_to


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
    """The years of the criteria sets ``user`` may read, newest first."""
    return sorted(set(criteria_sets_visible_to(user).values_list("year", flat=True)), reverse=True)


def period_choices(user, year: int) -> list[tuple[str, str]]:
    """The periods a ratings page of ``year`` offers: the whole year, its quarters, and
    the terms of the sets ``user`` may read that start that year."""
    sets = criteria_sets_visible_to(user).filter(year=year, period__startswith="T")
    terms = sorted(set(sets.values_list("period", flat=True)))
    codes = [YEAR, "Q1", "Q2", "Q3", "Q4", *terms]
    return [(code, period_label(year, code)) for code in codes]


def is_used(criteria_set: CriteriaSet) -> bool:
    """From ``criteria_set_list``'s annotations."""
    if criteria_set.subject == Subject.MEMBER:
        return criteria_set.used_by_members
    return criteria_set.used_by_units


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
