"""Time `generate_demo` on a fresh database.

    python bench/generate_demo.py                       # national, PostgreSQL (danvan_bench_demo)
    python bench/generate_demo.py --edition 2025        # national on the 2025 edition
    python bench/generate_demo.py --sqlite-small        # small scale on SQLite, as `make run`

PostgreSQL: drops and creates the database danvan_bench_demo on 127.0.0.1, migrates,
loads the divisions of the edition, then runs `generate_demo --scale national` in a
subprocess and reports its wall time (Django start-up included), its peak resident
memory, the counts it wrote, and the time of a second run (which adds nothing). The
database is dropped at the end unless --keep is given.

SQLite: a temporary file, both editions loaded (as `make setup` does), then
`generate_demo --scale small` twice. The figures go in docs/PERFORMANCE.md.
"""

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "danvan_bench_demo"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
PG = ["-h", "127.0.0.1", "-U", "postgres"]

COUNTS_SQL = """
SELECT
  (SELECT count(*) FROM units_unit WHERE kind = 'bloc'),
  (SELECT count(*) FROM units_unit WHERE kind IN ('team', 'community_team')),
  (SELECT count(*) FROM units_unit WHERE kind = 'community_team'),
  (SELECT count(*) FROM units_area WHERE level = 'village'),
  (SELECT count(*) FROM members_membership),
  (SELECT count(*) FROM members_membership WHERE end_date IS NULL),
  (SELECT count(*) FROM members_person),
  (SELECT count(*) FROM (SELECT person_id FROM members_membership
                         GROUP BY person_id HAVING count(*) > 1) AS two),
  (SELECT round(100.0 * avg(party_member::int), 1) FROM members_person),
  (SELECT round(100.0 * avg((gender = 'female')::int), 1) FROM members_person),
  (SELECT round(100.0 * avg((ethnicity <> 'Kinh')::int), 1) FROM members_person),
  pg_size_pretty(pg_database_size(current_database()))
"""
COUNT_LABELS = [
    "blocs",
    "teams",
    "of which community teams",
    "villages",
    "memberships (all)",
    "memberships (open)",
    "people",
    "people in two or more units",
    "Party members, %",
    "women, %",
    "ethnic minorities, %",
    "database size",
]


def manage(env, *args):
    """Run manage.py; return (wall seconds, peak RSS in MiB, last output line).

    ``os.wait4`` reaps the child itself, so the peak RSS is this child's alone (not the
    maximum over earlier children, as RUSAGE_CHILDREN would give)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=out, stderr=err
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if process.returncode:
            sys.stderr.write(err.read())
            raise SystemExit(f"manage.py {' '.join(args)} failed")
        lines = out.read().strip().splitlines()
    return elapsed, usage.ru_maxrss / 1024, lines[-1] if lines else ""


def postgres(options):
    env = dict(os.environ, DANVAN_ENV="development", LOG_LEVEL="WARNING", DATABASE_URL=PG_URL)
    subprocess.run(["dropdb", *PG, "--if-exists", DB_NAME], check=True)
    subprocess.run(["createdb", *PG, DB_NAME], check=True)
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "load_divisions", "--edition", options.edition)
        first = manage(env, "generate_demo", "--scale", "national", "--edition", options.edition)
        second = manage(env, "generate_demo", "--scale", "national", "--edition", options.edition)
        values = subprocess.run(
            ["psql", *PG, "-At", "-F", "|", "-d", DB_NAME, "-c", COUNTS_SQL],
            check=True, capture_output=True, text=True,
        ).stdout.strip().split("|")  # fmt: skip
        version = subprocess.run(
            ["psql", *PG, "-At", "-d", DB_NAME, "-c", "SHOW server_version"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
    finally:
        if not options.keep:
            subprocess.run(["dropdb", *PG, "--if-exists", DB_NAME], check=True)

    print(
        f"generate_demo --scale national --edition {options.edition} on PostgreSQL {version}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"  first run      {first[0]:7.1f} s   peak RSS {first[1]:6.0f} MiB")
    print(f"  second run     {second[0]:7.1f} s   peak RSS {second[1]:6.0f} MiB (adds nothing)")
    print(f"  output: {first[2]}")
    for label, value in zip(COUNT_LABELS, values, strict=True):
        print(f"  {label:30} {value}")


def sqlite_small():
    env = dict(os.environ, DANVAN_ENV="development", LOG_LEVEL="WARNING")
    with tempfile.TemporaryDirectory() as tmp:
        env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        manage(env, "migrate", "--noinput")
        manage(env, "load_divisions", "--edition", "2025")
        manage(env, "load_divisions", "--edition", "legacy")
        first = manage(env, "generate_demo", "--scale", "small")
        second = manage(env, "generate_demo", "--scale", "small")
    print(f"generate_demo --scale small on SQLite, Python {platform.python_version()}")
    print(f"  first run      {first[0]:6.2f} s   peak RSS {first[1]:5.0f} MiB   {first[2]}")
    print(f"  second run     {second[0]:6.2f} s   peak RSS {second[1]:5.0f} MiB   {second[2]}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--edition", choices=["legacy", "2025"], default="legacy")
    parser.add_argument("--sqlite-small", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    options = parser.parse_args()
    if options.sqlite_small:
        sqlite_small()
    else:
        postgres(options)


if __name__ == "__main__":
    main()
