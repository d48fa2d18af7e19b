"""The building blocks of the statistics (``reports.stats``): the place asked about,
which units and seats are in force on a day, and the aggregates counted over them."""

import dataclasses
import datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Value
from django.db.models.functions import Substr

from evaluations.choices import Stage
from evaluations.models import CriteriaSet, Evaluation
from evaluations.periods import YEAR as YEARLY
from members.choices import KINH
from members.models import Membership
from portal.paths import PATH_SEPARATOR, province_path
from reports.maps import UNIT_PATH, V2025_COMMUNE_KEY, map_path_field
from units.choices import TEAM_KINDS, Edition, Level, UnitKind
from units.models import Area, Unit, unit_in_force_q

#: The next level down, by edition and level ("" = the whole installation).
CHILD_LEVEL = {
    (Edition.LEGACY, ""): Level.PROVINCE,
    (Edition.LEGACY, Level.PROVINCE): Level.DISTRICT,
    (Edition.LEGACY, Level.DISTRICT): Level.COMMUNE,
    (Edition.LEGACY, Level.COMMUNE): Level.VILLAGE,
    (Edition.V2025, ""): Level.PROVINCE,
    (Edition.V2025, Level.PROVINCE): Level.COMMUNE,
    (Edition.V2025, Level.COMMUNE): Level.VILLAGE,
}

#: Length of a path segment (with its "/") at each level: codes have fixed lengths and
#: areas without a code (villages, island stand-ins) a "v" + 8 hex token.
SEGMENT_LENGTH = {
    Level.PROVINCE: 3,
    Level.DISTRICT: 4,
    Level.COMMUNE: 6,
    Level.VILLAGE: 10,
}

CACHE_SECONDS = 24 * 3600


@dataclasses.dataclass(frozen=True)
class Place:
    """Where the figures are counted: an area, or the whole installation (area None)."""

    edition: str
    area: Area | None = None

    @property
    def path(self) -> str:
        return self.area.path if self.area else f"{self.edition}{PATH_SEPARATOR}"

    @property
    def level(self) -> str:
        return self.area.level if self.area else ""


def units_active_on(day: datetime.date, prefix: str = "") -> Q:
    """Units in force on ``day``: founded, not dissolved, on an area that exists then
    (``units.models.unit_in_force_q``)."""
    return unit_in_force_q(day, prefix)


def active_units(where: Q, day: datetime.date):
    """Units in force on ``day`` matching ``where`` (a condition on ``area_path``)."""
    return Unit.objects.filter(units_active_on(day), where)


def active_memberships(where: Q, day: datetime.date):
    """Memberships in force on ``day`` in units in force on ``day``, matching ``where``
    (a condition on ``area_path``)."""
    return Membership.objects.active_on(day).filter(units_active_on(day, prefix="unit__"), where)


def member_aggregates() -> dict:
    """The membership counts of CONTRACTS section 3 (seats by kind, distinct people and
    their composition), for ``aggregate`` or a grouped ``annotate``."""
    return {
        "bloc_members": Count("pk", filter=Q(unit__kind=UnitKind.BLOC)),
        "team_members": Count("pk", filter=Q(unit__kind__in=TEAM_KINDS)),
        "people": Count("person", distinct=True),
        "women": Count("person", distinct=True, filter=Q(person__gender="female")),
        "party_members": Count("person", distinct=True, filter=Q(person__party_member=True)),
        "ethnic_minority": Count(
            "person",
            distinct=True,
            filter=~Q(person__ethnicity="") & ~Q(person__ethnicity=KINH),
        ),
    }


MEMBER_FIELDS = tuple(member_aggregates())


def rating_rows(place: Place) -> list[dict]:
    """The years to report and the approved ratings by year and level, in one query:
    every year with a rating in the place (``n`` counts the approved ones at each
    ``decided_level``), united with the years of criteria issued for the place's
    province(s) (rows with no level and ``n`` 0)."""
    placed = f"{map_path_field(place.edition, 'unit__')}__descendant_of"
    ratings = (
        # The yearly ratings: quarterly and term ones are no year's result.
        Evaluation.objects.filter(**{placed: place.path}, period=YEARLY)
        .values("year", "decided_level")
        .annotate(n=Count("pk", filter=Q(stage=Stage.DECIDED)))
        .order_by()
    )
    sets = CriteriaSet.objects.filter(issued=True, subject__in=["bloc", "team"])
    if place.area is None:
        sets = sets.filter(province__edition=place.edition)
    else:
        sets = sets.filter(province__path=province_path(place.path))
    sets = (
        sets.annotate(decided_level=Value(None, output_field=IntegerField()), n=Value(0))
        .values("year", "decided_level", "n")
        .order_by()
    )
    return list(ratings.union(sets))


def reference_day(year: int, day: datetime.date) -> datetime.date:
    """Units "of a year" are those in force at its end, or on ``day`` for the year in
    progress."""
    return min(datetime.date(year, 12, 31), day)


def unit_aggregates(
    day: datetime.date, active_years, approved_years, edition: str = Edition.LEGACY
) -> dict:
    """Active units on ``day`` by kind and the communes and villages they cover; the
    units in force in each of ``active_years`` (``active_<year>``) and those of them
    with an approved rating for each of ``approved_years`` (``approved_<year>``). On the
    2025 map a bloc's commune is the 2025 commune it stands in (a legacy bloc's successor)."""
    active = units_active_on(day)
    bloc, team = Q(kind=UnitKind.BLOC), Q(kind__in=TEAM_KINDS)
    commune = "commune"
    if edition == Edition.V2025:
        commune = Substr(UNIT_PATH[edition], 1, V2025_COMMUNE_KEY)
    aggregates = {
        "blocs": Count("pk", filter=active & bloc),
        "teams": Count("pk", filter=active & team),
        "communes_with_bloc": Count(commune, distinct=True, filter=active & bloc),
        "villages_with_team": Count("area", distinct=True, filter=active & team),
    }
    for year in active_years:
        aggregates[f"active_{year}"] = Count("pk", filter=units_active_on(reference_day(year, day)))
    for year in approved_years:
        in_force = units_active_on(reference_day(year, day))
        approved = Exists(
            Evaluation.objects.filter(
                unit=OuterRef("pk"), year=year, period=YEARLY, stage=Stage.DECIDED
            )
        )
        aggregates[f"approved_{year}"] = Count("pk", filter=in_force & Q(approved))
    return aggregates
