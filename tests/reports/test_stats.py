"""The statistics against a straight count done in Python, at every level."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Membership, Person
from members.services import membership_end, unit_dissolve
from reports import aggregates
from reports.stats import Place, area_stats, area_stats_cached
from tests.reports.conftest import demo_build
from tests.reports.test_stats_maps import reference as maps_reference
from units.choices import Edition, Level
from units.models import Area, Unit

pytestmark = pytest.mark.django_db

#: The legacy demo's units end with their areas on 30/06/2025: "today" is before then.
TODAY = datetime.date(2025, 5, 20)
AFTER_REFORM = datetime.date(2026, 4, 1)


def reference(place: Place, day) -> dict:
    """The same figures, counted one object at a time (the straight count of
    tests/reports/test_stats_maps.py, which places units on either map); the ratings
    are checked against their own count in tests/reports/test_pages.py."""
    figures = maps_reference(place, day)
    figures.pop("ratings")
    return figures


@pytest.fixture(scope="module")
def demo_teams(module_db, django_db_blocker):
    """The small demo (two provinces) with some history: ended seats, a dissolved team,
    a team founded after the day asked for; built once for the module
    (tests/reports/conftest.py, ``demo``)."""
    with django_db_blocker.unblock():
        return demo_build()


def _places(edition):
    """The installation and three areas with units at each level (province, district,
    commune)."""
    communes = list(
        Area.objects.filter(edition=edition, level=Level.COMMUNE, units__isnull=False)
        .distinct()
        .order_by("code")
    )
    districts = {c.parent for c in communes}
    provinces = {d.parent for d in districts}
    places = [Place(edition=edition)]
    for group in (provinces, districts, communes):
        ordered = sorted(group, key=lambda a: a.code or "")
        places += [Place(edition=edition, area=a) for a in ordered[:3]]
    return places


@pytest.mark.parametrize("day", [TODAY, datetime.date(2024, 10, 1), AFTER_REFORM])
def test_every_field_matches_a_straight_count_at_every_level(demo, day):
    """Installation, three provinces, three districts and three communes: every figure
    equals the one-by-one count, on "today", on a past date, and after the reform (when
    nothing is in force on the legacy map any more)."""
    places = _places(Edition.LEGACY)
    assert len(places) >= 8  # two demo provinces, three districts, three communes
    for place in places:
        stats = area_stats(place, day)
        expected = reference(place, day)
        got = {k: stats[k] for k in expected}
        assert got == expected, place.path
        if day < AFTER_REFORM:
            assert stats["blocs"] + stats["teams"] > 0
        else:
            assert stats["blocs"] + stats["teams"] + stats["people"] == 0


def test_query_count_is_bounded_at_every_level(demo):
    """At most 10 queries for any area, however much data lies under it."""
    for place in _places(Edition.LEGACY):
        with CaptureQueriesContext(connection) as queries:
            area_stats(place, TODAY)
        assert len(queries) <= 10, (place.path, len(queries))


def _assert_cached_exact(edition=Edition.LEGACY):
    """The country (a sum of cached province figures) and every province, through the
    cache, equal the straight count, field by field."""
    places = [Place(edition=edition)] + [
        Place(edition=edition, area=a)
        for a in Area.objects.filter(edition=edition, level=Level.PROVINCE).order_by("code")
    ]
    for place in places:
        got, expected = area_stats_cached(place, TODAY), area_stats(place, TODAY)
        for field in expected:
            assert got[field] == expected[field], (place.path, field)
        assert got == expected


def test_cache_is_exact_after_every_kind_of_change(demo):
    """The cached answers (the country summed from its provinces) follow an import-like
    bulk write, an edit, a membership end, a dissolution, a rating decision, criteria
    issued in one province only (a recent and an old year): after each, they equal a
    fresh straight count."""
    from accounts.choices import StaffRole
    from tests.factories import make_staff
    from tests.reports.conftest import criteria_issue, province_of, rate
    from units.signals import data_changed

    _assert_cached_exact()
    membership = Membership.objects.filter(
        end_date__isnull=True, start_date__lt=datetime.date(2025, 5, 19)
    ).first()
    membership_end(membership=membership, end_date=datetime.date(2025, 5, 19))
    _assert_cached_exact()
    person = Person.objects.filter(memberships__end_date__isnull=True).first()
    person.gender = "female" if person.gender != "female" else "male"
    person.save()
    _assert_cached_exact()
    unit_dissolve(unit=Unit.objects.filter(status="active", kind="team").first(),
                  dissolved_on=datetime.date(2025, 5, 1))  # fmt: skip
    _assert_cached_exact()
    Person.objects.filter(pk=person.pk).update(party_member=not person.party_member)
    data_changed.send(sender=Person, province_paths=[person.province.path])
    _assert_cached_exact()
    Membership.objects.filter(pk=membership.pk).update(end_date=None)
    data_changed.send(sender=Membership)  # provinces unknown: every one is stale
    _assert_cached_exact()
    admin = make_staff(StaffRole.SYSTEM_ADMIN, username="quantri-stats")
    unit = Unit.objects.filter(status="active").order_by("area_path").first()
    province = province_of(unit)
    # A year rated in one province only (criteria, then a decided rating), and criteria
    # of a year long before the cached window, in that province only.
    criteria_issue(admin=admin, province=province, year=2021)
    _assert_cached_exact()
    rate(unit, admin=admin, year=2021, stage="decided", level=2)
    _assert_cached_exact()
    criteria_issue(admin=admin, province=province, year=2012)
    _assert_cached_exact()


def test_an_edit_recomputes_only_its_province(demo, monkeypatch):
    """After an edit in province A, province B's cached figures are served as they are
    (no query but the versions) and the country recomputes only A's."""
    import reports.stats as stats_module

    provinces = [
        a
        for a in Area.objects.filter(edition=Edition.LEGACY, level=Level.PROVINCE).order_by("code")
        if Unit.objects.filter(area_path__startswith=a.path).exists()
    ]
    assert len(provinces) >= 2
    a, b = provinces[0], provinces[1]
    country = Place(edition=Edition.LEGACY)
    area_stats_cached(country, TODAY)
    area_stats_cached(Place(edition=Edition.LEGACY, area=b), TODAY)
    computed = []
    real = stats_module.provinces_stats
    monkeypatch.setattr(
        stats_module,
        "provinces_stats",
        lambda edition, provinces, day, **kw: (
            computed.append([p.path for p in provinces]) or real(edition, provinces, day, **kw)
        ),
    )
    person = Person.objects.filter(province=a, memberships__end_date__isnull=True).first()
    person.party_member = not person.party_member
    person.save()
    place_b = Place(edition=Edition.LEGACY, area=b)
    with CaptureQueriesContext(connection) as queries:
        served = area_stats_cached(place_b, TODAY)
    assert len(queries) == 1  # the versions: B's figures come from the cache
    assert computed == []
    assert served == area_stats(place_b, TODAY)
    assert area_stats_cached(country, TODAY) == area_stats(country, TODAY)
    # On PostgreSQL the country is read from the maintained aggregates, no province's.
    assert computed == ([] if aggregates.enabled() else [[a.path]])
    with CaptureQueriesContext(connection) as queries:
        area_stats_cached(country, TODAY)
    assert len(queries) == 1  # the versions; the country's sum itself is cached


def test_country_queries_are_bounded_whatever_is_cold(demo):
    """The country with nothing cached, with one province cold, and warm: a fixed number
    of queries whatever the number of provinces (cold provinces are computed together)."""
    from django.core.cache import cache

    country = Place(edition=Edition.LEGACY)
    cache.clear()
    # The statistics' log of the demo's writes folded first: the reader that finds it not
    # empty folds it, once (tests/reports/test_stats_aggregates.py).
    aggregates.compact()
    with CaptureQueriesContext(connection) as cold:
        area_stats_cached(country, TODAY)
    assert len(cold) <= 9, len(cold)  # versions, provinces, seven for the cold ones
    person = Person.objects.filter(memberships__end_date__isnull=True).first()
    person.save()
    with CaptureQueriesContext(connection) as one:
        area_stats_cached(country, TODAY)
    assert len(one) <= 9, len(one)
    with CaptureQueriesContext(connection) as warm:
        area_stats_cached(country, TODAY)
    assert len(warm) == 1


def test_api_contract(client, demo):
    """The JSON of CONTRACTS §3: area, date, figures, ratings, children in code order;
    404 with a JSON body for an unknown code; 400 for a bad date."""
    province = _places(Edition.LEGACY)[1].area
    response = client.get(reverse("reports:stats_api_area", args=[province.code]))
    assert response.status_code == 200
    body = response.json()
    assert body["area"] == {
        "code": province.code,
        "name": province.name,
        "level": "province",
        "edition": "legacy",
    }
    assert set(body) == {
        "area", "date", "communes", "communes_with_bloc", "villages", "villages_with_team",
        "blocs", "bloc_members", "teams", "team_members", "people", "women",
        "party_members", "ethnic_minority", "ratings", "children",
        "activities", "opinions", "models",
    }  # fmt: skip
    codes = [c["code"] for c in body["children"]]
    assert codes == sorted(codes) and body["children"][0]["level"] == "district"
    response = client.get(reverse("reports:stats_api_area", args=["99999"]))
    assert response.status_code == 404
    assert "99999" in response.json()["error"]
    assert client.get(reverse("reports:stats_api"), {"date": "21/11/2026"}).status_code == 400
    assert client.get(reverse("reports:stats_api"), {"edition": "x"}).status_code == 400
    whole = client.get(reverse("reports:stats_api"), {"edition": "legacy"}).json()
    assert whole["blocs"] == sum(c["blocs"] for c in whole["children"])


def test_api_never_returns_personal_data(client, demo):
    """No phone, birth year or name of a person anywhere in the answer."""
    person = Person.objects.exclude(phone="").first()
    body = client.get(reverse("reports:stats_api"), {"edition": "legacy"}).content.decode()
    assert person.phone not in body
    assert person.full_name not in body
