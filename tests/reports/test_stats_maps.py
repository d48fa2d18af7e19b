"""Statistics on either map at any date (CONTRACTS section 3, docs/REORGANISATION.md):
every field against a straight count, on the legacy and the 2025 map, at dates on both
sides of 01/07/2025, straight and through the cache.

The world: legacy Bắc Kạn (06) and legacy Thái Nguyên (19) with blocs, teams, seats and
ratings recorded before the reform (one team's village carried to a 2025 village of
another commune), and 2025 Thái Nguyên (19) with its own units from 01/07/2025 (one of
them with no founding date, which must not count before the reform)."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from evaluations.choices import LEVELS, Stage
from evaluations.models import CriteriaSet, Evaluation
from members.models import Membership
from members.services import membership_add, membership_end, unit_dissolve
from reports import aggregates
from reports.stats import CHILD_LEVEL, Place, area_stats, area_stats_cached
from tests.factories import make_staff
from tests.reports.conftest import criteria_issue, rate
from units import selectors
from units.choices import TEAM_KINDS, V2025_VALID_FROM, Edition, Level
from units.models import Area, Succession, Unit, units_map_2025
from units.services import divisions_load, team_create_for_village, unit_create

pytestmark = pytest.mark.django_db

D = datetime.date
DAYS = [D(2024, 12, 31), D(2025, 6, 30), D(2025, 7, 1), D(2026, 11, 21)]


def _seat(unit, n: int, start, **fields):
    for i in range(n):
        membership_add(
            unit=unit,
            full_name=f"{unit.name} người {i}",
            birth_year=1960 + i,
            gender="female" if i % 2 else "male",
            ethnicity="Tày" if i % 3 == 0 else "Kinh",
            party_member=i % 4 == 0,
            start_date=start,
            **fields,
        )


@pytest.fixture(scope="module")
def world(module_db, django_db_blocker):
    with django_db_blocker.unblock():
        divisions_load(edition=Edition.LEGACY, provinces=["06", "19"])
        divisions_load(edition=Edition.V2025, provinces=["19"])
        admin = make_staff(username="quantri-maps")
        legacy = Area.objects.filter(edition=Edition.LEGACY, level=Level.COMMUNE)
        # Two legacy communes that went into one 2025 commune, and one elsewhere.
        target = (
            Succession.objects.filter(level=Level.COMMUNE, successor__parent__code="19")
            .values("successor")
            .order_by()
            .annotate(n=Count("pk"))
            .filter(n__gte=2)
            .order_by("successor")
            .first()["successor"]
        )
        pair = list(legacy.filter(successions_out__successor=target).order_by("code")[:2])
        other = legacy.filter(path__startswith="legacy/06/")
        other = other.exclude(successions_out__successor=target).order_by("code").first()
        old = D(2021, 3, 1)
        blocs = [unit_create(kind="bloc", area=c, decision_date=old) for c in [*pair, other]]
        for n, bloc in zip((9, 7, 11), blocs, strict=True):
            _seat(bloc, n, D(2021, 4, 1))
        team = team_create_for_village(
            commune=pair[0], village_name="Thôn Nà Mò", decision_date=old
        )
        _seat(team, 6, D(2022, 1, 10))
        moved = team_create_for_village(
            commune=other, village_name="Thôn Khuổi Hát", decision_date=old
        )
        _seat(moved, 5, D(2022, 1, 10))
        gone = team_create_for_village(commune=pair[1], village_name="Tổ 4", decision_date=old)
        _seat(gone, 4, D(2022, 1, 10))
        unit_dissolve(unit=gone, dissolved_on=D(2024, 6, 1))
        membership_end(
            membership=blocs[0].memberships.order_by("pk").first(), end_date=D(2024, 12, 1)
        )
        # The village of ``moved`` was carried to a 2025 village of the pair's commune.
        new_commune = Area.objects.get(pk=target)
        village_2025 = Area.objects.create(
            edition=Edition.V2025, level=Level.VILLAGE, name="Thôn Khuổi Hát",
            short_name="Khuổi Hát", type_word="thôn", parent=new_commune,
            valid_from=new_commune.valid_from,
        )  # fmt: skip
        Succession.objects.create(
            level=Level.VILLAGE, predecessor=moved.area, successor=village_2025,
            effective_on=V2025_VALID_FROM, batch_id="00000000-0000-0000-0000-000000000001",
        )  # fmt: skip
        units_map_2025()
        # 2025 units: a bloc from 01/07/2025, and a team with no founding date.
        new_bloc = unit_create(kind="bloc", area=new_commune, decision_date=V2025_VALID_FROM)
        _seat(new_bloc, 10, V2025_VALID_FROM)
        new_team = Unit.objects.create(kind="team", area=village_2025)
        _seat(new_team, 8, D(2025, 8, 1))
        # Ratings: legacy 2024 (one decided, one proposed), 2025 map 2025.
        legacy_06 = Area.objects.get(edition=Edition.LEGACY, code="06")
        criteria_issue(admin=admin, province=legacy_06, year=2024)
        rate(blocs[2], admin=admin, year=2024, stage="decided", level=2)
        rate(moved, admin=admin, year=2024, stage="proposal")
        province = Area.objects.get(edition=Edition.V2025, code="19")
        criteria_issue(admin=admin, province=province, year=2025)
        rate(new_bloc, admin=admin, year=2025, stage="decided", level=1)
        return {"target": new_commune, "pair": pair, "other": other}


def _placed(unit: Unit, edition: str) -> str:
    """Where a unit stands on ``edition``'s map, computed in Python from the lineage."""
    if edition == Edition.LEGACY or unit.area.edition == Edition.V2025:
        return unit.area_path if unit.area.edition == edition else ""
    village = Succession.objects.filter(predecessor=unit.area, level=Level.VILLAGE).first()
    if village is not None:
        return village.successor.path
    return selectors.default_successor(unit.commune).path


def _in_force(unit: Unit, day) -> bool:
    area = unit.area
    return (
        (unit.decision_date is None or unit.decision_date <= day)
        and (unit.dissolved_on is None or unit.dissolved_on > day)
        and (area.valid_from is None or area.valid_from <= day)
        and (area.valid_until is None or area.valid_until >= day)
    )


def _seat_active(m, day) -> bool:
    return (m.start_date is None or m.start_date <= day) and (
        m.end_date is None or m.end_date >= day
    )


def reference(place: Place, day) -> dict:
    """Every field, counted one object at a time."""
    path, edition = place.path, place.edition
    areas = [a for a in Area.objects.filter(edition=edition) if a.path.startswith(path)]
    placed = {u.pk: _placed(u, edition) for u in Unit.objects.select_related("area", "commune")}
    every = {u.pk: u for u in Unit.objects.select_related("area")}
    units = [u for pk, u in every.items() if placed[pk].startswith(path) and _in_force(u, day)]
    in_force = {u.pk: u for u in units}
    members = [
        m
        for m in Membership.objects.select_related("person")
        if m.unit_id in in_force and _seat_active(m, day)
    ]
    people = {m.person_id: m.person for m in members}
    blocs = [u for u in units if u.kind == "bloc"]
    teams = [u for u in units if u.kind in TEAM_KINDS]
    commune_of = (lambda u: u.commune_id) if edition == Edition.LEGACY else (
        lambda u: placed[u.pk][:14]
    )  # fmt: skip
    figures = {
        "communes": sum(a.level == Level.COMMUNE for a in areas),
        "communes_with_bloc": len({commune_of(u) for u in blocs}),
        "villages": sum(a.level == Level.VILLAGE for a in areas),
        "villages_with_team": len({u.area_id for u in teams}),
        "blocs": len(blocs),
        "bloc_members": sum(in_force[m.unit_id].kind == "bloc" for m in members),
        "teams": len(teams),
        "team_members": sum(in_force[m.unit_id].kind in TEAM_KINDS for m in members),
        "people": len(people),
        "women": sum(p.gender == "female" for p in people.values()),
        "party_members": sum(p.party_member for p in people.values()),
        "ethnic_minority": sum(p.ethnicity not in ("", "Kinh") for p in people.values()),
    }
    # Ratings: the years rated under the place or with criteria of its province(s).
    evaluations = [e for e in Evaluation.objects.all() if placed[e.unit_id].startswith(path)]
    provinces = {path[: len(f"{edition}/") + 3]} if place.area else {
        a.path for a in Area.objects.filter(edition=edition, level=Level.PROVINCE)
    }  # fmt: skip
    years = {e.year for e in evaluations} | {
        s.year
        for s in CriteriaSet.objects.filter(issued=True).select_related("province")
        if s.province.path in provinces
    }
    ratings = {}
    for year in sorted(years):
        decided = [e for e in evaluations if e.year == year and e.stage == Stage.DECIDED]
        row = {str(lv): sum(e.decided_level == lv for e in decided) for lv in LEVELS}
        ref = min(D(year, 12, 31), day)
        rated = {e.unit_id for e in decided}
        row["unrated"] = sum(
            1
            for pk, u in every.items()
            if placed[pk].startswith(path) and _in_force(u, ref) and pk not in rated
        )
        ratings[str(year)] = row
    figures["ratings"] = ratings
    child_level = CHILD_LEVEL.get((edition, place.level))
    children = []
    for child in sorted(
        (a for a in areas if a.level == child_level and a != place.area),
        key=lambda a: (a.code or "", a.name),
    ):
        inside = [u for u in units if placed[u.pk].startswith(child.path)]
        seats = [m for m in members if placed[m.unit_id].startswith(child.path)]
        children.append(
            {
                "code": child.code,
                "name": child.name,
                "level": child.level,
                "blocs": sum(u.kind == "bloc" for u in inside),
                "bloc_members": sum(in_force[m.unit_id].kind == "bloc" for m in seats),
                "teams": sum(u.kind in TEAM_KINDS for u in inside),
                "team_members": sum(in_force[m.unit_id].kind in TEAM_KINDS for m in seats),
            }
        )
    figures["children"] = children
    return figures


def _places(world, edition):
    if edition == Edition.V2025:
        areas = [Area.objects.get(edition=edition, code="19"), world["target"]]
    else:
        areas = [
            Area.objects.get(edition=edition, code="06"),
            world["pair"][0].parent,
            world["pair"][0],
            world["other"],
        ]
    return [Place(edition=edition), *(Place(edition=edition, area=a) for a in areas)]


@pytest.mark.parametrize("edition", [Edition.V2025, Edition.LEGACY])
@pytest.mark.parametrize("day", DAYS)
def test_every_field_equals_a_straight_count_on_both_maps(world, edition, day):
    for place in _places(world, edition):
        expected = reference(place, day)
        stats = area_stats(place, day)
        assert {k: stats[k] for k in expected} == expected, (place.path, day)
        cached = area_stats_cached(place, day)
        assert cached == stats, (place.path, day)
        if aggregates.enabled():  # PostgreSQL: the maintained aggregates, uncached
            assert aggregates.aggregate_stats(place, day) == stats, (place.path, day)


def test_the_2025_map_before_the_reform_holds_the_legacy_units(world):
    """Today's Thái Nguyên on 30/06/2025 counts the legacy blocs of Bắc Kạn and Thái
    Nguyên on the new borders; on 01/07/2025 only its own units; the legacy map counts
    nothing from 01/07/2025."""
    province = Place(edition=Edition.V2025, area=Area.objects.get(edition="2025", code="19"))
    before = area_stats(province, D(2025, 6, 30))
    assert (before["blocs"], before["teams"]) == (3, 2)
    assert before["communes_with_bloc"] == 2  # the pair went into one 2025 commune
    after = area_stats(province, D(2025, 7, 1))
    assert (after["blocs"], after["bloc_members"], after["teams"]) == (1, 10, 1)
    legacy = area_stats(Place(edition=Edition.LEGACY), D(2025, 7, 1))
    assert legacy["blocs"] + legacy["teams"] + legacy["people"] == 0
    # The 2024 rating trend reads on the 2025 map as well.
    assert before["ratings"]["2024"]["2"] == 1


def test_a_legacy_write_refreshes_the_cached_2025_figures(world):
    province = Place(edition=Edition.V2025, area=Area.objects.get(edition="2025", code="19"))
    day = D(2025, 6, 30)
    first = area_stats_cached(province, day)
    bloc = Unit.objects.get(kind="bloc", area=world["other"])
    membership_add(unit=bloc, full_name="Người Mới Cũ", start_date=D(2025, 1, 2))
    again = area_stats_cached(province, day)
    assert again["bloc_members"] == first["bloc_members"] + 1
    assert again == area_stats(province, day)


def test_query_budget_on_the_2025_map(world):
    for place in _places(world, Edition.V2025):
        for day in (D(2025, 6, 30), D(2026, 11, 21)):
            with CaptureQueriesContext(connection) as queries:
                area_stats(place, day)
            assert len(queries) <= 10, (place.path, len(queries))
