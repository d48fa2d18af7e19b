"""Demo criteria and ratings."""

import datetime

import pytest
from django.core.management import call_command

from evaluations.choices import Stage
from evaluations.demo import demo_years, generate_ratings, units_for_ratings
from evaluations.models import CriteriaSet, Evaluation, EvaluationScore
from reports.stats import Place, area_stats

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 21)


def test_ratings_for_three_finished_years_and_the_year_in_progress():
    """Issued criteria per province, subject and year; every unit in force at the end of
    a finished year has a decided rating within the scale; the statistics count them;
    a second run adds nothing."""
    call_command("generate_demo", "--scale", "small", "--edition", "legacy", verbosity=0)
    Evaluation.objects.all().delete()  # generate_demo rated the units; start again
    result = generate_ratings(units=units_for_ratings("legacy"), today=TODAY)
    assert demo_years(TODAY) == [2023, 2024, 2025, 2026]
    assert CriteriaSet.objects.filter(issued=True).count() == 2 * 2 * 4  # provinces×subjects×years
    finished = Evaluation.objects.filter(year__lt=2026)
    assert finished.exists()
    assert set(finished.values_list("stage", flat=True)) == {Stage.DECIDED}
    assert set(finished.values_list("decided_level", flat=True)) <= {1, 2, 3, 4}
    assert Evaluation.objects.filter(year=2026).exclude(stage=Stage.DECIDED).exists()
    assert EvaluationScore.objects.count() == result["scores"] > 0
    stats = area_stats(Place(edition="legacy"), TODAY)
    decided_2025 = Evaluation.objects.filter(year=2025, stage=Stage.DECIDED).count()
    assert sum(v for k, v in stats["ratings"]["2025"].items() if k != "unrated") == decided_2025
    again = generate_ratings(units=units_for_ratings("legacy"), today=TODAY)
    assert again["evaluations"] == 0
