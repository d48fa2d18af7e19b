"""The roster-size rule and the other roster-health conditions, each written once.

A Khối dân vận cơ sở has 7–13 members and a Tổ dân vận 7–10 (docs/ROSTERS.md, "Roster
health"); a unit has one head; a team's head is usually the Party cell secretary. The
warnings inform, nothing is ever refused because of them.

Each condition is read three ways from the same definition: in Python on a unit's
counts of current members (the roster and commune pages, ``roster_health``), as a SQL
condition over the counts ``units_with_roster_counts`` annotates (the staff dashboard
and its lists, ``problem_filters``), and as the numbers the forms' help text shows
(``ROSTER_SIZE``).
"""

import dataclasses
from collections.abc import Iterable
from typing import NamedTuple

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from members.choices import Role, role_label
from members.models import Membership
from units.choices import TEAM_KINDS, UnitKind, UnitStatus
from units.models import Unit


class RosterSize(NamedTuple):
    """How many current members a unit of a kind should have, both ends included."""

    low: int
    high: int

    def __str__(self) -> str:
        return f"{self.low}–{self.high}"


#: Unit size the province expects, by "bloc" and "team" (a community team counts as a
#: team); outside it the roster shows a warning.
ROSTER_SIZE = {"bloc": RosterSize(7, 13), "team": RosterSize(7, 10)}

WARNING_BLOC_SIZE = _(
    "Khối có {count} thành viên đang tham gia, ngoài mức {low}–{high} người theo quy định."
)
WARNING_TEAM_SIZE = _(
    "Tổ có {count} thành viên đang tham gia, ngoài mức {low}–{high} người theo quy định."
)
WARNING_NO_HEAD = _("Chưa có {head}.")
WARNING_MANY_HEADS = _("Có {count} người giữ vai trò {head}: chỉ nên có một.")
WARNING_HEAD_NOT_PARTY = _("Tổ trưởng chưa là đảng viên (tổ trưởng thường là Bí thư chi bộ).")
LABEL_SIZE = _("Số thành viên ngoài quy định (khối {bloc}, tổ {team} người)")


def roster_size(kind: str) -> RosterSize:
    """The expected size of a unit of ``kind`` (any team kind is a team)."""
    return ROSTER_SIZE["team" if kind in TEAM_KINDS else "bloc"]


class Counts(NamedTuple):
    """A unit's counts of current members that the conditions read."""

    active_count: int
    head_count: int
    heads_not_party: int


@dataclasses.dataclass(frozen=True)
class Condition:
    """One roster-health condition: ``key`` names the dashboard's list of the units that
    break it; ``broken`` and ``message`` are the Python side, ``where`` the SQL side."""

    key: str

    def label(self) -> str:
        raise NotImplementedError

    def broken(self, kind: str, counts: Counts) -> bool:
        raise NotImplementedError

    def message(self, kind: str, counts: Counts) -> str:
        raise NotImplementedError

    def where(self) -> Q:
        raise NotImplementedError


class OutsideSize(Condition):
    """More or fewer current members than the unit's kind should have."""

    def label(self) -> str:
        return LABEL_SIZE.format(bloc=ROSTER_SIZE["bloc"], team=ROSTER_SIZE["team"])

    def broken(self, kind, counts):
        low, high = roster_size(kind)
        return not low <= counts.active_count <= high

    def message(self, kind, counts):
        low, high = roster_size(kind)
        template = WARNING_TEAM_SIZE if kind in TEAM_KINDS else WARNING_BLOC_SIZE
        return str(template).format(count=counts.active_count, low=low, high=high)

    def where(self):
        outside = Q()
        for kinds, size in (
            ([UnitKind.BLOC], ROSTER_SIZE["bloc"]),
            (TEAM_KINDS, ROSTER_SIZE["team"]),
        ):
            count = Q(active_count__lt=size.low) | Q(active_count__gt=size.high)
            outside |= Q(kind__in=kinds) & count
        return outside


class NoHead(Condition):
    """No head (trưởng khối, tổ trưởng)."""

    def label(self) -> str:
        return str(_("Chưa có trưởng khối, tổ trưởng"))

    def broken(self, kind, counts):
        return counts.head_count == 0

    def message(self, kind, counts):
        return str(WARNING_NO_HEAD).format(head=role_label(Role.HEAD, kind).lower())

    def where(self):
        return Q(head_count=0)


class ManyHeads(Condition):
    """More than one head."""

    def label(self) -> str:
        return str(_("Có hơn một trưởng khối, tổ trưởng"))

    def broken(self, kind, counts):
        return counts.head_count > 1

    def message(self, kind, counts):
        head = role_label(Role.HEAD, kind).lower()
        return str(WARNING_MANY_HEADS).format(count=counts.head_count, head=head)

    def where(self):
        return Q(head_count__gt=1)


class TeamHeadNotParty(Condition):
    """A team whose head is not a Party member (a bloc's head always is)."""

    def label(self) -> str:
        return str(_("Tổ trưởng chưa là đảng viên"))

    def broken(self, kind, counts):
        return kind in TEAM_KINDS and counts.heads_not_party > 0

    def message(self, kind, counts):
        return str(WARNING_HEAD_NOT_PARTY)

    def where(self):
        return Q(kind__in=TEAM_KINDS) & Q(heads_not_party__gt=0)


#: Every condition, in the order the warnings are listed.
CONDITIONS = (
    OutsideSize("ngoai-quy-mo"),
    NoHead("chua-co-truong"),
    ManyHeads("nhieu-truong"),
    TeamHeadNotParty("to-truong-chua-dang-vien"),
)
CONDITIONS_BY_KEY = {condition.key: condition for condition in CONDITIONS}


def roster_health_from_counts(
    *, kind: str, active_count: int, head_count: int, heads_not_party: int
) -> list[str]:
    """The warnings, in Vietnamese, for a unit of ``kind`` from its counts of current
    members: a dashboard can feed it counts annotated in SQL (``units_with_roster_counts``)
    without loading the rosters."""
    counts = Counts(active_count, head_count, heads_not_party)
    return [c.message(kind, counts) for c in CONDITIONS if c.broken(kind, counts)]


def roster_health(unit: Unit, active_memberships: Iterable[Membership]) -> list[str]:
    """Warnings about ``unit``'s roster, never blockers.

    ``active_memberships`` are the unit's current seats with their people loaded
    (``select_related("person")``). A dissolved unit has no roster to keep, so it gets
    no warnings.
    """
    if unit.status != UnitStatus.ACTIVE:
        return []
    memberships = list(active_memberships)
    heads = [m for m in memberships if m.role == Role.HEAD]
    return roster_health_from_counts(
        kind=unit.kind,
        active_count=len(memberships),
        head_count=len(heads),
        heads_not_party=sum(1 for m in heads if not m.person.party_member),
    )


def units_with_roster_counts(units: QuerySet) -> QuerySet:
    """``units`` annotated with the counts the conditions read, in the same query:
    ``active_count``, ``head_count`` and ``heads_not_party`` (current seats only)."""
    current = Q(memberships__end_date__isnull=True)
    head = current & Q(memberships__role=Role.HEAD)
    return units.annotate(
        active_count=Count("memberships", filter=current),
        head_count=Count("memberships", filter=head),
        heads_not_party=Count(
            "memberships", filter=head & Q(memberships__person__party_member=False)
        ),
    )


def unit_health(unit: Unit) -> list[str]:
    """Warnings for a unit annotated by ``units_with_roster_counts``."""
    if unit.status != UnitStatus.ACTIVE:
        return []
    return roster_health_from_counts(
        kind=unit.kind,
        active_count=unit.active_count,
        head_count=unit.head_count,
        heads_not_party=unit.heads_not_party,
    )


def problem_filters() -> dict[str, Q]:
    """The SQL side of every condition, by key: filters on units annotated by
    ``units_with_roster_counts``, each true exactly when the condition's Python side
    warns (for an active unit)."""
    return {condition.key: condition.where() for condition in CONDITIONS}
