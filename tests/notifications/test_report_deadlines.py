"""Communes' monthly reports not submitted: reminded 3 days before the due day of the
next month and once late, to the commune's own accounts only."""

import datetime

import pytest
from django.test import override_settings

from accounts.choices import StaffRole
from notifications import deadlines
from notifications.choices import Kind
from notifications.models import Notification
from reports.periodic.models import PeriodicReport
from reports.periodic.periods import parse_period
from tests.factories import AreaFactory, make_staff
from tests.work.conftest import province_2025  # noqa: F401  (fixture)
from units.choices import Level

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def people(province_2025):  # noqa: F811
    other = AreaFactory(
        level=Level.COMMUNE,
        code="01844",
        name="Xã Nông Thượng",
        parent=province_2025["province"],
        valid_from=D(2025, 7, 1),
    )
    return {
        **province_2025,
        "other": other,
        "officer": make_staff(StaffRole.COMMUNE_OFFICER, [province_2025["commune"]], username="xa"),
        "other_officer": make_staff(StaffRole.COMMUNE_OFFICER, [other], username="xa2"),
        "province_staff": make_staff(
            StaffRole.PROVINCE_STAFF, [province_2025["province"]], username="tinh"
        ),
    }


def test_the_due_day_is_the_setting_of_the_next_month():
    assert deadlines.report_due_on(parse_period("2026-11")) == D(2026, 12, 5)
    assert deadlines.report_due_on(parse_period("2026-12")) == D(2027, 1, 5)
    with override_settings(DANVAN_PERIODIC_REPORT_DUE_DAY=10):
        assert deadlines.report_due_on(parse_period("2026-02")) == D(2026, 3, 10)


def test_a_report_not_submitted_is_due_then_late_and_told_once_each(people):
    assert deadlines.notify_deadlines(day=D(2026, 12, 1)) == 0
    assert deadlines.notify_deadlines(day=D(2026, 12, 2)) == 2  # due on 05/12: both communes
    assert deadlines.notify_deadlines(day=D(2026, 12, 2)) == 0  # run again the same day
    due = Notification.objects.get(recipient=people["officer"])
    assert due.kind == Kind.REPORT_DUE
    assert due.text == (
        "Báo cáo công tác dân vận tháng 11 năm 2026 của Phường Bắc Kạn cần gửi lên tỉnh "
        "trước ngày 05/12/2026."
    )
    assert due.link == "/can-bo/bao-cao-dinh-ky/01843/2026-11/"
    # The province is never told of a commune's report (it has its roll-up page).
    assert not Notification.objects.filter(recipient=people["province_staff"]).exists()
    # One commune submits; only the other is late, once, even on later runs.
    PeriodicReport.objects.create(
        area=people["commune"],
        period="2026-11",
        submitted_at=datetime.datetime(2026, 12, 4, tzinfo=datetime.UTC),
    )
    assert deadlines.notify_deadlines(day=D(2026, 12, 5)) == 0  # not late on its due day
    assert deadlines.notify_deadlines(day=D(2026, 12, 6)) == 1
    assert deadlines.notify_deadlines(day=D(2026, 12, 9)) == 0
    late = Notification.objects.get(kind=Kind.REPORT_LATE)
    assert late.recipient == people["other_officer"]
    assert "chưa gửi lên tỉnh, đã quá hạn từ ngày 05/12/2026" in late.text


def test_a_saved_but_unsent_report_is_still_late(people):
    PeriodicReport.objects.create(area=people["commune"], period="2026-11", situation="Ổn định")
    deadlines.notify_deadlines(day=D(2026, 12, 7))
    told = set(Notification.objects.values_list("recipient__username", "kind"))
    assert told == {("xa", Kind.REPORT_LATE), ("xa2", Kind.REPORT_LATE)}


def test_the_reminders_cost_the_same_queries_whatever_the_communes(
    people, django_assert_max_num_queries
):
    for n in range(5):
        commune = AreaFactory(
            level=Level.COMMUNE,
            code=f"0185{n}",
            parent=people["province"],
            valid_from=D(2025, 7, 1),
        )
        make_staff(StaffRole.COMMUNE_OFFICER, [commune], username=f"x{n}")
    directory = deadlines.Directory()
    list(deadlines.report_deadlines(D(2026, 11, 2), directory))  # each account's rights, once
    with django_assert_max_num_queries(2):
        found = list(deadlines.report_deadlines(D(2026, 12, 2), directory))
    assert len(found) == 7
