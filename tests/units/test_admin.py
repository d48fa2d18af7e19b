import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AreaFactory, UserFactory
from units.choices import Level

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_admin_search_ignores_diacritics(admin_client, area_tree):
    """Searching "dak lak"-style folded words finds the accented names."""
    response = admin_client.get(reverse("admin:units_area_changelist"), {"q": "NAM PO"})
    assert response.status_code == 200
    assert [a.name for a in response.context["cl"].result_list] == ["Huyện Nậm Pồ"]


def test_admin_filters_by_edition_and_level_and_shows_the_chain(admin_client, area_tree):
    """The level filter narrows the list; each row shows its parent chain."""
    response = admin_client.get(
        reverse("admin:units_area_changelist"), {"level__exact": Level.COMMUNE}
    )
    names = {a.name for a in response.context["cl"].result_list}
    assert names == {
        "Phường Nguyễn Thị Minh Khai",
        "Phường Sông Cầu",
        "Xã Bằng Thành",
        "Xã Nà Hỳ",
    }
    assert "Thành phố Bắc Kạn › Tỉnh Bắc Kạn" in response.content.decode()
    response = admin_client.get(reverse("admin:units_area_changelist"), {"edition__exact": "2025"})
    assert list(response.context["cl"].result_list) == []


def test_admin_changelist_query_count_does_not_grow_with_rows(admin_client, area_tree):
    """Adding villages adds no queries to the change list (parents are joined)."""
    url = reverse("admin:units_area_changelist")
    with CaptureQueriesContext(connection) as before:
        admin_client.get(url)
    for n in range(5):
        AreaFactory(level=Level.VILLAGE, name=f"Thôn {n}", parent=area_tree["commune_b"])
    with CaptureQueriesContext(connection) as after:
        admin_client.get(url)
    assert len(after) == len(before)


def test_admin_change_page_shows_the_chain(admin_client, area_tree):
    """The change form of a village shows where it belongs."""
    village = area_tree["village"]
    response = admin_client.get(reverse("admin:units_area_change", args=[village.pk]))
    assert response.status_code == 200
    assert "Phường Nguyễn Thị Minh Khai › Thành phố Bắc Kạn › Tỉnh Bắc Kạn" in (
        response.content.decode()
    )
