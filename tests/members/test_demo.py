"""generate_demo and its roster generator (members/demo/)."""

import io
import math
import random
import re
import unicodedata
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from danvan.management.commands.generate_demo import NOTHING_ADDED
from members.choices import ETHNIC_GROUPS, KINH, Gender, Role
from members.demo import (
    ERROR_PROVINCE_NATIONAL,
    demo_scope,
    person_name,
    rosters_generate,
)
from members.health import ROSTER_SIZE
from members.models import Membership, Person
from members.validation import parse_phone
from tests.factories import AreaFactory
from units.choices import TEAM_KINDS, Edition, Level, UnitKind
from units.models import Area, Unit
from units.services import unit_create

pytestmark = pytest.mark.django_db


def _commune(parent, code, name, type_word="xã"):
    return AreaFactory(
        level=Level.COMMUNE, code=code, name=name, type_word=type_word, parent=parent
    )


@pytest.fixture
def demo_areas(db):
    """Two legacy provinces (a northern mountain one and a Central Highlands one) with a
    district each and a few communes, one of them a ward; no villages yet."""
    bac_kan = AreaFactory(level=Level.PROVINCE, code="06", name="Tỉnh Bắc Kạn")
    dak_lak = AreaFactory(level=Level.PROVINCE, code="66", name="Tỉnh Đắk Lắk")
    pac_nam = AreaFactory(level=Level.DISTRICT, code="061", name="Huyện Pác Nặm", parent=bac_kan)
    town = AreaFactory(level=Level.DISTRICT, code="058", name="Thành phố Bắc Kạn", parent=bac_kan)
    buon_don = AreaFactory(level=Level.DISTRICT, code="648", name="Huyện Buôn Đôn", parent=dak_lak)
    communes = [
        _commune(town, "01834", "Phường Nguyễn Thị Minh Khai", "phường"),
        _commune(pac_nam, "01849", "Xã Bằng Thành"),
        _commune(pac_nam, "01852", "Xã Nhạn Môn"),
        _commune(pac_nam, "01855", "Xã Cổ Linh"),
        _commune(buon_don, "24262", "Xã Krông Na"),
        _commune(buon_don, "24265", "Xã Ea Huar"),
        _commune(buon_don, "24268", "Xã Ea Wer"),
    ]
    return {"bac_kan": bac_kan, "dak_lak": dak_lak, "communes": communes}


def _run(*args, **options):
    out = io.StringIO()
    call_command("generate_demo", *args, stdout=out, **options)
    return out.getvalue().strip().splitlines()


def _active_counts(kinds):
    return dict(
        Unit.objects.filter(kind__in=kinds)
        .annotate(n=Count("memberships", filter=Q(memberships__end_date__isnull=True)))
        .values_list("pk", "n")
    )


def test_small_scale_fills_every_commune_and_village_with_a_sound_roster(demo_areas):
    """Every commune gets one active bloc of 7-13, every village (4-8 created per
    commune) one active team of 7-10; one head per unit, team heads in the Party;
    phones, ethnicities and names valid; some people sit in two units."""
    lines = _run("--scale", "small")
    communes = demo_areas["communes"]

    blocs = Unit.objects.active().filter(kind=UnitKind.BLOC)
    assert sorted(blocs.values_list("area_id", flat=True)) == sorted(c.pk for c in communes)
    villages = Area.objects.filter(level=Level.VILLAGE)
    for commune in communes:
        assert 4 <= villages.filter(parent=commune).count() <= 8
    teams = Unit.objects.active().filter(kind__in=TEAM_KINDS)
    assert sorted(teams.values_list("area_id", flat=True)) == sorted(
        villages.values_list("pk", flat=True)
    )

    low, high = ROSTER_SIZE["bloc"]
    assert all(low <= n <= high for n in _active_counts([UnitKind.BLOC]).values())
    low, high = ROSTER_SIZE["team"]
    assert all(low <= n <= high for n in _active_counts(TEAM_KINDS).values())

    heads = Membership.objects.filter(end_date__isnull=True, role=Role.HEAD)
    assert sorted(heads.values_list("unit_id", flat=True)) == sorted(
        Unit.objects.values_list("pk", flat=True)
    )
    assert not heads.filter(unit__kind__in=TEAM_KINDS, person__party_member=False).exists()
    deputies = Counter(
        Membership.objects.filter(end_date__isnull=True, role=Role.DEPUTY).values_list(
            "unit_id", flat=True
        )
    )
    assert all(1 <= deputies[pk] <= 2 for pk in Unit.objects.values_list("pk", flat=True))

    people = list(Person.objects.all())
    assert all(parse_phone(p.phone) == p.phone and len(p.phone) == 10 for p in people)
    assert all(p.ethnicity in ETHNIC_GROUPS for p in people)
    assert all(unicodedata.is_normalized("NFC", p.full_name) for p in people)
    assert all(1955 <= p.birth_year <= 2000 for p in people)
    assert all(unicodedata.is_normalized("NFC", v.name) for v in villages)
    assert len({p.phone for p in people}) == len(people)

    in_two = Person.objects.annotate(n=Count("memberships")).filter(n__gte=2)
    assert in_two.exists()
    ended = Membership.objects.filter(end_date__isnull=False)
    assert ended.exists()
    assert all(m.end_reason and m.end_date >= m.start_date for m in ended)
    assert Unit.objects.exclude(decision_number__regex=r"^\d+-QĐ/ĐU$").count() == 0

    assert lines[-1].startswith("scale=small edition=legacy provinces=2 communes=7 ")
    assert f"blocs={len(communes)} " in lines[-1]


def test_rosters_follow_the_region(demo_areas):
    """Bắc Kạn's people are mostly of the northern minorities; Đắk Lắk has Ê-đê people
    and buôn; the ward gets tổ dân phố."""
    _run("--scale", "small")
    bac_kan = Person.objects.filter(province=demo_areas["bac_kan"])
    assert bac_kan.exclude(ethnicity=KINH).count() > bac_kan.count() / 2
    assert bac_kan.filter(ethnicity="Tày").exists()
    dak_lak = Person.objects.filter(province=demo_areas["dak_lak"])
    assert dak_lak.filter(ethnicity="Ê-đê").exists()
    ward = demo_areas["communes"][0]
    assert set(Area.objects.filter(parent=ward).values_list("type_word", flat=True)) == {
        "tổ dân phố"
    }
    women = Person.objects.filter(gender=Gender.FEMALE).count() / Person.objects.count()
    party = Person.objects.filter(party_member=True).count() / Person.objects.count()
    assert 0.15 < women < 0.45
    assert 0.4 < party < 0.8


def _snapshot():
    return sorted(
        Membership.objects.values_list(
            "unit__name",
            "unit__decision_number",
            "person__full_name",
            "person__birth_year",
            "person__phone",
            "person__position",
            "role",
            "start_date",
            "end_date",
        )
    )


def _delete_demo():
    from evaluations.models import Evaluation
    from work.models import Activity, Opinion

    Evaluation.objects.all().delete()  # the demo's ratings protect their units
    Activity.objects.all().delete()  # and so do its activities and opinions
    Opinion.objects.all().delete()
    Membership.objects.all().delete()
    Person.objects.all().delete()
    Unit.objects.all().delete()
    Area.objects.filter(level=Level.VILLAGE).delete()


def test_same_seed_gives_the_same_data_and_another_seed_other_data(demo_areas):
    """Deterministic with --seed."""
    _run("--scale", "small", "--seed", "7")
    first = _snapshot()
    _delete_demo()
    _run("--scale", "small", "--seed", "7")
    assert _snapshot() == first
    _delete_demo()
    _run("--scale", "small", "--seed", "8")
    assert _snapshot() != first


def test_second_run_adds_nothing_and_existing_units_are_kept(demo_areas):
    """Running twice tops up: the second run creates nothing and says so; a commune that
    already had a bloc keeps it and gets no second one."""
    commune = demo_areas["communes"][1]
    own_bloc = unit_create(kind=UnitKind.BLOC, area=commune, decision_number="1-QĐ/ĐU")
    _run("--scale", "small")
    assert list(Unit.objects.active().filter(area=commune)) == [own_bloc]
    assert not own_bloc.memberships.exists()
    counts = (Unit.objects.count(), Membership.objects.count(), Person.objects.count())

    lines = _run("--scale", "small")
    assert lines[0] == NOTHING_ADDED
    assert "villages=0 blocs=0 teams=0 memberships=0 people=0" in lines[-1]
    assert (Unit.objects.count(), Membership.objects.count(), Person.objects.count()) == counts


def test_top_up_fills_villages_that_have_no_team(demo_areas):
    """A village created by staff gets a team; the commune gets no invented villages."""
    commune = demo_areas["communes"][2]
    village = AreaFactory(level=Level.VILLAGE, name="Thôn Nà Mực", parent=commune)
    _run("--scale", "small")
    assert list(Area.objects.filter(parent=commune)) == [village]
    assert Unit.objects.active().filter(area=village, kind__in=TEAM_KINDS).count() == 1


def test_without_divisions_the_needed_provinces_are_loaded(db):
    """With no divisions loaded, the small scale loads its two provinces itself."""
    lines = _run("--scale", "small", "--edition", "legacy")
    provinces = Area.objects.filter(edition=Edition.LEGACY, level=Level.PROVINCE)
    assert sorted(provinces.values_list("code", flat=True)) == ["06", "66"]
    assert Unit.objects.filter(kind=UnitKind.BLOC).count() == 12
    assert "blocs=12 " in lines[-1]


def test_province_option_is_refused_at_national_scale(demo_areas):
    """National covers every province: --province makes no sense there."""
    with pytest.raises(CommandError, match=re.escape(ERROR_PROVINCE_NATIONAL)):
        _run("--scale", "national", "--province", "06")


def test_province_scale_covers_every_commune_of_one_province(demo_areas):
    """--scale province --province 66: every commune of Đắk Lắk, nothing elsewhere."""
    _run("--scale", "province", "--province", "66")
    assert Unit.objects.filter(kind=UnitKind.BLOC).count() == 3
    assert not Person.objects.exclude(province=demo_areas["dak_lak"]).exists()


def test_default_edition_is_2025_when_both_are_loaded(demo_areas):
    """With both editions loaded, the demo goes to 2025 (CONTRACTS section 1)."""
    province = AreaFactory(
        level=Level.PROVINCE, code="19", name="Tỉnh Thái Nguyên", edition=Edition.V2025
    )
    _commune(province, "05500", "Xã Thần Sa")
    scope = demo_scope(scale="small", seed=1)
    assert scope.edition == Edition.V2025
    assert [p for p, _c in scope.provinces] == [province]


@pytest.mark.parametrize("ethnicity", ETHNIC_GROUPS)
def test_every_group_gets_a_plausible_name(ethnicity):
    """Names of every naming custom are NFC, two to six words, and differ by gender."""
    rng = random.Random(ethnicity)
    for gender in (Gender.MALE, Gender.FEMALE):
        for born in (1960, 1995):
            for south in (False, True):
                name = person_name(rng, ethnicity=ethnicity, gender=gender, born=born, south=south)
                assert unicodedata.is_normalized("NFC", name)
                assert 2 <= len(name.split()) <= 6, name


def _inserts(counts, batch):
    """INSERTs per table and batch, twice: each table's rows and their audit-trail rows
    (portal.audit.bulk_create writes the history table in the same batches)."""
    rows = [counts.villages, counts.blocs + counts.teams, counts.people, counts.memberships]
    return 2 * sum(math.ceil(n / batch) for n in rows)


def test_queries_do_not_grow_with_the_number_of_rows(demo_areas):
    """The national building block: for 1 commune or 4, a fixed handful of reads plus
    one INSERT per table and batch, never a query per row."""
    batch = 50
    bac_kan, dak_lak = demo_areas["bac_kan"], demo_areas["dak_lak"]
    with CaptureQueriesContext(connection) as few:
        small = rosters_generate(
            province=dak_lak,
            scale="small",
            communes=demo_areas["communes"][4:5],
            batch_size=batch,
        )
    with CaptureQueriesContext(connection) as more:
        large = rosters_generate(
            province=bac_kan, scale="province", communes=None, batch_size=batch
        )
    assert large.memberships > 3 * small.memberships
    fixed_few = len(few) - _inserts(small, batch)
    fixed_more = len(more) - _inserts(large, batch)
    # communes (only when not given), active units, villages; a savepoint pair in tests;
    # legacy units: their place on the 2025 map (units.models.units_map_2025, one UPDATE)
    assert fixed_few <= 6
    assert fixed_more == fixed_few + 1


@pytest.fixture
def reform_areas(db):
    """Legacy Bắc Kạn (06) with five communes and 2025 Thái Nguyên (19) with four:
    A1 and A2 merged into Phường X, B1 and B2 into Xã Y, C alone into Xã Z; Xã W has no
    legacy predecessor here."""
    from tests.members.carry_world import _legacy, _link, _new

    legacy = _legacy(Level.PROVINCE, "06", "Tỉnh Bắc Kạn")
    district = _legacy(Level.DISTRICT, "061", "Huyện Pác Nặm", legacy)
    old = {
        name: _legacy(Level.COMMUNE, f"018{i}0", f"Xã {name}", district)
        for i, name in enumerate(["A1", "A2", "B1", "B2", "C"])
    }
    province = _new(Level.PROVINCE, "19", "Tỉnh Thái Nguyên")
    new = {
        "X": _new(Level.COMMUNE, "05500", "Phường X", province),
        "Y": _new(Level.COMMUNE, "05503", "Xã Y", province),
        "Z": _new(Level.COMMUNE, "05506", "Xã Z", province),
        "W": _new(Level.COMMUNE, "05509", "Xã W", province),
    }
    new["X"].type_word = "phường"
    new["X"].save()
    _link(Level.PROVINCE, legacy, province)
    for source, target in [("A1", "X"), ("A2", "X"), ("B1", "Y"), ("B2", "Y"), ("C", "Z")]:
        _link(Level.COMMUNE, old[source], new[target])
    return {"legacy": legacy, "province": province, "old": old, "new": new}


def test_a_province_with_history_across_the_reform(reform_areas):
    """Both editions loaded: the small demo fills legacy Bắc Kạn's merged communes,
    rates them for 2022–2024 only, carries them onto Thái Nguyên with the carry-over
    service (each receiving commune one bloc seating the union of its legacy blocs'
    seats, the teams in re-created villages), ends every legacy unit and seat on 30/06/2025, then
    fills the rest of the 2025 map; the 2025 province's statistics count units before
    and after the reform."""
    import datetime

    from evaluations.models import Evaluation
    from members.carry_over import REASON_CARRY_OVER
    from reports.stats import Place, area_stats
    from units.choices import LEGACY_VALID_UNTIL, V2025_VALID_FROM, UnitStatus

    lines = _run("--scale", "small")
    assert any(line.startswith("Lịch sử qua sắp xếp 2025: Tỉnh Bắc Kạn") for line in lines)
    legacy, new = reform_areas["legacy"], reform_areas["new"]
    old = reform_areas["old"]

    legacy_units = list(Unit.objects.under(legacy))
    assert {u.commune_id for u in legacy_units} == {old[n].pk for n in ("A1", "A2", "B1", "B2")}
    # in force up to 30/06/2025 (``dissolved_on`` is the first day without the unit)
    assert {(u.status, u.dissolved_on) for u in legacy_units} == {
        (UnitStatus.DISSOLVED, V2025_VALID_FROM)
    }
    legacy_seats = Membership.objects.filter(unit__in=legacy_units)
    assert not legacy_seats.filter(end_date__isnull=True).exists()
    assert not legacy_seats.filter(start_date__gt=LEGACY_VALID_UNTIL).exists()
    years = set(Evaluation.objects.filter(unit__in=legacy_units).values_list("year", flat=True))
    assert years == {2022, 2023, 2024}

    for target, sources in [("X", ("A1", "A2")), ("Y", ("B1", "B2"))]:
        [bloc] = Unit.objects.active().filter(area=new[target], kind=UnitKind.BLOC)
        carried = set(
            legacy_seats.filter(
                unit__kind=UnitKind.BLOC,
                unit__area__in=[old[s] for s in sources],
                end_date=LEGACY_VALID_UNTIL,
                end_reason=REASON_CARRY_OVER,
            ).values_list("person_id", flat=True)
        )
        seated = set(bloc.memberships.values_list("person_id", flat=True))
        assert seated == carried and len(carried) > 13  # two blocs' union
        assert bloc.decision_date == V2025_VALID_FROM
        legacy_teams = [u for u in legacy_units if u.kind in TEAM_KINDS and u.commune_id in {
            old[s].pk for s in sources}]  # fmt: skip
        teams = Unit.objects.active().filter(kind__in=TEAM_KINDS, area__parent=new[target])
        assert teams.count() == len(legacy_teams) > 0
    assert Unit.objects.active().filter(area=new["W"], kind=UnitKind.BLOC).count() == 1
    assert not Person.objects.filter(province=legacy).exists()
    rated_2025 = Evaluation.objects.filter(unit__area_path__startswith="2025/")
    assert rated_2025.exists() and not rated_2025.filter(year__lt=2025).exists()

    province = Place(reform_areas["province"].edition, reform_areas["province"])
    for day in (datetime.date(2024, 12, 31), datetime.date(2026, 12, 6)):
        figures = area_stats(province, day)
        assert figures["blocs"] > 0 and figures["team_members"] > 0, day

    counts = (
        Unit.objects.count(), Membership.objects.count(), Person.objects.count(),
        Evaluation.objects.count(), Area.objects.count(),
    )  # fmt: skip
    lines = _run("--scale", "small")
    assert lines[0] == NOTHING_ADDED
    assert (
        Unit.objects.count(), Membership.objects.count(), Person.objects.count(),
        Evaluation.objects.count(), Area.objects.count(),
    ) == counts  # fmt: skip
    from members.carry_over import carry_over_apply

    again = carry_over_apply(legacy_province=legacy)
    assert again.errors == [] and set(again.counts.values()) == {0}
    assert Membership.objects.count() == counts[1]


@pytest.mark.postgres
def test_the_planner_knows_the_demo_it_was_given(demo_areas):
    """On PostgreSQL the demo ends with ANALYZE: the planner's row counts are those
    written (without them a national count was planned as if the tables were empty)."""
    _run("--scale", "small")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'members_membership'::regclass")
        (planned,) = cursor.fetchone()
    assert planned == Membership.objects.count() > 0
