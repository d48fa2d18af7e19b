"""The models' figures equal straight counts at any day and level: registered on or
before the day, recognised by a decision dated on or before it; by key for children;
the period summary for the periodic reports."""

import pytest

from exemplars import services
from exemplars.choices import PUBLIC_STATUSES
from exemplars.figures import (
    empty_figures,
    exemplar_figures,
    exemplar_figures_by_key,
    exemplar_summary,
)
from exemplars.models import Exemplar
from tests.exemplars.conftest import days_ago, recognise, register

pytestmark = pytest.mark.django_db


def _straight(path, day):
    rows = [e for e in Exemplar.objects.all() if e.area_path.startswith(path)]
    return {
        "registered": sum(e.registered_on <= day for e in rows),
        "recognised": sum(e.status in PUBLIC_STATUSES and e.decision_date <= day for e in rows),
    }


@pytest.fixture
def models(area_tree, officer, sibling_officer, other_province_staff):
    register(area_tree["commune"], officer, registered_on=days_ago(50))
    recognise(register(area_tree["commune"], officer, registered_on=days_ago(40)), officer)
    recognise(
        register(area_tree["sibling_commune"], sibling_officer, registered_on=days_ago(30)),
        sibling_officer,
        decision_date=days_ago(5),
    )
    typical = recognise(
        register(area_tree["far_commune"], other_province_staff, registered_on=days_ago(20)),
        other_province_staff,
    )
    services.exemplar_mark_typical(
        exemplar=typical, typical_on=days_ago(2), acting_user=other_province_staff
    )
    return area_tree


@pytest.mark.parametrize("ago", [60, 45, 35, 10, 3, 0])
def test_figures_equal_straight_counts_at_any_day_and_level(models, ago, django_assert_num_queries):
    day = days_ago(ago)
    for key in ("province", "district", "commune", "sibling_commune", "other_province"):
        path = models[key].path
        with django_assert_num_queries(1):
            figures = exemplar_figures(path=path, day=day)
        assert figures == _straight(path, day)
    assert exemplar_figures(path="legacy/", day=day) == _straight("legacy/", day)


def test_figures_by_key_group_the_children(models, django_assert_num_queries):
    district = models["district"]
    key_length = len(district.path) + 6
    with django_assert_num_queries(1):
        by_key = exemplar_figures_by_key(
            paths=district.path, key_length=key_length, day=days_ago(0)
        )
    for key in ("commune", "sibling_commune"):
        path = models[key].path
        assert by_key.get(path[:key_length], empty_figures()) == _straight(path, days_ago(0))


def test_the_period_summary_counts_by_field(models):
    """Registered in the period, recognised by a decision dated in it, by field."""
    summary = exemplar_summary(
        path=models["province"].path, date_from=days_ago(45), date_to=days_ago(10)
    )
    assert summary["registered"] == 2  # 40 and 30 days ago
    assert summary["recognised"] == 1  # the commune's, the day after day -40
    assert summary["by_field"]["economy"] == {"registered": 2, "recognised": 1}
    assert summary["total_recognised"] == 1
    assert summary == exemplar_summary(
        path=models["province"].path, date_from=days_ago(45), date_to=days_ago(10)
    )
