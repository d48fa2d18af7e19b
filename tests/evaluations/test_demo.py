"""Demo criteria and ratings."""

import datetime

import pytest
from django.core.management import call_command

from evaluations.choices import Stage
from evaluations.demo import demo_years, generate_ratings, units_for_ratings
from evaluations.models import (
    CriteriaSet,
    CriterionItem,
    Evaluation,
    EvaluationScore,
    GateCondition,
)
from reports.stats import Place, area_stats

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 21)


def test_ratings_for_three_finished_years_and_the_year_in_progress():
    """2025 map: issued criteria per province, subject and year from 2025; every unit in
    force at the end of a finished year has a decided rating within the scale, the year
    in progress has ratings at every stage; the statistics count them; a second run adds
    nothing."""
    call_command("generate_demo", "--scale", "small", "--edition", "2025", verbosity=0)
    Evaluation.objects.all().delete()  # generate_demo rated the units; start again
    result = generate_ratings(units=units_for_ratings("2025"), today=TODAY)
    assert demo_years(TODAY) == [2023, 2024, 2025, 2026]
    # The 2025 map exists from 01/07/2025: no criteria, no rating before 2025.
    assert CriteriaSet.objects.filter(issued=True).count() == 2 * 2 * 2  # provinces×subjects×years
    assert set(Evaluation.objects.values_list("year", flat=True)) == {2025, 2026}
    finished = Evaluation.objects.filter(year=2025)
    assert set(finished.values_list("stage", flat=True)) == {Stage.DECIDED}
    assert set(finished.values_list("decided_level", flat=True)) <= {1, 2, 3, 4}
    assert Evaluation.objects.filter(year=2026).exclude(stage=Stage.DECIDED).exists()
    assert EvaluationScore.objects.count() == result["scores"] > 0
    # One item scored from the record (activities) and the hot-spot gate: a sheet still
    # in self-assessment leaves that item to the record.
    assert set(CriterionItem.objects.exclude(measure="").values_list("code", flat=True)) == {"2.2"}
    assert set(GateCondition.objects.exclude(automatic="").values_list("code", flat=True)) == {"K1"}
    assert not EvaluationScore.objects.filter(
        evaluation__stage=Stage.SELF, item__measure="activities"
    ).exists()
    stats = area_stats(Place(edition="2025"), TODAY)
    decided_2025 = finished.count()
    assert sum(v for k, v in stats["ratings"]["2025"].items() if k != "unrated") == decided_2025
    again = generate_ratings(units=units_for_ratings("2025"), today=TODAY)
    assert again["evaluations"] == 0


def test_legacy_units_are_rated_up_to_2024_only():
    """Legacy areas end on 30/06/2025: the legacy demo has criteria and decided ratings
    for 2023 and 2024 only, as ``evaluation_start`` allows (a legacy unit is rated up
    to 2024)."""
    call_command("generate_demo", "--scale", "small", "--edition", "legacy", verbosity=0)
    Evaluation.objects.all().delete()
    generate_ratings(units=units_for_ratings("legacy"), today=TODAY)
    assert set(CriteriaSet.objects.values_list("year", flat=True)) == {2023, 2024}
    assert set(Evaluation.objects.values_list("year", flat=True)) == {2023, 2024}
    assert set(Evaluation.objects.values_list("stage", flat=True)) == {Stage.DECIDED}
    stats = area_stats(Place(edition="legacy"), datetime.date(2024, 12, 31))
    decided = Evaluation.objects.filter(year=2024).count()
    assert sum(v for k, v in stats["ratings"]["2024"].items() if k != "unrated") == decided
