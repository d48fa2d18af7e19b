"""The statistics of an area on a day: the figures of CONTRACTS section 3.

Straight counts in a fixed number of queries whatever the data size: every filter is a
prefix condition on a path column copied onto units and memberships (no tree walk), and
the next level's figures come from grouping on a prefix of that path. ``area_stats``
is exact; ``area_stats_cached`` keeps the result in the cache under the data version,
which every write bumps (reports.signals), so a cached answer is never stale.
"""

import dataclasses
import datetime

from django.core.cache import cache
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Value
from django.db.models.functions import Substr

from evaluations.choices import LEVELS, Stage
from evaluations.models import CriteriaSet, Evaluation
from members.choices import KINH
from members.models import Membership
from reports.models import data_version
from units.choices import TEAM_KINDS, Edition, Level, UnitKind
from units.models import PATH_SEPARATOR, Area, Unit

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
    """Units in force on ``day``: founded by then (or founding date unknown) and not yet
    dissolved (the dissolution date is the first day without the unit)."""
    founded = Q(**{f"{prefix}decision_date__isnull": True}) | Q(
        **{f"{prefix}decision_date__lte": day}
    )
    standing = Q(**{f"{prefix}dissolved_on__isnull": True}) | Q(
        **{f"{prefix}dissolved_on__gt": day}
    )
    return founded & standing


def _active_units(place: Place, day: datetime.date):
    return Unit.objects.filter(units_active_on(day), area_path__descendant_of=place.path)


def _active_memberships(place: Place, day: datetime.date):
    """Memberships in force on ``day`` in units in force on ``day``."""
    return Membership.objects.active_on(day).filter(
        units_active_on(day, prefix="unit__"), area_path__descendant_of=place.path
    )


def _rating_rows(place: Place) -> list[dict]:
    """The years to report and the approved ratings by year and level, in one query:
    every year with a rating in the place (``n`` counts the approved ones at each
    ``decided_level``), united with the years of criteria issued for the place's
    province(s) (rows with no level and ``n`` 0)."""
    province_prefix = PATH_SEPARATOR.join(place.path.split(PATH_SEPARATOR)[:2])
    ratings = (
        Evaluation.objects.filter(area_path__descendant_of=place.path)
        .values("year", "decided_level")
        .annotate(n=Count("pk", filter=Q(stage=Stage.DECIDED)))
        .order_by()
    )
    sets = CriteriaSet.objects.filter(issued=True, subject__in=["bloc", "team"])
    if place.area is None:
        sets = sets.filter(province__edition=place.edition)
    else:
        sets = sets.filter(province__path=province_prefix + PATH_SEPARATOR)
    sets = (
        sets.annotate(decided_level=Value(None, output_field=IntegerField()), n=Value(0))
        .values("year", "decided_level", "n")
        .order_by()
    )
    return list(ratings.union(sets))


def _reference_day(year: int, day: datetime.date) -> datetime.date:
    """Units "of a year" are those in force at its end, or on ``day`` for the year in
    progress."""
    return min(datetime.date(year, 12, 31), day)


def _unit_counts(place: Place, day: datetime.date, years: list[int]) -> dict:
    """Active units on ``day`` by kind, the communes and villages they cover, and for
    each rating year the units of that year with and without an approved rating: one
    query over the units under the place."""
    active = units_active_on(day)
    bloc, team = Q(kind=UnitKind.BLOC), Q(kind__in=TEAM_KINDS)
    aggregates = {
        "blocs": Count("pk", filter=active & bloc),
        "teams": Count("pk", filter=active & team),
        "communes_with_bloc": Count("commune", distinct=True, filter=active & bloc),
        "villages_with_team": Count("area", distinct=True, filter=active & team),
    }
    for year in years:
        in_force = units_active_on(_reference_day(year, day))
        approved = Exists(
            Evaluation.objects.filter(unit=OuterRef("pk"), year=year, stage=Stage.DECIDED)
        )
        aggregates[f"active_{year}"] = Count("pk", filter=in_force)
        aggregates[f"approved_{year}"] = Count("pk", filter=in_force & Q(approved))
    return Unit.objects.filter(area_path__descendant_of=place.path).aggregate(**aggregates)


def _ratings(rows: list[dict], years: list[int], units: dict) -> dict:
    result = {str(y): {**{str(lv): 0 for lv in LEVELS}, "unrated": 0} for y in years}
    for row in rows:
        if row["n"] and row["decided_level"] in LEVELS:
            result[str(row["year"])][str(row["decided_level"])] += row["n"]
    for year in years:
        result[str(year)]["unrated"] = units[f"active_{year}"] - units[f"approved_{year}"]
    return result


def _children(place: Place, day: datetime.date) -> list[dict]:
    child_level = CHILD_LEVEL.get((place.edition, place.level))
    if child_level is None:
        return []
    children = list(
        Area.objects.filter(
            edition=place.edition, level=child_level, path__descendant_of=place.path
        )
        .exclude(pk=place.area.pk if place.area else None)
        .order_by("code", "name")
        .values("code", "name", "level", "path")
    )
    key_length = len(place.path) + SEGMENT_LENGTH[child_level]
    figures = {c["path"][:key_length]: dict.fromkeys(_CHILD_FIELDS, 0) for c in children}
    unit_rows = (
        _active_units(place, day)
        .annotate(key=Substr("area_path", 1, key_length))
        .values("key")
        .annotate(
            blocs=Count("pk", filter=Q(kind=UnitKind.BLOC)),
            teams=Count("pk", filter=Q(kind__in=TEAM_KINDS)),
        )
        .order_by()
    )
    for row in unit_rows:
        if row["key"] in figures:
            figures[row["key"]].update(blocs=row["blocs"], teams=row["teams"])
    member_rows = (
        _active_memberships(place, day)
        .annotate(key=Substr("area_path", 1, key_length))
        .values("key")
        .annotate(
            bloc_members=Count("pk", filter=Q(unit__kind=UnitKind.BLOC)),
            team_members=Count("pk", filter=Q(unit__kind__in=TEAM_KINDS)),
        )
        .order_by()
    )
    for row in member_rows:
        if row["key"] in figures:
            figures[row["key"]].update(
                bloc_members=row["bloc_members"], team_members=row["team_members"]
            )
    return [
        {
            "code": c["code"],
            "name": c["name"],
            "level": c["level"],
            **figures[c["path"][:key_length]],
        }
        for c in children
    ]


_CHILD_FIELDS = ("blocs", "bloc_members", "teams", "team_members")


def area_stats(place: Place, day: datetime.date) -> dict:
    """Every figure of CONTRACTS section 3 for ``place`` on ``day``, counted straight
    from the tables in seven queries whatever the size (areas, units, memberships,
    rating years with the approved ratings, and three for the next level down), so
    that a request that computes them stays within ten with its own lookups."""
    areas = {
        row["level"]: row["n"]
        for row in Area.objects.filter(
            edition=place.edition,
            level__in=[Level.COMMUNE, Level.VILLAGE],
            path__descendant_of=place.path,
        )
        .values("level")
        .annotate(n=Count("pk"))
        .order_by()
    }
    rating_rows = _rating_rows(place)
    years = sorted({row["year"] for row in rating_rows})
    units = _unit_counts(place, day, years)
    members = _active_memberships(place, day).aggregate(
        bloc_members=Count("pk", filter=Q(unit__kind=UnitKind.BLOC)),
        team_members=Count("pk", filter=Q(unit__kind__in=TEAM_KINDS)),
        people=Count("person", distinct=True),
        women=Count("person", distinct=True, filter=Q(person__gender="female")),
        party_members=Count("person", distinct=True, filter=Q(person__party_member=True)),
        ethnic_minority=Count(
            "person",
            distinct=True,
            filter=~Q(person__ethnicity="") & ~Q(person__ethnicity=KINH),
        ),
    )
    return {
        "area": _area_json(place),
        "date": day.isoformat(),
        "communes": areas.get(Level.COMMUNE, 0),
        "communes_with_bloc": units["communes_with_bloc"],
        "villages": areas.get(Level.VILLAGE, 0),
        "villages_with_team": units["villages_with_team"],
        "blocs": units["blocs"],
        "bloc_members": members["bloc_members"],
        "teams": units["teams"],
        "team_members": members["team_members"],
        "people": members["people"],
        "women": members["women"],
        "party_members": members["party_members"],
        "ethnic_minority": members["ethnic_minority"],
        "ratings": _ratings(rating_rows, years, units),
        "children": _children(place, day),
    }


def _area_json(place: Place) -> dict:
    if place.area is None:
        return {"code": None, "name": None, "level": "country", "edition": place.edition}
    area = place.area
    return {"code": area.code, "name": area.name, "level": area.level, "edition": area.edition}


def area_stats_cached(place: Place, day: datetime.date, version: int | None = None) -> dict:
    """``area_stats`` through the cache, keyed by the data version: any write bumps the
    version (reports.signals), so a stale figure is never served. A caller that has
    read the version already passes it (one query less)."""
    if version is None:
        version = data_version()
    key = f"stats:v1:{version}:{place.edition}:{place.path}:{day.isoformat()}"
    result = cache.get(key)
    if result is None:
        result = area_stats(place, day)
        cache.set(key, result, CACHE_SECONDS)
    return result
