"""The figures of the daily work (``work.figures``) equal straight counts over the
records, at every level of the tree and for every day, in a fixed number of queries."""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.work.conftest import days_ago
from units.services import team_create_for_village, unit_create
from work import figures
from work import services_opinions as steps
from work.choices import ActivityKind, OpinionTopic, Severity
from work.models import Activity, Opinion
from work.services import activity_create

pytestmark = pytest.mark.django_db

SEGMENT = {"province": 3, "district": 4, "commune": 6}


@pytest.fixture
def records(area_tree):
    """Units in four communes of two provinces, each with activities and opinions
    spread over 500 days, at every step, some past due, some hot spots (resolved or
    not); made through the services, from a fixed seed."""
    rng = random.Random(13)
    units = []
    for key in ("commune", "sibling_commune", "commune_b", "far_commune"):
        commune = area_tree[key]
        units.append(unit_create(kind="bloc", area=commune))
        units.append(team_create_for_village(commune=commune, village_name=f"Thôn {key}"))
    for unit in units:
        for _ in range(6):
            kind = rng.choice(list(ActivityKind))
            activity_create(
                unit=unit,
                kind=kind,
                date=days_ago(rng.randint(0, 500)),
                participants=rng.randint(3, 12),
                people_reached=rng.randint(0, 200),
                work_days=rng.randint(1, 90) if kind == ActivityKind.WORK_DAYS else None,
            )
        for _ in range(5):
            age = rng.randint(0, 500)
            opinion = steps.opinion_receive(
                unit=unit,
                received_on=days_ago(age),
                channel="phone",
                topic=rng.choice(list(OpinionTopic)),
                summary="Kiến nghị sửa đường",
            )
            if rng.random() < 0.6:
                answered = age - rng.randint(0, age)
                steps.opinion_answer(
                    opinion=opinion,
                    answer="Đã trả lời",
                    answered_by="UBND xã",
                    answered_on=days_ago(answered),
                )
            if rng.random() < 0.3:
                since = age - rng.randint(0, age)
                steps.hot_spot_flag(
                    opinion=opinion, severity=rng.choice(list(Severity)), since=days_ago(since)
                )
                if rng.random() < 0.5:
                    steps.hot_spot_resolve(
                        opinion=opinion, resolved_on=days_ago(rng.randint(0, since))
                    )
    return units


def _paths(area_tree) -> list[str]:
    return [
        "legacy/",
        area_tree["province"].path,
        area_tree["other_province"].path,
        area_tree["district"].path,
        area_tree["commune"].path,
        area_tree["far_commune"].path,
        area_tree["village"].path,
    ]


def _days():
    return [days_ago(0), days_ago(30), days_ago(200), days_ago(499), days_ago(900)]


def _straight(path: str, day: datetime.date, *, exact: bool = False) -> dict:
    """The definitions of docs/WORK.md, counted one record at a time in Python (under
    ``path``, or at ``path`` itself when ``exact``)."""

    def within(record) -> bool:
        return record.area_path == path if exact else record.area_path.startswith(path)

    activities = [a for a in Activity.objects.all() if within(a)]
    opinions = [o for o in Opinion.objects.all() if within(o)]
    years: dict[str, int] = {}
    for activity in activities:
        if activity.date <= day:
            years[str(activity.date.year)] = years.get(str(activity.date.year), 0) + 1
    return {
        "activities": dict(sorted(years.items())),
        "opinions": {
            "received": sum(o.received_on <= day for o in opinions),
            "answered": sum(o.answered_on is not None and o.answered_on <= day for o in opinions),
            "overdue": sum(o.overdue_on(day) for o in opinions),
        },
        "hot_spots": sum(
            o.hot_spot_since is not None
            and o.hot_spot_since <= day
            and (o.hot_spot_resolved_on is None or o.hot_spot_resolved_on > day)
            for o in opinions
        ),
    }


def test_figures_equal_straight_counts_at_every_level_and_day(records, area_tree):
    """Country, provinces, a district, communes and a village; today, a month ago, a
    day before most records and one before all of them."""
    assert Opinion.objects.filter(answered_on__isnull=True).exists()
    for path in _paths(area_tree):
        for day in _days():
            expected = _straight(path, day)
            assert figures.work_figures(path=path, day=day) == expected, (path, day)
            assert figures.activities_by_year(path=path, day=day) == expected["activities"]
            assert figures.opinion_counts(path=path, day=day) == expected["opinions"]
            assert figures.hot_spots_open(path=path, day=day) == expected["hot_spots"]
    today = figures.work_figures(path="legacy/", day=days_ago(0))
    assert today["opinions"]["overdue"] > 0 and today["hot_spots"] > 0
    assert sum(today["activities"].values()) == Activity.objects.count()


def test_grouped_figures_equal_each_childs_own(records, area_tree):
    """Grouped on a path prefix: every district of a province and every province of the
    edition get exactly their own figures; an area without records is missing."""
    day = days_ago(10)
    province = area_tree["province"].path
    by_district = figures.work_figures_by_key(
        paths=province, key_length=len(province) + SEGMENT["district"], day=day
    )
    for district in ("district", "sibling_district"):
        path = area_tree[district].path
        assert by_district[path] == _straight(path, day)
    assert set(by_district) == {area_tree["district"].path, area_tree["sibling_district"].path}
    provinces = [area_tree["province"].path, area_tree["other_province"].path]
    by_province = figures.work_figures_by_key(
        paths=provinces, key_length=len("legacy/") + SEGMENT["province"], day=day
    )
    assert by_province == {path: _straight(path, day) for path in provinces}
    assert figures.work_figures_by_key(paths="2025/", key_length=8, day=day) == {}
    assert figures.work_figures(path="2025/", day=day) == figures.empty_figures()


def test_an_area_and_its_children_come_from_the_same_two_queries(records, area_tree, team):
    """A commune with its villages (its bloc's records sit at the commune itself) and a
    province with its districts: the area's figures are its own, each child's too."""
    from tests.work.test_services import _activity

    _activity(team, date=days_ago(6))  # a record in a village, next to the bloc's
    day = days_ago(5)
    for area, segment in (("commune", 10), ("province", SEGMENT["district"])):
        path = area_tree[area].path
        with CaptureQueriesContext(connection) as queries:
            total, children = figures.work_figures_and_children(
                path=path, key_length=len(path) + segment, day=day
            )
        assert len(queries) == 2
        assert total == _straight(path, day)
        for key, child in children.items():
            assert child == _straight(key, day, exact=key == path)
        if area == "commune":
            assert {path, team.area_path} <= set(children)


def test_summary_of_a_period_equals_straight_counts(records, area_tree):
    start, end = days_ago(120), days_ago(20)
    path = area_tree["province"].path
    activities = [
        a for a in Activity.objects.all() if a.area_path.startswith(path) and start <= a.date <= end
    ]
    opinions = [o for o in Opinion.objects.all() if o.area_path.startswith(path)]
    summary = figures.work_summary(path=path, date_from=start, date_to=end)
    for kind in ActivityKind:
        of_kind = [a for a in activities if a.kind == kind]
        assert summary["activities"]["by_kind"][kind] == {
            "count": len(of_kind),
            "participants": sum(a.participants for a in of_kind),
            "people_reached": sum(a.people_reached for a in of_kind),
            "work_days": sum(a.work_days or 0 for a in of_kind),
        }
    assert summary["activities"]["total"]["count"] == len(activities)
    within = lambda day: day is not None and start <= day <= end  # noqa: E731
    received = [o for o in opinions if within(o.received_on)]
    result = summary["opinions"]
    assert result["received"] == len(received)
    assert result["answered"] == sum(within(o.answered_on) for o in opinions)
    assert result["answered_in_time"] == sum(
        within(o.answered_on) and o.answered_on <= o.due_on for o in opinions
    )
    assert result["overdue"] == sum(o.overdue_on(end) for o in opinions)
    assert result["waiting"] == sum(
        o.received_on <= end and (o.answered_on is None or o.answered_on > end) for o in opinions
    )
    assert result["by_topic"] == {
        t.value: sum(o.topic == t for o in received) for t in OpinionTopic
    }
    hot = result["hot_spots"]
    assert hot["flagged"] == sum(within(o.hot_spot_since) for o in opinions)
    assert hot["resolved"] == sum(within(o.hot_spot_resolved_on) for o in opinions)
    assert hot["open"] == _straight(path, end)["hot_spots"]
    assert sum(hot["open_by_severity"].values()) == hot["open"]
    district = area_tree["district"].path
    grouped = figures.work_summary_by_key(
        paths=path, key_length=len(path) + SEGMENT["district"], date_from=start, date_to=end
    )
    assert grouped[district] == figures.work_summary(path=district, date_from=start, date_to=end)


def test_queries_do_not_grow_with_the_records(area_tree, records):
    """Two queries for the figures of an area, two for all its children, two for a
    period's summary, whatever the number of records."""
    path, day = area_tree["province"].path, days_ago(0)
    for call, expected in (
        (lambda: figures.work_figures(path=path, day=day), 2),
        (lambda: figures.work_figures_by_key(paths=path, key_length=len(path) + 4, day=day), 2),
        (lambda: figures.work_summary(path=path, date_from=days_ago(90), date_to=day), 2),
    ):
        with CaptureQueriesContext(connection) as queries:
            call()
        assert len(queries) == expected
