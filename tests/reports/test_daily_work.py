"""The daily work's fields of the statistics (CONTRACTS section 3: ``activities``,
``opinions``, ``models``) equal the straight counts of ``work.figures`` and
``exemplars.figures`` at every level and day, through the cache too (a province's
figures computed with others, the country as their sum), within the query budget."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exemplars.figures import exemplar_figures
from exemplars.models import Exemplar
from reports.stats import Place, area_stats, area_stats_cached
from tests.reports.conftest import TODAY
from tests.reports.test_stats import _places
from units.choices import Edition
from work.figures import opinion_counts
from work.models import Activity, Opinion

pytestmark = pytest.mark.django_db

DAYS = (TODAY, datetime.date(2025, 3, 1))


def _expected(path: str, day: datetime.date) -> dict:
    """Counted one record at a time."""
    activities: dict[str, int] = {}
    for activity in Activity.objects.filter(date__lte=day):
        if activity.area_path.startswith(path):
            year = str(activity.date.year)
            activities[year] = activities.get(year, 0) + 1
    models = [e for e in Exemplar.objects.all() if e.area_path.startswith(path)]
    return {
        "activities": dict(sorted(activities.items())),
        "opinions": opinion_counts(path=path, day=day),
        "models": {
            "registered": sum(e.registered_on <= day for e in models),
            "recognised": sum(e.is_public and e.decision_date <= day for e in models),
        },
    }


def _work(stats: dict) -> dict:
    return {field: stats[field] for field in ("activities", "opinions", "models")}


def test_the_demo_has_work_to_count(demo):
    assert Activity.objects.exists() and Opinion.objects.exists() and Exemplar.objects.exists()


@pytest.mark.parametrize("day", DAYS)
def test_daily_work_fields_equal_straight_counts_at_every_level(demo, day):
    for place in _places(Edition.LEGACY):
        assert _work(area_stats(place, day)) == _expected(place.path, day), place.path
    commune = _places(Edition.LEGACY)[-1]
    assert _work(area_stats(commune, day))["models"] == exemplar_figures(path=commune.path, day=day)


@pytest.mark.parametrize("day", DAYS)
def test_cached_provinces_and_the_country_sum_are_exact(demo, day):
    """Provinces computed together (``provinces_stats``) and the country as the sum of
    its provinces give the same daily-work figures as the straight count."""
    country = Place(edition=Edition.LEGACY)
    assert _work(area_stats_cached(country, day)) == _expected(country.path, day)
    for place in _places(Edition.LEGACY)[1:]:
        assert _work(area_stats_cached(place, day)) == _expected(place.path, day), place.path


def test_a_new_record_shows_at_once_and_the_budget_holds(
    client, demo, django_assert_max_num_queries
):
    """A model recognised through the services bumps its province's data version: the
    cached answer changes at once; the cold API answer stays within ten queries."""
    from django.core.cache import cache

    from exemplars import services

    place = _places(Edition.LEGACY)[-1]
    url = reverse("reports:stats_api_area", args=[place.area.code])
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        before = client.get(url, {"edition": "legacy", "date": TODAY.isoformat()}).json()
    assert len(cold) <= 10, len(cold)
    exemplar = services.exemplar_register(
        area=place.area,
        title="Mô hình mới",
        field="economy",
        owner_name="Khối dân vận xã",
        registered_on=datetime.date(2025, 1, 10),
        description="Cách làm mới",
    )
    after = client.get(url, {"edition": "legacy", "date": TODAY.isoformat()}).json()
    assert after["models"]["registered"] == before["models"]["registered"] + 1
    assert exemplar.area_path.startswith(place.path)


def test_the_public_page_shows_the_daily_work_table(client, demo):
    """/thong-ke/<code>/ prints the same figures in a table of its own (Vietnamese
    number format), and offers it as a download."""
    place = _places(Edition.LEGACY)[1]
    url = reverse("reports:stats_page_area", args=[place.area.code])
    html = client.get(url, {"edition": "legacy", "date": TODAY.isoformat()}).content.decode()
    stats = area_stats_cached(place, TODAY)
    assert 'id="hoat-dong"' in html
    assert "Ý kiến quá hạn chưa trả lời" in html
    assert f"{stats['opinions']['received']:,}".replace(",", ".") in html
    csv = client.get(url, {"edition": "legacy", "format": "csv", "table": "hoat-dong"})
    assert csv.status_code == 200
    assert "Mô hình “Dân vận khéo” được công nhận" in csv.content.decode("utf-8-sig")


def test_the_staff_dashboard_shows_the_queues_linked_to_their_lists(client, demo):
    """Provincial staff see the opinion queues of their province on the dashboard:
    overdue and hot spots counted as on the queue pages, each linked to its list."""
    from accounts.choices import StaffRole
    from tests.factories import make_staff
    from work.selectors import queue_counts

    province = _places(Edition.LEGACY)[1].area
    user = make_staff(StaffRole.PROVINCE_STAFF, [province], username="tinh-bang")
    client.force_login(user)
    response = client.get(reverse("reports:dashboard"))
    panel = response.context["panel"]
    counts = queue_counts(user=user, today=panel["today"])
    by_slug = {q["slug"]: q for q in panel["queues"]}
    assert by_slug["qua-han"]["count"] == counts["qua-han"]
    assert by_slug["diem-nong"]["count"] == counts["diem-nong"]
    html = response.content.decode()
    assert 'data-testid="work-panel"' in html
    assert reverse("work:opinion_queue", args=["qua-han"]) in html
    assert reverse("work:opinion_queue", args=["diem-nong"]) in html
