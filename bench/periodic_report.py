"""A province's yearly periodic report assembled: every figure of the report
(``reports.periodic.figures.periodic_figures``: activities by kind, opinions, hot
spots, "Dân vận khéo" models, roster changes, ratings of the year) and the Word
document (``reports.periodic.document.report_document``). Target (issue 13): about
150,000 rows for a province of 2,000 teams in ≤ 2 s on PostgreSQL, in a constant
number of queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan_i13-models \\
        .venv/bin/python bench/periodic_report.py [--province 19] [--rows 150000] [--runs 5]

Needs the province's demo units (``generate_demo --scale province --province 19``); the
rows are those of ``bench/work_figures.py`` (added on the first run, marked "[bench]",
spread over the last 365 days): the report's year is the last 365 days' calendar year
of most of them, so the period asked is the current year and the previous one.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

# bench.work_figures sets Django up (and adds the rows).
from bench.work_figures import _rows
from reports.periodic.document import report_document
from reports.periodic.figures import periodic_figures
from reports.periodic.periods import parse_period
from units.choices import Edition, Level
from units.models import Area


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--province", default="19")
    parser.add_argument("--rows", type=int, default=150_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    province = Area.objects.get(edition=Edition.V2025, level=Level.PROVINCE, code=args.province)
    today = timezone.localdate()
    units, rows = _rows(province, args.rows, today)
    print(f"{province.name}: {units} units, {rows} bench rows")
    for code in (str(today.year), str(today.year - 1)):
        period = parse_period(code)
        times, counts, sizes = [], [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                figures = periodic_figures(path=province.path, period=period)
            content = report_document(area=province, period=period, figures=figures, day=today)
            times.append(time.perf_counter() - started)
            counts.append(len(queries))
            sizes.append(len(content))
        total = figures["activities"]["total"]["count"]
        print(
            f"year {code}: median {statistics.median(times) * 1000:.0f} ms "
            f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}), "
            f"{counts[-1]} queries, {total} activities, "
            f"{figures['opinions']['received']} opinions, {sizes[-1] // 1024} KB .docx"
        )


if __name__ == "__main__":
    main()
