"""A small world for the carry-over tests: a legacy province with three communes (one
split between two 2025 communes), its 2025 successor, blocs and teams with members."""

import dataclasses
import datetime

from members.choices import Role
from members.services import membership_add
from tests.factories import AreaFactory
from units.choices import LEGACY_VALID_UNTIL, V2025_VALID_FROM, Edition, Level
from units.models import Area, Succession, Unit
from units.services import team_create_for_village, unit_create

JOINED = datetime.date(2023, 3, 1)
#: Legacy units are founded on their legacy communes, which exist until 30/06/2025.
FOUNDED = datetime.date(2021, 1, 5)


@dataclasses.dataclass
class CarryWorld:
    legacy: Area
    successor: Area
    commune_a: Area
    commune_b: Area
    split: Area  # legacy commune split between x (default) and y
    x: Area
    y: Area
    bloc_a: Unit
    bloc_b: Unit
    bloc_split: Unit
    team_a: Unit
    team_b: Unit
    team_split: Unit


def _legacy(level, code, name, parent=None):
    return AreaFactory(
        edition=Edition.LEGACY, level=level, code=code, name=name, parent=parent,
        valid_until=LEGACY_VALID_UNTIL,
    )  # fmt: skip


def _new(level, code, name, parent=None):
    return AreaFactory(
        edition=Edition.V2025, level=level, code=code, name=name, parent=parent,
        valid_from=V2025_VALID_FROM,
    )  # fmt: skip


def _link(level, predecessor, successor, *, whole=True, default=True):
    Succession.objects.create(
        level=level, predecessor=predecessor, successor=successor, whole=whole,
        is_default=default, effective_on=V2025_VALID_FROM,
    )  # fmt: skip


def _seat(unit, name, role=Role.MEMBER, **extra):
    return membership_add(
        unit=unit, full_name=name, birth_year=1970, role=role, start_date=JOINED, **extra
    )


def build_carry_world() -> CarryWorld:
    """Legacy Bắc Kạn (06): Phường A and Xã B go whole into Phường X of Thái Nguyên
    (19); Xã S is split between X (default) and Y. Bloc A: An (head), Bình (seat ending
    30/09/2025), Chi; bloc B: Chi, Dũng (head); bloc S: Em. Teams "Thôn 1" in A and in
    B (a name clash in X), "Thôn Nà" in S."""
    legacy = _legacy(Level.PROVINCE, "06", "Tỉnh Bắc Kạn")
    district = _legacy(Level.DISTRICT, "058", "Thành phố Bắc Kạn", legacy)
    commune_a = _legacy(Level.COMMUNE, "01834", "Phường A", district)
    commune_b = _legacy(Level.COMMUNE, "01837", "Xã B", district)
    split = _legacy(Level.COMMUNE, "01849", "Xã S", district)
    successor = _new(Level.PROVINCE, "19", "Tỉnh Thái Nguyên")
    x = _new(Level.COMMUNE, "01834", "Phường X", successor)
    y = _new(Level.COMMUNE, "01900", "Xã Y", successor)
    _link(Level.PROVINCE, legacy, successor)
    _link(Level.COMMUNE, commune_a, x)
    _link(Level.COMMUNE, commune_b, x)
    _link(Level.COMMUNE, split, x, whole=False, default=True)
    _link(Level.COMMUNE, split, y, whole=False, default=False)

    # Founded before the reform: a legacy area takes no new unit today.
    bloc_a = unit_create(kind="bloc", area=commune_a, decision_date=FOUNDED)
    bloc_b = unit_create(kind="bloc", area=commune_b, decision_date=FOUNDED)
    bloc_split = unit_create(kind="bloc", area=split, decision_date=FOUNDED)
    _seat(bloc_a, "Nguyễn Văn An", Role.HEAD, party_member=True)
    binh = _seat(bloc_a, "Trần Thị Bình")
    # Recorded before the carry-over as leaving in September 2025 (a later end).
    binh.end_date, binh.end_reason = datetime.date(2025, 9, 30), "Chuyển công tác"
    binh.save()
    chi = _seat(bloc_a, "Lê Thị Chi").person
    membership_add(unit=bloc_b, person=chi, start_date=JOINED)
    _seat(bloc_b, "Phạm Văn Dũng", Role.HEAD, party_member=True)
    _seat(bloc_split, "Võ Văn Em")

    team_a = team_create_for_village(
        commune=commune_a, village_name="Thôn 1", decision_date=FOUNDED
    )
    team_b = team_create_for_village(
        commune=commune_b, village_name="Thôn 1", decision_date=FOUNDED
    )
    team_split = team_create_for_village(
        commune=split, village_name="Thôn Nà", decision_date=FOUNDED
    )
    _seat(team_a, "Hoàng Văn Giang", Role.HEAD, party_member=True)
    _seat(team_a, "Đỗ Thị Hoa")
    _seat(team_b, "Bùi Văn Khánh")
    _seat(team_split, "Ngô Thị Lan")
    return CarryWorld(
        legacy, successor, commune_a, commune_b, split, x, y,
        bloc_a, bloc_b, bloc_split, team_a, team_b, team_split,
    )  # fmt: skip
