"""Planning an import: the parsed rows matched against what is stored, in memory, into
the plan callers see and the writes that would carry it out.

``build_plan`` reads the file (the shared reader, portal/spreadsheets.py), parses each row
(rows.py), loads what the rows can meet (stored.py), finds their villages and units
(places.py), then matches members, people and seats here. docs/ROSTER_IMPORT.md
("Matching and writing") states the rules.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.choices import Role
from members.imports.contract import (
    COL_BIRTH_YEAR,
    COL_CODE,
    COL_END,
    COL_ETHNICITY,
    COL_GENDER,
    COL_NAME,
    COL_PARTY,
    COL_PHONE,
    COL_POSITION,
    COL_ROLE,
    COL_START,
    COL_VILLAGE,
    COLUMNS,
    ROSTER_LAYOUT,
    ImportPlan,
    PlannedRow,
)
from members.imports.editions import edition_mismatch
from members.imports.places import Places
from members.imports.rows import Row, day, parse_rows, show
from members.imports.stored import Stored
from members.imports.write import Progress, Writes
from members.models import Membership, Person
from members.services import ERROR_END_BEFORE_START
from portal.copy import build
from portal.paths import province_path
from portal.spreadsheets import RowError, read_table
from units.choices import Edition, UnitStatus
from units.models import Area, Unit
from units.selectors import edition_default
from units.services import (
    ACTION_SEAT,
    ERROR_UNKNOWN_EDITION,
    area_ended_before,
    area_not_existing_message,
)

ERROR_DUPLICATE_MEMBER = _(
    "Trùng thành viên: {name} ({year}) được ghi ở các dòng {rows} trong cùng {unit}. "
    "Mỗi người chỉ ghi một dòng trong một đơn vị."
)
ERROR_PERSON_CONFLICT = _(
    "{name} ({year}) đã ghi {column} là “{other}” ở dòng {row}, dòng này ghi “{value}”: "
    "cùng một người phải ghi giống nhau."
)
ERROR_UNIT_DISSOLVED = _("{unit} đã giải thể: không thêm hay sửa thành viên được.")
ERROR_UNIT_CARRIED = _(
    "{unit} đã kết thúc ngày {date} khi chuyển sang địa bàn mới, tiếp tục là {successor}: "
    "danh sách cũ không được mở lại, hãy nhập thành viên vào đơn vị mới."
)
YEAR_UNKNOWN = _("không rõ năm sinh")

#: Person fields a row can set, with their columns. The full name is handled apart.
_PERSON_FIELDS = (
    ("gender", COL_GENDER),
    ("ethnicity", COL_ETHNICITY),
    ("party_member", COL_PARTY),
    ("phone", COL_PHONE),
    ("position", COL_POSITION),
)
#: Ways a row finds its stored seat, tried in this order for every row of a member.
_SEAT_TESTS = (
    lambda r, m: m.start_date == r.start and m.end_date == r.end,
    lambda r, m: r.start is not None and m.start_date == r.start,
    lambda r, m: m.end_date is None,
)


def build_plan(
    data, *, filename, edition, scope, progress, progress_every, acting_user=None
) -> tuple[ImportPlan, Writes]:
    """Read, parse, load, match: the plan and the writes it would make.
    ``progress(done_rows, total_rows)`` hears every ``progress_every`` rows checked."""
    plan = ImportPlan(filename=filename, edition=edition or "")
    if edition is not None and edition not in Edition.values:
        plan.errors.append(RowError(0, "", ERROR_UNKNOWN_EDITION))
        return plan, Writes()
    table = read_table(
        data or b"", filename=filename, layout=ROSTER_LAYOUT, errors=plan.errors, notes=plan.notes
    )
    if table is None:
        plan.edition = plan.edition or edition_default()
        return plan, Writes()
    plan.file_format = table.fmt
    plan.sheet_name = table.sheet_name
    plan.header_row = table.header_row
    plan.total_rows = len(table.rows)
    if plan.has_errors:  # missing columns, too many rows: the rows cannot be read
        plan.edition = plan.edition or edition_default()
        return plan, Writes()
    plan.edition = edition or edition_default()

    tracker = Progress(progress, len(table.rows), every=progress_every)
    rows = parse_rows(table.rows, table.columns, plan.errors)
    for done in range(progress_every, len(rows) + 1, progress_every):
        tracker.checked(done)
    planner = Planner(plan, scope, acting_user=acting_user)
    planner.plan_rows(rows)
    order = {c: i for i, c in enumerate(COLUMNS)}
    plan.errors.sort(key=lambda e: (e.row, order.get(e.column, -1)))
    return plan, planner.writes


def read_values(row: Row, kind: str, membership: Membership, shown: dict | None = None) -> dict:
    """How a new or updated row was read, column -> text as the workbook writes it, so
    the officer can check it before confirming: the commune the code names, the
    village, dates as dd/mm/yyyy, the phone with its restored 0, the role (the seat's,
    so "Thành viên" for a new seat without one), Party membership. Empty cells are left
    out (they keep what is stored). ``shown``: a dict kept for one file, each distinct
    value of a column written once."""
    shown = {} if shown is None else shown
    values = {COL_CODE: f"{row.code} → {row.commune.name}"}
    if row.area is not None and row.village:
        values[COL_VILLAGE] = row.area.name
    cells = (
        (COL_GENDER, row.gender),
        (COL_BIRTH_YEAR, row.birth_year),
        (COL_ETHNICITY, row.ethnicity),
        (COL_PARTY, row.party_member),
        (COL_PHONE, row.phone),
        (COL_ROLE, membership.role),
        (COL_START, row.start),
        (COL_END, row.end),
    )
    for column, value in cells:
        if value is None or value == "":
            continue
        key = (column, kind, value.__class__, value)
        text = shown.get(key)
        if text is None:
            text = shown[key] = show(column, value, kind)
        if text:
            values[column] = text
    return values


def _row_error(plan: ImportPlan, row: Row, column: str, message: str) -> None:
    plan.errors.append(RowError(row.row, column, message))
    row.ok = False


class Planner:
    """Matches parsed rows against what is stored, in memory, after loading every
    lookup in a fixed number of queries (members/imports/stored.py)."""

    def __init__(self, plan: ImportPlan, scope, acting_user=None):
        self.plan = plan
        self.scope = scope
        self.acting_user = acting_user
        self.writes = Writes()
        self.stored = Stored()
        # Not ``self.error``: a bound method would tie the planner and its places in a
        # cycle, and everything the planner holds would wait for the cyclic collector.
        error = functools.partial(_row_error, plan)
        self.places = Places(plan=plan, stored=self.stored, writes=self.writes, error=error)
        self.seen_values: dict[int, dict[str, tuple[int, object]]] = {}
        self.name_owner: dict[int, int] = {}
        self.today = timezone.localdate()
        self.area_messages: dict[tuple, str] = {}
        self.successors: dict[int, Unit | None] = {}
        self.shown: dict = {}  # read_values' texts, once per value
        self.province_of: dict[int, Area] = {}  # commune id -> its province

    def dissolved_message(self, unit: Unit, label: str) -> str:
        """Why a row of an ended unit is refused: carried onto the new map (naming the
        unit it continues as), or dissolved. One query per ended unit of the file."""
        if unit.pk not in self.successors:
            link = unit.successor_links.select_related("successor").first()
            self.successors[unit.pk] = link.successor if link else None
        successor = self.successors[unit.pk]
        if successor is None:
            return ERROR_UNIT_DISSOLVED.format(unit=label)
        last_day = unit.dissolved_on - datetime.timedelta(days=1)
        return ERROR_UNIT_CARRIED.format(unit=label, date=day(last_day), successor=successor.name)

    def error(self, row: Row, column: str, message: str) -> None:
        _row_error(self.plan, row, column, message)

    def plan_rows(self, rows: list[Row]) -> None:
        """Every valid row becomes a ``PlannedRow`` (create, update or unchanged) and
        its writes; every problem a row error. A file whose communes fit the other
        list better gets one whole-file message instead of a row error per commune
        (members/imports/editions.py)."""
        mismatch = edition_mismatch(
            ((r.code, r.commune_name) for r in rows), edition=self.plan.edition
        )
        if mismatch:
            self.plan.errors.insert(0, RowError(0, "", mismatch))
            return
        self.stored.load_communes(
            rows, edition=self.plan.edition, scope=self.scope, error=self.error
        )
        self.stored.load_rosters(acting_user=self.acting_user)
        self.places.resolve_villages(rows)
        units = {}
        for index, row in enumerate(rows):
            if row.ok and row.commune is not None:
                units[index] = self.places.unit_for(row)
        matched = self.match(rows, units)
        for index, row in enumerate(rows):
            if not row.ok:
                continue
            unit, label = units[index]
            membership = matched.get(index)
            changes: dict = {}
            if membership is not None:
                person = membership.person
                self.apply_person(row, person, changes)
                action = self.apply_membership(row, membership, unit, changes)
            else:
                person = self.person_for(row)
                self.apply_person(row, person, changes)
                membership = build(
                    Membership,
                    unit=unit,
                    person=person,
                    role=row.role or Role.MEMBER,
                    start_date=row.start,
                    end_date=row.end,
                )
                self.writes.memberships.append(membership)
                action = "create"
                self.check_area_exists(row)
            if unit.status != UnitStatus.ACTIVE and action != "unchanged":
                self.error(row, "", self.dissolved_message(unit, label))
            if row.ok and action == "unchanged":
                self.plan.rows.append(PlannedRow(row.row, action, label, person.full_name, changes))
            elif row.ok:
                read = functools.partial(read_values, row, unit.kind, membership, self.shown)
                self.plan.rows.append(
                    PlannedRow.reading(row.row, action, label, person.full_name, changes, read)
                )

    def check_area_exists(self, row: Row) -> None:
        """A new seat does not start in a commune that has ceased (on its join date,
        else today): a legacy commune's row after 30/06/2025 is a row error naming the
        successor (the rule of ``membership_add``; one successor lookup per commune)."""
        joined = row.start or self.today
        if not area_ended_before(row.commune, joined):
            return
        key = (row.commune.pk, joined)
        if key not in self.area_messages:
            self.area_messages[key] = area_not_existing_message(row.commune, joined, ACTION_SEAT)
        self.error(row, COL_START if row.start else COL_CODE, self.area_messages[key])

    # Matching rows to stored memberships.
    def match(self, rows: list[Row], units: dict[int, tuple[Unit, str]]) -> dict:
        """Row index -> stored membership, by unit + folded name + birth year.

        Several rows of one member in one unit are allowed only as history (different
        start dates, at most one without an end date), which is what an export of a
        member who left and came back holds; otherwise they are duplicates. Rows are
        matched to stored seats by exact dates first, then by start date, then to the
        open seat; a row left over is a new seat.
        """
        groups: dict[tuple, list[int]] = defaultdict(list)
        for index, row in enumerate(rows):
            if row.ok:
                groups[(row.unit_key, row.name_key, row.birth_year)].append(index)
        matched = {}
        for (_unit_key, name_key, year), indexes in groups.items():
            group = [rows[i] for i in indexes]
            if len(group) > 1 and self._duplicates(group, year, units[indexes[0]][1]):
                continue
            unit = units[indexes[0]][0]
            if unit.pk is None:
                continue
            candidates = list(self.stored.members.get((unit.pk, name_key, year), ()))
            for test in _SEAT_TESTS:
                for index in indexes:
                    if index in matched:
                        continue
                    found = next((m for m in candidates if test(rows[index], m)), None)
                    if found is not None:
                        matched[index] = found
                        candidates.remove(found)
        return matched

    def _duplicates(self, group: list[Row], year, label: str) -> bool:
        """Whether the rows of one member in one unit are duplicates rather than
        history (two open seats, or two seats from one day); each then gets an error
        naming all of them."""
        starts = [r.start for r in group]
        open_rows = sum(1 for r in group if r.end is None)
        if open_rows <= 1 and len(set(starts)) == len(starts):
            return False
        message = ERROR_DUPLICATE_MEMBER.format(
            name=group[0].full_name,
            year=year or YEAR_UNKNOWN,
            rows=", ".join(str(r.row) for r in group),
            unit=label,
        )
        for row in group:
            self.error(row, COL_NAME, message)
        return True

    # People.
    def person_for(self, row: Row) -> Person:
        """The person the identity rule recognises in the commune's province (same
        folded name and birth year, phones that agree: members.services.
        person_identity_matches), or a new one. Exactly one match is needed, as in
        ``person_find``; people created earlier in the file count too."""
        province = self.province_of.get(row.commune.pk)
        if province is None:
            province = self.stored.provinces[province_path(row.commune.path)]
            self.province_of[row.commune.pk] = province
        key = (province.pk, row.name_key, row.birth_year)
        phone = row.phone or ""
        people = self.stored.people[key]
        found = [p for p in people if not phone or p.phone in ("", phone)]
        if len(found) == 1:
            person = found[0]
            if person.pk is not None and person.province_id != province.pk:
                # Recorded in a legacy province merged into this one: one record, now
                # of the 2025 province (members.services.membership_add does the same).
                person.province = province
                self.writes.changed_people[person.pk] = person
            return person
        person = build(
            Person,
            province=province,
            full_name=row.full_name,
            birth_year=row.birth_year,
            party_member=False,
        )
        people.append(person)
        self.writes.people.append(person)
        return person

    def apply_person(self, row: Row, person: Person, changes: dict) -> None:
        """Set the row's non-empty person cells; the same person written twice in one
        file with different values is an error, not a silent last-wins.

        The spelling of the name (same folded name, so case or accent placement) comes
        from the first row of the file that names the person; later rows do not flip
        it back, so importing the file again finds nothing to change.
        """
        seen = self.seen_values.setdefault(id(person), {})
        owns_name = self.name_owner.setdefault(id(person), row.row) == row.row
        if owns_name and person.full_name != row.full_name:
            if person.pk is not None:
                changes[COL_NAME] = (person.full_name, row.full_name)
            person.full_name = row.full_name
        for attribute, column in _PERSON_FIELDS:
            value = getattr(row, attribute)
            if value is None:
                continue
            if attribute in seen and seen[attribute][1] != value:
                self.error(
                    row,
                    column,
                    ERROR_PERSON_CONFLICT.format(
                        name=row.full_name,
                        year=row.birth_year or YEAR_UNKNOWN,
                        column=column.lower(),
                        other=show(column, seen[attribute][1]),
                        row=seen[attribute][0],
                        value=show(column, value),
                    ),
                )
                continue
            seen[attribute] = (row.row, value)
            old = getattr(person, attribute)
            if old != value:
                if person.pk is not None:
                    changes[column] = (show(column, old), show(column, value))
                setattr(person, attribute, value)
        if person.pk is not None and changes:
            self.writes.changed_people[person.pk] = person

    def apply_membership(self, row: Row, membership: Membership, unit: Unit, changes) -> str:
        """Update a stored seat from the row's non-empty cells; its action."""
        person_changed = bool(changes)
        start = row.start or membership.start_date
        end = row.end or membership.end_date
        if start and end and end < start:
            self.error(row, COL_END, ERROR_END_BEFORE_START.format(date=day(start)))
        updates = (
            (COL_ROLE, "role", row.role),
            (COL_START, "start_date", row.start),
            (COL_END, "end_date", row.end),
        )
        changed = False
        for column, attribute, value in updates:
            old = getattr(membership, attribute)
            if value is not None and value != old:
                changes[column] = (show(column, old, unit.kind), show(column, value, unit.kind))
                setattr(membership, attribute, value)
                changed = True
        if changed:
            self.writes.changed_memberships[membership.pk] = membership
        return "update" if changed or person_changed else "unchanged"
