"""Periods and rating rounds: a set per year, quarter or term; one rating per unit, set
and period; deadlines marking steps late; yearly ratings made before periods unchanged."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from evaluations.choices import Stage
from evaluations.models import Evaluation
from evaluations.periods import (
    PeriodKind,
    parse_period,
    period_bounds,
    period_code,
    period_key,
    period_label,
)
from evaluations.rounds import is_late, late_ratings, late_steps, stage_due
from evaluations.services.criteria import (
    ERROR_ROUND_ORDER,
    criteria_set_copy,
    criteria_set_create,
    criteria_set_issue,
    criteria_set_new_version,
    criteria_set_schedule,
    criteria_set_update,
)
from evaluations.services.ratings import (
    evaluation_propose,
    evaluation_self_assess,
    evaluation_start,
    evaluations_approve,
    quota_warning,
)
from tests.evaluations.conftest import FULL, GATES, GROUPS
from units.services import unit_create

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def blocs(area_tree, bloc):
    """The bloc of commune A and of its sibling commune (both in the province)."""
    return {"a": bloc, "b": unit_create(kind="bloc", area=area_tree["sibling_commune"])}


def _quarter_set(area_tree, province_staff, quarter=2, **round_dates):
    criteria = criteria_set_create(
        acting_user=province_staff,
        province=area_tree["province"],
        year=YEAR,
        period=period_code(PeriodKind.QUARTER, quarter=quarter),
        subject="bloc",
        title=f"Tiêu chí Khối dân vận quý {quarter}/{YEAR}",
        groups=GROUPS,
        gates=GATES,
    )
    if round_dates:
        criteria_set_schedule(acting_user=province_staff, criteria_set=criteria, **round_dates)
    return criteria_set_issue(acting_user=province_staff, criteria_set=criteria)


# --- period keys ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "year", "code", "label", "first", "last"),
    [
        ("2026", 2026, "", "năm 2026", (2026, 1, 1), (2026, 12, 31)),
        ("2026-Q2", 2026, "Q2", "quý 2/2026", (2026, 4, 1), (2026, 6, 30)),
        ("2026-q4", 2026, "Q4", "quý 4/2026", (2026, 10, 1), (2026, 12, 31)),
        ("2025-2030", 2025, "T2030", "nhiệm kỳ 2025–2030", (2025, 1, 1), (2030, 12, 31)),
    ],
)
def test_a_period_key_names_its_year_code_label_and_days(key, year, code, label, first, last):
    assert parse_period(key) == (year, code)
    assert period_key(year, code) == key.upper()
    assert period_label(year, code) == label
    assert period_bounds(year, code) == (datetime.date(*first), datetime.date(*last))


@pytest.mark.parametrize("key", ["", "năm", "2026-Q5", "2030-2025", "26"])
def test_a_bad_period_key_is_a_vietnamese_message(key):
    with pytest.raises(ValidationError) as excinfo:
        parse_period(key)
    assert "không hợp lệ" in excinfo.value.messages[0] or "Nhiệm kỳ" in excinfo.value.messages[0]


# --- one rating per unit, set and period ------------------------------------------------------


def test_a_quarter_and_the_year_each_have_their_rating(
    area_tree, bloc, bloc_criteria, province_staff, officer
):
    quarter = _quarter_set(area_tree, province_staff)
    yearly = evaluation_start(acting_user=officer, unit=bloc, year=YEAR)
    second = evaluation_start(acting_user=officer, unit=bloc, year=YEAR, period="Q2")
    assert (yearly.period, yearly.criteria_set) == ("", bloc_criteria)
    assert (second.period, second.criteria_set) == ("Q2", quarter)
    assert second.period_label == "quý 2/2026" and str(second).endswith("2026-Q2")
    # Asking again gives the same rating: at most one per unit, set and period.
    assert evaluation_start(acting_user=officer, unit=bloc, year=YEAR, period="Q2") == second
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(unit=bloc, year=YEAR, criteria_set=quarter)


def test_a_quarter_without_issued_criteria_is_refused_by_its_name(bloc, bloc_criteria, officer):
    with pytest.raises(ValidationError) as excinfo:
        evaluation_start(acting_user=officer, unit=bloc, year=YEAR, period="Q3")
    assert "Chưa có bộ tiêu chí quý 3/2026 cho khối dân vận" in excinfo.value.messages[0]


def test_the_same_quarter_twice_is_refused(area_tree, province_staff):
    _quarter_set(area_tree, province_staff)
    with pytest.raises(ValidationError) as excinfo:
        _quarter_set(area_tree, province_staff)
    assert "đã có bộ tiêu chí khối dân vận quý 2/2026" in excinfo.value.messages[0]


def test_a_new_version_keeps_the_period_and_the_round(area_tree, province_staff):
    quarter = _quarter_set(area_tree, province_staff, self_due=datetime.date(2026, 7, 10))
    again = criteria_set_new_version(acting_user=province_staff, source=quarter)
    assert (again.period, again.version, again.self_due) == ("Q2", 2, datetime.date(2026, 7, 10))


def test_a_set_copies_to_another_period(area_tree, province_staff):
    quarter = _quarter_set(area_tree, province_staff)
    third = criteria_set_copy(acting_user=province_staff, source=quarter, year=YEAR, period="Q3")
    assert (third.year, third.period, third.title) == (
        YEAR,
        "Q3",
        "Tiêu chí Khối dân vận quý 3/2026",
    )
    assert third.copied_from == quarter and not third.issued
    assert [i.code for g in third.groups.all() for i in g.items.all()] == [
        "1.1",
        "1.2",
        "2.1",
        "2.2",
    ]
    # The kind of period is the source's by default: a quarter to the same quarter.
    next_year = criteria_set_copy(acting_user=province_staff, source=quarter, year=YEAR + 1)
    assert (next_year.year, next_year.period) == (YEAR + 1, "Q2")


# --- rounds and late steps --------------------------------------------------------------------


def test_round_dates_must_follow_each_other(area_tree, province_staff, bloc_criteria):
    with pytest.raises(ValidationError) as excinfo:
        criteria_set_schedule(
            acting_user=province_staff,
            criteria_set=bloc_criteria,
            self_due=datetime.date(2026, 12, 10),
            proposal_due=datetime.date(2026, 12, 1),
        )
    assert excinfo.value.messages == [str(ERROR_ROUND_ORDER)]


def test_a_step_after_its_deadline_stays_possible_and_is_marked_late(
    area_tree, bloc, province_staff, officer
):
    due = datetime.date(2026, 7, 10)
    _quarter_set(area_tree, province_staff, opens_on=datetime.date(2026, 7, 1), self_due=due)
    rating = evaluation_start(acting_user=officer, unit=bloc, year=YEAR, period="Q2")
    assert stage_due(rating) == due
    assert not is_late(rating, due) and is_late(rating, due + datetime.timedelta(days=1))
    rating = evaluation_self_assess(
        acting_user=officer, evaluation=rating, scores=FULL, gates={"K1": False}, submit=True
    )
    assert rating.stage == Stage.PROPOSAL
    # Submitted on the last day: on time; a day after: late.
    rating.self_at = timezone.make_aware(datetime.datetime(2026, 7, 10, 16, 0))
    assert late_steps(rating) == []
    rating.self_at = timezone.make_aware(datetime.datetime(2026, 7, 11, 8, 0))
    assert late_steps(rating) == ["self_at"]


def test_late_ratings_are_the_open_ones_past_the_deadline_of_their_step(
    area_tree, blocs, province_staff
):
    _quarter_set(
        area_tree,
        province_staff,
        self_due=datetime.date(2026, 7, 10),
        proposal_due=datetime.date(2026, 7, 20),
    )
    ratings = {
        key: evaluation_start(acting_user=province_staff, unit=unit, year=YEAR, period="Q2")
        for key, unit in blocs.items()
    }
    first = next(iter(ratings))
    evaluation_self_assess(
        acting_user=province_staff,
        evaluation=ratings[first],
        scores=FULL,
        gates={"K1": False},
        submit=True,
    )
    everything = Evaluation.objects.all()
    assert set(late_ratings(everything, datetime.date(2026, 7, 10))) == set()
    waiting_self = {r.pk for k, r in ratings.items() if k != first}
    assert {r.pk for r in late_ratings(everything, datetime.date(2026, 7, 11))} == waiting_self
    assert {r.pk for r in late_ratings(everything, datetime.date(2026, 7, 21))} == {
        r.pk for r in ratings.values()
    }


# --- ratings made before periods ---------------------------------------------------------------


def _apps_at(targets):
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationLoader(connection)
    return loader.project_state(tuple(loader.applied_migrations)).apps


@pytest.mark.django_db(transaction=True)
def test_yearly_ratings_made_before_periods_keep_working(area_tree, bloc, bloc_criteria, officer):
    """A rating of the version before periods (evaluations 0003), written through that
    version's models, is the unit's yearly rating after the migration: same set, period
    "" (the whole year), found again by ``evaluation_start`` and scored as before."""
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = _apps_at([("evaluations", "0003_rating_steps_history")])
    try:
        OldEvaluation = old.get_model("evaluations", "Evaluation")
        unit = bloc
        OldEvaluation.objects.create(
            unit_id=unit.pk,
            criteria_set_id=bloc_criteria.pk,
            year=YEAR,
            stage=Stage.SELF,
            area_path=unit.area_path,
        )
    finally:
        _apps_at(leaves)
    rating = Evaluation.objects.get(unit=unit)
    assert (rating.year, rating.period, rating.criteria_set_id) == (YEAR, "", bloc_criteria.pk)
    assert rating.period_label == "năm 2026"
    assert evaluation_start(acting_user=officer, unit=unit, year=YEAR) == rating
    rating = evaluation_self_assess(
        acting_user=officer, evaluation=rating, scores=FULL, gates={"K1": False}, submit=True
    )
    assert (rating.stage, rating.self_total) == (Stage.PROPOSAL, 100)
    assert (bloc_criteria.period, bloc_criteria.self_due) == ("", None)
    assert stage_due(rating) is None and not is_late(rating, datetime.date(2030, 1, 1))


def test_the_quota_counts_the_ratings_of_the_same_period(
    area_tree, blocs, bloc_criteria, province_staff
):
    """Two blocs at level 1 for the year with a 50 % quota: a warning. The quarter's
    ratings decided at level 1 never count in the year's quota, nor the year's in it."""
    criteria_set_update(acting_user=province_staff, criteria_set=bloc_criteria, quota_percent=50)
    quarter = _quarter_set(area_tree, province_staff)
    criteria_set_update(acting_user=province_staff, criteria_set=quarter, quota_percent=50)

    def proposed(unit, period):
        rating = evaluation_start(acting_user=province_staff, unit=unit, year=YEAR, period=period)
        rating = evaluation_self_assess(
            acting_user=province_staff,
            evaluation=rating,
            scores=FULL,
            gates={"K1": False},
            submit=True,
        )
        return evaluation_propose(acting_user=province_staff, evaluation=rating, submit=True)

    in_quarter = [proposed(unit, "Q2") for unit in blocs.values()]
    evaluations_approve(acting_user=province_staff, evaluations=in_quarter[:1])
    yearly = [proposed(unit, "") for unit in blocs.values()]
    assert quota_warning(evaluations=yearly[:1]) == []
    assert quota_warning(evaluations=yearly) == [
        "Mức 1 vượt tỷ lệ 50%: 2/2 đơn vị được xếp mức 1 (tối đa 1)."
    ]
    # In the quarter, one already decided at level 1 and one more: over the quota too.
    assert quota_warning(evaluations=in_quarter[1:]) == [
        "Mức 1 vượt tỷ lệ 50%: 2/2 đơn vị được xếp mức 1 (tối đa 1)."
    ]
