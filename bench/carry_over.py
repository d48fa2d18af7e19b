"""The carry-over of a legacy province onto the 2025 map, timed (issue 11: a province of
20,000 memberships in ≤ 10 s on PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan_bench \\
        .venv/bin/python bench/carry_over.py [--memberships 20000] [--runs 2]

Loads legacy Bắc Kạn (06) and 2025 Thái Nguyên (19) with their succession (the real
package), then writes a synthetic roster into legacy Bắc Kạn in bulk: a bloc of 10 in each
of its 108 communes and teams of 9 in as many villages as it takes to reach
``--memberships`` (each team member a person of their own, bloc members seated in a team
too when there are enough). Each run applies ``carry_over_apply`` (the path of the command
and the wizard, audit trail included), checks the counts, then undoes it (timed too), so
runs repeat on the same data. The roster is deleted at the end unless ``--keep``.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from members.carry_over import carry_over_apply, carry_over_undo  # noqa: E402
from members.models import Membership, Person  # noqa: E402
from units.choices import LEGACY_VALID_UNTIL, Edition, Level, UnitKind  # noqa: E402
from units.models import Area, Reorganisation, Unit  # noqa: E402
from units.services import divisions_load  # noqa: E402

BLOC_SIZE, TEAM_SIZE = 10, 9
JOINED = datetime.date(2022, 1, 10)


def _roster(legacy: Area, memberships: int) -> None:
    """Bulk-write a synthetic roster (a benchmark fixture: no audit trail needed)."""
    communes = list(Area.objects.filter(level=Level.COMMUNE, path__startswith=legacy.path))
    people = []
    for n in range(memberships):
        person = Person(full_name=f"Người Thử {n}", birth_year=1960 + n % 40, province=legacy)
        person.gender = "female" if n % 2 else "male"
        person.party_member = n % 3 == 0
        person.fill_derived_fields()
        people.append(person)
    Person.objects.bulk_create(people, batch_size=5000)
    blocs = []
    for commune in communes:
        bloc = Unit(kind=UnitKind.BLOC, area=commune)
        bloc.fill_derived_fields()
        blocs.append(bloc)
    Unit.objects.bulk_create(blocs)
    seats = []
    people_iter = iter(people)
    for bloc in blocs:
        for index in range(BLOC_SIZE):
            seats.append(
                Membership(
                    unit=bloc, person=next(people_iter), role="head" if index == 0 else "member",
                    start_date=JOINED, area_path=bloc.area_path,
                )
            )  # fmt: skip
    remaining = memberships - len(seats)
    villages = []
    for n in range(-(-remaining // TEAM_SIZE)):
        commune = communes[n % len(communes)]
        village = Area(
            edition=Edition.LEGACY, level=Level.VILLAGE, parent=commune,
            name=f"Thôn {n // len(communes) + 1}", short_name="", type_word="thôn",
            valid_until=LEGACY_VALID_UNTIL,
        )  # fmt: skip
        village.fill_derived_fields()
        villages.append(village)
    Area.objects.bulk_create(villages, batch_size=2000)
    teams = []
    for village in villages:
        team = Unit(kind=UnitKind.TEAM, area=village)
        team.fill_derived_fields()
        teams.append(team)
    Unit.objects.bulk_create(teams, batch_size=2000)
    # Bloc members sit in teams too (a commune officer in a village team): people are
    # reused from the start once the fresh ones run out.
    pool = people[len(seats) :] + people[: len(seats)]
    for index in range(remaining):
        team = teams[index // TEAM_SIZE]
        seats.append(
            Membership(
                unit=team, person=pool[index], role="head" if index % TEAM_SIZE == 0 else "member",
                start_date=JOINED, area_path=team.area_path,
            )
        )  # fmt: skip
    Membership.objects.bulk_create(seats, batch_size=5000)


def _clean(legacy: Area) -> None:
    """Remove every roster of the two provinces (the benchmark's own data)."""
    paths = [legacy.path, "2025/19/"]
    for path in paths:
        Reorganisation.objects.filter(area_path__startswith=path).delete()
    from units.models import Succession, UnitLineage

    UnitLineage.objects.all().delete()
    Succession.objects.filter(batch_id__isnull=False).delete()
    for path in paths:
        Membership.objects.filter(area_path__startswith=path).delete()
        Unit.objects.filter(area_path__startswith=path).delete()
        Area.objects.filter(level=Level.VILLAGE, path__startswith=path).delete()
    Person.objects.filter(province__path__in=paths).delete()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--memberships", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the roster at the end")
    args = parser.parse_args()
    print(f"database: {connection.vendor}")
    divisions_load(edition=Edition.LEGACY, provinces=["06"])
    divisions_load(edition=Edition.V2025, provinces=["19"])
    legacy = Area.objects.get(edition=Edition.LEGACY, level=Level.PROVINCE, code="06")
    with transaction.atomic():
        _clean(legacy)
        started = time.perf_counter()
        _roster(legacy, args.memberships)
    seats = Membership.objects.filter(area_path__startswith=legacy.path).count()
    print(f"roster written: {seats} memberships in {time.perf_counter() - started:.1f}s")
    for run in range(args.runs):
        started = time.perf_counter()
        result = carry_over_apply(legacy_province=legacy)
        applied = time.perf_counter() - started
        assert not result.errors, result.errors
        print(f"run {run + 1}: apply {applied:.2f}s counts={result.counts} people={result.people}")
        started = time.perf_counter()
        again = carry_over_apply(legacy_province=legacy)
        print(f"run {run + 1}: re-run {time.perf_counter() - started:.2f}s counts={again.counts}")
        started = time.perf_counter()
        carry_over_undo(reorganisation=result.reorganisation)
        print(f"run {run + 1}: undo {time.perf_counter() - started:.2f}s")
    if not args.keep:
        with transaction.atomic():
            _clean(legacy)


if __name__ == "__main__":
    main()
