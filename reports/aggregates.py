"""The statistics from maintained exact aggregates, on PostgreSQL (docs/STATS_API.md,
"Aggregates without a cache").

Statement-level triggers (reports/aggregates_sql.py) only log, in one ``INSERT ...
SELECT`` per statement, which memberships, units and people a write touched and what
their counted columns were before (``StatLog*``). ``compact`` folds the log into the
totals (``StatTotal``): the contributions of the people and units it touches in the
world before the logged writes and in the world now, the difference added, in one
statement (one snapshot). A count on day D is the sum of the totals' events up to D,
read at three grains (the years before D's year, the months of its year before D's
month, the days of its month up to D): at most about seventy rows per node and key
whatever the number of memberships. A reader on the primary compacts first when the
log is not empty; one on a replica, which cannot, reads through the primary then.
``aggregate_stats`` answers exactly what ``reports.stats.area_stats`` counts straight
(the reference); SQLite counts straight.
"""

import datetime

from django.db import connections, router, transaction
from django.db.models import Count, Q

from reports import aggregates_sql, daily_work
from reports.models import StatTotal
from reports.stats_base import Place, reference_day
from units.choices import Level
from units.models import Area

KEYS = aggregates_sql.KEYS

#: The units' counts read from the aggregates (``reports.stats_base.unit_aggregates``).
UNIT_KEYS = ("blocs", "teams", "communes_with_bloc", "villages_with_team")

#: A log this large a share of the memberships (or of the units) is folded by a rebuild
#: from scratch rather than by contributions (a demo generated, a province imported
#: into an empty database): see docs/PERFORMANCE.md, "Statistics without a cache".
REBUILD_SHARE = 0.25

#: ... and only past this many log rows (a small database is compacted, not rebuilt).
REBUILD_MIN = 5_000

#: Lock taken by the compaction and the rebuild, so that they run one at a time.
COMPACT_LOCK = 160_016

#: The grains summed for a count on ``ref.day``: the years before its year, the months of
#: its year before its month, the days of its month up to it; one index range on
#: ``(node, grain, day)`` each.
_GRAINS = (
    (aggregates_sql.YEAR, "day < ref.year_start"),
    (aggregates_sql.MONTH, "day >= ref.year_start AND day < ref.month_start"),
    (aggregates_sql.DAY, "day >= ref.month_start AND day <= ref.day"),
)
_NODES = "CASE WHEN ref.day = %(day)s THEN %(nodes)s::text[] ELSE %(place)s::text[] END"
_RANGES = "\n    UNION ALL\n".join(
    f"    SELECT node, key, total FROM reports_stattotal\n"  # noqa: S608 (constants)
    f"    WHERE node = ANY({_NODES}) AND grain = {grain} AND {days}"
    for grain, days in _GRAINS
)

READ_SQL = f"""
SELECT r.node, r.key, ref.day, SUM(r.total)::bigint
FROM unnest(%(refs)s::date[], %(years)s::date[], %(months)s::date[])
    AS ref(day, year_start, month_start)
CROSS JOIN LATERAL (
{_RANGES}
) AS r
WHERE ref.day = %(day)s OR r.key IN ({KEYS["blocs"]}, {KEYS["teams"]}) OR r.key < 0
GROUP BY r.node, r.key, ref.day
UNION ALL
SELECT '', 0, NULL, ({aggregates_sql.LOG_PENDING})::int
"""  # noqa: S608 (constants)


def _connection():
    return connections[router.db_for_read(StatTotal)]


def enabled() -> bool:
    """Whether the statistics read the aggregates: on PostgreSQL, where the migration
    installed the triggers."""
    return _connection().vendor == "postgresql"


def _read(alias: str, nodes: list[str], place: str, day: datetime.date, refs):
    days = sorted({day, *refs})
    params = {
        "nodes": nodes,
        "place": [place],
        "day": day,
        "refs": days,
        "years": [d.replace(month=1, day=1) for d in days],
        "months": [d.replace(day=1) for d in days],
    }
    with connections[alias].cursor() as cursor:
        cursor.execute(READ_SQL, params)
        rows = cursor.fetchall()
    found, pending = {}, False
    for node, key, ref, n in rows:
        if ref is None:
            pending = bool(n)
        else:
            found[(node, key, ref)] = n
    return found, pending


def counts(nodes: list[str], place: str, day: datetime.date, refs: list[datetime.date]):
    """``{(node, key, day): n}`` for ``nodes`` on ``day`` (every key), and for ``place``
    the blocs and teams on each of ``refs`` too, exact: one query when the log is empty;
    else the log is compacted on the primary and the totals read again there (a replica
    cannot compact, and its totals lack what the log holds)."""
    alias = router.db_for_read(StatTotal)
    found, pending = _read(alias, nodes, place, day, refs)
    if pending:
        primary = router.db_for_write(StatTotal)
        compact(using=primary)
        found, _pending = _read(primary, nodes, place, day, refs)
    return found


def compact(using: str | None = None) -> int:
    """Fold the log into the totals, exactly, in one statement (one snapshot: the log
    rows it consumes and the tables it counts are those of one moment), serialized by
    an advisory lock; a rebuild from scratch instead when the log is a large share of
    everything (``REBUILD_SHARE``). Returns the log rows consumed."""
    using = using or router.db_for_write(StatTotal)
    connection = connections[using]
    if connection.vendor != "postgresql":
        return 0
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [COMPACT_LOCK])
        # The planner's estimates of the log's CTEs are far off (it cannot know the log
        # is short): JIT compiling for the plan it fears costs seconds, the run a few ms.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(aggregates_sql.LOG_LENGTHS)
        memberships, units, people, others, all_memberships, all_units = cursor.fetchone()
        if not (memberships or units or people or others):
            return 0
        if memberships + units > REBUILD_MIN and (
            memberships > REBUILD_SHARE * all_memberships or units > REBUILD_SHARE * all_units
        ):
            _rebuild(cursor)
            return memberships + units + people + others
        cursor.execute(aggregates_sql.compact_sql())
        consumed, *zeros = cursor.fetchone()
        if zeros[0]:
            cursor.execute(aggregates_sql.DELETE_ZEROS, zeros)
    return consumed


def compact_on_commit(using: str | None = None) -> None:
    """After a big batch of writes (an import, the carry-over and its undo): once the
    transaction commits, enqueue the fold (``reports.tasks.stats_compact``), so that
    the writer does not wait for it and no reader pays for it. With the immediate task
    backend (development) it runs at once; with the database backend (production) the
    worker runs it; a reader before then folds what is left, exact either way."""
    from reports.tasks import stats_compact

    using = using or router.db_for_write(StatTotal)
    if connections[using].vendor == "postgresql":
        transaction.on_commit(lambda: stats_compact.enqueue(using), using=using)


def _rebuild(cursor) -> None:
    """The totals from scratch; writers of the counted tables wait (SHARE locks) so that
    the log emptied and the tables counted are of one moment."""
    cursor.execute(
        "LOCK TABLE members_membership, units_unit, members_person, evaluations_evaluation, "
        "units_area IN SHARE MODE"
    )
    cursor.execute(
        "TRUNCATE reports_statlogmembership, reports_statlogunit, reports_statlogperson, "
        "reports_statlogevaluation, reports_statlogarea, reports_stattotal"
    )
    cursor.execute(aggregates_sql.rebuild_sql())


def rebuild(using: str | None = None) -> None:
    """Recompute the totals from the tables (after a restore, or to check them), in one
    transaction; the log and its compaction keep them from then on."""
    using = using or router.db_for_write(StatTotal)
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [COMPACT_LOCK])
        _rebuild(cursor)


def aggregate_stats(place: Place, day: datetime.date) -> dict:
    """Every figure of ``area_stats`` for ``place`` on ``day``, the memberships' and
    units' counts (the units with an approved rating of each year, the communes and
    villages counted too) read from the aggregates: the daily work, the rating years,
    the next level's areas and the aggregates (four queries whatever the size when the
    log is empty)."""
    from reports import stats

    # The daily work's counts alone (the areas come from the aggregates).
    _rows, work = daily_work.split_rows(
        daily_work.with_daily_work(
            Area.objects.none().values("level").annotate(n=Count("pk")).order_by(),
            where=Q(area_path__descendant_of=place.path),
            day=day,
        )
    )
    rated = stats.rating_rows(place)
    years = sorted({row["year"] for row in rated})
    children, key_length = stats.child_areas(place, day)
    child_nodes = sorted({c["path"][:key_length] for c in children})
    refs = [reference_day(year, day) for year in years]
    found = counts([place.path, *child_nodes], place.path, day, refs)

    def n(node, key, on=day):
        return found.get((node, KEYS.get(key, key), on), 0)

    areas = {Level.COMMUNE: n(place.path, "communes"), Level.VILLAGE: n(place.path, "villages")}
    units = {key: n(place.path, key) for key in UNIT_KEYS}
    for year, ref in zip(years, refs, strict=True):
        units[f"active_{year}"] = n(place.path, "blocs", ref) + n(place.path, "teams", ref)
        units[f"approved_{year}"] = n(place.path, aggregates_sql.approved_key(year), ref)
    members = {key: n(place.path, key) for key in stats.MEMBER_FIELDS}
    figures = {node: {key: n(node, key) for key in stats.CHILD_FIELDS} for node in child_nodes}
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
