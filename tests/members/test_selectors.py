"""Reads of the staff interface: who sees what, the roster health rules, the commune
overview and the searches."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.selectors import commune_search, communes_visible_to, units_visible_to
from members.health import (
    WARNING_BLOC_SIZE,
    WARNING_HEAD_NOT_PARTY,
    WARNING_MANY_HEADS,
    WARNING_NO_HEAD,
    WARNING_TEAM_SIZE,
    roster_health,
    unit_health,
    units_with_roster_counts,
)
from members.models import Membership
from members.selectors import (
    commune_overview,
    memberships_visible_to,
    merge_candidates,
    people_visible_to,
    unit_roster,
)
from members.services import membership_add, membership_end, unit_dissolve
from tests.factories import AreaFactory, UserFactory, make_staff
from units.choices import Edition, Level
from units.models import Unit
from units.services import team_create_for_village, unit_create, village_get_or_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_staff(username="canbo")


def _fill(unit, count, *, heads=1, head_party=True, prefix="Người"):
    """``count`` current members: ``heads`` heads first, the rest members."""
    for i in range(count):
        membership_add(
            unit=unit,
            full_name=f"{prefix} {i}",
            birth_year=1970 + i,
            role="head" if i < heads else "member",
            party_member=head_party if i < heads else False,
        )


def _current(unit):
    return list(
        Membership.objects.filter(unit=unit, end_date__isnull=True).select_related("person")
    )


# --- visibility -------------------------------------------------------------------------


def test_active_staff_see_everything_and_others_nothing(bloc, staff):
    """For now: every row for an active staff user; none for a non-staff user, an
    inactive staff user or an anonymous visitor (the next issue narrows by area)."""
    _fill(bloc, 2)
    assert units_visible_to(staff).count() == 1
    assert memberships_visible_to(staff).count() == 2
    assert people_visible_to(staff).count() == 2
    assert communes_visible_to(staff).count() == 4
    outsiders = (
        UserFactory(username="dan"),
        UserFactory(username="cu", is_staff=True, is_active=False),
        AnonymousUser(),
    )
    for user in outsiders:
        assert units_visible_to(user).count() == 0
        assert memberships_visible_to(user).count() == 0
        assert people_visible_to(user).count() == 0
        assert communes_visible_to(user).count() == 0


# --- roster health ----------------------------------------------------------------------


@pytest.mark.parametrize(("count", "warned"), [(6, True), (7, False), (13, False), (14, True)])
def test_bloc_size_must_be_7_to_13(bloc, count, warned):
    """Outside 7–13 current members a bloc gets the size warning, and only that one."""
    _fill(bloc, count)
    expected = [str(WARNING_BLOC_SIZE).format(count=count, low=7, high=13)] if warned else []
    assert roster_health(bloc, _current(bloc)) == expected


@pytest.mark.parametrize(("count", "warned"), [(6, True), (7, False), (10, False), (11, True)])
def test_team_size_must_be_7_to_10(team, count, warned):
    _fill(team, count)
    expected = [str(WARNING_TEAM_SIZE).format(count=count, low=7, high=10)] if warned else []
    assert roster_health(team, _current(team)) == expected


def test_exact_messages_for_heads():
    """The texts a commune officer reads."""
    assert str(WARNING_NO_HEAD).format(head="tổ trưởng") == "Chưa có tổ trưởng."
    assert (
        str(WARNING_MANY_HEADS).format(count=2, head="trưởng khối")
        == "Có 2 người giữ vai trò trưởng khối: chỉ nên có một."
    )
    assert str(WARNING_HEAD_NOT_PARTY) == (
        "Tổ trưởng chưa là đảng viên (tổ trưởng thường là Bí thư chi bộ)."
    )


def test_no_head_and_two_heads(bloc, team):
    """No head, or more than one: a warning naming the unit's word for its head."""
    _fill(bloc, 8, heads=0)
    assert roster_health(bloc, _current(bloc)) == ["Chưa có trưởng khối."]
    _fill(team, 8, heads=2)
    assert roster_health(team, _current(team)) == [
        "Có 2 người giữ vai trò tổ trưởng: chỉ nên có một."
    ]


def test_a_team_head_outside_the_party_is_warned_a_bloc_head_is_not(bloc, team):
    _fill(team, 8, head_party=False)
    assert roster_health(team, _current(team)) == [str(WARNING_HEAD_NOT_PARTY)]
    _fill(bloc, 8, head_party=False)
    assert roster_health(bloc, _current(bloc)) == []


def test_community_teams_follow_the_team_rules(area_tree):
    community = team_create_for_village(
        commune=area_tree["commune"], village_name="Bản Mới", kind="community_team"
    )
    _fill(community, 3, head_party=False)
    assert roster_health(community, _current(community)) == [
        str(WARNING_TEAM_SIZE).format(count=3, low=7, high=10),
        str(WARNING_HEAD_NOT_PARTY),
    ]


def test_counts_annotated_in_sql_give_the_same_warnings(bloc, team, area_tree):
    """``units_with_roster_counts`` + ``unit_health`` agree with ``roster_health`` on
    loaded rosters, ended seats left out, empty units included."""
    _fill(bloc, 5, heads=2)
    _fill(team, 9, head_party=False)
    ended = Membership.objects.filter(unit=team, role="member").first()
    membership_end(membership=ended, end_date=timezone.localdate())
    empty = unit_create(kind="bloc", area=area_tree["commune_b"])
    units = units_with_roster_counts(Unit.objects.all())
    for unit in units:
        assert unit_health(unit) == roster_health(unit, _current(unit)), unit
    by_pk = {u.pk: u for u in units}
    assert (by_pk[team.pk].active_count, by_pk[team.pk].heads_not_party) == (8, 1)
    assert (by_pk[empty.pk].active_count, by_pk[empty.pk].head_count) == (0, 0)


def test_a_dissolved_unit_has_no_warnings(team):
    unit_dissolve(unit=team, dissolved_on=timezone.localdate())
    assert roster_health(team, []) == []


# --- pages ------------------------------------------------------------------------------


def test_unit_roster_orders_heads_first_and_keeps_history_apart(team, staff):
    """Current: heads, deputies, members by name; past: latest departure first."""
    membership_add(unit=team, full_name="Vi Văn Út", role="member")
    membership_add(unit=team, full_name="Lương Thị Chín", role="deputy")
    membership_add(unit=team, full_name="Sầm Văn Ba", role="head", party_member=True)
    leaving = membership_add(unit=team, full_name="An Văn Ra", start_date=datetime.date(2024, 1, 1))
    membership_end(membership=leaving, end_date=datetime.date(2024, 5, 1))
    roster = unit_roster(user=staff, unit=team)
    names = [m.person.full_name for m in roster.current]
    assert names == ["Sầm Văn Ba", "Lương Thị Chín", "Vi Văn Út"]
    assert [m.person.full_name for m in roster.past] == ["An Văn Ra"]
    assert roster.warnings == [str(WARNING_TEAM_SIZE).format(count=3, low=7, high=10)]


def test_commune_overview_pairs_villages_with_teams(area_tree, staff, bloc, team):
    """The bloc, every village with its active team or none, dissolved units apart."""
    commune = area_tree["commune"]
    village_get_or_create(commune=commune, name="Tổ 10")
    village_get_or_create(commune=commune, name="Tổ 2")
    old = team_create_for_village(commune=commune, village_name="Tổ 2")
    unit_dissolve(unit=old, dissolved_on=timezone.localdate())
    overview = commune_overview(user=staff, commune=commune)
    assert overview.bloc == bloc
    assert [(row.village.name, row.team) for row in overview.villages] == [
        ("Tổ 1", team),
        ("Tổ 2", None),
        ("Tổ 10", None),
    ]
    assert [v.name for v in overview.villages_without_team] == ["Tổ 2", "Tổ 10"]
    assert overview.dissolved == [old]


def test_commune_search_by_name_or_code_in_both_editions(area_tree, staff):
    """Diacritics are optional; a 5-digit code matches exactly in either edition."""
    AreaFactory(
        level=Level.COMMUNE, code="01834", name="Phường Đức Xuân", edition=Edition.V2025,
        parent=AreaFactory(level=Level.PROVINCE, code="19", edition=Edition.V2025),
    )  # fmt: skip
    found = list(commune_search(user=staff, query="01834"))
    assert [(c.edition, c.name) for c in found] == [
        ("2025", "Phường Đức Xuân"),
        ("legacy", "Phường Nguyễn Thị Minh Khai"),
    ]
    assert [c.name for c in commune_search(user=staff, query="bang thanh")] == ["Xã Bằng Thành"]
    assert [c.name for c in commune_search(user=staff, query="1849")] == ["Xã Bằng Thành"]
    assert list(commune_search(user=staff, query="")) == []
    assert list(commune_search(user=UserFactory(username="dan"), query="bang thanh")) == []


def test_merge_candidates_stay_in_the_province(area_tree, staff, bloc):
    """Other records of the same province matching the name, never the person itself
    nor someone of another province."""
    person = membership_add(unit=bloc, full_name="Hà Văn Lực", birth_year=1970).person
    twin = membership_add(unit=bloc, full_name="Ha Van Luc", birth_year=1971).person
    far = unit_create(kind="bloc", area=area_tree["far_commune"])
    membership_add(unit=far, full_name="Hà Văn Lực", birth_year=1970)
    assert merge_candidates(user=staff, person=person, query="ha van luc") == [twin]
    assert merge_candidates(user=staff, person=person, query="") == []
