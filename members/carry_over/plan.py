"""The preview of a carry-over (chuyển sang địa bàn mới): what would land in each 2025
commune, and what stops it. ``carry_over_plan`` is read by the wizard, by the
``carry_over_2025`` command and by ``carry_over_apply`` itself, so that what is shown is
what is written (docs/REORGANISATION.md, "Carry-over").
"""

import dataclasses
from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from members.reorganise import SeatRow, continuation_warnings, seats_carried
from portal.text import normalize
from units.choices import LEGACY_VALID_UNTIL, TEAM_KINDS, V2025_VALID_FROM, Edition, Level, UnitKind
from units.models import Area, Succession, Unit, unit_default_name
from units.services import village_name_key

#: The reason written on every seat and unit the carry-over ends (stored, never translated).
REASON_CARRY_OVER = "Sắp xếp đơn vị hành chính 2025"

ERROR_NOT_LEGACY_PROVINCE = _("{code} không phải mã một tỉnh trước 01/07/2025 đã nạp.")
ERROR_NO_SUCCESSOR = _(
    "Chưa có tỉnh kế thừa của {province}: hãy nạp danh mục 2025 (load_divisions)."
)
ERROR_COMMUNE_NO_SUCCESSOR = _("{commune} chưa có xã kế thừa trong danh mục 2025.")
ERROR_BLOC_EXISTS = _(
    "{commune} đã có Khối dân vận trên địa bàn mới ({unit}): kết thúc khối đó trước khi "
    "chuyển các khối cũ sang."
)
ERROR_UNIT_LATE = _("{unit} thành lập ngày {date}, sau 30/06/2025: sửa ngày trước khi chuyển.")
ERROR_SEAT_LATE = _(
    "{person} tham gia {unit} từ ngày {date}, sau 30/06/2025: sửa ngày trước khi chuyển."
)
ERROR_ASSIGNMENT = _("{village}: {commune} không phải một xã kế thừa của {legacy}.")


@dataclasses.dataclass
class TeamMove:
    """A legacy team and the 2025 commune its village goes to."""

    team: Unit
    village: Area
    legacy_commune: Area
    choices: list[Area]  # the successors of the legacy commune, default first
    target: Area
    name: str = ""  # the village's name in ``target``: its own, or with a suffix

    @property
    def split(self) -> bool:
        return len(self.choices) > 1

    @property
    def renamed(self) -> bool:
        return self.name != self.village.name


@dataclasses.dataclass
class CommunePlan:
    """What one 2025 commune receives."""

    commune: Area
    blocs: list[Unit] = dataclasses.field(default_factory=list)
    teams: list[TeamMove] = dataclasses.field(default_factory=list)
    bloc_seats: int = 0
    team_seats: int = 0
    warnings: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class CarryPlan:
    """The whole preview of one legacy province."""

    legacy_province: Area | None
    successor: Area | None = None
    communes: list[CommunePlan] = dataclasses.field(default_factory=list)
    errors: list[str] = dataclasses.field(default_factory=list)
    seats: dict[int, list[SeatRow]] = dataclasses.field(default_factory=dict)

    @property
    def teams(self) -> list[TeamMove]:
        return [move for plan in self.communes for move in plan.teams]

    @property
    def split_teams(self) -> list[TeamMove]:
        return [move for move in self.teams if move.split]

    @property
    def collisions(self) -> list[TeamMove]:
        return [move for move in self.teams if move.renamed]

    def counts(self) -> dict[str, int]:
        """What applying would create on the 2025 map (the command's last line)."""
        teams = self.teams
        return {
            "blocs": sum(1 for plan in self.communes if plan.blocs),
            "teams": len(teams),
            "villages": len(teams),
            "memberships": sum(plan.bloc_seats + plan.team_seats for plan in self.communes),
        }


def legacy_province_get(code: str) -> Area | None:
    return Area.objects.filter(
        edition=Edition.LEGACY, level=Level.PROVINCE, code=str(code).zfill(2)
    ).first()


def _successors(communes: list[int]) -> dict[int, list[Area]]:
    """{legacy commune id: its 2025 successors, the default piece first}: one query."""
    result: dict[int, list[Area]] = defaultdict(list)
    links = (
        Succession.objects.official()
        .filter(predecessor_id__in=communes, level=Level.COMMUNE)
        .select_related("successor")
        .order_by("predecessor_id", "-is_default", "successor__path")
    )
    for link in links:
        result[link.predecessor_id].append(link.successor)
    return result


def _suffixed(name: str, legacy_commune: Area, taken: set[str]) -> str:
    """``name`` when free in the receiving commune, else "name (legacy commune)", then
    with a number: villages keep their names, a collision gets a visible suffix."""
    if village_name_key(name) not in taken:
        return name
    candidate = normalize(f"{name} ({legacy_commune.short_name})")
    number = 2
    while village_name_key(candidate) in taken:
        candidate = normalize(f"{name} ({legacy_commune.short_name} {number})")
        number += 1
    return candidate


def carry_over_plan(*, legacy_province: Area, assignments: dict[int, int] | None = None):
    """The preview of carrying ``legacy_province`` onto the 2025 map.

    Every active legacy bloc goes to the default successor of its commune; every active
    legacy team to the commune staff chose for its village (``assignments``: {legacy
    village id: 2025 commune id}, one of the successors of the village's commune), else
    the default piece. Seats are those held on 30/06/2025. ``errors`` lists what must be
    fixed first (nothing is written while there is one). A province already carried
    has no active legacy unit left: an empty plan.
    """
    assignments = {int(k): int(v) for k, v in (assignments or {}).items()}
    plan = CarryPlan(legacy_province=legacy_province)
    link = (
        Succession.objects.official()
        .filter(predecessor=legacy_province, level=Level.PROVINCE)
        .select_related("successor")
        .first()
    )
    if link is None:
        plan.errors.append(str(ERROR_NO_SUCCESSOR).format(province=legacy_province.name))
        return plan
    plan.successor = link.successor
    units = list(
        Unit.objects.active()
        .under(legacy_province)
        .select_related("area__parent", "commune")
        .order_by("area_path", "kind")
    )
    successors = _successors(list({u.commune_id for u in units}))
    seats = seats_carried([u.pk for u in units], V2025_VALID_FROM)
    by_unit: dict[int, list[SeatRow]] = defaultdict(list)
    for membership in seats:
        by_unit[membership.unit_id].append(membership)
    plan.seats = by_unit
    _check_dates(plan, units, seats)

    communes: dict[int, CommunePlan] = {}
    for unit in units:
        choices = successors.get(unit.commune_id)
        if not choices:
            plan.errors.append(str(ERROR_COMMUNE_NO_SUCCESSOR).format(commune=unit.commune.name))
            continue
        target = choices[0]
        if unit.kind in TEAM_KINDS:
            chosen = assignments.get(unit.area_id)
            if chosen is not None:
                target = next((c for c in choices if c.pk == chosen), None)
                if target is None:
                    plan.errors.append(_assignment_error(unit, chosen))
                    continue
        commune_plan = communes.setdefault(target.pk, CommunePlan(commune=target))
        if unit.kind == UnitKind.BLOC:
            commune_plan.blocs.append(unit)
        else:
            commune_plan.teams.append(
                TeamMove(unit, unit.area, unit.commune, choices, target, unit.area.name)
            )
    plan.communes = sorted(communes.values(), key=lambda p: p.commune.path)
    _name_villages(plan)
    _check_existing_blocs(plan)
    for commune_plan in plan.communes:
        _warn(commune_plan, by_unit)
    return plan


def _assignment_error(unit: Unit, chosen: int) -> str:
    commune = Area.objects.filter(pk=chosen).first()
    return str(ERROR_ASSIGNMENT).format(
        village=unit.area.name,
        commune=commune.name if commune else chosen,
        legacy=unit.commune.name,
    )


def _check_dates(plan: CarryPlan, units: list[Unit], seats: list[SeatRow]) -> None:
    for unit in units:
        if unit.decision_date and unit.decision_date > LEGACY_VALID_UNTIL:
            plan.errors.append(
                str(ERROR_UNIT_LATE).format(unit=unit, date=unit.decision_date.strftime("%d/%m/%Y"))
            )
    names = {u.pk: u for u in units}
    for membership in seats:
        if membership.start_date and membership.start_date > LEGACY_VALID_UNTIL:
            plan.errors.append(
                str(ERROR_SEAT_LATE).format(
                    person=membership.person,
                    unit=names[membership.unit_id],
                    date=membership.start_date.strftime("%d/%m/%Y"),
                )
            )


def _name_villages(plan: CarryPlan) -> None:
    """Each moved village's name in its 2025 commune: suffixed when a village of the
    commune (on the map already, or arriving from another legacy commune) has it."""
    existing: dict[int, set[str]] = defaultdict(set)
    for parent_id, name in Area.objects.filter(
        parent__in=[p.commune.pk for p in plan.communes], level=Level.VILLAGE
    ).values_list("parent_id", "name"):
        existing[parent_id].add(village_name_key(name))
    for commune_plan in plan.communes:
        arriving: dict[str, int] = defaultdict(int)
        for move in commune_plan.teams:
            arriving[village_name_key(move.village.name)] += 1
        taken = existing[commune_plan.commune.pk]
        for move in sorted(commune_plan.teams, key=lambda m: (m.legacy_commune.path, m.village.pk)):
            key = village_name_key(move.village.name)
            clash = key in taken or arriving[key] > 1
            move.name = _suffixed(
                move.village.name, move.legacy_commune, taken | {key} if clash else taken
            )
            taken.add(village_name_key(move.name))


def _check_existing_blocs(plan: CarryPlan) -> None:
    receiving = [p.commune.pk for p in plan.communes if p.blocs]
    for unit in (
        Unit.objects.active().filter(area__in=receiving, kind=UnitKind.BLOC).select_related("area")
    ):
        plan.errors.append(str(ERROR_BLOC_EXISTS).format(commune=unit.area.name, unit=unit.name))


def _warn(commune_plan: CommunePlan, by_unit: dict[int, list[SeatRow]]) -> None:
    """The roster-health warnings of the units the commune would get, and its seats."""
    if commune_plan.blocs:
        memberships = [m for u in commune_plan.blocs for m in by_unit[u.pk]]
        seats, warnings = continuation_warnings(
            name=unit_default_name(UnitKind.BLOC, commune_plan.commune),
            kind=UnitKind.BLOC,
            memberships=memberships,
        )
        commune_plan.bloc_seats = len(seats)
        commune_plan.warnings += warnings
    for move in commune_plan.teams:
        seats, warnings = continuation_warnings(
            name=f"{UnitKind(move.team.kind).label} {move.name}",
            kind=move.team.kind,
            memberships=by_unit[move.team.pk],
        )
        commune_plan.team_seats += len(seats)
        commune_plan.warnings += warnings
