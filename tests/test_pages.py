import datetime
from unittest import mock

import pytest
from django.db import DatabaseError, connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.factories import AreaFactory
from units.choices import Edition, Level

pytestmark = pytest.mark.django_db


def test_home_shows_portal_name_and_provinces_with_commune_counts(client, area_tree, settings):
    """The home page names the portal and lists provinces with their commune counts."""
    response = client.get(reverse("home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert settings.DANVAN_PORTAL_NAME in body
    assert settings.DANVAN_ORGANIZATION_NAME in body
    provinces = list(response.context["provinces"])
    assert [(p.name, p.commune_count) for p in provinces] == [
        ("Tỉnh Bắc Kạn", 3),
        ("Tỉnh Điện Biên", 1),
    ]
    assert response["Content-Language"] == "vi"


def test_home_search_ignores_diacritics_and_finds_districts(client, area_tree):
    """ "bac kan" keeps only Bắc Kạn; "nam po" shows Huyện Nậm Pồ among matching areas."""
    response = client.get(reverse("home"), {"q": "bac kan"})
    assert [p.name for p in response.context["provinces"]] == ["Tỉnh Bắc Kạn"]
    response = client.get(reverse("home"), {"q": "nam po"})
    assert list(response.context["provinces"]) == []
    assert [a.name for a in response.context["areas"]] == ["Huyện Nậm Pồ"]
    assert "Huyện Nậm Pồ" in response.content.decode()


def test_home_defaults_to_2025_and_finds_legacy_provinces_too(client, area_tree):
    """With both editions loaded the list shows 2025; a legacy-only province is still
    found by search, under its own heading."""
    AreaFactory(level=Level.PROVINCE, code="19", name="Tỉnh Thái Nguyên", edition=Edition.V2025)
    response = client.get(reverse("home"))
    assert response.context["edition"] == Edition.V2025
    assert [p.name for p in response.context["provinces"]] == ["Tỉnh Thái Nguyên"]
    response = client.get(reverse("home"), {"q": "Bắc Kạn"})
    assert list(response.context["provinces"]) == []
    other = dict(response.context["other_provinces"])
    assert [p.name for p in other[Edition.LEGACY.label]] == ["Tỉnh Bắc Kạn"]
    response = client.get(reverse("home"), {"edition": "legacy", "q": "bac kan"})
    assert [p.name for p in response.context["provinces"]] == ["Tỉnh Bắc Kạn"]


def test_home_ignores_a_forged_edition_and_an_overlong_query(client, area_tree):
    """Unknown parameters fall back to defaults instead of failing."""
    response = client.get(reverse("home"), {"edition": "<script>", "q": "x" * 5000})
    assert response.status_code == 200
    assert response.context["edition"] == Edition.LEGACY
    assert len(response.context["query"]) == 100


def test_home_query_count_is_constant(client, area_tree):
    """More provinces do not mean more queries."""
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("home"), {"q": "a"})
    for code in ("20", "22", "24"):
        AreaFactory(level=Level.PROVINCE, code=code, name=f"Tỉnh Thử {code}")
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("home"), {"q": "a"})
    assert len(after) == len(before) <= 5


def test_home_without_divisions_explains_what_to_do(client):
    """An empty installation tells the administrator which command to run."""
    response = client.get(reverse("home"))
    assert "load_divisions" in response.content.decode()


def test_healthz_answers_200_when_the_database_answers(client):
    """/healthz: 200 with a JSON body."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_does_not(client):
    """A failing database turns /healthz into 503, not a 500 page."""
    with mock.patch.object(connection, "cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_vietnamese_is_the_default_even_for_english_browsers(client, area_tree):
    """Accept-Language does not switch the portal; the language cookie does."""
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Tỉnh, thành phố" in response.content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    response = client.get(reverse("home"))
    assert response["Content-Language"] == "en"
    assert "Provinces and cities" in response.content.decode()


def test_vietnamese_formats_for_numbers_and_dates():
    """1265 renders as "1.265" and dates as dd/mm/yyyy; typed dates are read day first."""
    from django import forms

    with translation.override("vi"):
        rendered = Template("{{ n }} {{ d|date:'SHORT_DATE_FORMAT' }}").render(
            Context({"n": 1265, "d": datetime.date(2026, 11, 21)})
        )
        assert rendered == "1.265 21/11/2026"
        field = forms.DateField()
        assert field.clean("05/03/2024") == datetime.date(2024, 3, 5)
        assert field.clean("25/03/2024") == datetime.date(2024, 3, 25)


def test_favicon_ico_leads_to_the_portals_icon(client):
    """Browsers ask for /favicon.ico where a page names no icon (a JSON answer, the
    admin): a permanent redirect to the icon the pages name, which the static files
    serve; no cookie, cached a day; a POST is refused."""
    from django.contrib.staticfiles import finders
    from django.templatetags.static import static

    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("img/favicon.svg")
    assert finders.find("img/favicon.svg")
    assert response["Cache-Control"] == "public, max-age=86400"
    assert not response.cookies
    assert client.head("/favicon.ico").status_code == 301
    assert client.post("/favicon.ico").status_code == 405
