"""The statistics API with no cache at all, read from the maintained aggregates.

    python bench/stats_nocache.py --build       # a fresh national demo (both maps), then timings
    python bench/stats_nocache.py --database-url postgres://postgres@127.0.0.1:5432/NAME

1. Data (``--build``): drops and creates the PostgreSQL database danvan_bench_nocache,
   migrates (the logging triggers come with reports 0005), loads both editions and runs
   ``generate_demo --scale national --edition legacy`` (about 770,000 memberships); the
   database is kept. Otherwise the database given is used as it is.
2. In ``manage.py shell`` with ``CACHE_URL=dummycache://``: the province with the most
   memberships, its commune with the most, the 2025 province and commune they stand in,
   and for each map the country, the province and the commune on 31/12/2024 and today:
   ``N`` requests to ``/api/v1/stats/...`` through Django's test client (the whole view:
   versions, lookups, the figures, the JSON), median and slowest, with the number of
   queries of one request; then each answer compared field by field with the straight
   count (``reports.stats.area_stats``, the reference) and the straight count's time.
3. What a reader pays after writes: one seat edited six times, the country asked after
   each edit (that reader folds the log first); and ``--fold`` seats of the province
   (18,000 by default, an import's size) edited in one statement, twice, each time the
   log folded by ``reports.aggregates.compact`` and timed.

The figures go in docs/PERFORMANCE.md ("Statistics without a cache").
"""

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "danvan_bench_nocache"
PG = ["-h", "127.0.0.1", "-U", "postgres"]

TIMINGS = r"""
import datetime, json, statistics, time
from django.db import connection
from django.db.models import Count
from django.db.models.functions import Substr
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from members.models import Membership
from reports import aggregates
from reports.disclosure import public_figures
from reports.stats import Place, area_stats
from units.models import Area, Unit

N = int(os.environ["BENCH_N"])

def biggest(field, length, prefix):
    row = (Membership.objects.filter(**{f"{field}__startswith": prefix})
           .annotate(k=Substr(field, 1, length)).values("k")
           .annotate(n=Count("pk")).order_by("-n").first())
    return Area.objects.get(path=row["k"])

province = biggest("area_path", 10, "legacy/")
commune = Area.objects.filter(level="commune", path__startswith=province.path).annotate(
    n=Count("units__memberships")).order_by("-n").first()
province_2025 = biggest("unit__map_path", 8, "2025/")
commune_2025 = biggest("unit__map_path", 14, province_2025.path)
today = timezone.localdate()
client = Client(HTTP_HOST="localhost")
out = {"memberships": Membership.objects.count(), "today": today.isoformat(), "rows": []}
out["log_compacted"] = aggregates.compact()
for edition, areas in (("legacy", (None, province, commune)),
                       ("2025", (None, province_2025, commune_2025))):
    for day in (datetime.date(2024, 12, 31), today):
        for area in areas:
            url = f"/api/v1/stats/{area.code + '/' if area else ''}?edition={edition}&date={day}"
            times = []
            for i in range(N):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            place = Place(edition=edition, area=area)
            got = response.json()
            expected, straight = got, None
            if os.environ["BENCH_CHECK"] == "1":
                started = time.perf_counter()
                expected = json.loads(json.dumps(public_figures(area_stats(place, day))))
                straight = round((time.perf_counter() - started) * 1000)
            out["rows"].append({
                "map": edition, "area": area.name if area else "country", "day": day.isoformat(),
                "median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1),
                "queries": len(queries), "exact": got == expected,
                "straight_ms": straight, "bloc_members": got["bloc_members"],
                "people": got["people"],
            })
# What a reader pays after writes: one seat's dates edited, then the country asked
# (the reader folds the log first); and the log of ``BENCH_FOLD`` seats of the
# province edited in one statement folded by ``compact`` (as after an import).
from django.db.models import F
import datetime as dt
url = "/api/v1/stats/?edition=legacy&date=" + today.isoformat()
seat = Membership.objects.filter(area_path__startswith=province.path).order_by("pk").first()
edited = []
for step in (1, -1, 1, -1, 1, -1):
    shift = F("start_date") + dt.timedelta(days=step)
    Membership.objects.filter(pk=seat.pk).update(start_date=shift)
    started = time.perf_counter()
    assert client.get(url).status_code == 200
    edited.append((time.perf_counter() - started) * 1000)
out["edited_ms"] = round(statistics.median(edited), 1)
ids = list(Membership.objects.filter(area_path__startswith=province.path, start_date__isnull=False)
           .order_by("pk").values_list("pk", flat=True)[: int(os.environ["BENCH_FOLD"])])
folds = []
for step in (1, -1):
    shift = F("start_date") + dt.timedelta(days=step)
    Membership.objects.filter(pk__in=ids).update(start_date=shift)
    started = time.perf_counter()
    consumed = aggregates.compact()
    folds.append(((time.perf_counter() - started) * 1000, consumed))
out["fold"] = folds
if os.environ["BENCH_CHECK"] == "1":
    straight = area_stats(Place(edition="legacy", area=province), today)
    got = client.get(f"/api/v1/stats/{province.code}/?edition=legacy&date={today}").json()
    out["fold_exact"] = json.loads(json.dumps(public_figures(straight))) == got
print("JSON" + json.dumps(out))
"""


def manage(env, *args, capture=False):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, capture_output=capture, text=True,
    )  # fmt: skip
    if result.returncode:
        raise SystemExit(f"manage.py {args[0]} failed:\n{(result.stderr or '')[-3000:]}")
    return result.stdout if capture else None


def build(env) -> None:
    subprocess.run(["dropdb", *PG, "--if-exists", DB_NAME], check=True)
    subprocess.run(["createdb", *PG, DB_NAME], check=True)
    manage(env, "migrate", "--noinput")
    manage(env, "load_divisions", "--edition", "legacy")
    manage(env, "load_divisions", "--edition", "2025")
    manage(env, "generate_demo", "--scale", "national", "--edition", "legacy")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--database-url", default=f"postgres://postgres@127.0.0.1:5432/{DB_NAME}")
    parser.add_argument("-n", type=int, default=9, help="requests per case")
    parser.add_argument(
        "--no-check", action="store_true", help="skip the straight count (the reference)"
    )
    parser.add_argument(
        "--fold", type=int, default=18_000, help="seats edited at once, then the log folded"
    )
    options = parser.parse_args()
    env = dict(
        os.environ,
        DANVAN_ENV="development",
        LOG_LEVEL="WARNING",
        DATABASE_URL=options.database_url,
        CACHE_URL="dummycache://",
        BENCH_N=str(options.n),
        BENCH_CHECK="0" if options.no_check else "1",
        BENCH_FOLD=str(options.fold),
    )
    if options.build:
        build(env)
    output = manage(env, "shell", "-c", "import os\n" + TIMINGS, capture=True)
    data = json.loads(output.split("JSON", 1)[1])
    load = os.getloadavg()
    print(
        f"{data['memberships']:,} memberships, CACHE_URL=dummycache://, {options.n} requests "
        f"per case, {os.cpu_count()} cores, Python {platform.python_version()}, load average "
        f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; log compacted first: "
        f"{data['log_compacted']} rows"
    )
    print("\n| map | area | date | median | slowest | queries | exact | straight count |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in data["rows"]:
        print(
            f"| {row['map']} | {row['area']} | {row['day']} | {row['median_ms']} ms | "
            f"{row['max_ms']} ms | {row['queries']} | {'yes' if row['exact'] else 'NO'} | "
            f"{row['straight_ms'] or '-'} ms |"
        )
    print(
        f"\nthe country asked right after one seat's edit (the reader folds the log): "
        f"median {data['edited_ms']} ms of 6"
    )
    for ms, consumed in data["fold"]:
        print(f"compact() after {consumed:,} seats edited in one statement: {ms:.0f} ms")
    if "fold_exact" in data:
        print(f"province exact after the folds: {'yes' if data['fold_exact'] else 'NO'}")
    if not options.no_check and not all(row["exact"] for row in data["rows"]):
        raise SystemExit("an answer differs from the straight count")


if __name__ == "__main__":
    main()
