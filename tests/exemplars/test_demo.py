"""Demo models: valid by the model's rules, every step of the cycle present, the same
for the same seed, never doubled."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from evaluations.demo import units_for_ratings
from exemplars.demo import exemplars_generate
from exemplars.models import Exemplar

pytestmark = pytest.mark.django_db


def _snapshot():
    return list(
        Exemplar.objects.order_by("pk").values_list(
            "area_id", "title", "status", "registered_on", "decision_date", "decision_number"
        )
    )


def test_demo_models_are_valid_deterministic_and_never_doubled():
    call_command("generate_demo", "--scale", "small", "--edition", "legacy", verbosity=0)
    today = timezone.localdate()
    assert Exemplar.objects.count() > 5
    first = _snapshot()
    for exemplar in Exemplar.objects.select_related("area"):
        exemplar.full_clean(exclude=["recorded_by"])
    statuses = set(Exemplar.objects.values_list("status", flat=True))
    assert {"recognised", "implementing"} <= statuses
    again = exemplars_generate(units=units_for_ratings("legacy"), today=today, seed=2025)
    assert again.exemplars == 0
    Exemplar.objects.all().delete()
    exemplars_generate(units=units_for_ratings("legacy"), today=today, seed=2025)
    assert [r[1:] for r in _snapshot()] == [r[1:] for r in first]
