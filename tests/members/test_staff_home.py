"""The staff home of a commune officer opens on their communes, and every staff page
says who is logged in."""

import datetime

import pytest
from django.urls import reverse

from members.health import WARNING_TEAM_SIZE
from members.services import membership_add
from tests.factories import make_staff
from units.choices import Level
from units.models import Area

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(area_tree):
    return make_staff(
        "commune_officer", areas=[area_tree["commune"]], username="can_bo_xa",
        last_name="Lò Văn", first_name="Sáng",
    )  # fmt: skip


def test_the_officer_home_opens_on_their_commune(client, officer, area_tree, team):
    commune = area_tree["commune"]
    for name in ("Tổ 2", "Tổ 3"):
        Area.objects.create(
            edition=commune.edition, level=Level.VILLAGE, parent=commune, name=name,
            short_name=name, type_word="tổ",
        )  # fmt: skip
    membership_add(
        unit=team, full_name="Đặng Văn Đức", birth_year=1980, role="head",
        party_member=True, start_date=datetime.date(2024, 3, 5),
    )  # fmt: skip
    client.force_login(officer)
    response = client.get(reverse("members:home"))
    html = response.content.decode()
    homes = response.context["home_communes"]
    assert [h.overview.commune for h in homes] == [commune]
    assert html.count('data-testid="commune-home"') == 1
    assert "Phường Nguyễn Thị Minh Khai" in html
    assert "3 thôn, tổ dân phố; 2 nơi chưa có tổ." in html
    # What waits: the bloc, the team's size, the two villages without a team.
    assert homes[0].waiting == 4
    assert "Lập Khối dân vận của xã" in html
    assert str(WARNING_TEAM_SIZE).format(count=1, low=7, high=10) in html
    assert "Lập Tổ dân vận cho 2 thôn, tổ dân phố chưa có tổ" in html
    assert f"{reverse('members:team_create', args=[commune.pk])}?thon=T%E1%BB%95%202" in html


def test_a_provincial_account_keeps_the_search_home(client, area_tree):
    client.force_login(make_staff("province_staff", areas=[area_tree["province"]]))
    response = client.get(reverse("members:home"))
    assert response.context["home_communes"] == []
    assert 'data-testid="commune-home"' not in response.content.decode()


def test_imports_waiting_for_confirmation_are_listed(client, officer, area_tree):
    from members.models_imports import ImportJob, ImportJobStatus

    ImportJob.objects.create(
        created_by=officer, filename="to-1.xlsx", data=b"x", status=ImportJobStatus.VALIDATED,
        created_count=3,
    )  # fmt: skip
    ImportJob.objects.create(
        created_by=officer, filename="loi.xlsx", data=b"x", status=ImportJobStatus.VALIDATED,
        error_count=2,
    )  # fmt: skip
    client.force_login(officer)
    response = client.get(reverse("members:home"))
    assert [j.filename for j in response.context["imports_waiting"]] == ["to-1.xlsx"]
    assert "3 dòng thêm mới hoặc cập nhật" in response.content.decode()


@pytest.mark.parametrize(
    "url", ["members:home", "members:membership_list", "members:import_upload"]
)
def test_every_staff_page_says_who_is_logged_in(client, officer, area_tree, url):
    client.force_login(officer)
    html = client.get(reverse(url)).content.decode()
    assert 'data-testid="site-user"' in html
    assert "Lò Văn Sáng" in html and "Cán bộ cấp xã" in html


def test_the_public_sees_no_identity_and_the_menu_folds_without_script(client, area_tree):
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="site-user"' not in html
    assert 'id="site-menu-toggle"' in html and 'for="site-menu-toggle"' in html


def _menu_links(html: str) -> set[str]:
    import re

    nav = html[html.index('id="site-nav"') : html.index("</nav>", html.index('id="site-nav"'))]
    return set(re.findall(r'<a href="([^"]+)"', nav))


def test_the_menu_offers_a_news_editor_no_roster_page(client, officer):
    """The news editor may open the admin (for the news) but not the rosters: the menu
    offers the news desk and the admin, never the roster pages that would answer 403."""
    roster_pages = {
        reverse(name)
        for name in ("members:home", "members:membership_list", "evaluations:overview",
                     "work:home", "exemplars:list")
    }  # fmt: skip
    client.force_login(make_staff("news_editor"))
    links = _menu_links(client.get(reverse("home")).content.decode())
    assert {reverse("news:desk"), reverse("admin:index")} <= links
    assert not links & roster_pages
    for url in roster_pages:
        assert client.get(url).status_code == 403
    client.force_login(officer)
    links = _menu_links(client.get(reverse("home")).content.decode())
    assert roster_pages | {reverse("admin:index")} <= links
