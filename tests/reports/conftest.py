"""Data for the statistics pages, the API description and the dashboard tests: the small
demo in three provinces (so that every level has at least three areas) and ratings
taken through the rating services."""

import datetime

import pytest
from django.core.management import call_command

from accounts.choices import StaffRole
from evaluations.services.criteria import criteria_set_create, criteria_set_issue
from evaluations.services.ratings import (
    evaluation_decide,
    evaluation_propose,
    evaluation_self_assess,
    evaluation_start,
)
from members.models import Membership
from members.services import membership_end, unit_dissolve
from reports import aggregates
from tests.evaluations.conftest import GATES, GROUPS
from tests.factories import make_staff
from units.choices import Edition, Level
from units.models import Area, Unit

TODAY = datetime.date(2026, 11, 21)
#: A day the legacy demo's units are in force (they end with their areas on 30/06/2025).
BEFORE_REFORM = datetime.date(2025, 5, 20)
DEMO_PROVINCES = ("06", "11", "24")

#: Scores of the test criteria (out of 100) that reach each level of the default scale.
SCORES = {
    1: {"1.1": 10, "1.2": 20, "2.1": 40, "2.2": 30},
    2: {"1.1": 10, "1.2": 20, "2.1": 30, "2.2": 20},
    3: {"1.1": 10, "1.2": 10, "2.1": 20, "2.2": 20},
    4: {"1.1": 5, "1.2": 5, "2.1": 10, "2.2": 10},
}


def criteria_issue(*, admin, province: Area, year: int) -> None:
    """Issue the bloc and team criteria of ``province`` for ``year``."""
    for subject in ("bloc", "team"):
        criteria = criteria_set_create(
            acting_user=admin,
            province=province,
            year=year,
            subject=subject,
            title=f"Tiêu chí {subject} {year}",
            groups=GROUPS,
            gates=GATES,
        )
        criteria_set_issue(acting_user=admin, criteria_set=criteria)


def rate(unit: Unit, *, admin, year: int, stage: str, level: int = 1):
    """Take ``unit``'s rating of ``year`` through the services up to ``stage``: "self"
    (opened, not submitted), "proposal" (self-assessed), "decision" (proposed) or
    "decided" at ``level``."""
    evaluation = evaluation_start(acting_user=admin, unit=unit, year=year)
    if stage == "self":
        return evaluation
    evaluation_self_assess(
        acting_user=admin,
        evaluation=evaluation,
        scores=SCORES[level],
        gates={"K1": False},
        submit=True,
    )
    if stage == "proposal":
        return evaluation
    evaluation_propose(acting_user=admin, evaluation=evaluation, submit=True)
    if stage == "decision":
        return evaluation
    return evaluation_decide(acting_user=admin, evaluation=evaluation)


def province_of(unit: Unit) -> Area:
    prefix = "/".join(unit.area_path.split("/")[:2]) + "/"
    return Area.objects.get(path=prefix)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts and ends with an empty cache: the data version lives in the
    test database, which each test rolls back, so two tests reach the same version
    number with different data and would otherwise share cached figures."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def demo_build(*provinces: str) -> list[int]:
    """The small demo (in ``provinces``, or where ``generate_demo`` puts it) with some
    history: ended seats, a dissolved team, a team founded after the day asked for.
    Returns the ids of the first three teams (the dissolved one, the one founded later,
    one untouched)."""
    where = ("--province", *provinces) if provinces else ()
    call_command(
        "generate_demo", "--scale", "small", "--edition", "legacy", *where, verbosity=0
    )  # fmt: skip
    teams = list(Unit.objects.filter(kind="team").order_by("pk")[:3])
    # Before the reform (the demo is on the legacy map, whose units end on 30/06/2025).
    unit_dissolve(unit=teams[0], dissolved_on=datetime.date(2025, 3, 1))
    ended = datetime.date(2025, 2, 1)
    open_seats = Membership.objects.filter(end_date__isnull=True, start_date__lt=ended)
    for membership in open_seats.order_by("pk")[:5]:
        membership_end(membership=membership, end_date=ended)
    Unit.objects.filter(pk=teams[1].pk).update(decision_date=datetime.date(2025, 6, 1))
    # The statistics' log of these writes folded once here, as a writer of a batch does
    # (reports.aggregates), not again by the first read of every test.
    aggregates.compact()
    return [team.pk for team in teams]


@pytest.fixture(scope="module")
def demo_teams(module_db, django_db_blocker):
    """The small demo in three legacy provinces (six communes each), built once per
    module (the tests only read it; what a test writes is rolled back after it)."""
    with django_db_blocker.unblock():
        return demo_build(*DEMO_PROVINCES)


@pytest.fixture
def demo(db, demo_teams):
    """The module's demo data (``demo_teams``); its first three teams, read afresh."""
    return list(Unit.objects.filter(pk__in=demo_teams).order_by("pk"))


@pytest.fixture
def rated(demo):
    """Ratings in every demo province: ``generate_demo`` rates every unit for the last
    three years and has the year in progress at every stage; when it does not (an older
    generator), units are rated here through the services at every stage and level.
    Either way one province also has criteria issued for 2027 and no rating yet."""
    from evaluations.models import Evaluation

    admin = make_staff(StaffRole.SYSTEM_ADMIN, username="quantri-test")
    provinces = list(
        Area.objects.filter(
            edition=Edition.LEGACY, level=Level.PROVINCE, code__in=DEMO_PROVINCES
        ).order_by("code")
    )
    if not Evaluation.objects.exists():
        for province in provinces:
            criteria_issue(admin=admin, province=province, year=2025)
        plan = [
            ("decided", 1),
            ("decided", 2),
            ("decided", 2),
            ("decided", 3),
            ("decided", 4),
            ("decision", 1),
            ("proposal", 2),
            ("self", 1),
        ]
        units = list(Unit.objects.filter(status="active").order_by("area_path", "pk"))
        for i, unit in enumerate(units[::3]):
            stage, level = plan[i % len(plan)]
            rate(unit, admin=admin, year=2025, stage=stage, level=level)
    criteria_issue(admin=admin, province=provinces[0], year=2027)
    return admin
