"""Reads of people and memberships (the roster health rules are ``members.health``).

Every staff page takes its base queryset from the ``*_visible_to(user)`` functions here
and in ``units.selectors``. For now an active staff user sees everything and anybody
else nothing; the next issue narrows them to the user's area by ``area_path`` prefix, so
no view, filterset or export needs to change then.

"Current" members of a unit are its open seats: memberships with no end date recorded.
Recording a departure moves the seat to the unit's history at once, even when the end
date is today (``MembershipQuerySet.active_on`` still counts that day, as the last one).
"""

import dataclasses
import re
from collections.abc import Sequence

from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, Value, When

from accounts.access import scope_of
from accounts.selectors import commune_villages, units_visible_to
from members.choices import Role
from members.health import roster_health, unit_health, units_with_roster_counts
from members.models import Membership, Person
from units.choices import TEAM_KINDS, UnitKind, UnitStatus
from units.models import Area, Unit
from units.selectors import provinces_linked

#: Heads first, then deputies, then members: the order of every roster.
ROLE_ORDER = {Role.HEAD: 0, Role.DEPUTY: 1, Role.MEMBER: 2}

MERGE_CANDIDATE_LIMIT = 20


# --- Scoping -------------------------------------------------------------------------


def memberships_visible_to(user):
    """Memberships (current and past) ``user`` may see: those of units under the
    account's areas (``area_path`` prefix, no join)."""
    return scope_of(user).apply(Membership.objects.all(), "area_path")


def people_visible_to(user):
    """People ``user`` may see: those with a membership (current or past) under the
    account's areas, and, for staff bound to a province, the people recorded in it.
    Personal data (phone, birth year, ethnicity, Party membership) is therefore only
    shown to staff whose area covers the person."""
    scope = scope_of(user)
    if scope.everything or scope.is_empty:
        return scope.apply(Person.objects.all(), "province__path")
    seated = Membership.objects.filter(scope.q("area_path"), person=OuterRef("pk"))
    return Person.objects.filter(Q(Exists(seated)) | scope.q("province__path"))


# --- Pages ----------------------------------------------------------------------------


def role_sort_key(membership: Membership):
    return (ROLE_ORDER.get(membership.role, 9), membership.person.search_name, membership.pk)


@dataclasses.dataclass
class Roster:
    """A unit's roster as the unit page shows it."""

    unit: Unit
    current: list[Membership]
    past: list[Membership]
    warnings: list[str]


def unit_get_queryset(user):
    """Units ``user`` may see, with what the unit page prints beside them."""
    return units_visible_to(user).select_related("area", "commune__parent__parent")


def unit_roster(*, user, unit: Unit) -> Roster:
    """Current members (heads first) and past members (latest departure first) of
    ``unit``, with the health warnings; two queries whatever the size."""
    memberships = list(memberships_visible_to(user).filter(unit=unit).select_related("person"))
    for membership in memberships:
        # The page prints role labels, which depend on the unit: no query per row.
        membership.unit = unit
    current = sorted((m for m in memberships if m.end_date is None), key=role_sort_key)
    past = sorted(
        (m for m in memberships if m.end_date is not None),
        key=lambda m: (m.end_date, m.pk),
        reverse=True,
    )
    return Roster(unit=unit, current=current, past=past, warnings=roster_health(unit, current))


@dataclasses.dataclass
class VillageRow:
    village: Area
    team: Unit | None


@dataclasses.dataclass
class CommuneOverview:
    """What the commune page shows: its bloc, a row per village with its team (or
    none yet), and the dissolved units as history."""

    commune: Area
    bloc: Unit | None
    villages: list[VillageRow]
    dissolved: list[Unit]

    @property
    def villages_without_team(self) -> list[Area]:
        return [row.village for row in self.villages if row.team is None]


_NUMBER = re.compile(r"(\d+)")


def natural_key(text: str):
    """ "Tổ 2" before "Tổ 10"."""
    return [int(part) if part.isdigit() else part for part in _NUMBER.split(text)]


def commune_overview(*, user, commune: Area) -> CommuneOverview:
    """The bloc and teams of ``commune`` with their counts of current members (annotated,
    not loaded) and the commune's villages; three queries whatever the size."""
    units = list(
        units_with_roster_counts(
            units_visible_to(user).filter(commune=commune).select_related("area")
        ).order_by("area_path", "kind", "-pk")
    )
    for unit in units:
        unit.warnings = unit_health(unit)
    active = [u for u in units if u.status == UnitStatus.ACTIVE]
    bloc = next((u for u in active if u.kind == UnitKind.BLOC), None)
    teams = {u.area_id: u for u in active if u.kind in TEAM_KINDS}
    villages = sorted(
        commune_villages(user=user, commune=commune), key=lambda v: natural_key(v.search_name)
    )
    return CommuneOverview(
        commune=commune,
        bloc=bloc,
        villages=[VillageRow(village=v, team=teams.get(v.pk)) for v in villages],
        dissolved=[u for u in units if u.status != UnitStatus.ACTIVE],
    )


def membership_get_queryset(user):
    """Memberships ``user`` may open, with their unit and person (edit and end pages)."""
    return memberships_visible_to(user).select_related("unit__area", "person__province")


def membership_list(user):
    """Every membership ``user`` may see, ready for the member list and exports: unit,
    commune and person in the same query; by place, then unit, then heads first."""
    role_order = Case(
        *[When(role=role, then=Value(order)) for role, order in ROLE_ORDER.items()],
        default=Value(9),
        output_field=IntegerField(),
    )
    return (
        memberships_visible_to(user)
        .select_related("unit__area", "unit__commune", "person")
        .annotate(role_order=role_order)
        .order_by("area_path", "unit__kind", "unit_id", "role_order", "person__search_name", "pk")
    )


def person_get_queryset(user):
    return people_visible_to(user).select_related("province")


def person_memberships(*, user, person: Person) -> list[Membership]:
    """Every seat ``person`` holds or held, current first, with unit and commune."""
    memberships = memberships_visible_to(user).filter(person=person)
    memberships = memberships.select_related("unit__area", "unit__commune")
    return sorted(
        memberships,
        key=lambda m: (m.end_date is not None, m.unit.area_path, ROLE_ORDER.get(m.role, 9), m.pk),
    )


def merge_candidates(
    *, user, person: Person, query: str, limit: int = MERGE_CANDIDATE_LIMIT
) -> Sequence[Person]:
    """Other records of ``person``'s province whose names contain every word of
    ``query`` (diacritics ignored), with their memberships: the duplicates staff may
    merge into ``person``. Empty without a query."""
    if not (query or "").strip():
        return []
    seats = Prefetch(
        "memberships",
        queryset=memberships_visible_to(user).select_related("unit").order_by("end_date", "pk"),
    )
    return list(
        people_visible_to(user)
        .filter(province__in=provinces_linked(person.province_id))
        .exclude(pk=person.pk)
        .search(query)
        .prefetch_related(seats)
        .order_by("search_name", "birth_year", "pk")[:limit]
    )
