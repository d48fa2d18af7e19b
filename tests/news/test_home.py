"""The home page's latest news and headline figures (composed in danvan.views)."""

import datetime

import pytest
from django.utils import timezone

from members.services import membership_add

pytestmark = pytest.mark.django_db


def test_home_shows_the_five_latest_articles(client, area_tree, make_article):
    now = timezone.now()
    for number in range(7):
        make_article(f"Bản tin số {number}", when=now - datetime.timedelta(hours=10 - number))
    make_article("Bản nháp trang chủ", publish=False)
    body = client.get("/").content.decode()
    shown = [n for n in range(7) if f"Bản tin số {n}<" in body]
    assert shown == [2, 3, 4, 5, 6]
    assert body.index("Bản tin số 6") < body.index("Bản tin số 2")
    assert "Bản nháp trang chủ" not in body


def test_home_figures_are_the_api_figures(client, area_tree, bloc, team):
    """Blocs, teams, seats ("lượt") and people ("người") as /api/v1/stats/ counts them:
    one person in the bloc and a team is two seats but one person."""
    membership_add(unit=bloc, full_name="Hoàng Văn Thụ", birth_year=1972, role="head")
    person = bloc.memberships.get().person
    membership_add(unit=team, person=person, role="member")
    membership_add(unit=team, full_name="Lò Thị Hoa", birth_year=1980, role="head")
    api = client.get("/api/v1/stats/").json()
    response = client.get("/")
    headline = response.context["headline"]
    for key in ("blocs", "bloc_members", "teams", "team_members", "people"):
        assert headline[key] == api[key], key
    assert (api["bloc_members"], api["team_members"], api["people"]) == (1, 2, 2)
    body = response.content.decode()
    assert "Lượt thành viên khối" in body and "Số người tham gia" in body


def test_a_province_search_shows_its_results_only(client, area_tree, make_article):
    """Searching the provinces puts the results right under the form: no news, no
    figures in between."""
    make_article("Tin trang chủ")
    response = client.get("/", {"q": "bac kan"})
    assert "Tin trang chủ" not in response.content.decode()
    assert "headline" not in response.context
