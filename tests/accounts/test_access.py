"""The scoping mechanism: every read that depends on the user goes through accounts.access."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.access import import_scope, scope_of, sync_role_groups
from accounts.choices import StaffRole
from accounts.selectors import areas_visible_to, communes_visible_to, units_visible_to
from members.selectors import memberships_visible_to, people_visible_to
from members.services import membership_add
from tests.factories import UserFactory, make_staff
from units.services import team_create_for_village, unit_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def rosters(area_tree):
    """A bloc in commune A, a team in commune A's village, a bloc in sibling commune B
    of the same district, and a bloc in another province; one member each."""
    bloc_a = unit_create(kind="bloc", area=area_tree["commune"])
    team_a = team_create_for_village(commune=area_tree["commune"], village_name="Tổ 1")
    bloc_b = unit_create(kind="bloc", area=area_tree["sibling_commune"])
    bloc_far = unit_create(kind="bloc", area=area_tree["far_commune"])
    for number, unit in enumerate((bloc_a, team_a, bloc_b, bloc_far)):
        membership_add(unit=unit, full_name=f"Người Số {number}", birth_year=1970 + number)
    return {"bloc_a": bloc_a, "team_a": team_a, "bloc_b": bloc_b, "bloc_far": bloc_far}


def test_commune_officer_sees_only_their_commune(area_tree, rosters):
    """Officer of commune A: A's bloc and team, not sibling commune B, not elsewhere."""
    officer = make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]])
    assert set(units_visible_to(officer)) == {rosters["bloc_a"], rosters["team_a"]}
    names = set(memberships_visible_to(officer).values_list("person__full_name", flat=True))
    assert names == {"Người Số 0", "Người Số 1"}
    assert set(people_visible_to(officer).values_list("full_name", flat=True)) == names
    assert list(communes_visible_to(officer)) == [area_tree["commune"]]


def test_sibling_commune_officer_sees_none_of_commune_a(area_tree, rosters):
    """The officer of commune B (same district) reaches B only."""
    officer_b = make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["sibling_commune"]])
    assert set(units_visible_to(officer_b)) == {rosters["bloc_b"]}
    assert not people_visible_to(officer_b).filter(full_name="Người Số 0").exists()


def test_district_and_province_staff_see_their_subtree(area_tree, rosters):
    """District staff see both communes of the district; provincial staff the whole
    province; neither sees the other province."""
    district = make_staff(StaffRole.DISTRICT_STAFF, [area_tree["district"]])
    assert set(units_visible_to(district)) == {
        rosters["bloc_a"],
        rosters["team_a"],
        rosters["bloc_b"],
    }
    province = make_staff(StaffRole.PROVINCE_STAFF, [area_tree["province"]])
    assert rosters["bloc_far"] not in set(units_visible_to(province))
    assert units_visible_to(province).count() == 3
    other = make_staff(StaffRole.PROVINCE_STAFF, [area_tree["other_province"]])
    assert set(units_visible_to(other)) == {rosters["bloc_far"]}


def test_a_person_seated_in_two_areas_is_seen_from_both(area_tree, rosters):
    """A district cadre seated in a team of another district (of the same province: a
    person sits only in units of the province they are recorded in) is visible to that
    team's commune officer and to the officer of their own commune."""
    person = rosters["bloc_a"].memberships.get().person
    far_team = team_create_for_village(commune=area_tree["commune_b"], village_name="Bản Mới")
    membership_add(unit=far_team, person=person)
    far_officer = make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune_b"]])
    assert people_visible_to(far_officer).filter(pk=person.pk).exists()
    # ... but not the seat in commune A.
    seats = memberships_visible_to(far_officer).filter(person=person)
    assert [m.unit for m in seats] == [far_team]


def test_public_news_editor_and_profileless_accounts_see_no_roster(area_tree, rosters):
    """No scope, nothing visible: anonymous visitors, news editors, staff flag alone,
    inactive accounts."""
    users = [
        AnonymousUser(),
        make_staff(StaffRole.NEWS_EDITOR),
        UserFactory(username="chi-co-co-staff", is_staff=True),
        make_staff(StaffRole.PROVINCE_STAFF, [area_tree["province"]], is_active=False),
    ]
    for user in users:
        assert units_visible_to(user).count() == 0
        assert memberships_visible_to(user).count() == 0
        assert people_visible_to(user).count() == 0
        assert areas_visible_to(user).count() == 0


def test_system_administrator_sees_everything(area_tree, rosters):
    admin = make_staff(StaffRole.SYSTEM_ADMIN)
    assert units_visible_to(admin).count() == 4
    assert scope_of(admin).everything


def test_scope_is_computed_once_per_user_object(area_tree, rosters):
    """The account's areas are read once; later scoped querysets add no query."""
    officer = make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]])
    with CaptureQueriesContext(connection) as queries:
        scope_of(officer)
        scope_of(officer)
        list(units_visible_to(officer))
    assert len(queries) == 2  # the areas, then the units


def test_nested_areas_collapse_to_the_outermost(area_tree):
    """A province and one of its communes: the commune adds nothing."""
    user = make_staff(StaffRole.PROVINCE_STAFF, [area_tree["province"], area_tree["commune"]])
    assert scope_of(user).paths == (area_tree["province"].path,)


def test_import_scope_accepts_own_communes_only(area_tree):
    """The import's row check: own commune yes, sibling no; administrators unrestricted."""
    officer = make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]])
    allowed = import_scope(officer)
    assert allowed(area_tree["commune"])
    assert not allowed(area_tree["sibling_commune"])
    assert import_scope(make_staff(StaffRole.SYSTEM_ADMIN)) is None
    assert import_scope(None) is None


def test_role_groups_carry_their_permissions():
    """Each role's group exists after migrate with its permissions; only provincial
    staff manage accounts."""
    sync_role_groups()
    province = make_staff(StaffRole.PROVINCE_STAFF)
    commune = make_staff(StaffRole.COMMUNE_OFFICER)
    editor = make_staff(StaffRole.NEWS_EDITOR)
    assert province.has_perm("accounts.manage_accounts")
    assert not commune.has_perm("accounts.manage_accounts")
    assert commune.has_perm("members.change_membership")
    assert not editor.has_perm("members.view_membership")
