"""The village reorganisation pages: who gets in (two actors), what each form writes
through the services, and service errors shown on the form with nothing written."""

import datetime

import pytest
from django.urls import reverse

from members.choices import Role
from members.reorganise import ERROR_MERGE_TWO, ERROR_NAME_TAKEN
from members.services import membership_add
from tests.factories import make_staff
from units.choices import Level, UnitStatus
from units.models import Area, Reorganisation, Unit
from units.services import team_create_for_village

DAY = "01/03/2026"


@pytest.fixture
def villages(area_tree):
    commune = area_tree["commune"]
    one = team_create_for_village(commune=commune, village_name="Tổ 1")
    two = team_create_for_village(commune=commune, village_name="Tổ 2")
    for team, name in ((one, "Nguyễn Văn An"), (two, "Trần Văn Bình")):
        membership_add(
            unit=team, full_name=name, birth_year=1970, role=Role.HEAD,
            start_date=datetime.date(2025, 1, 1),
        )  # fmt: skip
    return one.area, two.area


@pytest.fixture
def province_client(client, area_tree):
    client.force_login(make_staff("province_staff", areas=[area_tree["province"]]))
    return client


@pytest.fixture
def other_client(client, area_tree):
    client.force_login(make_staff("province_staff", areas=[area_tree["other_province"]]))
    return client


def test_page_lists_villages_in_force(province_client, villages, area_tree):
    """The commune's page lists its villages with rename and move links."""
    url = reverse("members:village_reorganise", args=[area_tree["commune"].pk])
    response = province_client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tổ 1" in body and "Tổ 2" in body
    assert reverse("members:village_rename", args=[villages[0].pk]) in body


def test_staff_of_another_province_gets_404(other_client, villages, area_tree):
    """A commune or village outside the account's areas answers 404, and nothing is written."""
    commune = area_tree["commune"]
    assert (
        other_client.get(reverse("members:village_reorganise", args=[commune.pk])).status_code
        == 404
    )
    response = other_client.post(
        reverse("members:village_rename", args=[villages[0].pk]),
        {"name": "Tổ mới", "effective_on": DAY},
    )
    assert response.status_code == 404
    assert not Reorganisation.objects.exists()


def test_merge_through_the_page(province_client, villages, area_tree):
    """Posting the merge form merges; the heads' disagreement shows as a warning."""
    commune = area_tree["commune"]
    url = reverse("members:village_reorganise", args=[commune.pk])
    response = province_client.post(
        url,
        {"villages": [v.pk for v in villages], "name": "Tổ 12", "effective_on": DAY},
        follow=True,
    )
    assert response.status_code == 200
    merged = Area.objects.get(parent=commune, level=Level.VILLAGE, name="Tổ 12")
    assert Unit.objects.get(area=merged, status=UnitStatus.ACTIVE).memberships.count() == 2
    body = response.content.decode()
    assert "Nguyễn Văn An, Trần Văn Bình" in body
    # The merged villages are no longer offered.
    assert "Tổ 12" in body


def test_merge_form_shows_service_error(province_client, villages, area_tree):
    """One village only: the service's message is on the page, nothing written."""
    url = reverse("members:village_reorganise", args=[area_tree["commune"].pk])
    response = province_client.post(
        url, {"villages": [villages[0].pk], "name": "Tổ 12", "effective_on": DAY}
    )
    assert response.status_code == 200
    assert str(ERROR_MERGE_TWO) in response.content.decode()
    assert not Reorganisation.objects.exists()


def test_rename_through_the_page(province_client, villages):
    url = reverse("members:village_rename", args=[villages[0].pk])
    response = province_client.post(url, {"name": "Tổ 2", "effective_on": DAY})
    expected = ERROR_NAME_TAKEN.format(commune=villages[0].parent.name, village="Tổ 2")
    assert str(expected) in response.content.decode()
    response = province_client.post(url, {"name": "Tổ Hòa Bình", "effective_on": DAY})
    assert response.status_code == 302
    villages[0].refresh_from_db()
    assert villages[0].name == "Tổ Hòa Bình"


def test_move_through_the_page(province_client, villages, area_tree):
    """The move form offers the communes of the same province only."""
    url = reverse("members:village_move", args=[villages[0].pk])
    body = province_client.get(url).content.decode()
    assert area_tree["sibling_commune"].name in body
    assert area_tree["far_commune"].name not in body
    response = province_client.post(
        url, {"commune": area_tree["sibling_commune"].pk, "effective_on": DAY}
    )
    assert response.status_code == 302
    moved = Area.objects.get(parent=area_tree["sibling_commune"], name="Tổ 1")
    assert Unit.objects.get(area=moved, status=UnitStatus.ACTIVE).memberships.count() == 1
