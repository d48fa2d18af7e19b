# ruff: noqa: S608 (SQL built from this module's constants and table names, never input)
"""The SQL that keeps the statistics' aggregates exact on PostgreSQL (reports.aggregates,
docs/STATS_API.md, "Aggregates without a cache").

What is counted is written once here as a set-returning query, the *contributions* of a
set of people (their seats, and their presence as distinct people) and of a set of units
(units in force, communes with a bloc, villages with a team), each as events ``(node,
key, day, delta)``: +1 on the first day something counts under ``node`` (every ancestor
path of where it stands on a map, from the country down to the village), -1 on the first
day it no longer does. Statement-level triggers with transition tables run the query
twice for the rows a statement touched, on the world before the statement (the table
as it is now with the statement's new rows replaced by its old ones) and after it, and
append the difference to the journal ``reports_statdelta``: exact whatever the writer
(ORM saves, bulk writes, ``queryset.update``, COPY, raw SQL), in one statement whatever
the number of rows. ``rebuild_sql`` writes the contributions of everything at once.
"""

from members.choices import KINH
from units.choices import Edition, UnitKind

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
}

#: Grains of the journal and totals: an event is written at its day, its month's first
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

MEMBERSHIP_COLUMNS = "id, person_id, unit_id, start_date, end_date, area_path"
UNIT_COLUMNS = (
    "id, kind, area_id, commune_id, area_path, map_path, decision_date, dissolved_on, "
    "area_from, area_until"
)
PERSON_COLUMNS = "id, gender, party_member, ethnicity"

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


def grains_insert(table: str, column: str, events: str) -> str:
    """Append ``events`` (node, key, day, delta), added up, at the three grains."""
    return f"""
INSERT INTO {table} (node, key, grain, day, {column})
SELECT c.node, c.key, g.grain,
       CASE g.grain WHEN {DAY} THEN c.day
                    WHEN {MONTH} THEN date_trunc('month', c.day)::date
                    ELSE date_trunc('year', c.day)::date END,
       SUM(c.delta)
FROM ({events}) AS c CROSS JOIN (VALUES ({DAY}), ({MONTH}), ({YEAR})) AS g(grain)
GROUP BY 1, 2, 3, 4
HAVING SUM(c.delta) <> 0"""


def _difference(parts: list[tuple[str, str]]) -> str:
    """The events after minus the events before: ``parts`` are (after CTE, before CTE)."""
    selects = []
    for after, before in parts:
        selects.append(f"SELECT node, key, day, delta FROM {after}")
        selects.append(f"SELECT node, key, day, -delta FROM {before}")
    return "\n    UNION ALL\n    ".join(selects)


def _world(table: str, columns: str, old: str, new: str, where: str) -> tuple[str, str]:
    """Rows of ``table`` matching ``where`` after the statement (the table) and before it
    (the table without the statement's new rows, with its old rows)."""
    after = f"SELECT {columns} FROM {table} WHERE {where}"
    before = (
        f"SELECT {columns} FROM {table} WHERE ({where}) AND id NOT IN (SELECT id FROM {new}) "
        f"UNION ALL SELECT {columns} FROM {old} AS o WHERE {where.replace(table + '.', 'o.')}"
    )
    return after, before


def membership_statement(old: str, new: str) -> str:
    """The journal's events for a statement on memberships (``old``, ``new``: its rows)."""
    persons = f"SELECT person_id FROM {old} UNION SELECT person_id FROM {new}"
    after, before = _world(
        "members_membership",
        MEMBERSHIP_COLUMNS,
        old,
        new,
        f"members_membership.person_id IN ({persons})",
    )
    units = f"SELECT {UNIT_COLUMNS} FROM units_unit"
    people = f"SELECT {PERSON_COLUMNS} FROM members_person"
    ctes = ", ".join(
        [
            people_ctes("a", after, units, people, seats=True),
            people_ctes("b", before, units, people, seats=True),
        ]
    )
    return f"WITH {ctes}" + grains_insert(
        "reports_statdelta", "delta", _difference([("a_people", "b_people")])
    )


def unit_statement(old: str, new: str) -> str:
    """The journal's events for a statement on units: the members of the units touched
    (their presence depends on the units' dates and places) and every unit of the
    communes and 2025 communes they stand in (the distinct communes and villages)."""
    touched = f"SELECT {UNIT_COLUMNS} FROM {old} UNION ALL SELECT {UNIT_COLUMNS} FROM {new}"
    ids = f"SELECT id FROM {old} UNION SELECT id FROM {new}"
    members = f"SELECT {MEMBERSHIP_COLUMNS} FROM members_membership WHERE unit_id IN ({ids})"
    persons = "SELECT DISTINCT person_id FROM touched_members"
    seats = f"SELECT {MEMBERSHIP_COLUMNS} FROM members_membership WHERE person_id IN ({persons})"
    keys = (
        f"SELECT DISTINCT left(map_path, {V2025_COMMUNE_KEY}) AS k FROM touched "
        f"WHERE map_path LIKE '{V2025}%'"
    )
    near = (
        "(units_unit.commune_id IN (SELECT commune_id FROM touched) OR units_unit.id IN "
        f"(SELECT u.id FROM units_unit AS u JOIN ({keys}) AS c "
        "ON u.map_path >= c.k AND u.map_path < c.k || '~'))"
    )
    after_near, before_near = _world("units_unit", UNIT_COLUMNS, old, new, near)
    after_all, before_all = _world("units_unit", UNIT_COLUMNS, old, new, "true")
    people = f"SELECT {PERSON_COLUMNS} FROM members_person"
    ctes = ", ".join(
        [
            f"touched AS ({touched}), touched_members AS MATERIALIZED ({members})",
            people_ctes("a", seats, after_all, people, seats=True),
            people_ctes("b", seats, before_all, people, seats=True),
            units_ctes("c", after_near),
            units_ctes("d", before_near),
        ]
    )
    return f"WITH {ctes}" + grains_insert(
        "reports_statdelta",
        "delta",
        _difference([("a_people", "b_people"), ("c_units", "d_units")]),
    )


def person_statement(old: str, new: str) -> str:
    """The journal's events for an update of people: their gender, Party membership or
    ethnicity (their presence is the same before and after)."""
    changed = (
        f"SELECT n.id FROM {new} AS n JOIN {old} AS o ON o.id = n.id "
        "WHERE (n.gender, n.party_member, n.ethnicity) IS DISTINCT FROM "
        "(o.gender, o.party_member, o.ethnicity)"
    )
    seats = f"SELECT {MEMBERSHIP_COLUMNS} FROM members_membership WHERE person_id IN ({changed})"
    units = f"SELECT {UNIT_COLUMNS} FROM units_unit"
    ctes = ", ".join(
        [
            people_ctes("a", seats, units, f"SELECT {PERSON_COLUMNS} FROM members_person", False),
            people_ctes("b", seats, units, f"SELECT {PERSON_COLUMNS} FROM {old}", False),
        ]
    )
    return f"WITH {ctes}" + grains_insert(
        "reports_statdelta", "delta", _difference([("a_people", "b_people")])
    )


def rebuild_sql() -> str:
    """Every contribution, from scratch, into the totals (the journal emptied first)."""
    memberships = f"SELECT {MEMBERSHIP_COLUMNS} FROM members_membership"
    units = f"SELECT {UNIT_COLUMNS} FROM units_unit"
    people = f"SELECT {PERSON_COLUMNS} FROM members_person"
    ctes = ", ".join(
        [people_ctes("a", memberships, units, people, seats=True), units_ctes("c", units)]
    )
    events = "SELECT node, key, day, delta FROM a_people UNION ALL SELECT * FROM c_units"
    return f"WITH {ctes}" + grains_insert("reports_stattotal", "total", events)


#: (table, statement builder, the columns counted, events with their transition tables).
TRIGGERS = (
    (
        "members_membership",
        membership_statement,
        MEMBERSHIP_COLUMNS,
        ("INSERT", "UPDATE", "DELETE"),
    ),
    ("units_unit", unit_statement, UNIT_COLUMNS, ("INSERT", "UPDATE", "DELETE")),
    ("members_person", person_statement, PERSON_COLUMNS, ("UPDATE",)),
)


def _empty(table: str) -> str:
    return f"SELECT * FROM {table} WHERE false"


def install_sql() -> list[str]:
    """The functions and statement-level triggers, one per table and event (a trigger
    with transition tables fires on one event). Only rows whose counted columns changed
    are recomputed (``old_c``, ``new_c``); an update that changed none of them (a role,
    a name, a timestamp) returns at once."""
    statements = [NODES_FUNCTION]
    for table, builder, columns, events in TRIGGERS:
        for event in events:
            name = f"reports_stats_{table}_{event.lower()}"
            changed = (
                f"old_c AS (SELECT {columns} FROM old_rows EXCEPT SELECT {columns} FROM new_rows), "
                f"new_c AS (SELECT {columns} FROM new_rows EXCEPT SELECT {columns} FROM old_rows), "
            )
            missing = {"INSERT": "old_rows", "DELETE": "new_rows"}.get(event)
            if missing:  # the transition table the event has not, empty
                changed = f"{missing} AS ({_empty(table)}), {changed}"
            body = builder("old_c", "new_c").replace("WITH ", f"WITH {changed}", 1)
            if event == "UPDATE":
                body = (
                    f"IF NOT EXISTS (SELECT {columns} FROM new_rows "
                    f"EXCEPT SELECT {columns} FROM old_rows) THEN\nRETURN NULL;\nEND IF;\n" + body
                )
            referencing = {
                "INSERT": "NEW TABLE AS new_rows",
                "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                "DELETE": "OLD TABLE AS old_rows",
            }[event]
            statements.append(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                f"BEGIN\n{body};\nRETURN NULL;\nEND\n$$;"
            )
            statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
            statements.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}();"
            )
    return statements


def uninstall_sql() -> list[str]:
    statements = []
    for table, _builder, _columns, events in TRIGGERS:
        for event in events:
            name = f"reports_stats_{table}_{event.lower()}"
            statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
            statements.append(f"DROP FUNCTION IF EXISTS {name}();")
    statements.append("DROP FUNCTION IF EXISTS reports_stat_nodes(text);")
    return statements
