"""Past days are cached like today (same data versions), and one client cannot push the
API past its cache: distinct computations per client per minute are limited (429 JSON)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reports.models import bump_versions

pytestmark = pytest.mark.django_db


def test_a_past_day_is_computed_once_then_served_from_the_cache(client, demo):
    url = "/api/v1/stats/"
    first = client.get(url, {"date": "2024-12-31"})
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, {"date": "2024-12-31"})
    assert again.json() == first.json()
    assert len(queries) <= 2  # the data versions (and the editions' digest), no figures


def test_distinct_uncached_computations_are_limited_per_client(client, demo, settings):
    settings.DANVAN_STATS_UNCACHED_PER_MINUTE = 3
    url = "/api/v1/stats/"
    days = ["2024-01-01", "2024-02-01", "2024-03-01"]
    assert [client.get(url, {"date": d}).status_code for d in days] == [200, 200, 200]
    refused = client.get(url, {"date": "2024-04-01"})
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/json")
    assert refused.json()["status"] == 429
    assert refused["Retry-After"] == "60"
    # What is cached costs nothing: the days already computed are still answered.
    assert client.get(url, {"date": "2024-02-01"}).status_code == 200
    # Another client has its own budget.
    other = client.get(url, {"date": "2024-05-01"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_todays_figures_never_spend_the_budget_however_often_staff_edit(
    client, demo, settings, monkeypatch
):
    """Every edit makes today's figures stale (a new data version): a reader of today's
    figures is not the one forcing the computations, and is never refused; another day
    still spends the budget."""
    settings.DANVAN_STATS_UNCACHED_PER_MINUTE = 2
    today = datetime.date(2026, 12, 6)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)
    url = "/api/v1/stats/"
    answers = []
    for _ in range(4):
        bump_versions(None)  # what any roster edit does
        answers.append(client.get(url).status_code)
        answers.append(client.get(url, {"date": "2026-12-06"}).status_code)
    assert answers == [200] * 8
    days = ["2024-01-01", "2024-02-01", "2024-03-01"]
    assert [client.get(url, {"date": d}).status_code for d in days] == [200, 200, 429]
