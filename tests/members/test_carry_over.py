"""The carry-over of a legacy province onto the 2025 map (chuyển sang địa bàn mới):
preview, apply in one batch, re-run, undo, the command, and the statistics on both maps
equal to straight counts on both sides of 01/07/2025."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from members.carry_over import (
    REASON_CARRY_OVER,
    carry_over_apply,
    carry_over_plan,
    carry_over_undo,
)
from members.carry_over.apply import ERROR_UNDO_DONE, ERROR_UNDO_WRITTEN
from members.carry_over.plan import ERROR_ASSIGNMENT, ERROR_BLOC_EXISTS
from members.choices import Role
from members.health import WARNING_BLOC_SIZE
from members.models import Membership, Person
from members.reorganise import WARNING_HEADS_DISAGREE
from members.services import membership_add
from reports.stats import Place, area_stats
from tests.members.carry_world import build_carry_world
from units.choices import UnitStatus
from units.models import Area, Reorganisation, Succession, Unit, UnitLineage
from units.services import unit_create

LAST_DAY = datetime.date(2025, 6, 30)
FIRST_DAY = datetime.date(2025, 7, 1)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_carry_world()


def _reassign(world):
    """Staff send the split commune's village "Thôn Nà" to Xã Y (not the default X)."""
    return {world.team_split.area_id: world.y.pk}


def test_preview_per_commune(world):
    """X receives three blocs (five people, heads disagree, outside 7–13) and three teams,
    the two "Thôn 1" suffixed; the split commune's village is proposed in X with Y as
    the other choice; nothing is written."""
    plan = carry_over_plan(legacy_province=world.legacy)
    assert plan.errors == []
    assert [p.commune for p in plan.communes] == [world.x]
    x = plan.communes[0]
    assert set(x.blocs) == {world.bloc_a, world.bloc_b, world.bloc_split}
    assert x.bloc_seats == 5
    bloc_name = "Khối dân vận Phường X"
    heads = str(WARNING_HEADS_DISAGREE).format(unit=bloc_name, names="Nguyễn Văn An, Phạm Văn Dũng")
    size = str(WARNING_BLOC_SIZE).format(count=5, low=7, high=13)
    assert heads in x.warnings
    assert f"{bloc_name}: {size}" in x.warnings
    names = sorted(m.name for m in x.teams)
    assert names == ["Thôn 1 (A)", "Thôn 1 (B)", "Thôn Nà"]
    [split] = plan.split_teams
    assert (split.target, split.choices) == (world.x, [world.x, world.y])
    assert plan.counts() == {"blocs": 1, "teams": 3, "villages": 3, "memberships": 9}
    assert not Reorganisation.objects.exists()


def test_preview_with_a_village_reassigned(world):
    plan = carry_over_plan(legacy_province=world.legacy, assignments=_reassign(world))
    assert [p.commune for p in plan.communes] == [world.x, world.y]
    assert [m.name for m in plan.communes[1].teams] == ["Thôn Nà"]
    assert plan.communes[1].blocs == []


def test_reassigning_to_a_commune_that_is_not_a_successor_is_an_error(world):
    plan = carry_over_plan(
        legacy_province=world.legacy, assignments={world.team_split.area_id: world.commune_a.pk}
    )
    expected = str(ERROR_ASSIGNMENT).format(
        village="Thôn Nà", commune=world.commune_a.name, legacy=world.split.name
    )
    assert plan.errors == [expected]


def test_apply(world):
    """One bloc in X from 01/07/2025 seating the union (Chi once, no head), teams under
    re-created villages, legacy units and seats ended on 30/06/2025 with the reason,
    lineage recorded, people in the successor province, one batch id."""
    result = carry_over_apply(legacy_province=world.legacy, assignments=_reassign(world))
    assert result.errors == []
    assert result.counts == {"blocs": 1, "teams": 3, "villages": 3, "memberships": 9}
    reorg = result.reorganisation
    bloc = Unit.objects.get(area=world.x, status=UnitStatus.ACTIVE)
    assert bloc.decision_date == FIRST_DAY
    seats = {m.person.full_name: m for m in bloc.memberships.select_related("person")}
    assert sorted(seats) == [
        "Lê Thị Chi", "Nguyễn Văn An", "Phạm Văn Dũng", "Trần Thị Bình", "Võ Văn Em",
    ]  # fmt: skip
    assert {m.role for m in seats.values()} == {Role.MEMBER}
    assert seats["Trần Thị Bình"].end_date == datetime.date(2025, 9, 30)
    assert seats["Trần Thị Bình"].end_reason == "Chuyển công tác"
    assert set(
        UnitLineage.objects.filter(successor=bloc).values_list("predecessor", flat=True)
    ) == {world.bloc_a.pk, world.bloc_b.pk, world.bloc_split.pk}

    village = Area.objects.get(parent=world.y, name="Thôn Nà")
    team = Unit.objects.get(area=village, status=UnitStatus.ACTIVE)
    assert [m.person.full_name for m in team.memberships.all()] == ["Ngô Thị Lan"]
    assert Succession.objects.get(batch_id=reorg.batch_id, successor=village).predecessor_id == (
        world.team_split.area_id
    )
    assert Area.objects.filter(parent=world.x, name__startswith="Thôn 1 (").count() == 2

    legacy_units = Unit.objects.filter(area_path__startswith=world.legacy.path)
    assert set(legacy_units.values_list("status", "dissolved_on")) == {
        (UnitStatus.DISSOLVED, FIRST_DAY)
    }
    legacy_seats = Membership.objects.filter(area_path__startswith=world.legacy.path)
    assert set(legacy_seats.values_list("end_date", "end_reason")) == {
        (LAST_DAY, REASON_CARRY_OVER)
    }
    assert set(Person.objects.values_list("province", flat=True)) == {world.successor.pk}
    assert Membership.history.filter(batch_id=reorg.batch_id).count() == 10 + 9
    assert Person.history.filter(batch_id=reorg.batch_id).count() == Person.objects.count()


def test_rerun_changes_nothing(world):
    carry_over_apply(legacy_province=world.legacy)
    before = (Unit.objects.count(), Membership.objects.count(), Area.objects.count())
    again = carry_over_apply(legacy_province=world.legacy)
    assert again.counts == {"blocs": 0, "teams": 0, "villages": 0, "memberships": 0}
    assert again.reorganisation is None
    assert (Unit.objects.count(), Membership.objects.count(), Area.objects.count()) == before
    assert Reorganisation.objects.count() == 1


def test_existing_bloc_on_the_new_map_stops_the_apply(world):
    """A 2025 commune that already has a bloc: an error, nothing written."""
    existing = unit_create(kind="bloc", area=world.x)
    result = carry_over_apply(legacy_province=world.legacy)
    assert result.errors == [
        str(ERROR_BLOC_EXISTS).format(commune=world.x.name, unit=existing.name)
    ]
    assert not Reorganisation.objects.exists()
    assert world.bloc_a.memberships.filter(end_date__isnull=True).count() == 2


def test_undo_then_apply_again(world):
    """Undo restores the legacy rosters as they were (Bình's later end included) and
    removes what the batch created; a second undo is refused; applying again works."""
    seats_before = sorted(Membership.objects.values_list("pk", "end_date", "end_reason", "role"))
    first = carry_over_apply(legacy_province=world.legacy, assignments=_reassign(world))
    carry_over_undo(reorganisation=first.reorganisation)
    assert sorted(Membership.objects.values_list("pk", "end_date", "end_reason", "role")) == (
        seats_before
    )
    assert set(Unit.objects.values_list("status", flat=True)) == {UnitStatus.ACTIVE}
    assert not Area.objects.filter(parent__in=[world.x, world.y]).exists()
    assert set(Person.objects.values_list("province", flat=True)) == {world.legacy.pk}
    with pytest.raises(ValidationError) as caught:
        carry_over_undo(reorganisation=first.reorganisation)
    assert str(ERROR_UNDO_DONE).split("{")[0] in str(caught.value)
    second = carry_over_apply(legacy_province=world.legacy)
    assert second.counts["memberships"] == 9


def test_undo_refused_once_written_on_top(world):
    result = carry_over_apply(legacy_province=world.legacy)
    bloc = Unit.objects.get(area=world.x, status=UnitStatus.ACTIVE)
    membership_add(unit=bloc, full_name="Mai Văn Mới", birth_year=1990, start_date=FIRST_DAY)
    with pytest.raises(ValidationError) as caught:
        carry_over_undo(reorganisation=result.reorganisation)
    assert str(ERROR_UNDO_WRITTEN).split("(")[0] in str(caught.value)
    assert Unit.objects.filter(area=world.x, status=UnitStatus.ACTIVE).exists()


def _command(*args) -> tuple[int, list[str]]:
    out = io.StringIO()
    try:
        call_command("carry_over_2025", *args, stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue().strip().splitlines()


def test_command_dry_run_then_apply_then_rerun(world):
    code, lines = _command("--province", "06", "--dry-run")
    assert (code, lines[-1]) == (0, "blocs=1 teams=3 villages=3 memberships=9 errors=0")
    assert not Reorganisation.objects.exists()
    code, lines = _command("--province", "6")
    assert (code, lines[-1]) == (0, "blocs=1 teams=3 villages=3 memberships=9 errors=0")
    assert Reorganisation.objects.count() == 1
    code, lines = _command("--province", "06")
    assert (code, lines[-1]) == (0, "blocs=0 teams=0 villages=0 memberships=0 errors=0")


def test_command_errors_write_nothing(world):
    """An unknown province among several: exit 1, nothing written for any of them."""
    code, lines = _command("--province", "06", "--province", "99")
    assert code == 1
    assert lines[-1] == "blocs=0 teams=0 villages=0 memberships=0 errors=1"
    assert not Reorganisation.objects.exists()
    assert not Unit.objects.filter(area=world.x).exists()


# --- Statistics on both maps --------------------------------------------------------------


def _straight(area: Area, day: datetime.date) -> dict:
    units = [
        u
        for u in Unit.objects.filter(area_path__startswith=area.path)
        if (u.decision_date is None or u.decision_date <= day)
        and (u.dissolved_on is None or u.dissolved_on > day)
    ]
    ids = {u.pk: u for u in units}
    seats = [
        m
        for m in Membership.objects.filter(unit_id__in=ids)
        if (m.start_date is None or m.start_date <= day)
        and (m.end_date is None or m.end_date >= day)
    ]
    return {
        "blocs": sum(1 for u in units if u.kind == "bloc"),
        "teams": sum(1 for u in units if u.kind != "bloc"),
        "bloc_members": sum(1 for m in seats if ids[m.unit_id].kind == "bloc"),
        "team_members": sum(1 for m in seats if ids[m.unit_id].kind != "bloc"),
        "people": len({m.person_id for m in seats}),
    }


def _stats(area: Area, day: datetime.date) -> dict:
    figures = area_stats(Place(area.edition, area), day)
    return {k: figures[k] for k in ("blocs", "teams", "bloc_members", "team_members", "people")}


def test_statistics_equal_straight_counts_after_the_carry_over(world):
    """The legacy province up to 30/06/2025 and the 2025 province from 01/07/2025 read
    exactly what a straight count reads; the same people, one seat each."""
    carry_over_apply(legacy_province=world.legacy, assignments=_reassign(world))
    for day in (datetime.date(2024, 12, 31), LAST_DAY):
        assert _stats(world.legacy, day) == _straight(world.legacy, day), day
    for day in (FIRST_DAY, datetime.date(2025, 10, 1), datetime.date(2026, 12, 1)):
        assert _stats(world.successor, day) == _straight(world.successor, day), day
    assert _stats(world.legacy, LAST_DAY)["bloc_members"] == 6
    assert _stats(world.successor, FIRST_DAY)["bloc_members"] == 5
    assert _stats(world.successor, datetime.date(2025, 10, 1))["bloc_members"] == 4
    assert _stats(world.y, FIRST_DAY)["teams"] == 1


def test_legacy_roster_imported_again_never_reopens_a_seat(world):
    """After the carry-over, the legacy team's roster imported again: the known member's
    row is unchanged (their legacy seat stays ended on 30/06/2025), a new member's row is
    refused with a message naming the team it continues as; nothing is written."""
    from members.imports import roster_import
    from members.imports.plan import ERROR_UNIT_CARRIED
    from tests.members.conftest import TEAM_ROW, xlsx_bytes

    carry_over_apply(legacy_province=world.legacy)
    base = {
        **TEAM_ROW, "Mã xã": "01834", "Xã": "Phường A", "Thôn/Tổ dân phố": "Thôn 1",
        "Năm sinh": 1970, "Ngày tham gia": "01/03/2023", "Số điện thoại": "", "Chức vụ": "",
        "Dân tộc": "", "Giới tính": "",
    }  # fmt: skip
    rows = [
        {**base, "Họ và tên": "Hoàng Văn Giang", "Vai trò": "Tổ trưởng", "Đảng viên": "Có"},
        {**base, "Họ và tên": "Người Mới Thêm", "Vai trò": "Thành viên", "Đảng viên": ""},
    ]
    plan = roster_import(xlsx_bytes(rows), filename="cu.xlsx", edition="legacy")
    assert [r.action for r in plan.rows] == ["unchanged"]
    [error] = plan.errors
    successor = Unit.objects.get(predecessor_links__predecessor=world.team_a)
    assert error.message == str(ERROR_UNIT_CARRIED).format(
        unit="Tổ dân vận Thôn 1 — Phường A", date="30/06/2025", successor=successor.name
    )
    legacy_seats = Membership.objects.filter(area_path__startswith=world.legacy.path)
    assert not legacy_seats.filter(end_date__isnull=True).exists()
    assert not Person.objects.filter(full_name="Người Mới Thêm").exists()


def test_2025_map_before_the_reform_places_teams_where_their_village_went(world):
    """On the 2025 map at 31/12/2024 the legacy units count where they went: the three
    blocs in X (the split commune's by its default piece), the village staff sent to Y
    in Y; after an undo, that team is back in the default piece."""
    day = datetime.date(2024, 12, 31)
    result = carry_over_apply(legacy_province=world.legacy, assignments=_reassign(world))
    assert (_stats(world.x, day)["blocs"], _stats(world.x, day)["teams"]) == (3, 2)
    assert (_stats(world.y, day)["blocs"], _stats(world.y, day)["teams"]) == (0, 1)
    assert _stats(world.y, day)["team_members"] == 1
    carry_over_undo(reorganisation=result.reorganisation)
    assert _stats(world.y, day)["teams"] == 0
    assert _stats(world.x, day)["teams"] == 3
