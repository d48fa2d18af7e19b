"""Reorganising villages: merge, rename, move, and the one way units continue.

A reorganisation never edits history. On its first day (``effective_on``) the units
concerned are dissolved (the dissolution date is the first day without the unit, as
``reports.stats.units_active_on`` reads it), their open seats end the day before with a
reason, new units start on ``effective_on`` with the union of the seats, and
``units.UnitLineage`` records which unit continues which. Villages are never re-parented
(a path is fixed for life, docs/DIVISIONS.md): a moved village is a new village under
the other commune, the old one valid until the day before, linked by
``units.Succession`` (level "village", the reorganisation's batch id). Counts on any
date before the change read the old units, on any date from it the new ones.

``units_continue`` is the one code path for every continuation: the village services
below and the 2025 carry-over (``members.carry_over``). It writes in bulk, with the
audit trail (``portal.audit.bulk_insert`` / ``bulk_set``), inside the caller's
``audit_context`` (reason and batch id of the reorganisation).
"""

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.choices import Role
from members.health import roster_health_from_counts
from members.models import Membership
from portal import audit
from portal.paths import province_path
from portal.text import normalize
from units.choices import TEAM_KINDS, Level, UnitKind, UnitStatus
from units.models import Area, Succession, Unit, unit_default_name
from units.models_lineage import Reorganisation, ReorganisationKind, UnitLineage
from units.services import (
    ERROR_VILLAGE_NAME_EMPTY,
    VillageAmbiguous,
    village_find,
    village_name_key,
    village_type_word,
)
from units.signals import data_changed

#: Reasons written on the seats that end and in the audit trail (stored, never translated).
REASON_VILLAGE_MERGE = "Sáp nhập thôn, tổ dân phố"
REASON_VILLAGE_RENAME = "Đổi tên thôn, tổ dân phố"
REASON_VILLAGE_MOVE = "Chuyển thôn, tổ dân phố sang xã khác"

ERROR_DATE_FUTURE = _("Ngày có hiệu lực không được sau hôm nay.")
ERROR_NOT_VILLAGE = _("Chỉ sắp xếp được thôn, tổ dân phố.")
ERROR_MERGE_TWO = _("Chọn ít nhất hai thôn, tổ dân phố để sáp nhập.")
ERROR_MERGE_ONE_COMMUNE = _("Chỉ sáp nhập được các thôn, tổ dân phố của cùng một xã.")
ERROR_VILLAGE_NOT_IN_FORCE = _(
    "{village} không còn hiệu lực vào ngày {date}: chọn ngày có hiệu lực khác."
)
ERROR_NAME_TAKEN = _("{commune} đã có {village}: chọn tên khác, hoặc sáp nhập vào thôn đó.")
ERROR_RENAME_SAME = _("Tên mới trùng với tên hiện tại.")
ERROR_MOVE_NOT_COMMUNE = _("Chọn một xã, phường, đặc khu để chuyển thôn đến.")
ERROR_MOVE_SAME_COMMUNE = _("Thôn đã thuộc xã này.")
ERROR_MOVE_OTHER_PROVINCE = _("Chỉ chuyển được thôn sang một xã trong cùng tỉnh.")
ERROR_COMMUNE_NOT_IN_FORCE = _("{commune} không còn hiệu lực vào ngày {date}.")
ERROR_SEAT_STARTS_LATER = _(
    "{person} tham gia {unit} từ ngày {start}, sau ngày {date}: chọn ngày có hiệu lực muộn hơn."
)
ERROR_UNIT_STARTS_LATER = _(
    "{unit} thành lập ngày {start}, không trước ngày có hiệu lực: chọn ngày muộn hơn."
)
WARNING_HEADS_DISAGREE = _(
    "{unit}: các đơn vị cũ có trưởng khác nhau ({names}); chưa ai được giao vai trò "
    "trưởng, hãy chỉ định."
)


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


@dataclasses.dataclass
class Continuation:
    """``sources`` end the day before ``effective_on`` and continue as one new unit of
    ``kind`` at ``area`` (named after the area when ``name`` is empty)."""

    sources: list[Unit]
    area: Area
    kind: str
    name: str = ""
    unit: Unit | None = None  # the new unit, once written
    seats: int = 0
    warnings: list[str] = dataclasses.field(default_factory=list)
    later_ends: dict = dataclasses.field(default_factory=dict)


_ROLE_RANK = {Role.HEAD: 0, Role.DEPUTY: 1, Role.MEMBER: 2}


@dataclasses.dataclass
class Seat:
    """One person's seat in a continued unit: their highest role among the sources and
    the latest end (None: still seated) with its reason."""

    role: str
    end_date: datetime.date | None = None
    end_reason: str = ""


@dataclasses.dataclass
class SeatPerson:
    """What a continuation reads of a seated person."""

    pk: int
    full_name: str
    birth_year: int | None
    party_member: bool

    def __str__(self):
        return f"{self.full_name} ({self.birth_year})" if self.birth_year else self.full_name


@dataclasses.dataclass
class SeatRow:
    """What a continuation reads of a seat: plain values, not model instances (a
    province carries tens of thousands of seats; loading them as models and people
    cost more than writing them, docs/PERFORMANCE.md)."""

    pk: int
    unit_id: int
    person_id: int
    role: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    end_reason: str
    person: SeatPerson


def seats_carried(unit_ids: list[int], effective_on: datetime.date) -> list[SeatRow]:
    """The seats of the units ``unit_ids`` still held on the day before
    ``effective_on`` and after it (open, or ending later): those a continuation
    carries, by unit then id, in one query."""
    rows = (
        Membership.objects.filter(unit__in=unit_ids)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=effective_on))
        .order_by("unit_id", "pk")
        .values_list(
            "pk", "unit_id", "person_id", "role", "start_date", "end_date", "end_reason",
            "person__full_name", "person__birth_year", "person__party_member",
        )
    )  # fmt: skip
    return [SeatRow(*row[:7], person=SeatPerson(row[2], row[7], row[8], row[9])) for row in rows]


def merged_seats(memberships: Iterable[SeatRow]) -> tuple[dict[int, Seat], list[SeatRow]]:
    """The seats of the units' union, one per person (their highest role, their latest
    end), and the heads when the sources disagree (two people or more held the head's
    role: then nobody keeps it, they sit as members). The carry-over preview reads it
    too."""
    seats: dict[int, Seat] = {}
    heads: dict[int, SeatRow] = {}
    for membership in memberships:
        if membership.role == Role.HEAD:
            heads.setdefault(membership.person_id, membership)
        seat = seats.get(membership.person_id)
        if seat is None:
            seats[membership.person_id] = Seat(
                membership.role, membership.end_date, membership.end_reason
            )
            continue
        if _ROLE_RANK[membership.role] < _ROLE_RANK[seat.role]:
            seat.role = membership.role
        if seat.end_date is not None and (
            membership.end_date is None or membership.end_date > seat.end_date
        ):
            seat.end_date, seat.end_reason = membership.end_date, membership.end_reason
    disagreeing = list(heads.values()) if len(heads) > 1 else []
    for membership in disagreeing:
        seats[membership.person_id].role = Role.MEMBER
    return seats, disagreeing


def continuation_warnings(
    *, name: str, kind: str, memberships: list[SeatRow]
) -> tuple[dict[int, Seat], list[str]]:
    """The merged seats of ``memberships`` (people loaded) and the roster-health
    warnings of the unit they would make: its size (members/health.py) and the heads
    that disagree."""
    seats, disagreeing = merged_seats(memberships)
    people = {m.person_id: m.person for m in memberships}
    heads = [pid for pid, seat in seats.items() if seat.role == Role.HEAD]
    warnings = []
    if disagreeing:
        names = ", ".join(sorted({m.person.full_name for m in disagreeing}))
        warnings.append(str(WARNING_HEADS_DISAGREE).format(unit=name, names=names))
    warnings += [
        f"{name}: {w}"
        for w in roster_health_from_counts(
            kind=kind,
            active_count=len(seats),
            head_count=len(heads),
            heads_not_party=sum(1 for pid in heads if not people[pid].party_member),
        )
    ]
    return seats, warnings


def seats_check(units: list[Unit], seats: list[SeatRow], effective_on: datetime.date):
    """Refuse a continuation that would cut a unit or a seat before it starts: a unit
    founded, or a seat taken, on or after ``effective_on``."""
    day_before = effective_on - datetime.timedelta(days=1)
    for unit in units:
        if unit.decision_date and unit.decision_date >= effective_on:
            raise ValidationError(
                ERROR_UNIT_STARTS_LATER.format(unit=unit, start=_day(unit.decision_date))
            )
    names = {u.pk: u for u in units}
    for membership in seats:
        if membership.start_date and membership.start_date > day_before:
            raise ValidationError(
                ERROR_SEAT_STARTS_LATER.format(
                    person=membership.person,
                    unit=names[membership.unit_id],
                    start=_day(membership.start_date),
                    date=_day(day_before),
                )
            )


def units_continue(
    continuations: list[Continuation],
    *,
    effective_on: datetime.date,
    reason: str,
    carried: list[SeatRow] | None = None,
) -> list[Continuation]:
    """Dissolve every source unit on ``effective_on``, end its seats the day before with
    ``reason``, and found each continuation's unit on ``effective_on`` with the union of
    its sources' seats (one per person; a seat that was to end later keeps that end).
    Writes in bulk with the audit trail; the caller holds the transaction and the
    ``audit_context`` (batch id) and records the reorganisation. Returns the
    continuations with ``unit``, ``seats``, ``warnings`` and ``later_ends`` (the seats
    whose end was moved earlier: {membership id: [end date, reason]}, for an undo)
    filled. ``carried``: the sources' seats as ``seats_carried`` selects them, when the
    caller has loaded them already (people loaded)."""
    day_before = effective_on - datetime.timedelta(days=1)
    sources = [u for c in continuations for u in c.sources]
    if carried is None:
        carried = seats_carried([u.pk for u in sources], effective_on)
    seats_check(sources, carried, effective_on)
    by_unit: dict[int, list[SeatRow]] = defaultdict(list)
    for membership in carried:
        by_unit[membership.unit_id].append(membership)

    later_ends = {
        m.pk: [m.end_date.isoformat(), m.end_reason] for m in carried if m.end_date is not None
    }
    new_seats_of = {}
    for continuation in continuations:
        memberships = [m for u in continuation.sources for m in by_unit[u.pk]]
        new_seats_of[id(continuation)] = continuation_warnings(
            name=continuation.name or unit_default_name(continuation.kind, continuation.area),
            kind=continuation.kind,
            memberships=memberships,
        )

    # Sources first: a new unit may sit on the area of one of them (one active unit per area).
    audit.bulk_set(Unit, sources, status=UnitStatus.DISSOLVED, dissolved_on=effective_on)
    audit.set_by_pk(Membership, [m.pk for m in carried], end_date=day_before, end_reason=reason)

    new_units = []
    for continuation in continuations:
        unit = Unit(
            kind=continuation.kind,
            area=continuation.area,
            name=continuation.name,
            decision_date=effective_on,
        )
        unit.fill_derived_fields()
        continuation.unit = unit
        new_units.append(unit)
    audit.bulk_insert(Unit, new_units, batch_size=2000)

    new_seats = []
    for continuation in continuations:
        seats, continuation.warnings = new_seats_of[id(continuation)]
        continuation.seats = len(seats)
        continuation.later_ends = later_ends
        for person_id, seat in seats.items():
            new_seats.append(
                Membership(
                    unit=continuation.unit,
                    person_id=person_id,
                    role=seat.role,
                    start_date=effective_on,
                    end_date=seat.end_date,
                    end_reason=seat.end_reason,
                    area_path=continuation.unit.area_path,
                )
            )
    audit.bulk_insert(Membership, new_seats, batch_size=2000)
    data_changed.send(
        sender=Unit,
        province_paths=sorted({province_path(u.area_path) for u in [*sources, *new_units]}),
    )
    return continuations


def lineage_record(reorganisation: Reorganisation, continuations: list[Continuation]) -> None:
    """One ``UnitLineage`` row per source of each continuation."""
    UnitLineage.objects.bulk_create(
        UnitLineage(reorganisation=reorganisation, predecessor=source, successor=c.unit)
        for c in continuations
        for source in c.sources
    )


def areas_link(reorganisation: Reorganisation, pairs: list[tuple[Area, Area]]) -> None:
    """Record that each (predecessor, successor) village continues from the
    reorganisation's day: ``units.Succession`` rows of level "village", whole, with the
    reorganisation's batch id (the loader of the national mapping never touches them)."""
    Succession.objects.bulk_create(
        Succession(
            level=Level.VILLAGE,
            predecessor=predecessor,
            successor=successor,
            whole=True,
            is_default=True,
            effective_on=reorganisation.effective_on,
            batch_id=reorganisation.batch_id,
        )
        for predecessor, successor in pairs
    )


# --- Villages ---------------------------------------------------------------------------


def _check_date(effective_on: datetime.date) -> None:
    if effective_on > timezone.localdate():
        raise ValidationError({"effective_on": ERROR_DATE_FUTURE})


def _check_in_force(area: Area, effective_on: datetime.date, message=ERROR_VILLAGE_NOT_IN_FORCE):
    """``area`` must exist the day before ``effective_on`` and on it (it is changed
    from that day)."""
    day_before = effective_on - datetime.timedelta(days=1)
    if (area.valid_from and area.valid_from > day_before) or (
        area.valid_until and area.valid_until < effective_on
    ):
        key = "village" if area.level == Level.VILLAGE else "commune"
        raise ValidationError(message.format(**{key: area.name}, date=_day(effective_on)))


def _check_name_free(commune: Area, name: str, allowed: Iterable[Area] = ()) -> None:
    """No village of ``commune`` other than ``allowed`` answers to ``name``."""
    existing = village_find(commune=commune, name=name)
    allowed_ids = {a.pk for a in allowed}
    if isinstance(existing, VillageAmbiguous) or (
        existing is not None and existing.pk not in allowed_ids
    ):
        village = existing.candidates[0] if isinstance(existing, VillageAmbiguous) else existing
        raise ValidationError(
            {"name": ERROR_NAME_TAKEN.format(commune=commune.name, village=village.name)}
        )


def _new_village(commune: Area, name: str, effective_on: datetime.date) -> Area:
    village = Area(
        edition=commune.edition,
        level=Level.VILLAGE,
        parent=commune,
        name=name,
        short_name=name,
        type_word=village_type_word(name),
        valid_from=effective_on,
        valid_until=commune.valid_until,
    )
    village.full_clean()
    village.save()
    return village


def _end_village(village: Area, effective_on: datetime.date) -> None:
    village.valid_until = effective_on - datetime.timedelta(days=1)
    village.full_clean()
    village.save()


def _active_teams(villages: Iterable[Area]) -> list[Unit]:
    return list(
        Unit.objects.active()
        .filter(area__in=[v.pk for v in villages], kind__in=TEAM_KINDS)
        .select_related("area")
        .order_by("area__name", "pk")
    )


def _start(kind: str, area: Area, effective_on, acting_user, details: dict) -> Reorganisation:
    reorganisation = Reorganisation(
        kind=kind,
        effective_on=effective_on,
        area=area,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
        details=details,
    )
    reorganisation.save()
    return reorganisation


def _continue_teams(reorganisation, continuations, effective_on, reason) -> None:
    if continuations:
        units_continue(continuations, effective_on=effective_on, reason=reason)
        lineage_record(reorganisation, continuations)
        reorganisation.details["warnings"] = [w for c in continuations for w in c.warnings]
        reorganisation.details["units"] = [c.unit.pk for c in continuations]
        reorganisation.save(update_fields=["details"])


@transaction.atomic
def village_merge(
    *, villages: Iterable[Area], name: str, effective_on: datetime.date, acting_user=None
) -> Reorganisation:
    """Merge two or more villages of one commune into one from ``effective_on``.

    The merged village keeps the name of the source that bears ``name`` (it continues,
    the others end the day before), or is a new village of that name. Their active
    teams end the day before and one team of the merged village starts on
    ``effective_on`` seating the union of their members (``units_continue``).
    """
    villages = sorted({v.pk: v for v in villages}.values(), key=lambda v: v.pk)
    if any(v.level != Level.VILLAGE for v in villages):
        raise ValidationError(ERROR_NOT_VILLAGE)
    if len(villages) < 2:
        raise ValidationError({"villages": ERROR_MERGE_TWO})
    if len({v.parent_id for v in villages}) > 1:
        raise ValidationError({"villages": ERROR_MERGE_ONE_COMMUNE})
    _check_date(effective_on)
    for village in villages:
        _check_in_force(village, effective_on)
    name = normalize(name)
    if not name:
        raise ValidationError({"name": ERROR_VILLAGE_NAME_EMPTY})
    commune = villages[0].parent
    _check_name_free(commune, name, allowed=villages)
    key = village_name_key(name)
    survivor = next((v for v in villages if village_name_key(v.name) == key), None)
    with audit.audit_context(reason=REASON_VILLAGE_MERGE):
        details = {"villages": [v.name for v in villages], "name": name}
        reorganisation = _start(
            ReorganisationKind.VILLAGE_MERGE, commune, effective_on, acting_user, details
        )
        with audit.audit_context(batch_id=reorganisation.batch_id):
            target = survivor or _new_village(commune, name, effective_on)
            for village in villages:
                if village.pk != target.pk:
                    _end_village(village, effective_on)
            areas_link(reorganisation, [(v, target) for v in villages if v.pk != target.pk])
            teams = _active_teams(villages)
            continuations = []
            if teams:
                community = all(t.kind == UnitKind.COMMUNITY_TEAM for t in teams)
                kind = UnitKind.COMMUNITY_TEAM if community else UnitKind.TEAM
                continuations = [Continuation(sources=teams, area=target, kind=kind)]
            _continue_teams(reorganisation, continuations, effective_on, REASON_VILLAGE_MERGE)
    return reorganisation


@transaction.atomic
def village_rename(
    *, village: Area, name: str, effective_on: datetime.date, acting_user=None
) -> Reorganisation:
    """Rename a village from ``effective_on``. The village, its team and their history
    stay one and the same (a name does not change any count); the reorganisation keeps
    the old name and the date, the audit trail the values before. A team named after
    the village takes the new name too."""
    if village.level != Level.VILLAGE:
        raise ValidationError(ERROR_NOT_VILLAGE)
    _check_date(effective_on)
    _check_in_force(village, effective_on)
    name = normalize(name)
    if not name:
        raise ValidationError({"name": ERROR_VILLAGE_NAME_EMPTY})
    if name == village.name:
        raise ValidationError({"name": ERROR_RENAME_SAME})
    commune = village.parent
    _check_name_free(commune, name, allowed=[village])
    old_name = village.name
    with audit.audit_context(reason=REASON_VILLAGE_RENAME):
        details = {"old_name": old_name, "name": name}
        reorganisation = _start(
            ReorganisationKind.VILLAGE_RENAME, commune, effective_on, acting_user, details
        )
        with audit.audit_context(batch_id=reorganisation.batch_id):
            old_defaults = {kind: unit_default_name(kind, village) for kind in TEAM_KINDS}
            village.name, village.short_name = name, name
            village.type_word = village_type_word(name)
            village.full_clean()
            village.save()
            for unit in _active_teams([village]):
                if unit.name == old_defaults.get(unit.kind):
                    unit.name = unit_default_name(unit.kind, village)
                    unit.area = village
                    unit.full_clean()
                    unit.save()
    return reorganisation


@transaction.atomic
def village_move(
    *, village: Area, commune: Area, effective_on: datetime.date, acting_user=None
) -> Reorganisation:
    """Move a village to another commune of the same province from ``effective_on``: a
    village of the same name starts under ``commune`` (paths never change), the old one
    ends the day before, and its active team continues there with the same members."""
    if village.level != Level.VILLAGE:
        raise ValidationError(ERROR_NOT_VILLAGE)
    if commune.level != Level.COMMUNE or commune.edition != village.edition:
        raise ValidationError({"commune": ERROR_MOVE_NOT_COMMUNE})
    if commune.pk == village.parent_id:
        raise ValidationError({"commune": ERROR_MOVE_SAME_COMMUNE})
    if province_path(commune.path) != province_path(village.path):
        raise ValidationError({"commune": ERROR_MOVE_OTHER_PROVINCE})
    _check_date(effective_on)
    _check_in_force(village, effective_on)
    _check_in_force(commune, effective_on, ERROR_COMMUNE_NOT_IN_FORCE)
    _check_name_free(commune, village.name)
    with audit.audit_context(reason=REASON_VILLAGE_MOVE):
        details = {"name": village.name, "from": village.parent.name, "to": commune.name}
        reorganisation = _start(
            ReorganisationKind.VILLAGE_MOVE, village.parent, effective_on, acting_user, details
        )
        with audit.audit_context(batch_id=reorganisation.batch_id):
            target = _new_village(commune, village.name, effective_on)
            _end_village(village, effective_on)
            areas_link(reorganisation, [(village, target)])
            continuations = [
                Continuation(
                    sources=[team],
                    area=target,
                    kind=team.kind,
                    name="" if team.name == unit_default_name(team.kind, village) else team.name,
                )
                for team in _active_teams([village])
            ]
            _continue_teams(reorganisation, continuations, effective_on, REASON_VILLAGE_MOVE)
    return reorganisation
