"""The statistics on either map: the cost of counting legacy units on the 2025 map.

    python bench/stats_maps.py            # data, then the timings (about 5 minutes)
    python bench/stats_maps.py --reuse    # timings only, on the database kept before

1. Data: drops and creates the PostgreSQL database danvan_bench_maps on 127.0.0.1,
   migrates, loads both editions (the lineage comes with the second) and runs
   ``generate_demo --scale province --edition legacy --province 38`` (legacy Thanh Hóa,
   about 43,000 memberships; its 2025 successor is Thanh Hóa, 38).
2. ``reports.stats.area_stats`` called directly (no cache), three runs each (median),
   with the number of queries: the legacy map (units placed by their own area) and the
   2025 map (legacy units placed on the new borders by ``Unit.map_path``) on 31/12/2024,
   for the province and the whole installation; and the 2025 map on 01/12/2026.

The database is kept (``--reuse`` times again without rebuilding it). Figures go in
docs/PERFORMANCE.md.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "danvan_bench_maps"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
PG = ["-h", "127.0.0.1", "-U", "postgres"]

TIMINGS = r"""
import datetime, json, statistics, time
from django.db import connection
from django.test.utils import CaptureQueriesContext
from members.models import Membership
from reports.stats import Place, area_stats
from units.models import Area

out = {"memberships": Membership.objects.count(), "rows": []}
cases = [
    ("legacy", "38", datetime.date(2024, 12, 31)),
    ("2025", "38", datetime.date(2024, 12, 31)),
    ("legacy", None, datetime.date(2024, 12, 31)),
    ("2025", None, datetime.date(2024, 12, 31)),
    ("2025", "38", datetime.date(2026, 12, 1)),
]
for edition, code, day in cases:
    area = Area.objects.get(edition=edition, code=code) if code else None
    place = Place(edition=edition, area=area)
    times = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            figures = area_stats(place, day)
            times.append((time.perf_counter() - started) * 1000)
    out["rows"].append({
        "map": edition, "area": code or "country", "day": day.isoformat(),
        "median_ms": round(statistics.median(times)), "first_ms": round(times[0]),
        "queries": len(queries), "bloc_members": figures["bloc_members"],
        "team_members": figures["team_members"], "people": figures["people"],
    })
print("JSON" + json.dumps(out))
"""


def run(env, *args, capture=False):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout if capture else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reuse", action="store_true", help="reuse the kept database")
    options = parser.parse_args()
    env = dict(os.environ, DANVAN_ENV="development", LOG_LEVEL="WARNING", DATABASE_URL=PG_URL)
    if not options.reuse:
        subprocess.run(["dropdb", *PG, "--if-exists", DB_NAME], check=True)
        subprocess.run(["createdb", *PG, DB_NAME], check=True)
        run(env, "migrate", "--noinput")
        run(env, "load_divisions", "--edition", "legacy")
        run(env, "load_divisions", "--edition", "2025")
        run(env, "generate_demo", "--scale", "province", "--edition", "legacy", "--province", "38")
    out = run(env, "shell", "-c", TIMINGS, capture=True)
    result = json.loads(out.split("JSON", 1)[1])
    result["loadavg"] = os.getloadavg()
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
