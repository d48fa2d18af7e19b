"""The maintained aggregates (reports.aggregates, PostgreSQL): after many writes of every
kind, by every door (services, ORM saves, bulk_create, queryset.update and delete, raw
SQL, a merge of two people, ratings approved, reopened, moved to another year, deleted,
villages created, ended, started later and deleted),
the log compacted at random points between them, the
answer read from them equals the straight count (``area_stats``) field by field, on both
maps at dates on both sides of the reform; the log compacted equals a rebuild from
scratch; and an answer costs the same number of queries whatever the size."""

import contextlib
import datetime
import json
import random

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from evaluations.models import Evaluation
from members.models import Membership, Person
from members.services import membership_add, membership_end, person_merge, unit_dissolve
from reports import aggregates
from reports.models import (
    StatLogEvaluation,
    StatLogMembership,
    StatLogPerson,
    StatLogUnit,
    StatTotal,
)
from reports.stats import Place, area_stats
from tests.factories import make_staff
from tests.reports.conftest import criteria_issue, rate
from units.choices import V2025_VALID_FROM, Edition, Level, UnitStatus
from units.models import Area, Succession, Unit, units_map_2025
from units.services import divisions_load, team_create_for_village, unit_create

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

D = datetime.date
DAYS = [D(2021, 1, 1), D(2023, 5, 17), D(2024, 12, 31), D(2025, 6, 30), D(2025, 7, 1)]
GENDERS = ["female", "male", ""]
ETHNICITIES = ["Kinh", "Tày", "", "Nùng"]


FIRST, LAST = D(2020, 1, 1), D(2025, 11, 30)


def _day(rng: random.Random, first=FIRST, last=LAST) -> datetime.date:
    return first + datetime.timedelta(days=rng.randrange((last - first).days))


def _start(rng: random.Random, unit: Unit):
    """A start date the services accept for ``unit`` (a legacy seat before the reform)."""
    if unit.area_path.startswith("legacy/"):
        return _day(rng, last=D(2025, 6, 1))
    return rng.choice([None, _day(rng, first=V2025_VALID_FROM)])


def _person_data(rng: random.Random, n: int) -> dict:
    return {
        "full_name": f"Người thử {n}",
        "birth_year": 1950 + rng.randrange(50),
        "gender": rng.choice(GENDERS),
        "ethnicity": rng.choice(ETHNICITIES),
        "party_member": rng.random() < 0.3,
    }


def _writes(rng: random.Random, units: list[Unit], steps: int, admin=None) -> int:
    """``steps`` random writes; one the constraints refuse (a second open seat of a
    person in a unit) is rolled back, its statement's log with it. The log is compacted
    after about one write in eight (so a compaction folds one write or several, of one
    row or of several); returns the number of compactions."""
    compactions = 0
    for n in range(steps):
        with contextlib.suppress(IntegrityError, ValidationError), transaction.atomic():
            _write(rng, units, n, admin)
        if rng.random() < 0.125:
            aggregates.compact()
            compactions += 1
    return compactions


def _pick(rng: random.Random, queryset):
    """One row of ``queryset`` chosen by the seeded generator (never the database's random
    order), so that a seed always makes the same writes; None when it is empty."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    return queryset.model.objects.get(pk=rng.choice(ids)) if ids else None


def _write(rng: random.Random, units: list[Unit], n: int, admin=None) -> None:
    """One random write, through one of the doors."""
    kind = rng.randrange(15)
    unit = rng.choice(units)
    seats = list(Membership.objects.order_by("pk").values_list("pk", flat=True))
    if (kind <= 2 or not seats) and unit.status == UnitStatus.ACTIVE:  # a service seats
        membership_add(unit=unit, start_date=_start(rng, unit), **_person_data(rng, n))
    elif kind == 3:  # an end by the service
        open_seat = _pick(rng, Membership.objects.filter(end_date__isnull=True))
        if open_seat is not None:
            start = open_seat.start_date or D(2020, 1, 1)
            membership_end(membership=open_seat, end_date=_day(rng, first=start))
    elif kind == 4:  # queryset.update of dates
        start, end = sorted([_day(rng), _day(rng)])
        Membership.objects.filter(pk=rng.choice(seats)).update(
            start_date=rng.choice([None, start]), end_date=rng.choice([None, end])
        )
    elif kind == 5:  # a delete
        Membership.objects.filter(pk=rng.choice(seats)).delete()
    elif kind == 6:  # a move to another unit
        Membership.objects.filter(pk=rng.choice(seats)).update(unit=unit, area_path=unit.area_path)
    elif kind == 7:  # people's attributes, by update and by save
        person = _pick(rng, Person.objects.all())
        Person.objects.filter(pk=person.pk).update(party_member=not person.party_member)
        person.refresh_from_db()
        person.gender, person.ethnicity = rng.choice(GENDERS), rng.choice(ETHNICITIES)
        person.save()
    elif kind == 8:  # bulk_create, people seated twice included
        ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
        people = list(Person.objects.filter(pk__in=rng.sample(ids, min(3, len(ids)))))
        Membership.objects.bulk_create(
            Membership(unit=unit, person=p, area_path=unit.area_path, start_date=_day(rng))
            for p in people
        )
    elif kind == 9:  # a unit's dates, by update and by the dissolution service
        if rng.random() < 0.5:
            Unit.objects.filter(pk=unit.pk).update(decision_date=_day(rng))
        elif unit.status == UnitStatus.ACTIVE:
            unit_dissolve(unit=unit, dissolved_on=_day(rng, first=D(2023, 1, 1)))
            unit.refresh_from_db()
    elif kind == 10:  # a unit placed elsewhere on the 2025 map, by raw SQL
        other = rng.choice(units)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE units_unit SET map_path = %s WHERE id = %s",
                [other.map_path, unit.pk],
            )
    elif kind == 12 and admin is not None:  # a rating approved through the services
        rate(unit, admin=admin, year=2024, stage="decided", level=rng.randrange(1, 4))
    elif kind == 12 or kind == 13:  # a rating reopened, approved again, moved, deleted
        rating = _pick(rng, Evaluation.objects.all())
        if rating is None:
            return
        ratings = Evaluation.objects.filter(pk=rating.pk)
        change = rng.randrange(4)
        if change == 0:
            ratings.update(stage="decision")
        elif change == 1:
            ratings.update(stage="decided", decided_level=rating.decided_level or 1)
        elif change == 2:
            ratings.update(year=rng.choice([2021, 2023, 2024, 2025]))
        else:
            ratings.delete()
    elif kind == 14:  # villages created, ended, started later, deleted (either map)
        _village_write(rng, n)
    else:  # two records of one person merged
        pair = list(Person.objects.filter(memberships__isnull=False).distinct()[:2])
        if len(pair) == 2 and pair[0].province_id == pair[1].province_id:
            person_merge(keep=pair[0], duplicate=pair[1])


RANDOM_VILLAGE = "Thôn ngẫu nhiên"


def _village_write(rng: random.Random, n: int) -> None:
    villages = Area.objects.filter(level=Level.VILLAGE, name__startswith=RANDOM_VILLAGE)
    change = rng.randrange(4)
    if change == 0 or not villages.exists():
        commune = _pick(
            rng,
            Area.objects.filter(
                level=Level.COMMUNE, path__startswith=rng.choice(["legacy/06/", "2025/19/"])
            ),
        )
        legacy = commune.edition == Edition.LEGACY
        Area.objects.create(
            edition=commune.edition, level=Level.VILLAGE, name=f"{RANDOM_VILLAGE} {n}",
            short_name=str(n), type_word="thôn", parent=commune,
            valid_from=rng.choice([None, _day(rng), None if legacy else V2025_VALID_FROM]),
            valid_until=rng.choice([None, _day(rng), D(2025, 6, 30) if legacy else None]),
        )  # fmt: skip
        return
    village = _pick(rng, villages)
    if change == 1:
        Area.objects.filter(pk=village.pk).update(valid_until=rng.choice([None, _day(rng)]))
    elif change == 2:
        Area.objects.filter(pk=village.pk).update(valid_from=rng.choice([None, _day(rng)]))
    else:
        Area.objects.filter(pk=village.pk, units__isnull=True).delete()


@pytest.fixture(scope="module")
def world(module_db, django_db_blocker):
    with django_db_blocker.unblock():
        divisions_load(edition=Edition.LEGACY, provinces=["06"])
        divisions_load(edition=Edition.V2025, provinces=["19"])
        admin = make_staff(username="quantri-aggregates")
        rng = random.Random(17)
        communes = list(
            Area.objects.filter(edition=Edition.LEGACY, level=Level.COMMUNE).order_by("code")
        )
        chosen = rng.sample(communes, 4)
        units = [unit_create(kind="bloc", area=c, decision_date=D(2020, 3, 1)) for c in chosen]
        units += [
            team_create_for_village(
                commune=c, village_name=f"Thôn {i}", decision_date=D(2020, 5, 1)
            )
            for i, c in enumerate(chosen[:3])
        ]
        # One village carried to a 2025 village; a 2025 bloc from the reform.
        successor = Area.objects.get(successions_in__predecessor=chosen[0])
        village = Area.objects.create(
            edition=Edition.V2025, level=Level.VILLAGE, name="Thôn Mới", short_name="Mới",
            type_word="thôn", parent=successor, valid_from=successor.valid_from,
        )  # fmt: skip
        Succession.objects.create(
            level=Level.VILLAGE, predecessor=units[4].area, successor=village,
            effective_on=V2025_VALID_FROM, batch_id="00000000-0000-0000-0000-000000000016",
        )  # fmt: skip
        units_map_2025()
        units.append(unit_create(kind="bloc", area=successor, decision_date=V2025_VALID_FROM))
        units.append(Unit.objects.create(kind="team", area=village))
        rated = units[0]
        units = list(Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("pk"))
        criteria_issue(admin=admin, province=Area.objects.get(edition="legacy", code="06"),
                       year=2024)  # fmt: skip
        rate(rated, admin=admin, year=2024, stage="decided", level=2)
        compactions = _writes(rng, units, 200, admin)
        # A last write left in the log, for the first reader to fold.
        active = Unit.objects.filter(
            pk__in=[u.pk for u in units], status=UnitStatus.ACTIVE, area_path__startswith="legacy/"
        ).order_by("pk")
        membership_add(unit=active[0], start_date=D(2021, 4, 5), **_person_data(rng, 200))
        return {
            "units": units,
            "communes": chosen,
            "successor": successor,
            "compactions": compactions,
            "ratings": Evaluation.objects.count(),
            "approved": Evaluation.objects.filter(stage="decided").count(),
            "villages": Area.objects.filter(name__startswith=RANDOM_VILLAGE).count(),
        }


def _places(world) -> list[Place]:
    legacy = [Area.objects.get(edition="legacy", code="06"), world["communes"][0].parent]
    legacy += world["communes"][:2]
    places = [Place(edition=Edition.LEGACY), Place(edition=Edition.V2025)]
    places += [Place(edition=Edition.LEGACY, area=a) for a in legacy]
    v2025 = [Area.objects.get(edition="2025", code="19"), world["successor"]]
    return places + [Place(edition=Edition.V2025, area=a) for a in v2025]


def _assert_exact(world) -> None:
    for place in _places(world):
        for day in DAYS:
            got = aggregates.aggregate_stats(place, day)
            json.dumps(got)  # plain numbers, as the API writes them
            assert got == area_stats(place, day), (
                place.path,
                day,
            )


def _totals() -> dict:
    return {
        (t.node, t.key, t.grain, t.day): t.total
        for t in StatTotal.objects.all()
        if t.total  # a rebuild writes no zero
    }


def _logged() -> bool:
    logs = (StatLogMembership, StatLogUnit, StatLogPerson, StatLogEvaluation)
    return any(m.objects.exists() for m in logs)


def test_aggregates_equal_the_straight_count_after_random_writes(world):
    assert 10 <= world["compactions"] <= 50
    assert world["approved"] >= 2
    assert world["villages"] >= 2
    assert _logged()  # writes after the last compaction: the reader compacts them
    _assert_exact(world)
    assert not _logged()
    incremental = _totals()
    assert any(key < 0 for _node, key, _grain, _day in incremental)  # approved ratings
    aggregates.rebuild()
    assert _totals() == incremental
    _assert_exact(world)


def test_every_door_is_logged_and_compacted(world):
    """An insert logs the id only; an update of a counted column and a delete log the
    row as it was; an update of nothing counted logs nothing."""
    aggregates.compact()
    unit = Unit.objects.filter(pk__in=[u.pk for u in world["units"]], status="active").first()
    seat = membership_add(unit=unit, start_date=D(2021, 2, 3), **_person_data(random.Random(3), 1))
    assert list(StatLogMembership.objects.values_list("item", "existed")) == [(seat.pk, False)]
    Person.objects.filter(pk=seat.person_id).update(full_name="Tên khác")
    assert not StatLogPerson.objects.exists()
    Membership.objects.filter(pk=seat.pk).update(start_date=D(2021, 2, 4))
    Membership.objects.filter(pk=seat.pk).delete()
    assert list(StatLogMembership.objects.order_by("seq").values_list("existed", "start_date")) == [
        (False, None),
        (True, D(2021, 2, 3)),
        (True, D(2021, 2, 4)),
    ]
    before = _totals()
    assert aggregates.compact() == 3
    assert _totals() == before  # inserted and deleted: nothing changed
    assert not _logged()


def test_a_rating_reopened_moved_and_deleted_stays_exact(world):
    """Each change of a rating changes the approved units of its year, exactly."""
    rating = Evaluation.objects.filter(stage="decided").order_by("pk").first()
    province = Place(edition=Edition.LEGACY, area=Area.objects.get(edition="legacy", code="06"))
    places = [Place(edition=Edition.LEGACY), province]

    def approved():
        for place in places:
            got = aggregates.aggregate_stats(place, D(2025, 6, 30))
            assert got == area_stats(place, D(2025, 6, 30))
        return got["ratings"]

    before = approved()
    Evaluation.objects.filter(pk=rating.pk).update(stage="decision")
    reopened = approved()
    assert reopened != before
    Evaluation.objects.filter(pk=rating.pk).update(stage="decided")
    assert approved() == before
    Evaluation.objects.filter(pk=rating.pk).update(year=2019)
    assert "2019" in approved()
    Evaluation.objects.filter(pk=rating.pk).delete()
    assert "2019" not in approved()


def test_more_writes_after_a_compaction_stay_exact(world):
    aggregates.compact()
    admin = make_staff(username="quantri-aggregates-2")
    _writes(random.Random(1616), world["units"], 40, admin)
    _assert_exact(world)


def test_an_answer_costs_the_same_queries_whatever_the_size(world):
    def cost(place):
        with CaptureQueriesContext(connection) as queries:
            aggregates.aggregate_stats(place, D(2025, 6, 30))
        return len(queries)

    places = _places(world)
    aggregates.compact()
    before = [cost(place) for place in places]
    assert max(before) <= 4
    rng = random.Random(7)
    for unit in Unit.objects.filter(pk__in=[u.pk for u in world["units"]], status="active"):
        for i in range(15):
            membership_add(unit=unit, start_date=_start(rng, unit), **_person_data(rng, 5000 + i))
    aggregates.compact()
    assert [cost(place) for place in places] == before
