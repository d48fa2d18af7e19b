"""Dates as the portal writes them: day first, local time (portal.formats)."""

import datetime

from django.test import override_settings

from portal import formats


def test_a_day_is_written_day_first_and_nothing_for_no_day():
    assert formats.day(datetime.date(2026, 11, 21)) == "21/11/2026"
    assert formats.day(None) == ""


@override_settings(TIME_ZONE="Asia/Ho_Chi_Minh")
def test_a_moment_is_written_in_the_portals_time_zone():
    moment = datetime.datetime(2026, 11, 21, 1, 5, tzinfo=datetime.UTC)
    assert formats.day_time(moment) == "21/11/2026 08:05"
    assert formats.day_time(None) == ""
