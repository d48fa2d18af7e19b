"""People across the 2025 border (docs/REORGANISATION.md, "People across the border"):
staff of a 2025 province see, seat and merge the people of the legacy provinces merged
into it; the identity rule matches across the border; history pages show both sides.
Who may do what is a table, in the style of tests/permissions.py."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.access import scope_of
from members.imports import roster_import
from members.models import Membership, Person
from members.services import ERROR_MERGE_PROVINCE, membership_add, person_merge
from tests.factories import make_staff
from tests.members.conftest import xlsx_bytes
from units import selectors
from units.models import Area
from units.services import unit_create

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def world(load_province):
    """Legacy Bắc Kạn (06) and Điện Biên (11), 2025 Thái Nguyên (19) and Điện Biên (11);
    a person recorded in legacy Bắc Kạn with a seat of 2023 there; a 2025 Thái Nguyên bloc
    in the commune that succeeded the legacy one."""
    for edition, code in (("legacy", "06"), ("legacy", "11"), ("2025", "19"), ("2025", "11")):
        load_province(edition, code)
    legacy_commune = Area.objects.get(edition="legacy", code="01834")
    new_commune = selectors.default_successor(legacy_commune)
    old_bloc = unit_create(kind="bloc", area=legacy_commune, decision_date=D(2020, 1, 1))
    seat = membership_add(
        unit=old_bloc,
        full_name="Hoàng Thị Biên",
        birth_year=1978,
        phone="0912000111",
        start_date=D(2023, 3, 1),
    )
    new_bloc = unit_create(kind="bloc", area=new_commune, decision_date=D(2025, 7, 1))
    far_legacy = Area.objects.get(edition="legacy", code="03160")  # Xã Nà Hỳ, Điện Biên
    far_bloc = unit_create(kind="bloc", area=far_legacy, decision_date=D(2020, 1, 1))
    stranger = membership_add(
        unit=far_bloc, full_name="Hoàng Thị Biên", birth_year=1978, start_date=D(2023, 1, 1)
    ).person
    actors = {
        "province_2025": make_staff(
            "province_staff", [Area.objects.get(edition="2025", code="19")]
        ),
        "other_province_2025": make_staff(
            "province_staff", [Area.objects.get(edition="2025", code="11")]
        ),
        "commune_2025": make_staff("commune_officer", [new_commune]),
        "province_legacy": make_staff(
            "province_staff", [Area.objects.get(edition="legacy", code="06")]
        ),
        "admin": make_staff(),
    }
    return {
        "person": seat.person,
        "old_bloc": old_bloc,
        "new_bloc": new_bloc,
        "new_commune": new_commune,
        "stranger": stranger,
        "actors": actors,
    }


#: actor -> (sees the legacy person's page, may seat them in the 2025 bloc)
MATRIX = {
    "province_2025": (200, True),
    "other_province_2025": (404, False),
    "commune_2025": (404, False),
    "province_legacy": (200, False),
    "admin": (200, True),
}


@pytest.mark.parametrize("actor", sorted(MATRIX))
def test_who_sees_the_legacy_person(world, client, actor):
    status, _seat = MATRIX[actor]
    client.force_login(world["actors"][actor])
    response = client.get(reverse("members:person_detail", args=[world["person"].pk]))
    assert response.status_code == status


@pytest.mark.parametrize("actor", sorted(MATRIX))
def test_who_may_seat_the_legacy_person_in_a_2025_unit(world, client, actor):
    """Seating needs to see the person and the unit: the 2025 province's staff do."""
    _status, allowed = MATRIX[actor]
    user = world["actors"][actor]
    sees_person = scope_of(user).covers(world["person"].province.path)
    sees_unit = scope_of(user).covers(world["new_bloc"].area_path)
    assert (sees_person and sees_unit) == allowed


def test_the_identity_rule_matches_across_the_border(world):
    """The 2025 bloc's roster names the person recorded in legacy Bắc Kạn: the same
    record is seated (its province becomes 2025 Thái Nguyên); the namesake recorded in
    Điện Biên is not that person."""
    person = world["person"]
    seat = membership_add(
        unit=world["new_bloc"],
        full_name="Hoàng Thị Biên",
        birth_year=1978,
        acting_user=world["actors"]["province_2025"],
        start_date=D(2025, 7, 1),
    )
    assert seat.person_id == person.pk
    person.refresh_from_db()
    assert person.province.code == "19" and person.province.edition == "2025"
    assert Person.objects.filter(full_name="Hoàng Thị Biên").count() == 2
    # The history page shows both sides of the border.
    assert {m.unit_id for m in Membership.objects.filter(person=person)} == {
        world["old_bloc"].pk,
        world["new_bloc"].pk,
    }


def test_the_history_page_shows_both_sides(world, client):
    person = world["person"]
    membership_add(unit=world["new_bloc"], person=person, start_date=D(2025, 7, 1))
    client.force_login(world["actors"]["province_2025"])
    page = client.get(reverse("members:person_detail", args=[person.pk])).content.decode()
    assert world["old_bloc"].name in page
    assert world["new_bloc"].name in page


def test_merge_across_the_border_keeps_the_2025_province(world, client):
    """A second record made in 2025 Thái Nguyên folds into the legacy one (or the other
    way round): one record, of the 2025 province; a record of unrelated Điện Biên is
    refused."""
    twin = membership_add(
        unit=world["new_bloc"], full_name="Hoàng T. Biên", birth_year=1978, start_date=D(2025, 7, 1)
    ).person
    client.force_login(world["actors"]["province_2025"])
    url = reverse("members:person_merge", args=[world["person"].pk])
    page = client.get(url, {"q": "Biên"}).content.decode()
    assert "Hoàng T. Biên" in page  # offered as a duplicate across the border
    response = client.post(url, {"duplicate": twin.pk})
    assert response.status_code == 302
    person = Person.objects.get(pk=world["person"].pk)
    assert person.province.edition == "2025"
    assert person.memberships.count() == 2
    assert not Person.objects.filter(pk=twin.pk).exists()
    with pytest.raises(ValidationError) as error:
        person_merge(keep=person, duplicate=world["stranger"])
    assert str(ERROR_MERGE_PROVINCE) in error.value.messages


def test_an_import_recognises_the_legacy_person(world):
    commune = world["new_commune"]
    row = {
        "Mã xã": commune.code,
        "Xã": commune.name,
        "Thôn/Tổ dân phố": "",
        "Đơn vị": "Khối dân vận",
        "Họ và tên": "Hoàng Thị Biên",
        "Giới tính": "Nữ",
        "Năm sinh": 1978,
        "Ngày tham gia": "01/07/2025",
    }
    plan = roster_import(
        xlsx_bytes([row]),
        filename="tn.xlsx",
        edition="2025",
        acting_user=world["actors"]["province_2025"],
    )
    assert plan.written and plan.created == 1, plan.errors
    assert Person.objects.filter(full_name="Hoàng Thị Biên").count() == 2
    person = Person.objects.get(pk=world["person"].pk)
    assert person.province.edition == "2025"
    assert person.memberships.filter(unit=world["new_bloc"]).exists()
