# ruff: noqa: S608 (SQL built from this module's constants and table names, never input)
"""The SQL that keeps the statistics' aggregates exact on PostgreSQL (reports.aggregates,
docs/STATS_API.md, "Aggregates without a cache").

What is counted is written once here as a set-returning query, the *contributions* of a
set of people (their seats, and their presence as distinct people) and of a set of units
(units in force, communes with a bloc, villages with a team), each as events ``(node,
key, day, delta)``: +1 on the first day something counts under ``node`` (every ancestor
path of where it stands on a map, from the country down to the village), -1 on the first
day it no longer does; the world counted in is given as subqueries.

Writers pay only for a log: statement-level triggers with transition tables append, in
one ``INSERT ... SELECT`` per statement, the ids of the rows a statement inserted and
the counted columns of the rows it updated (when one of them changed) or deleted, as
they were (``reports_statlog*``): exact whatever the writer (ORM saves, bulk writes,
``queryset.update``, COPY, raw SQL). ``compact_sql`` folds the log into the totals in one
statement: the contributions of the people and units the log touches in the world before
(each logged row as its earliest image) and in the world now, the difference added.
``rebuild_sql`` writes the contributions of everything at once.
"""

from evaluations.choices import Stage
from evaluations.periods import YEAR as YEARLY
from members.choices import KINH
from units.choices import LEGACY_VALID_UNTIL, V2025_VALID_FROM, Edition, Level, UnitKind

#: The codes of what is counted (``reports_stattotal.key``).
KEYS = {
    "blocs": 1,
    "teams": 2,
    "bloc_members": 3,
    "team_members": 4,
    "people": 5,
    "women": 6,
    "party_members": 7,
    "ethnic_minority": 8,
    "communes_with_bloc": 9,
    "villages_with_team": 10,
    "communes": 11,
    "villages": 12,
}


def approved_key(year: int) -> int:
    """The key of the units in force with an approved (decided) yearly rating of
    ``year``: one key per year, negative (``-1 - year`` spans the whole smallint range
    below zero for every year a rating may have, 0 to 32767)."""
    return -1 - year


#: Grains of the totals: an event is written at its day, its month's first
#: day and its year's first day, so a count on a day sums at most the years before it,
#: the months of its year before it and the days of its month up to it.
DAY, MONTH, YEAR = 0, 1, 2

#: An open start counts from the beginning of time; an open end never ends.
NEVER_BEFORE = "DATE '0001-01-01'"
NEVER_AFTER = "DATE '9999-12-31'"

LEGACY = f"{Edition.LEGACY}/"
V2025 = f"{Edition.V2025}/"
#: Length of a 2025 commune's path, the key of a 2025 bloc's commune (reports.maps).
V2025_COMMUNE_KEY = len(f"{Edition.V2025}/19/01843/")

#: The columns counted of each table (their ``id`` apart), what the log keeps of a row.
MEMBERSHIP_COUNTED = "person_id, unit_id, start_date, end_date, area_path"
UNIT_COUNTED = (
    "kind, area_id, commune_id, area_path, map_path, decision_date, dissolved_on, "
    "area_from, area_until"
)
PERSON_COUNTED = "gender, party_member, ethnicity"
EVALUATION_COUNTED = "unit_id, year, period, stage"
AREA_COUNTED = "edition, level, path, valid_from, valid_until"
MEMBERSHIP_COLUMNS = f"id, {MEMBERSHIP_COUNTED}"
UNIT_COLUMNS = f"id, {UNIT_COUNTED}"
PERSON_COLUMNS = f"id, {PERSON_COUNTED}"
EVALUATION_COLUMNS = f"id, {EVALUATION_COUNTED}"
AREA_COLUMNS = f"id, {AREA_COUNTED}"

NODES_FUNCTION = """
CREATE OR REPLACE FUNCTION reports_stat_nodes(path text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_to_string(a.p[1:k], '/') || '/'
    FROM (SELECT string_to_array(rtrim(path, '/'), '/') AS p) AS a,
         generate_subscripts(a.p, 1) AS k
$$;
"""


def _placed(area_path: str, map_path: str) -> str:
    """Where a seat or a unit stands: its area path on the legacy map, its map path on
    the 2025 map (reports.maps.UNIT_PATH), as an array of at most two paths."""
    return (
        f"ARRAY[CASE WHEN {area_path} LIKE '{LEGACY}%' THEN {area_path} END, "
        f"CASE WHEN {map_path} LIKE '{V2025}%' THEN {map_path} END]"
    )


def _unit_span(u: str) -> tuple[str, str]:
    """First day a unit counts and first day it no longer does (units.models.
    unit_in_force_q: founded, not dissolved, on an area that exists)."""
    start = (
        f"GREATEST(COALESCE({u}.decision_date, {NEVER_BEFORE}), "
        f"COALESCE({u}.area_from, {NEVER_BEFORE}))"
    )
    end = (
        f"LEAST(COALESCE({u}.dissolved_on, {NEVER_AFTER}), "
        f"COALESCE({u}.area_until + 1, {NEVER_AFTER}))"
    )
    return start, end


def _toggles(name: str, source: str) -> str:
    """CTEs turning ``source`` (entity, node, s, e) spans into the distinct count's
    events: +1 when an entity's number of spans under a node goes from 0 to more, -1
    when it falls back to 0. Defines ``{name}`` (entity, node, day, delta)."""
    return f"""
{name}_ev AS (
    SELECT entity, node, s AS day, 1 AS d FROM {source}
    UNION ALL
    SELECT entity, node, e, -1 FROM {source} WHERE e < {NEVER_AFTER}
), {name}_day AS (
    SELECT entity, node, day, SUM(d) AS d FROM {name}_ev GROUP BY entity, node, day
), {name}_run AS (
    SELECT entity, node, day, d,
           SUM(d) OVER (PARTITION BY entity, node ORDER BY day) AS level
    FROM {name}_day
), {name} AS (
    SELECT entity, node, day,
           CASE WHEN level > 0 AND level - d <= 0 THEN 1
                WHEN level <= 0 AND level - d > 0 THEN -1 END AS delta
    FROM {name}_run
)"""


def people_ctes(w: str, memberships: str, units: str, persons: str, seats: bool) -> str:
    """CTEs of the contributions of the people of ``memberships`` (rows of
    MEMBERSHIP_COLUMNS: every seat of each person concerned), with ``units`` and
    ``persons`` as the world to count in. Defines ``{w}_people`` (node, key, day, delta),
    the seats too when ``seats``."""
    start, end = _unit_span("u")
    b, t = UnitKind.BLOC.value, [k.value for k in (UnitKind.TEAM, UnitKind.COMMUNITY_TEAM)]
    teams = ", ".join(f"'{k}'" for k in t)
    ctes = f"""
{w}_seat AS (
    SELECT m.person_id AS entity, u.kind, n.node,
           GREATEST(COALESCE(m.start_date, {NEVER_BEFORE}), {start}) AS s,
           LEAST(COALESCE(m.end_date + 1, {NEVER_AFTER}), {end}) AS e
    FROM ({memberships}) AS m
    JOIN ({units}) AS u ON u.id = m.unit_id
    CROSS JOIN LATERAL unnest({_placed("m.area_path", "u.map_path")}) AS pl(path)
    CROSS JOIN LATERAL reports_stat_nodes(pl.path) AS n(node)
    WHERE pl.path IS NOT NULL
), {w}_live AS (
    SELECT * FROM {w}_seat WHERE s < e
), {_toggles(f"{w}_presence", f"{w}_live")}, {w}_people AS (
    SELECT p.node, k.key, p.day, p.delta
    FROM {w}_presence AS p
    JOIN ({persons}) AS person ON person.id = p.entity
    CROSS JOIN LATERAL (VALUES
        ({KEYS["people"]}, true),
        ({KEYS["women"]}, person.gender = 'female'),
        ({KEYS["party_members"]}, person.party_member),
        ({KEYS["ethnic_minority"]}, COALESCE(person.ethnicity, '') NOT IN ('', '{KINH}'))
    ) AS k(key, counts)
    WHERE k.counts AND p.delta IS NOT NULL"""
    if seats:
        ctes += f"""
    UNION ALL
    SELECT node, CASE WHEN kind = '{b}' THEN {KEYS["bloc_members"]}
                      ELSE {KEYS["team_members"]} END, s, 1
    FROM {w}_live WHERE kind = '{b}' OR kind IN ({teams})
    UNION ALL
    SELECT node, CASE WHEN kind = '{b}' THEN {KEYS["bloc_members"]}
                      ELSE {KEYS["team_members"]} END, e, -1
    FROM {w}_live WHERE (kind = '{b}' OR kind IN ({teams})) AND e < {NEVER_AFTER}"""
    return ctes + "\n)"


def units_ctes(w: str, units: str) -> str:
    """CTEs of the contributions of ``units`` (rows of UNIT_COLUMNS: every unit of each
    commune and village concerned): blocs and teams in force, and communes with a bloc
    (the commune on the legacy map, the 2025 commune of the map path on the 2025 map)
    and villages with a team (the team's own area) as distinct counts. Defines
    ``{w}_units`` (node, key, day, delta)."""
    start, end = _unit_span("u")
    b, t = UnitKind.BLOC.value, [k.value for k in (UnitKind.TEAM, UnitKind.COMMUNITY_TEAM)]
    teams = ", ".join(f"'{k}'" for k in t)
    return f"""
{w}_unit AS (
    SELECT u.id, u.kind, u.area_id, n.node, {start} AS s, {end} AS e,
           CASE WHEN pl.path LIKE '{LEGACY}%' THEN 'c' || u.commune_id::text
                ELSE left(pl.path, {V2025_COMMUNE_KEY}) END AS commune
    FROM ({units}) AS u
    CROSS JOIN LATERAL unnest({_placed("u.area_path", "u.map_path")}) AS pl(path)
    CROSS JOIN LATERAL reports_stat_nodes(pl.path) AS n(node)
    WHERE pl.path IS NOT NULL AND (u.kind = '{b}' OR u.kind IN ({teams}))
), {w}_ulive AS (
    SELECT * FROM {w}_unit WHERE s < e
), {w}_cspan AS (
    SELECT commune AS entity, node, s, e FROM {w}_ulive WHERE kind = '{b}'
), {w}_vspan AS (
    SELECT area_id::text AS entity, node, s, e FROM {w}_ulive WHERE kind <> '{b}'
), {_toggles(f"{w}_ctog", f"{w}_cspan")}, {_toggles(f"{w}_vtog", f"{w}_vspan")}, {w}_units AS (
    SELECT node, CASE WHEN kind = '{b}' THEN {KEYS["blocs"]} ELSE {KEYS["teams"]} END AS key,
           s AS day, 1 AS delta
    FROM {w}_ulive
    UNION ALL
    SELECT node, CASE WHEN kind = '{b}' THEN {KEYS["blocs"]} ELSE {KEYS["teams"]} END, e, -1
    FROM {w}_ulive WHERE e < {NEVER_AFTER}
    UNION ALL
    SELECT node, {KEYS["communes_with_bloc"]}, day, delta FROM {w}_ctog WHERE delta IS NOT NULL
    UNION ALL
    SELECT node, {KEYS["villages_with_team"]}, day, delta FROM {w}_vtog WHERE delta IS NOT NULL
)"""


def approved_ctes(w: str, units: str, evaluations: str) -> str:
    """CTEs of the contributions of ``units`` (rows of UNIT_COLUMNS) through their
    approved yearly ratings among ``evaluations`` (rows of EVALUATION_COLUMNS): a unit
    with a decided yearly rating of year Y counts under key ``approved_key(Y)`` while it
    is in force (one rating per unit and year: a plain count). Defines ``{w}_approved``
    (node, key, day, delta)."""
    start, end = _unit_span("u")
    return f"""
{w}_rated AS (
    SELECT n.node, -1 - ev.year AS key, {start} AS s, {end} AS e
    FROM ({units}) AS u
    JOIN ({evaluations}) AS ev ON ev.unit_id = u.id
    CROSS JOIN LATERAL unnest({_placed("u.area_path", "u.map_path")}) AS pl(path)
    CROSS JOIN LATERAL reports_stat_nodes(pl.path) AS n(node)
    WHERE pl.path IS NOT NULL AND ev.period = '{YEARLY}' AND ev.stage = '{Stage.DECIDED.value}'
), {w}_approved AS (
    SELECT node, key, s AS day, 1 AS delta FROM {w}_rated WHERE s < e
    UNION ALL
    SELECT node, key, e, -1 FROM {w}_rated WHERE s < e AND e < {NEVER_AFTER}
)"""


def areas_ctes(w: str, areas: str) -> str:
    """CTEs of the contributions of ``areas`` (rows of AREA_COLUMNS): the communes and
    villages a map counts (reports.maps.counted_areas), under every ancestor of their own
    path: a commune always, a village from its valid-from to its valid-until except when
    that date is the map's own start or end (the reform). Defines ``{w}_areas`` (node,
    key, day, delta)."""
    commune, village = Level.COMMUNE.value, Level.VILLAGE.value
    start = (
        f"CASE WHEN a.level = '{village}' AND a.valid_from IS NOT NULL "
        f"AND NOT (a.edition = '{Edition.V2025.value}' "
        f"AND a.valid_from = DATE '{V2025_VALID_FROM.isoformat()}') "
        f"THEN a.valid_from ELSE {NEVER_BEFORE} END"
    )
    end = (
        f"CASE WHEN a.level = '{village}' AND a.valid_until IS NOT NULL "
        f"AND NOT (a.edition = '{Edition.LEGACY.value}' "
        f"AND a.valid_until = DATE '{LEGACY_VALID_UNTIL.isoformat()}') "
        f"THEN a.valid_until + 1 ELSE {NEVER_AFTER} END"
    )
    return f"""
{w}_area AS (
    SELECT n.node,
           CASE WHEN a.level = '{commune}' THEN {KEYS["communes"]}
                ELSE {KEYS["villages"]} END AS key,
           {start} AS s, {end} AS e
    FROM ({areas}) AS a
    CROSS JOIN LATERAL reports_stat_nodes(a.path) AS n(node)
    WHERE a.level IN ('{commune}', '{village}')
), {w}_areas AS (
    SELECT node, key, s AS day, 1 AS delta FROM {w}_area WHERE s < e
    UNION ALL
    SELECT node, key, e, -1 FROM {w}_area WHERE s < e AND e < {NEVER_AFTER}
)"""


def grains_insert(table: str, column: str, events: str) -> str:
    """Append ``events`` (node, key, day, delta), added up, at the three grains (added
    up by day first: many events fall on one day of one node, and those of a world
    before and a world after mostly cancel out)."""
    return f"""
INSERT INTO {table} (node, key, grain, day, {column})
SELECT c.node, c.key, g.grain,
       CASE g.grain WHEN {DAY} THEN c.day
                    WHEN {MONTH} THEN date_trunc('month', c.day)::date
                    ELSE date_trunc('year', c.day)::date END,
       SUM(c.delta)
FROM (
    SELECT node, key, day, SUM(delta) AS delta FROM ({events}) AS e
    GROUP BY node, key, day HAVING SUM(delta) <> 0
) AS c CROSS JOIN (VALUES ({DAY}), ({MONTH}), ({YEAR})) AS g(grain)
GROUP BY 1, 2, 3, 4
HAVING SUM(c.delta) <> 0"""


def _difference(parts: list[tuple[str, str]]) -> str:
    """The events after minus the events before: ``parts`` are (after CTE, before CTE)."""
    selects = []
    for after, before in parts:
        selects.append(f"SELECT node, key, day, delta FROM {after}")
        selects.append(f"SELECT node, key, day, -delta FROM {before}")
    return "\n    UNION ALL\n    ".join(selects)


def rebuild_sql() -> str:
    """Every contribution, from scratch, into the totals (emptied first, the log with them)."""
    memberships = f"SELECT {MEMBERSHIP_COLUMNS} FROM members_membership"
    units = f"SELECT {UNIT_COLUMNS} FROM units_unit"
    people = f"SELECT {PERSON_COLUMNS} FROM members_person"
    evaluations = f"SELECT {EVALUATION_COLUMNS} FROM evaluations_evaluation"
    areas = f"SELECT {AREA_COLUMNS} FROM units_area"
    ctes = ", ".join(
        [
            people_ctes("a", memberships, units, people, seats=True),
            units_ctes("c", units),
            approved_ctes("e", units, evaluations),
            areas_ctes("h", areas),
        ]
    )
    events = (
        "SELECT node, key, day, delta FROM a_people UNION ALL SELECT * FROM c_units "
        "UNION ALL SELECT * FROM e_approved UNION ALL SELECT * FROM h_areas"
    )
    return f"WITH {ctes}" + grains_insert("reports_stattotal", "total", events)


#: (table, its log, the columns counted, events logged). A person's insert is not
#: logged: a new person counts only through seats, whose inserts are.
ALL_EVENTS = ("INSERT", "UPDATE", "DELETE")
LOGGED = (
    ("members_membership", "reports_statlogmembership", MEMBERSHIP_COUNTED, ALL_EVENTS),
    ("units_unit", "reports_statlogunit", UNIT_COUNTED, ALL_EVENTS),
    ("members_person", "reports_statlogperson", PERSON_COUNTED, ("UPDATE", "DELETE")),
    ("evaluations_evaluation", "reports_statlogevaluation", EVALUATION_COUNTED, ALL_EVENTS),
    ("units_area", "reports_statlogarea", AREA_COUNTED, ALL_EVENTS),
)

#: The triggers of the first design (contributions computed in the writer's statement).
_OLD_TRIGGERS = tuple(
    (table, f"reports_stats_{table}_{event}")
    for table, events in (
        ("members_membership", ("insert", "update", "delete")),
        ("units_unit", ("insert", "update", "delete")),
        ("members_person", ("update",)),
    )
    for event in events
)


def _log_insert(log: str, columns: str, event: str) -> str:
    """One ``INSERT ... SELECT`` per statement: the ids of inserted rows (``existed``
    false), the before-image of deleted rows and of updated rows whose counted columns
    changed (``existed`` true)."""
    if event == "INSERT":
        return f"INSERT INTO {log} (item, existed) SELECT id, false FROM new_rows"
    image = ", ".join(f"o.{c.strip()}" for c in columns.split(","))
    insert = f"INSERT INTO {log} (item, existed, {columns}) SELECT o.id, true, {image} "
    if event == "DELETE":
        return insert + "FROM old_rows AS o"
    after = ", ".join(f"n.{c.strip()}" for c in columns.split(","))
    return insert + (
        f"FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id "
        f"WHERE ({image}) IS DISTINCT FROM ({after})"
    )


def install_sql(tables: list[str] | None = None) -> list[str]:
    """The function of the nodes and the logging triggers, one per table and event (a
    trigger with transition tables fires on one event), on ``tables`` (every logged
    table by default: a migration names those whose log exists by then); the first
    design's triggers dropped."""
    statements = [NODES_FUNCTION]
    for table, name in _OLD_TRIGGERS:
        statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
        statements.append(f"DROP FUNCTION IF EXISTS {name}();")
    for table, log, columns, events in LOGGED:
        if tables is not None and table not in tables:
            continue
        for event in events:
            name = f"reports_statlog_{table}_{event.lower()}"
            referencing = {
                "INSERT": "NEW TABLE AS new_rows",
                "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                "DELETE": "OLD TABLE AS old_rows",
            }[event]
            statements.append(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                f"BEGIN\n{_log_insert(log, columns, event)};\nRETURN NULL;\nEND\n$$;"
            )
            statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
            statements.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}();"
            )
    return statements


def uninstall_sql() -> list[str]:
    statements = []
    for table, _log, _columns, events in LOGGED:
        for event in events:
            name = f"reports_statlog_{table}_{event.lower()}"
            statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
            statements.append(f"DROP FUNCTION IF EXISTS {name}();")
    return statements


def reinstall(cursor, tables: list[str]) -> None:
    """For a migration: the triggers of ``tables`` as this module writes them, their
    logs and the totals emptied, the totals rebuilt from scratch (PostgreSQL)."""
    for statement in install_sql(tables):
        cursor.execute(statement)
    logs = [log for table, log, _columns, _events in LOGGED if table in tables]
    cursor.execute(f"TRUNCATE {', '.join([*logs, 'reports_stattotal'])}")
    cursor.execute(rebuild_sql())


def uninstall_table(cursor, table: str, keys: list[int]) -> None:
    """For a migration's reverse: ``table``'s logging triggers dropped and the totals of
    ``keys`` deleted (what the design before that migration did not keep)."""
    for event in ("insert", "update", "delete"):
        name = f"reports_statlog_{table}_{event}"
        cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
    cursor.execute("DELETE FROM reports_stattotal WHERE key = ANY(%s)", [keys])


def _before(table: str, columns: str, first: str, where: str = "true") -> str:
    """Rows of ``table`` (matching ``where``) in the before-world: each row the log
    names replaced by its earliest image (``first``), gone when it did not exist yet."""
    return (
        f"SELECT id, {columns} FROM {table} WHERE ({where}) "
        f"AND id NOT IN (SELECT item FROM {first}) "
        f"UNION ALL SELECT id, {columns} FROM (SELECT item AS id, existed, {columns} "
        f"FROM {first}) AS f WHERE f.existed AND ({where})"
    )


#: The columns counted of each logged table (``id`` first), by table.
_COLUMNS = {
    "members_membership": (MEMBERSHIP_COLUMNS, MEMBERSHIP_COUNTED),
    "units_unit": (UNIT_COLUMNS, UNIT_COUNTED),
    "members_person": (PERSON_COLUMNS, PERSON_COUNTED),
    "evaluations_evaluation": (EVALUATION_COLUMNS, EVALUATION_COUNTED),
    "units_area": (AREA_COLUMNS, AREA_COUNTED),
}


def _worlds(table: str, first: str, where: str) -> tuple[str, str]:
    """The rows of ``table`` matching ``where`` now, and in the before-world
    (``_before``, the log's earliest images ``first``)."""
    columns, counted = _COLUMNS[table]
    return f"SELECT {columns} FROM {table} WHERE {where}", _before(table, counted, first, where)


def compact_sql() -> str:
    """One statement (one snapshot): take every log row visible (``DELETE ...
    RETURNING``), compute the contributions of the people and units they touch in the
    world before them and in the world now, add the difference to the totals. Returns
    the number of log rows consumed and the totals that became zero."""
    # The worlds are limited to what the touched people's seats name (their units, the
    # people themselves): a few rows for a few edits, not the whole tables.
    units_now, units_then = _worlds("units_unit", "fu", "id IN (SELECT unit_id FROM tpu)")
    people_now, people_then = _worlds("members_person", "fp", "id IN (SELECT person_id FROM tp)")
    touched_people = "person_id IN (SELECT person_id FROM tp)"
    seats_now, seats_then = _worlds("members_membership", "fm", touched_people)
    # Units near a touched one (same commune, same 2025 commune): the distinct counts.
    keys = (
        f"SELECT DISTINCT left(map_path, {V2025_COMMUNE_KEY}) AS k FROM tu "
        f"WHERE map_path LIKE '{V2025}%'"
    )
    near_ids = (
        "SELECT id FROM units_unit WHERE commune_id IN (SELECT commune_id FROM tu) "
        f"UNION SELECT u.id FROM units_unit AS u JOIN ({keys}) AS c "
        "ON u.map_path >= c.k AND u.map_path < c.k || '~' "
        "UNION SELECT item FROM fu"
    )
    near_now, near_then = _worlds("units_unit", "fu", "id IN (SELECT id FROM near)")
    # Units whose approved ratings may count otherwise: those of a touched rating (in
    # any state) and the touched units themselves, with all their ratings.
    rated_now, rated_then = _worlds("units_unit", "fu", "id IN (SELECT id FROM ru)")
    ratings_now, ratings_then = _worlds(
        "evaluations_evaluation", "fe", "unit_id IN (SELECT id FROM ru)"
    )
    # The areas logged, as they are now and as they were (each one's earliest image: a
    # logged area has no other state before; no self-join of the log, which is quadratic).
    areas_now = f"SELECT {AREA_COLUMNS} FROM units_area WHERE id IN (SELECT item FROM fa)"
    areas_then = f"SELECT item AS id, {AREA_COUNTED} FROM fa WHERE existed"
    logs = ", ".join(
        f"{alias} AS (DELETE FROM {log} RETURNING *), "
        f"f{alias[1]} AS MATERIALIZED (SELECT DISTINCT ON (item) * FROM {alias} "
        "ORDER BY item, seq)"
        for alias, log in (
            ("pm", "reports_statlogmembership"),
            ("pu", "reports_statlogunit"),
            ("pp", "reports_statlogperson"),
            ("pe", "reports_statlogevaluation"),
            ("pa", "reports_statlogarea"),
        )
    )
    ctes = ", ".join(
        [
            logs,
            # Every state a touched unit had: its images and what it is now.
            f"tu AS MATERIALIZED (SELECT {UNIT_COLUMNS} FROM units_unit "
            f"WHERE id IN (SELECT item FROM fu) "
            f"UNION ALL SELECT item, {UNIT_COUNTED} FROM pu WHERE existed)",
            # People whose contribution may have changed: every seat's person in any
            # state, the members of touched units, the people touched.
            "tp AS MATERIALIZED (SELECT person_id FROM pm WHERE existed "
            "UNION SELECT person_id FROM members_membership WHERE id IN (SELECT item FROM fm) "
            "UNION SELECT person_id FROM members_membership WHERE unit_id IN (SELECT id FROM tu) "
            "UNION SELECT item FROM fp)",
            f"tpu AS MATERIALIZED (SELECT unit_id FROM members_membership "
            f"WHERE {touched_people} UNION SELECT unit_id FROM pm WHERE existed)",
            f"near AS MATERIALIZED ({near_ids})",
            "ru AS MATERIALIZED (SELECT unit_id AS id FROM pe WHERE existed "
            "UNION SELECT unit_id FROM evaluations_evaluation WHERE id IN (SELECT item FROM fe) "
            "UNION SELECT item FROM fu)",
            people_ctes("a", seats_now, units_now, people_now, seats=True),
            people_ctes("b", seats_then, units_then, people_then, seats=True),
            units_ctes("c", near_now),
            units_ctes("d", near_then),
            approved_ctes("e", rated_now, ratings_now),
            approved_ctes("g", rated_then, ratings_then),
            areas_ctes("h", areas_now),
            areas_ctes("i", areas_then),
        ]
    )
    events = _difference(
        [
            ("a_people", "b_people"),
            ("c_units", "d_units"),
            ("e_approved", "g_approved"),
            ("h_areas", "i_areas"),
        ]
    )
    added = grains_insert("reports_stattotal", "total", events) + (
        "\nORDER BY 1, 2, 3, 4"
        "\nON CONFLICT (node, key, grain, day) "
        "DO UPDATE SET total = reports_stattotal.total + EXCLUDED.total"
        "\nRETURNING node, key, grain, day, total"
    )
    return (
        f"WITH {ctes}, added AS ({added})\n"
        "SELECT (SELECT count(*) FROM pm) + (SELECT count(*) FROM pu) "
        "+ (SELECT count(*) FROM pp) + (SELECT count(*) FROM pe) + (SELECT count(*) FROM pa), "
        "ARRAY(SELECT node FROM added WHERE total = 0), "
        "ARRAY(SELECT key FROM added WHERE total = 0), "
        "ARRAY(SELECT grain FROM added WHERE total = 0), "
        "ARRAY(SELECT day FROM added WHERE total = 0)"
    )


#: The totals that a compaction brought to zero, deleted (a rebuild writes none).
DELETE_ZEROS = """
DELETE FROM reports_stattotal AS t
USING unnest(%s::text[], %s::smallint[], %s::smallint[], %s::date[]) AS z(node, key, grain, day)
WHERE t.node = z.node AND t.key = z.key AND t.grain = z.grain AND t.day = z.day
  AND t.total = 0
"""

#: The log's length, table by table, and the planner's estimate of the memberships and
#: units (a rebuild is cheaper when the log is a large share of them).
LOG_LENGTHS = (
    "SELECT (SELECT count(*) FROM reports_statlogmembership), "
    "(SELECT count(*) FROM reports_statlogunit), (SELECT count(*) FROM reports_statlogperson), "
    "(SELECT count(*) FROM reports_statlogevaluation) "
    "+ (SELECT count(*) FROM reports_statlogarea), "
    "(SELECT GREATEST(reltuples, 0)::bigint FROM pg_class "
    "WHERE oid = 'members_membership'::regclass), "
    "(SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = 'units_unit'::regclass)"
)

#: Whether anything is logged and not compacted yet.
LOG_PENDING = (
    "SELECT EXISTS (SELECT 1 FROM reports_statlogmembership) "
    "OR EXISTS (SELECT 1 FROM reports_statlogunit) "
    "OR EXISTS (SELECT 1 FROM reports_statlogperson) "
    "OR EXISTS (SELECT 1 FROM reports_statlogevaluation) "
    "OR EXISTS (SELECT 1 FROM reports_statlogarea)"
)
