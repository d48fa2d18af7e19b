"""Demo activities and opinions: believable, valid by the services' rules, with some
overdue opinions and a few hot spots, the same for the same seed, never doubled."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from evaluations.demo import units_for_ratings
from work.demo import work_generate
from work.figures import work_figures
from work.models import Activity, Opinion
from work.services import activity_problems

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        list(Activity.objects.order_by("pk").values_list("unit_id", "kind", "date", "place",
                                                          "people_reached", "description")),
        list(Opinion.objects.order_by("pk").values_list("unit_id", "received_on", "topic",
                                                         "status", "answered_on",
                                                         "citizen_name", "hot_spot_severity")),
    )  # fmt: skip


def test_demo_work_is_valid_deterministic_and_never_doubled():
    call_command("generate_demo", "--scale", "small", "--edition", "legacy", verbosity=0)
    today = timezone.localdate()
    assert Activity.objects.count() > 200 and Opinion.objects.count() > 40
    first = _snapshot()
    for activity in Activity.objects.select_related("unit__area"):
        assert activity_problems(activity) == {}, activity
    for opinion in Opinion.objects.select_related("unit__area"):
        opinion.full_clean(exclude=["unit", "recorded_by"])
    # Legacy units ended on 30/06/2025: their year of work is the year before.
    figures = work_figures(path="legacy/", day=today)
    assert figures["opinions"]["overdue"] > 0
    assert figures["hot_spots"] > 0
    assert figures["opinions"]["answered"] < figures["opinions"]["received"]
    assert set(Activity.objects.values_list("kind", flat=True)) >= {"propaganda", "work_days"}
    assert Opinion.objects.exclude(citizen_name="").exists()
    again = work_generate(units=units_for_ratings("legacy"), today=today, seed=2025)
    assert (again.activities, again.opinions) == (0, 0)
    Activity.objects.all().delete()
    Opinion.objects.all().delete()
    work_generate(units=units_for_ratings("legacy"), today=today, seed=2025)
    assert _snapshot()[0] == first[0]
    assert [r[1:] for r in _snapshot()[1]] == [r[1:] for r in first[1]]
