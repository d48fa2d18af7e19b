"""The rating round's deadlines feed the daily notifications: a step due in 3 days,
then late, is told once each to who may take it; a round not opened yet, a rating
without deadlines or a locked one is not told."""

import datetime

import pytest

from evaluations.services.criteria import criteria_set_schedule
from evaluations.services.ratings import evaluation_start
from notifications import deadlines
from notifications.choices import Kind
from notifications.models import Notification
from tests.notifications.test_services import _to_decision

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 12, 7)
ONE = datetime.timedelta(days=1)


def _schedule(criteria, province_staff, **dates):
    criteria_set_schedule(acting_user=province_staff, criteria_set=criteria, **dates)


def test_the_decision_due_in_three_days_then_late_is_told_once_each(
    bloc, bloc_criteria, officer, district_staff, province_staff
):
    _schedule(bloc_criteria, province_staff, decision_due=DAY + 3 * ONE)
    rating = _to_decision(bloc, officer)
    assert [(r.pk, due) for r, due in deadlines.rating_due_dates(DAY)] == [
        (rating.pk, DAY + 3 * ONE)
    ]
    assert deadlines.notify_deadlines(day=DAY) == 1
    assert deadlines.notify_deadlines(day=DAY) == 0  # a second run tells nobody twice
    (n,) = Notification.objects.all()
    assert (n.recipient, n.kind) == (district_staff, Kind.RATING_DUE)
    assert n.text == (
        f"Bước “Chờ cấp trên quyết định” của đánh giá “{bloc}” năm 2026 đến hạn ngày 10/12/2026."
    )
    # Nothing between: on the due day itself nobody is told again.
    assert deadlines.notify_deadlines(day=DAY + 3 * ONE) == 0
    assert deadlines.notify_deadlines(day=DAY + 4 * ONE) == 1
    late = Notification.objects.get(kind=Kind.RATING_LATE)
    assert late.recipient == district_staff and "đã quá hạn từ ngày 10/12/2026" in late.text
    assert deadlines.notify_deadlines(day=DAY + 5 * ONE) == 0


def test_the_self_assessment_due_tells_the_commune_officer(
    bloc, bloc_criteria, officer, province_staff
):
    _schedule(bloc_criteria, province_staff, self_due=DAY - 2 * ONE)
    evaluation_start(acting_user=officer, unit=bloc, year=2026)
    assert deadlines.notify_deadlines(day=DAY) == 1
    assert Notification.objects.get().recipient == officer


def test_no_deadline_no_opening_or_another_step_tells_nobody(
    bloc, bloc_criteria, officer, province_staff
):
    rating = _to_decision(bloc, officer)
    assert list(deadlines.rating_due_dates(DAY)) == []
    # The self-assessment's deadline does not concern a rating waiting for the decision.
    _schedule(bloc_criteria, province_staff, self_due=DAY - ONE)
    assert list(deadlines.rating_due_dates(DAY)) == []
    # A round that opens later is not told yet.
    _schedule(
        bloc_criteria,
        province_staff,
        self_due=None,
        opens_on=DAY + ONE,
        decision_due=DAY + 3 * ONE,
    )
    assert list(deadlines.rating_due_dates(DAY)) == []
    assert rating.pk
