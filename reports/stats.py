"""The statistics of an area on a day: the figures of CONTRACTS section 3.

Straight counts in a fixed number of queries whatever the data size: every filter is a
prefix condition on a path column copied onto units and memberships (no tree walk), and
the next level's figures come from grouping on a prefix of that path. ``area_stats``
is exact (the reference); ``area_stats_cached`` keeps results in the cache under the
data version of their province, which every write in that province bumps
(reports.signals), so a cached answer is never stale; the country's figures are the sum
of its provinces' (``country_stats``), so a write in one province recomputes only that
province (docs/STATS_API.md, "Caching").
"""

import datetime
from collections import defaultdict
from collections.abc import Callable

from django.core.cache import cache
from django.db.models import Count, IntegerField, Q, Value
from django.db.models.functions import Substr

from evaluations.choices import LEVELS, Stage
from evaluations.models import CriteriaSet, Evaluation
from evaluations.periods import YEAR as YEARLY
from portal.paths import PATH_SEPARATOR
from reports import aggregates, daily_work
from reports.maps import counted_areas, map_path_field, map_version
from reports.models import Versions, data_versions
from reports.stats_base import (
    CACHE_SECONDS,
    CHILD_LEVEL,
    MEMBER_FIELDS,
    SEGMENT_LENGTH,
    Place,
    active_memberships,
    active_units,
    member_aggregates,
    rating_rows,
    reference_day,
    unit_aggregates,
    units_active_on,
)
from units.choices import TEAM_KINDS, Edition, Level, UnitKind
from units.models import Area, Unit


def _unit_counts(place: Place, day: datetime.date, years: list[int]) -> dict:
    """``unit_aggregates`` over the units under the place: one query."""
    placed = f"{map_path_field(place.edition)}__descendant_of"
    return Unit.objects.filter(**{placed: place.path}).aggregate(
        **unit_aggregates(day, years, years, place.edition)
    )


def ratings_answer(rows: list[dict], years: list[int], units: dict) -> dict:
    result = {str(y): {**{str(lv): 0 for lv in LEVELS}, "unrated": 0} for y in years}
    for row in rows:
        if row["n"] and row["decided_level"] in LEVELS:
            result[str(row["year"])][str(row["decided_level"])] += row["n"]
    for year in years:
        result[str(year)]["unrated"] = units[f"active_{year}"] - units[f"approved_{year}"]
    return result


def _child_figures(
    children: list[dict],
    key_length: int,
    paths: list[str],
    day: datetime.date,
    edition: str,
    whole: bool = False,
):
    """Blocs, teams and their seats on ``day`` of each child area (``children``: rows
    with a ``path``), by the child's path prefix of ``key_length`` characters: two
    grouped queries over the units and memberships placed under ``paths`` on
    ``edition``'s map (``_under``)."""
    figures = {c["path"][:key_length]: dict.fromkeys(CHILD_FIELDS, 0) for c in children}
    unit_path, seat_path = map_path_field(edition), map_path_field(edition, "unit__")
    unit_rows = (
        active_units(_under(unit_path, edition, paths, whole), day)
        .annotate(key=Substr(unit_path, 1, key_length))
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
        active_memberships(_under(seat_path, edition, paths, whole), day)
        .annotate(key=Substr(seat_path, 1, key_length))
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
    return figures


def child_row(child: dict, figures: dict, key_length: int) -> dict:
    return {
        "code": child["code"],
        "name": child["name"],
        "level": child["level"],
        **figures[child["path"][:key_length]],
    }


def child_areas(place: Place, day: datetime.date) -> tuple[list[dict], int]:
    """The areas of the next level down counted on ``day`` (code, name, level, path; in
    code order) and the length of the path prefix that names each of them (one query;
    none below a commune)."""
    child_level = CHILD_LEVEL.get((place.edition, place.level))
    if child_level is None:
        return [], 0
    children = list(
        Area.objects.filter(
            counted_areas(place.edition, day),
            edition=place.edition,
            level=child_level,
            path__descendant_of=place.path,
        )
        .exclude(pk=place.area.pk if place.area else None)
        .order_by("code", "name")
        .values("code", "name", "level", "path")
    )
    return children, len(place.path) + SEGMENT_LENGTH[child_level]


def _children(place: Place, day: datetime.date) -> list[dict]:
    children, key_length = child_areas(place, day)
    if not children:
        return []
    figures = _child_figures(children, key_length, [place.path], day, place.edition)
    return [child_row(c, figures, key_length) for c in children]


CHILD_FIELDS = ("blocs", "bloc_members", "teams", "team_members")


def area_stats(place: Place, day: datetime.date) -> dict:
    """Every figure of CONTRACTS section 3 for ``place`` on ``day``, counted straight
    from the tables in seven queries whatever the size (areas, units, memberships,
    rating years with the approved ratings, and three for the next level down), so
    that a request that computes them stays within ten with its own lookups."""
    # The daily work's figures ride in the same query (reports.daily_work).
    area_rows, work = daily_work.split_rows(
        daily_work.with_daily_work(
            Area.objects.filter(
                counted_areas(place.edition, day),
                edition=place.edition,
                level__in=[Level.COMMUNE, Level.VILLAGE],
                path__descendant_of=place.path,
            )
            .values("level")
            .annotate(n=Count("pk"))
            .order_by(),
            where=Q(area_path__descendant_of=place.path),
            day=day,
        )
    )
    areas = {row["level"]: row["n"] for row in area_rows}
    rated = rating_rows(place)
    years = sorted({row["year"] for row in rated})
    units = _unit_counts(place, day, years)
    seat_path = map_path_field(place.edition, "unit__")
    members = active_memberships(Q(**{f"{seat_path}__descendant_of": place.path}), day).aggregate(
        **member_aggregates()
    )
    return stats_answer(
        place,
        day,
        areas=areas,
        units=units,
        members=members,
        ratings=ratings_answer(rated, years, units),
        children=_children(place, day),
        work=work.get("", daily_work.empty()),
    )


def stats_answer(
    place: Place, day: datetime.date, *, areas, units, members, ratings, children, work
):
    """The answer of CONTRACTS section 3 from its counts: ``areas`` by level, ``units``
    (``unit_aggregates``), ``members`` (``member_aggregates``) and ``work``
    (``reports.daily_work``: activities, opinions, models)."""
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
        **work,
        "ratings": ratings,
        "children": children,
    }


def _area_json(place: Place) -> dict:
    if place.area is None:
        return {"code": None, "name": None, "level": "country", "edition": place.edition}
    area = place.area
    return {"code": area.code, "name": area.name, "level": area.level, "edition": area.edition}


# --- Cached figures, one province at a time -------------------------------------------

#: Past years for which a province's cached figures also keep the number of units in
#: force at the year's end (``in_force``), so that the country can add up the "unrated"
#: units of a year rated in other provinces only; an older year costs one more query.
IN_FORCE_YEARS = 10

#: Fields of CONTRACTS section 3 that add up across provinces (every person counted is
#: recorded in the province of the units they sit in: members.services.membership_add).
ADDITIVE_FIELDS = (
    "communes",
    "communes_with_bloc",
    "villages",
    "villages_with_team",
    "blocs",
    "bloc_members",
    "teams",
    "team_members",
    "people",
    "women",
    "party_members",
    "ethnic_minority",
)

#: v3: the answers gained the daily work's fields (entries cached before lack them).
KEY_PREFIX = "stats:v3"


def _province_key_length(edition: str) -> int:
    return len(edition) + len(PATH_SEPARATOR) + SEGMENT_LENGTH[Level.PROVINCE]


def _under(field: str, edition: str, paths: list[str], whole: bool) -> Q:
    if whole:
        return Q(**{f"{field}__descendant_of": f"{edition}{PATH_SEPARATOR}"})
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{field}__descendant_of": path})
    return condition


def provinces_stats(
    edition: str, provinces: list[Area], day: datetime.date, *, whole: bool = False
) -> dict[str, dict]:
    """``area_stats`` of each of ``provinces`` (of ``edition``) at once, in seven queries
    whatever their number: the same counts as ``area_stats``, grouped by the province
    prefix of the path (every province segment has the same length). ``whole``: the
    provinces are all of the edition's (one prefix condition instead of one per
    province). Returns, by province path, ``{"stats": figures, "in_force": {year: n}}``:
    ``in_force`` counts the units in force at the end of each of the last
    ``IN_FORCE_YEARS`` years and on ``day`` (for the country's sum)."""
    if not provinces:
        return {}
    paths = [p.path for p in provinces]
    length = _province_key_length(edition)
    entries = {}
    areas: dict[str, dict] = defaultdict(dict)
    area_rows, work = daily_work.split_rows(
        daily_work.with_daily_work(
            Area.objects.filter(
                _under("path", edition, paths, whole),
                counted_areas(edition, day),
                edition=edition,
                level__in=[Level.COMMUNE, Level.VILLAGE],
            )
            .annotate(key=Substr("path", 1, length))
            .values("key", "level")
            .annotate(n=Count("pk"))
            .order_by(),
            where=_under("area_path", edition, paths, whole),
            day=day,
            key_length=length,
        )
    )
    for row in area_rows:
        areas[row["key"]][row["level"]] = row["n"]
    seat_path, unit_path = map_path_field(edition, "unit__"), map_path_field(edition)
    ratings = (
        Evaluation.objects.filter(_under(seat_path, edition, paths, whole), period=YEARLY)
        .annotate(key=Substr(seat_path, 1, length))
        .values("key", "year", "decided_level")
        .annotate(n=Count("pk", filter=Q(stage=Stage.DECIDED)))
        .order_by()
    )
    sets = CriteriaSet.objects.filter(issued=True, subject__in=["bloc", "team"])
    sets = (
        sets.filter(province__edition=edition) if whole else sets.filter(province__path__in=paths)
    )
    sets = (
        sets.annotate(
            key=Substr("province__path", 1, length),
            decided_level=Value(None, output_field=IntegerField()),
            n=Value(0),
        )
        .values("key", "year", "decided_level", "n")
        .order_by()
    )
    rating_rows: dict[str, list[dict]] = defaultdict(list)
    for row in ratings.union(sets):
        rating_rows[row["key"]].append(row)
    years = {key: sorted({row["year"] for row in rows}) for key, rows in rating_rows.items()}
    window = list(range(day.year - IN_FORCE_YEARS, day.year + 1))
    every_year = sorted(set(window).union(*years.values()))
    rated_years = sorted(set().union(*years.values()))
    aggregates = unit_aggregates(day, every_year, rated_years, edition)
    units = {
        row["key"]: row
        for row in Unit.objects.filter(_under(unit_path, edition, paths, whole))
        .annotate(key=Substr(unit_path, 1, length))
        .values("key")
        .annotate(**aggregates)
        .order_by()
    }
    members = {
        row["key"]: row
        for row in active_memberships(_under(seat_path, edition, paths, whole), day)
        .annotate(key=Substr(seat_path, 1, length))
        .values("key")
        .annotate(**member_aggregates())
        .order_by()
    }
    children = _provinces_children(edition, paths, day, whole)
    no_units = dict.fromkeys(aggregates, 0)
    no_members = dict.fromkeys(MEMBER_FIELDS, 0)
    for province in provinces:
        key = province.path[:length]
        unit_row = units.get(key, no_units)
        member_row = members.get(key, no_members)
        province_years = years.get(key, [])
        counted = {**unit_row}
        for year in province_years:
            counted.setdefault(f"approved_{year}", 0)
        stats = stats_answer(
            Place(edition=edition, area=province),
            day,
            areas=areas[key],
            units=unit_row,
            members=member_row,
            ratings=ratings_answer(rating_rows.get(key, []), province_years, counted),
            children=children.get(key, []),
            work=work.get(key, daily_work.empty()),
        )
        in_force = {str(year): unit_row.get(f"active_{year}", 0) for year in window}
        entries[province.path] = {"stats": stats, "in_force": in_force}
    return entries


def _provinces_children(
    edition: str, paths: list[str], day: datetime.date, whole: bool
) -> dict[str, list[dict]]:
    """``_children`` of each province at once (three queries), by province prefix."""
    length = _province_key_length(edition)
    child_level = CHILD_LEVEL[(edition, Level.PROVINCE)]
    child_length = length + SEGMENT_LENGTH[child_level]
    children = list(
        Area.objects.filter(
            _under("path", edition, paths, whole), edition=edition, level=child_level
        )
        .order_by("code", "name")
        .values("code", "name", "level", "path")
    )
    figures = _child_figures(children, child_length, paths, day, edition, whole)
    result: dict[str, list[dict]] = defaultdict(list)
    for c in children:
        result[c["path"][:length]].append(child_row(c, figures, child_length))
    return result


def _older_in_force(
    edition: str, missing: dict[str, set[int]], day: datetime.date
) -> dict[tuple[str, int], int]:
    """Units in force at the end of years older than the ``in_force`` window, for the
    provinces (paths) that need them: one query."""
    years = sorted(set().union(*missing.values()))
    length = _province_key_length(edition)
    unit_path = map_path_field(edition)
    rows = (
        Unit.objects.filter(_under(unit_path, edition, sorted(missing), False))
        .annotate(key=Substr(unit_path, 1, length))
        .values("key")
        .annotate(
            **{
                f"active_{year}": Count("pk", filter=units_active_on(reference_day(year, day)))
                for year in years
            }
        )
        .order_by()
    )
    return {(row["key"], year): row[f"active_{year}"] for row in rows for year in years}


def _province_key(path: str, day: datetime.date, versions: Versions) -> str:
    return f"{KEY_PREFIX}:province:{map_version(path, versions)}:{path}:{day.isoformat()}"


def province_entries(
    edition: str,
    provinces: list[Area],
    day: datetime.date,
    versions: Versions,
    on_miss: Callable[[], None] | None = None,
) -> dict[str, dict]:
    """The cached entries (``provinces_stats``) of ``provinces``, by path: one
    ``get_many``, then the missing ones computed together (seven queries, whatever how
    many are missing) and cached. ``on_miss`` is called before computing (it may raise
    to refuse the work: the API's per-client budget)."""
    keys = {p.path: _province_key(p.path, day, versions) for p in provinces}
    found = cache.get_many(list(keys.values()))
    entries = {path: found[key] for path, key in keys.items() if key in found}
    missing = [p for p in provinces if p.path not in entries]
    if missing:
        if on_miss is not None:
            on_miss()
        computed = provinces_stats(edition, missing, day, whole=len(missing) == len(provinces) > 1)
        cache.set_many({keys[path]: entry for path, entry in computed.items()}, CACHE_SECONDS)
        entries.update(computed)
    return entries


def country_stats(
    edition: str, day: datetime.date, versions: Versions, on_miss: Callable[[], None] | None = None
) -> dict:
    """The whole installation's figures for ``edition``: the sum of its provinces'
    cached figures (``province_entries``), field by field. Equal to ``area_stats`` of
    the country: every count adds up across provinces (a person is counted only in the
    province they are recorded in, which holds every unit they sit in), ratings add up
    year by year (a year rated in some provinces only counts the others' units of that
    year as unrated), and the children are the provinces' own figures in code order.
    Queries: the provinces, plus seven when some province's figures are not cached, plus
    one when a year older than ``IN_FORCE_YEARS`` is rated in some provinces only."""
    provinces = list(
        Area.objects.filter(edition=edition, level=Level.PROVINCE).order_by("code", "name")
    )
    entries = province_entries(edition, provinces, day, versions, on_miss)
    figures = [entries[p.path]["stats"] for p in provinces]
    years = sorted({int(year) for stats in figures for year in stats["ratings"]})
    older = {}
    for province, stats in zip(provinces, figures, strict=True):
        lacking = {
            y for y in years if str(y) not in stats["ratings"] and y < day.year - IN_FORCE_YEARS
        }
        if lacking:
            older[province.path] = lacking
    older_counts = _older_in_force(edition, older, day) if older else {}
    length = _province_key_length(edition)
    ratings = {str(y): {**{str(lv): 0 for lv in LEVELS}, "unrated": 0} for y in years}
    for province, stats in zip(provinces, figures, strict=True):
        in_force = entries[province.path]["in_force"]
        for year in years:
            own = stats["ratings"].get(str(year))
            if own is not None:
                for name, n in own.items():
                    ratings[str(year)][name] += n
            elif year >= day.year:
                ratings[str(year)]["unrated"] += in_force[str(day.year)]
            elif str(year) in in_force:
                ratings[str(year)]["unrated"] += in_force[str(year)]
            else:
                ratings[str(year)]["unrated"] += older_counts.get((province.path[:length], year), 0)
    work = daily_work.empty()
    for stats in figures:
        work = daily_work.add(work, stats)
    return {
        "area": _area_json(Place(edition=edition)),
        "date": day.isoformat(),
        **{field: sum(stats[field] for stats in figures) for field in ADDITIVE_FIELDS},
        **work,
        "ratings": ratings,
        "children": [
            {
                "code": stats["area"]["code"],
                "name": stats["area"]["name"],
                "level": stats["area"]["level"],
                **{field: stats[field] for field in CHILD_FIELDS},
            }
            for stats in figures
        ],
    }


def area_stats_cached(
    place: Place,
    day: datetime.date,
    versions: Versions | None = None,
    *,
    on_miss: Callable[[], None] | None = None,
) -> dict:
    """``area_stats`` through the cache, exact: a province's figures (and those of its
    districts and communes) are cached under the province's data version, which every
    write in it bumps (reports.signals); the country's are the sum of its provinces'
    (``country_stats``), themselves cached under the digest of the edition's versions.
    A caller that has read the versions already passes them (one query less). Any day
    is cached the same way (a past day's figures change only when the data does);
    ``on_miss`` is called before any computation (the API's per-client budget). On
    PostgreSQL a figure set not cached is read from the maintained aggregates
    (``reports.aggregates``): a few hundred milliseconds for the country, no cache needed."""
    if versions is None:
        versions = data_versions()
    if aggregates.enabled():
        return _aggregate_cached(place, day, versions, on_miss)
    if place.area is None:
        key = country_cache_key(place.edition, day, versions)
        result = cache.get(key)
        if result is None:
            result = country_stats(place.edition, day, versions, on_miss)
            cache.set(key, result, CACHE_SECONDS)
        return result
    if place.level == Level.PROVINCE:
        entries = province_entries(place.edition, [place.area], day, versions, on_miss)
        return entries[place.path]["stats"]
    key = (
        f"{KEY_PREFIX}:area:{map_version(place.path, versions)}:{place.edition}:{place.path}:{day}"
    )
    result = cache.get(key)
    if result is None:
        if on_miss is not None:
            on_miss()
        result = area_stats(place, day)
        cache.set(key, result, CACHE_SECONDS)
    return result


def _version(place: Place, versions: Versions) -> str:
    if place.area is not None:
        return map_version(place.path, versions)
    version = versions.of_edition(place.edition)
    if place.edition == Edition.V2025:
        version += f"+{versions.of_edition(Edition.LEGACY)}"
    return version


def _aggregate_key(place: Place, day: datetime.date, versions: Versions) -> str:
    return f"{KEY_PREFIX}:agg:{_version(place, versions)}:{place.edition}:{place.path}:{day}"


def country_cache_key(edition: str, day: datetime.date, versions: Versions) -> str:
    """The cache key of the country's figures on ``edition``'s map on ``day`` (the
    aggregates' on PostgreSQL, the sum of the provinces' elsewhere): what every server
    sharing the cache reads."""
    place = Place(edition=edition)
    if aggregates.enabled():
        return _aggregate_key(place, day, versions)
    return f"{KEY_PREFIX}:country:{_version(place, versions)}:{edition}:{day.isoformat()}"


def _aggregate_cached(
    place: Place, day: datetime.date, versions: Versions, on_miss: Callable[[], None] | None
) -> dict:
    """``aggregates.aggregate_stats`` through the cache, under the same data versions."""
    key = _aggregate_key(place, day, versions)
    result = cache.get(key)
    if result is None:
        if on_miss is not None:
            on_miss()
        result = aggregates.aggregate_stats(place, day)
        cache.set(key, result, CACHE_SECONDS)
    return result
