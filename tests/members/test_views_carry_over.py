"""The carry-over wizard over HTTP: who may use it (provincial staff of the successor
province, system administrators; not another province's staff), preview with a village
reassigned, apply, the new rosters, undo."""

import pytest
from django.urls import reverse

from tests.factories import AreaFactory, make_staff
from tests.members.carry_world import build_carry_world
from units.choices import Edition, Level, UnitStatus
from units.models import Area, Reorganisation, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_carry_world()


@pytest.fixture
def successor_client(client, world):
    client.force_login(make_staff("province_staff", areas=[world.successor]))
    return client


def test_other_province_staff_gets_404(client, world):
    other = AreaFactory(edition=Edition.V2025, level=Level.PROVINCE, code="24", name="Tỉnh Khác")
    client.force_login(make_staff("province_staff", areas=[other]))
    assert "Tỉnh Bắc Kạn" not in client.get(reverse("members:carry_over_list")).content.decode()
    url = reverse("members:carry_over_preview", args=["06"])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not Reorganisation.objects.exists()


def test_commune_officer_of_the_successor_gets_404(client, world):
    client.force_login(make_staff("commune_officer", areas=[world.x]))
    assert client.get(reverse("members:carry_over_preview", args=["06"])).status_code == 404


def test_preview_apply_undo(successor_client, world):
    """Preview, send the split commune's village to Y, apply, see the rosters, undo."""
    url = reverse("members:carry_over_preview", args=["06"])
    body = successor_client.get(url).content.decode()
    assert "Phường X" in body and "Thôn 1 (A)" in body
    field = f"thon-{world.team_split.area_id}"
    body = successor_client.get(url, {field: world.y.pk}).content.decode()
    assert f'name="{field}" value="{world.y.pk}"' in body
    response = successor_client.post(url, {field: world.y.pk})
    batch = Reorganisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("members:carry_over_batch", args=[batch.pk])
    village = Area.objects.get(parent=world.y, name="Thôn Nà")
    team = Unit.objects.get(area=village, status=UnitStatus.ACTIVE)
    page = successor_client.get(response["Location"]).content.decode()
    assert reverse("members:unit_detail", args=[team.pk]) in page
    undo = successor_client.post(reverse("members:carry_over_undo", args=[batch.pk]))
    assert undo.status_code == 302
    assert not Area.objects.filter(parent=world.y).exists()
    batch.refresh_from_db()
    assert batch.undone_at is not None


def test_apply_with_errors_writes_nothing(successor_client, world):
    from units.services import unit_create

    unit_create(kind="bloc", area=world.x)
    url = reverse("members:carry_over_preview", args=["06"])
    response = successor_client.post(url)
    assert response.status_code == 200
    assert "đã có Khối dân vận trên địa bàn mới" in response.content.decode()
    assert not Reorganisation.objects.exists()
