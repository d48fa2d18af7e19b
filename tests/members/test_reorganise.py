"""Village reorganisation (2026 mergers): merge, rename, move. Old teams end the day
before, new ones start on the day with the union of the members, lineage and audit rows
record it, and the statistics equal a straight count on both sides of the date."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from members.choices import Role
from members.models import Membership
from members.reorganise import (
    ERROR_DATE_FUTURE,
    ERROR_MERGE_ONE_COMMUNE,
    ERROR_MERGE_TWO,
    ERROR_MOVE_OTHER_PROVINCE,
    ERROR_NAME_TAKEN,
    ERROR_SEAT_STARTS_LATER,
    REASON_VILLAGE_MERGE,
    REASON_VILLAGE_MOVE,
    WARNING_HEADS_DISAGREE,
    village_merge,
    village_move,
    village_rename,
)
from members.services import membership_add
from reports.stats import Place, area_stats
from units.choices import Level, UnitStatus
from units.models import Area, Reorganisation, Succession, Unit, UnitLineage
from units.services import team_create_for_village, village_get_or_create

DAY = datetime.date(2026, 3, 1)
BEFORE = datetime.date(2026, 2, 28)
EARLY = datetime.date(2025, 1, 1)


def _seat(unit, name, role="member", party=False):
    return membership_add(
        unit=unit, full_name=name, birth_year=1970, role=role, start_date=EARLY, party_member=party
    )


@pytest.fixture
def teams(area_tree):
    """Two teams of commune A: "Tổ 1" (heads: An) and "Tổ 2" (head: Bình), and Chi
    seated in both."""
    commune = area_tree["commune"]
    one = team_create_for_village(commune=commune, village_name="Tổ 1")
    two = team_create_for_village(commune=commune, village_name="Tổ 2")
    _seat(one, "Nguyễn Văn An", Role.HEAD, party=True)
    _seat(two, "Trần Văn Bình", Role.HEAD, party=True)
    chi = _seat(one, "Lê Thị Chi").person
    membership_add(unit=two, person=chi, start_date=EARLY)
    _seat(two, "Phạm Văn Dũng", Role.DEPUTY)
    return one, two


def _straight(area: Area, day: datetime.date) -> dict:
    """Blocs, teams and seats in force on ``day`` under ``area``, counted row by row."""
    units = [
        u
        for u in Unit.objects.filter(area_path__startswith=area.path)
        if (u.decision_date is None or u.decision_date <= day)
        and (u.dissolved_on is None or u.dissolved_on > day)
    ]
    ids = {u.pk for u in units}
    seats = [
        m
        for m in Membership.objects.filter(unit_id__in=ids)
        if (m.start_date is None or m.start_date <= day)
        and (m.end_date is None or m.end_date >= day)
    ]
    return {
        "blocs": sum(1 for u in units if u.kind == "bloc"),
        "teams": sum(1 for u in units if u.kind != "bloc"),
        "villages_with_team": len({u.area_id for u in units if u.kind != "bloc"}),
        "team_members": sum(1 for m in seats if m.unit.kind != "bloc"),
        "people": len({m.person_id for m in seats}),
    }


def _stats(area: Area, day: datetime.date) -> dict:
    figures = area_stats(Place(area.edition, area), day)
    return {
        key: figures[key]
        for key in ("blocs", "teams", "villages_with_team", "team_members", "people")
    }


def test_merge_two_villages_into_a_new_one(teams):
    """Two villages merge into "Tổ 12": the old teams are dissolved on the day, their
    seats end the day before with the reason; one new team seats the union (Chi once),
    nobody heads it since the heads disagreed, and lineage links old to new."""
    one, two = teams
    reorg = village_merge(villages=[one.area, two.area], name="Tổ 12", effective_on=DAY)

    merged = Area.objects.get(parent=one.area.parent, name="Tổ 12")
    assert merged.valid_from == DAY
    for old in (one.area, two.area):
        old.refresh_from_db()
        assert old.valid_until == BEFORE
    for team in (one, two):
        team.refresh_from_db()
        assert (team.status, team.dissolved_on) == (UnitStatus.DISSOLVED, DAY)
        assert not team.memberships.filter(end_date__isnull=True).exists()
        assert set(team.memberships.values_list("end_date", "end_reason")) == {
            (BEFORE, REASON_VILLAGE_MERGE)
        }
    new = Unit.objects.get(area=merged, status=UnitStatus.ACTIVE)
    assert new.decision_date == DAY
    seats = {m.person.full_name: m.role for m in new.memberships.select_related("person")}
    assert seats == {
        "Nguyễn Văn An": Role.MEMBER,
        "Trần Văn Bình": Role.MEMBER,
        "Lê Thị Chi": Role.MEMBER,
        "Phạm Văn Dũng": Role.DEPUTY,
    }
    assert set(new.memberships.values_list("start_date", flat=True)) == {DAY}
    assert set(UnitLineage.objects.filter(successor=new).values_list("predecessor", flat=True)) == {
        one.pk,
        two.pk,
    }
    assert (
        Succession.objects.filter(
            batch_id=reorg.batch_id, successor=merged, level=Level.VILLAGE
        ).count()
        == 2
    )
    warning = str(WARNING_HEADS_DISAGREE).format(
        unit=new.name, names="Nguyễn Văn An, Trần Văn Bình"
    )
    assert warning in reorg.details["warnings"]


def test_merge_keeps_the_village_that_bears_the_name(teams):
    """Merging "Tổ 2" into "Tổ 1": Tổ 1 continues (no new village), Tổ 2 ends; Tổ 1's
    old team ends and a new team starts on the same village."""
    one, two = teams
    village_merge(villages=[one.area, two.area], name="tổ 1", effective_on=DAY)
    one.area.refresh_from_db()
    two.area.refresh_from_db()
    assert one.area.valid_until is None
    assert two.area.valid_until == BEFORE
    assert Area.objects.filter(parent=one.area.parent, level=Level.VILLAGE).count() == 2
    active = Unit.objects.get(area=one.area, status=UnitStatus.ACTIVE)
    assert active.pk != one.pk
    assert active.memberships.count() == 4


def test_merge_writes_audit_rows_in_one_batch(teams):
    """Every row the merge writes carries the reorganisation's batch id and reason."""
    one, two = teams
    reorg = village_merge(villages=[one.area, two.area], name="Tổ 12", effective_on=DAY)
    ended = Membership.history.filter(batch_id=reorg.batch_id, end_date=BEFORE)
    assert ended.count() == 5
    assert set(ended.values_list("history_change_reason", flat=True)) == {REASON_VILLAGE_MERGE}
    assert Membership.history.filter(batch_id=reorg.batch_id, start_date=DAY).count() == 4
    assert Unit.history.filter(batch_id=reorg.batch_id).count() == 3
    assert Area.history.filter(batch_id=reorg.batch_id).count() == 3


def test_counts_stay_exact_before_and_after_a_merge(teams):
    """The statistics of the commune equal a straight count the day before and on the
    day of the merge, and a year before."""
    one, two = teams
    commune = one.area.parent
    village_merge(villages=[one.area, two.area], name="Tổ 12", effective_on=DAY)
    for day in (EARLY, BEFORE, DAY, datetime.date(2026, 12, 1)):
        assert _stats(commune, day) == _straight(commune, day), day
    assert _stats(commune, BEFORE)["team_members"] == 5
    assert _stats(commune, DAY)["team_members"] == 4
    assert _stats(commune, BEFORE)["teams"] == 2
    assert _stats(commune, DAY)["teams"] == 1


def test_villages_count_and_list_only_while_they_exist(teams):
    """After a merge the commune counts and lists the merged village from its day,
    the two it replaced until the day before (the map's own villages otherwise count
    whatever the date)."""
    one, two = teams
    commune = one.area.parent
    village_merge(villages=[one.area, two.area], name="Tổ 12", effective_on=DAY)
    before = area_stats(Place(commune.edition, commune), BEFORE)
    after = area_stats(Place(commune.edition, commune), DAY)
    assert before["villages"] - after["villages"] == 1
    names = {day: {c["name"] for c in f["children"]} for day, f in ((BEFORE, before), (DAY, after))}
    assert {"Tổ 1", "Tổ 2"} <= names[BEFORE] and "Tổ 12" not in names[BEFORE]
    assert "Tổ 12" in names[DAY] and not {"Tổ 1", "Tổ 2"} & names[DAY]
    # After the legacy map's end, its villages still count as they stood on 30/06/2025.
    late = area_stats(Place(commune.edition, commune), datetime.date(2026, 12, 1))
    assert late["villages"] == after["villages"]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("one", ERROR_MERGE_TWO),
        ("communes", ERROR_MERGE_ONE_COMMUNE),
        ("future", ERROR_DATE_FUTURE),
    ],
)
def test_merge_refusals(teams, area_tree, case, message):
    """Bad merges are refused with a Vietnamese message and nothing changes."""
    one, two = teams
    other, _created = village_get_or_create(commune=area_tree["sibling_commune"], name="Tổ 9")
    villages, day = [one.area, two.area], DAY
    if case == "one":
        villages = [one.area]
    elif case == "communes":
        villages = [one.area, other]
    else:
        day = datetime.date(2999, 1, 1)
    with pytest.raises(ValidationError) as caught:
        village_merge(villages=villages, name="Tổ 12", effective_on=day)
    assert str(message) in str(caught.value)
    assert not Reorganisation.objects.exists()
    assert Membership.objects.filter(end_date__isnull=True).count() == 5


def test_merge_refuses_a_name_of_another_village(teams, area_tree):
    """The merged village cannot take the name of a third village of the commune."""
    one, two = teams
    village_get_or_create(commune=area_tree["commune"], name="Tổ 3")
    with pytest.raises(ValidationError) as caught:
        village_merge(villages=[one.area, two.area], name="Tổ 3", effective_on=DAY)
    expected = ERROR_NAME_TAKEN.format(commune=area_tree["commune"].name, village="Tổ 3")
    assert str(expected) in str(caught.value)


def test_merge_refuses_a_seat_that_starts_after_the_day(teams):
    """A seat that starts on or after the merge day cannot end the day before."""
    one, two = teams
    late = membership_add(unit=one, full_name="Võ Văn Em", birth_year=1990, start_date=DAY)
    with pytest.raises(ValidationError) as caught:
        village_merge(villages=[one.area, two.area], name="Tổ 12", effective_on=DAY)
    expected = ERROR_SEAT_STARTS_LATER.format(
        person=late.person, unit=one, start="01/03/2026", date="28/02/2026"
    )
    assert str(expected) in str(caught.value)
    assert not Reorganisation.objects.exists()


def test_rename_keeps_the_village_and_its_team(teams):
    """A rename changes the name in place, renames a team named after the village, and
    keeps the old name and the date on the reorganisation."""
    one, _two = teams
    reorg = village_rename(village=one.area, name="Tổ dân phố Hòa Bình", effective_on=DAY)
    one.refresh_from_db()
    one.area.refresh_from_db()
    assert one.area.name == "Tổ dân phố Hòa Bình"
    assert one.area.type_word == "tổ dân phố"
    assert one.name == "Tổ dân vận Tổ dân phố Hòa Bình"
    assert one.status == UnitStatus.ACTIVE
    assert reorg.details == {"old_name": "Tổ 1", "name": "Tổ dân phố Hòa Bình"}
    assert reorg.effective_on == DAY
    assert Area.history.filter(batch_id=reorg.batch_id, name="Tổ dân phố Hòa Bình").exists()


def test_rename_refuses_a_taken_name(teams):
    one, _two = teams
    with pytest.raises(ValidationError) as caught:
        village_rename(village=one.area, name="Tổ 2", effective_on=DAY)
    assert str(ERROR_NAME_TAKEN.format(commune=one.area.parent.name, village="Tổ 2")) in str(
        caught.value
    )


def test_move_village_to_another_commune(teams, area_tree):
    """Tổ 1 moves to the sibling commune: a new Tổ 1 there from the day, the old one
    ends the day before, its team continues with the same members and roles; the
    counts of both communes are exact before and after."""
    one, _two = teams
    target = area_tree["sibling_commune"]
    source = area_tree["commune"]
    reorg = village_move(village=one.area, commune=target, effective_on=DAY)
    moved = Area.objects.get(parent=target, name="Tổ 1")
    assert moved.valid_from == DAY
    new = Unit.objects.get(area=moved, status=UnitStatus.ACTIVE)
    roles = {m.person.full_name: m.role for m in new.memberships.select_related("person")}
    assert roles == {"Nguyễn Văn An": Role.HEAD, "Lê Thị Chi": Role.MEMBER}
    assert UnitLineage.objects.get(successor=new).predecessor_id == one.pk
    assert set(Membership.objects.filter(unit=one).values_list("end_date", "end_reason")) == {
        (BEFORE, REASON_VILLAGE_MOVE)
    }
    assert Succession.objects.get(batch_id=reorg.batch_id).successor == moved
    for area in (source, target, area_tree["district"]):
        for day in (BEFORE, DAY):
            assert _stats(area, day) == _straight(area, day), (area, day)
    assert _stats(target, BEFORE)["teams"] == 0
    assert _stats(target, DAY)["teams"] == 1


def test_move_refuses_another_province(teams, area_tree):
    one, _two = teams
    with pytest.raises(ValidationError) as caught:
        village_move(village=one.area, commune=area_tree["far_commune"], effective_on=DAY)
    assert str(ERROR_MOVE_OTHER_PROVINCE) in str(caught.value)


def test_move_refuses_a_name_taken_in_the_target(teams, area_tree):
    one, _two = teams
    target = area_tree["sibling_commune"]
    village_get_or_create(commune=target, name="Tổ 1")
    with pytest.raises(ValidationError) as caught:
        village_move(village=one.area, commune=target, effective_on=DAY)
    assert str(ERROR_NAME_TAKEN.format(commune=target.name, village="Tổ 1")) in str(caught.value)
    assert not Reorganisation.objects.exists()
