"""The country's statistics after an edit in one province: the straight count (what a
cold country cost before per-province versions) against the cached sum (only the
edited province recomputed).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan_statsh \\
        .venv/bin/python bench/stats_edit.py [--edition legacy] [--runs 3]

Needs a database with national demo data (docs/PERFORMANCE.md). Edits one person (a
save, committed) before each run, in the province ``--province`` (a code; default: the
first person found); the default local memory cache of this process holds the figures.
"""

import argparse
import os
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

from members.models import Person  # noqa: E402
from reports.stats import Place, area_stats, area_stats_cached  # noqa: E402
from units.selectors import edition_default, editions_loaded  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--edition", default=None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--province", default=None, help="province code of the edit")
    args = parser.parse_args()
    edition = args.edition or edition_default(editions_loaded())
    day = timezone.localdate()
    country = Place(edition=edition)
    started = time.perf_counter()
    area_stats_cached(country, day)
    print(f"edition={edition} all provinces cold (batched): {time.perf_counter() - started:.2f}s")
    people = Person.objects.filter(province__edition=edition, memberships__end_date__isnull=True)
    if args.province:
        people = people.filter(province__code=args.province)
    person = people.first()
    straight, summed = [], []
    for _ in range(args.runs):
        person.save()  # autocommit: bumps the person's province
        begun = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            cached = area_stats_cached(country, day)
        summed.append(time.perf_counter() - begun)
        count = len(queries)
        begun = time.perf_counter()
        expected = area_stats(country, day)
        straight.append(time.perf_counter() - begun)
        assert cached == expected, "the summed country differs from the straight count"
    print(
        f"after an edit in {person.province.name}: straight area_stats (before) "
        f"median {statistics.median(straight):.2f}s; cached sum (after) median "
        f"{statistics.median(summed):.3f}s, {count} queries; equal: yes"
    )


if __name__ == "__main__":
    main()
