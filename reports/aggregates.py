"""The statistics from maintained exact aggregates, on PostgreSQL (docs/STATS_API.md,
"Aggregates without a cache").

Statement-level triggers (reports/aggregates_sql.py) append to the journal
(``StatDelta``) what every write to memberships, units and people changes in the counts
of every node (the country, each province, district, commune and village of each map),
as events on days; ``compact`` moves the journal into the totals (``StatTotal``). A
count on day D is the sum of the events up to D, read at three grains (the years before
D's year, the months of its year before D's month, the days of its month up to D): at
most about seventy rows per node and key whatever the number of memberships.
``aggregate_stats`` answers exactly what ``reports.stats.area_stats`` counts straight
(the reference), in five queries whatever the size; SQLite counts straight.
"""

import datetime

from django.db import connections, router, transaction
from django.db.models import Count, Q

from evaluations.choices import Stage
from evaluations.models import Evaluation
from evaluations.periods import YEAR as YEARLY
from reports import aggregates_sql, daily_work
from reports.maps import UNIT_PATH, counted_areas
from reports.models import StatTotal
from reports.stats_base import CHILD_LEVEL, SEGMENT_LENGTH, Place, reference_day, units_active_on
from units.choices import Level
from units.models import Area

KEYS = aggregates_sql.KEYS

#: The units' counts read from the aggregates (``reports.stats_base.unit_aggregates``).
UNIT_KEYS = ("blocs", "teams", "communes_with_bloc", "villages_with_team")

#: The journal is moved into the totals by a reader that finds more rows than this in it
#: (and by ``rebuild_stats`` / ``compact_stats``): reading it stays cheap meanwhile.
COMPACT_AFTER = 20_000

#: Lock taken by the compaction, so two readers never compact at once.
COMPACT_LOCK = 160_016

#: The grains summed for a count on ``ref.day``: the years before its year, the months of
#: its year before its month, the days of its month up to it (index ranges on each node).
_GRAINS = f"""((grain = {aggregates_sql.YEAR} AND day < ref.year_start)
        OR (grain = {aggregates_sql.MONTH} AND day >= ref.year_start AND day < ref.month_start)
        OR (grain = {aggregates_sql.DAY} AND day >= ref.month_start AND day <= ref.day))"""

READ_SQL = f"""
SELECT r.node, r.key, ref.day, SUM(r.v)::bigint
FROM unnest(%(refs)s::date[], %(years)s::date[], %(months)s::date[])
    AS ref(day, year_start, month_start)
CROSS JOIN LATERAL (
    SELECT node, key, total AS v FROM reports_stattotal
    WHERE node = ANY(CASE WHEN ref.day = %(day)s THEN %(nodes)s::text[] ELSE %(place)s::text[] END)
      AND {_GRAINS}
    UNION ALL
    SELECT node, key, delta FROM reports_statdelta
    WHERE node = ANY(CASE WHEN ref.day = %(day)s THEN %(nodes)s::text[] ELSE %(place)s::text[] END)
      AND {_GRAINS}
) AS r
WHERE ref.day = %(day)s OR r.key IN ({KEYS["blocs"]}, {KEYS["teams"]})
GROUP BY r.node, r.key, ref.day
UNION ALL
SELECT '', 0, NULL, COALESCE(MAX(id) - MIN(id) + 1, 0) FROM reports_statdelta
"""  # noqa: S608 (constants)


def _connection():
    return connections[router.db_for_read(StatTotal)]


def enabled() -> bool:
    """Whether the statistics read the aggregates: on PostgreSQL, where the migration
    installed the triggers."""
    return _connection().vendor == "postgresql"


def counts(nodes: list[str], place: str, day: datetime.date, refs: list[datetime.date]):
    """``{(node, key, day): n}`` for ``nodes`` on ``day`` (every key), and for ``place``
    the blocs and teams on each of ``refs`` too; and the journal's length."""
    days = sorted({day, *refs})
    params = {
        "nodes": nodes,
        "place": [place],
        "day": day,
        "refs": days,
        "years": [d.replace(month=1, day=1) for d in days],
        "months": [d.replace(day=1) for d in days],
    }
    with _connection().cursor() as cursor:
        cursor.execute(READ_SQL, params)
        rows = cursor.fetchall()
    found, journal = {}, 0
    for node, key, ref, n in rows:
        if ref is None:
            journal = n
        else:
            found[(node, key, ref)] = n
    return found, journal


def compact(using: str | None = None) -> int:
    """Move the journal into the totals, in one transaction (readers see the journal
    or the totals it became, never both nor neither); skipped when another compaction
    holds the lock. Returns the journal rows moved."""
    using = using or router.db_for_write(StatTotal)
    connection = connections[using]
    if connection.vendor != "postgresql":
        return 0
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [COMPACT_LOCK])
        if not cursor.fetchone()[0]:
            return 0
        cursor.execute(
            """
            WITH moved AS (DELETE FROM reports_statdelta RETURNING node, key, grain, day, delta),
            added AS (
                INSERT INTO reports_stattotal (node, key, grain, day, total)
                SELECT node, key, grain, day, SUM(delta) FROM moved
                GROUP BY node, key, grain, day ORDER BY node, key, grain, day
                ON CONFLICT (node, key, grain, day)
                DO UPDATE SET total = reports_stattotal.total + EXCLUDED.total
            )
            SELECT count(*) FROM moved
            """
        )
        moved = cursor.fetchone()[0]
        cursor.execute("DELETE FROM reports_stattotal WHERE total = 0")
    return moved


def rebuild(using: str | None = None) -> None:
    """Recompute the totals from the tables (after a restore, or to check them), in one
    transaction; the triggers keep them from then on."""
    using = using or router.db_for_write(StatTotal)
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE reports_statdelta IN ACCESS EXCLUSIVE MODE")
        cursor.execute("DELETE FROM reports_statdelta")
        cursor.execute("DELETE FROM reports_stattotal")
        cursor.execute(aggregates_sql.rebuild_sql())


def _maybe_compact(journal: int) -> None:
    """Compact a long journal, from a reader on the primary outside any transaction."""
    if (
        journal > COMPACT_AFTER
        and router.db_for_read(StatTotal) == router.db_for_write(StatTotal)
        and transaction.get_autocommit(using=_connection().alias)
    ):
        compact()


def _approved(place: Place, years: list[int], day: datetime.date) -> dict:
    """Units in force at the end of each of ``years`` (on ``day`` for the year in
    progress) under the place with an approved yearly rating of that year: one query."""
    if not years:
        return {}
    placed = f"unit__{UNIT_PATH[place.edition]}__descendant_of"
    return Evaluation.objects.filter(
        **{placed: place.path}, period=YEARLY, stage=Stage.DECIDED, year__in=years
    ).aggregate(
        **{
            f"approved_{year}": Count(
                "unit",
                distinct=True,
                filter=Q(year=year) & units_active_on(reference_day(year, day), "unit__"),
            )
            for year in years
        }
    )


def aggregate_stats(place: Place, day: datetime.date) -> dict:
    """Every figure of ``area_stats`` for ``place`` on ``day``, the memberships' and
    units' counts read from the aggregates: the areas with the daily work, the rating
    years, the next level's areas, the aggregates and the approved ratings (five
    queries whatever the size)."""
    from reports import stats

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
    rated = stats.rating_rows(place)
    years = sorted({row["year"] for row in rated})
    child_level = CHILD_LEVEL.get((place.edition, place.level))
    children, key_length = [], 0
    if child_level is not None:
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
        key_length = len(place.path) + SEGMENT_LENGTH[child_level]
    child_nodes = sorted({c["path"][:key_length] for c in children})
    refs = [reference_day(year, day) for year in years]
    found, journal = counts([place.path, *child_nodes], place.path, day, refs)

    def n(node, key, on=day):
        return found.get((node, KEYS[key], on), 0)

    units = {key: n(place.path, key) for key in UNIT_KEYS}
    for year, ref in zip(years, refs, strict=True):
        units[f"active_{year}"] = n(place.path, "blocs", ref) + n(place.path, "teams", ref)
    units.update(dict.fromkeys((f"approved_{year}" for year in years), 0))
    units.update(_approved(place, years, day))
    members = {key: n(place.path, key) for key in stats.MEMBER_FIELDS}
    figures = {node: {key: n(node, key) for key in stats.CHILD_FIELDS} for node in child_nodes}
    _maybe_compact(journal)
    return stats.stats_answer(
        place,
        day,
        areas=areas,
        units=units,
        members=members,
        ratings=stats.ratings_answer(rated, years, units),
        children=[stats.child_row(c, figures, key_length) for c in children],
        work=work.get("", daily_work.empty()),
    )
