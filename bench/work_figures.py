"""A province's year of daily work summarised: activities by kind (count, participants,
people reached, work-days), opinions received / answered / overdue and hot spots, for
the province and for each of its communes, as the yearly periodic report needs them
(``work.figures``). Target (issue 13): about 150,000 rows for a province of 2,000 teams
in ≤ 2 s on PostgreSQL, in a constant number of queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan_i13work \\
        .venv/bin/python bench/work_figures.py [--province 19] [--rows 150000] [--runs 5]

Needs the province's demo units (``generate_demo --scale province --province 19``: 92
blocs and 2,221 teams for Thái Nguyên on the 2025 map). The first run adds the rows
(``--rows`` in all, four activities for each opinion, spread over the last 365 days,
written with bulk_create and no audit rows, marked "[bench]" so that a later run finds
them and adds none); ``--drop`` removes them.
"""

import argparse
import csv
import datetime
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from units.choices import Edition, Level  # noqa: E402
from units.models import Area, Unit  # noqa: E402
from work import figures  # noqa: E402
from work.choices import ActivityKind, OpinionChannel, OpinionTopic, Severity  # noqa: E402
from work.imports import COLUMNS, activity_import  # noqa: E402
from work.models import Activity, Opinion  # noqa: E402

MARK = "[bench]"
COMMUNE_SEGMENT = 6


def _rows(province: Area, total: int, today: datetime.date) -> tuple[int, int]:
    units = list(Unit.objects.under(province).values_list("pk", "area_path"))
    if not units:
        sys.exit(f"{province.name} has no units: run generate_demo --scale province first.")
    have = Activity.objects.filter(description=MARK).count()
    have += Opinion.objects.filter(summary=MARK).count()
    if have >= total:
        return len(units), have
    rng = random.Random(13)
    kinds, channels, topics = list(ActivityKind), list(OpinionChannel), list(OpinionTopic)
    activities, opinions = [], []
    for number in range(total - have):
        unit_id, path = units[number % len(units)]
        day = today - datetime.timedelta(days=rng.randrange(365))
        if number % 5:
            kind = rng.choice(kinds)
            activities.append(
                Activity(
                    unit_id=unit_id,
                    area_path=path,
                    kind=kind,
                    date=day,
                    place="",
                    participants=rng.randint(4, 12),
                    people_reached=rng.randint(0, 150),
                    work_days=rng.randint(5, 60) if kind == ActivityKind.WORK_DAYS else None,
                    description=MARK,
                )
            )
            continue
        opinion = Opinion(
            unit_id=unit_id,
            area_path=path,
            received_on=day,
            channel=rng.choice(channels),
            topic=rng.choice(topics),
            summary=MARK,
            due_on=day + datetime.timedelta(days=15),
        )
        if rng.random() < 0.8:
            opinion.answered_on = min(day + datetime.timedelta(days=rng.randint(1, 25)), today)
            opinion.answer, opinion.answered_by, opinion.status = (
                "Đã trả lời",
                "UBND xã",
                "answered",
            )
        if rng.random() < 0.02:
            opinion.hot_spot_severity = rng.choice(list(Severity))
            opinion.hot_spot_since = day
        opinions.append(opinion)
    Activity.objects.bulk_create(activities, batch_size=5000)
    Opinion.objects.bulk_create(opinions, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE work_activity")
        cursor.execute("ANALYZE work_opinion")
    return len(units), total


def _time_import(province: Area, count: int, today: datetime.date) -> None:
    """An activities workbook (CSV) of ``count`` team rows of the province, imported by
    the system (no scope), then removed again."""
    teams = list(
        Unit.objects.under(province)
        .filter(kind="team")
        .select_related("area", "commune")
        .order_by("pk")[:500]
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for number in range(count):
        team = teams[number % len(teams)]
        day = today - datetime.timedelta(days=number % 300)
        writer.writerow(
            [team.commune.code, "", team.area.name, "Tổ dân vận", day.strftime("%d/%m/%Y"),
             "Tuyên truyền", "", 8, 40 + number % 50, "", f"{MARK} nhập {number}"]
        )  # fmt: skip
    data = buffer.getvalue().encode("utf-8-sig")
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = activity_import(data, filename="bench.csv")
    elapsed = time.perf_counter() - started
    assert not result.errors, result.errors[:3]
    print(
        f"import of {count} rows ({len(data) // 1024} KB CSV): {elapsed:.1f}s, "
        f"{len(queries)} queries, created={result.created} "
        f"({count / elapsed:.0f} rows/s, audit rows included)"
    )
    # Removed without signals (no "deleted" history rows for bench data).
    imported = Activity.objects.filter(description__startswith=f"{MARK} nhập")
    Activity.history.filter(id__in=imported.values("pk"))._raw_delete(connection.alias)
    imported._raw_delete(connection.alias)


def _timed(call, runs: int) -> tuple[float, int]:
    times, count = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
        count = len(queries)
    return statistics.median(times), count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--province", default="19")
    parser.add_argument("--rows", type=int, default=150_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--drop", action="store_true")
    parser.add_argument(
        "--import-rows", type=int, default=0, help="also time an import of this many rows"
    )
    args = parser.parse_args()
    if args.drop:
        Activity.objects.filter(description=MARK)._raw_delete(connection.alias)
        Opinion.objects.filter(summary=MARK)._raw_delete(connection.alias)
        return
    province = Area.objects.get(edition=Edition.V2025, level=Level.PROVINCE, code=args.province)
    today = timezone.localdate()
    started = time.perf_counter()
    units, rows = _rows(province, args.rows, today)
    print(
        f"{province.name}: {units} units, {rows} bench rows ({time.perf_counter() - started:.1f}s)"
    )
    activities = Activity.objects.filter(area_path__startswith=province.path).count()
    opinions = Opinion.objects.filter(area_path__startswith=province.path).count()
    print(f"rows under the province: activities={activities} opinions={opinions}")
    path, start = province.path, today - datetime.timedelta(days=364)
    communes = len(path) + COMMUNE_SEGMENT
    calls = {
        "year summary, province (work_summary)": lambda: figures.work_summary(
            path=path, date_from=start, date_to=today
        ),
        "year summary, every commune (work_summary_by_key)": lambda: figures.work_summary_by_key(
            paths=path, key_length=communes, date_from=start, date_to=today
        ),
        "figures on a day, province (work_figures)": lambda: figures.work_figures(
            path=path, day=today
        ),
        "figures on a day, every commune (work_figures_by_key)": lambda: (
            figures.work_figures_by_key(paths=path, key_length=communes, day=today)
        ),
    }
    total = 0.0
    for name, call in calls.items():
        seconds, queries = _timed(call, args.runs)
        total += seconds
        print(f"{name}: median {seconds * 1000:.0f} ms, {queries} queries")
    print(f"the four together: {total * 1000:.0f} ms")
    if args.import_rows:
        _time_import(province, args.import_rows, today)
    summary = figures.work_summary(path=path, date_from=start, date_to=today)
    print(
        "check: activities={count} people_reached={reached} received={received} "
        "answered={answered} overdue={overdue} hot_spots_open={hot}".format(
            count=summary["activities"]["total"]["count"],
            reached=summary["activities"]["total"]["people_reached"],
            received=summary["opinions"]["received"],
            answered=summary["opinions"]["answered"],
            overdue=summary["opinions"]["overdue"],
            hot=summary["opinions"]["hot_spots"]["open"],
        )
    )


if __name__ == "__main__":
    main()
