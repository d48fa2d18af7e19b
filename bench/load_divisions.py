"""Time `load_divisions` on a fresh database: legacy, legacy again, then 2025.

    python bench/load_divisions.py                 # embedded SQLite (a temporary file)
    python bench/load_divisions.py --postgres      # database danvan_bench on 127.0.0.1

Each step runs `manage.py` in a subprocess, as an administrator would, and the wall time
includes Django start-up. The figures go in docs/PERFORMANCE.md.
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
PG_URL = "postgres://postgres@127.0.0.1:5432/danvan_bench"


def manage(env, *args):
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
        capture_output=True,
    )  # fmt: skip
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    options = parser.parse_args()
    env = dict(os.environ, DANVAN_ENV="development", LOG_LEVEL="WARNING")
    with tempfile.TemporaryDirectory() as tmp:
        if options.postgres:
            for cmd in ("dropdb", "createdb"):
                args = ["--if-exists"] if cmd == "dropdb" else []
                subprocess.run(
                    [cmd, "-h", "127.0.0.1", "-U", "postgres", *args, "danvan_bench"], check=True
                )
            env["DATABASE_URL"] = PG_URL
        else:
            env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        backend = "PostgreSQL" if options.postgres else "SQLite"
        manage(env, "migrate", "--noinput")
        rows = [
            ("legacy, first load", manage(env, "load_divisions", "--edition", "legacy")),
            ("legacy, second run", manage(env, "load_divisions", "--edition", "legacy")),
            ("2025, first load", manage(env, "load_divisions", "--edition", "2025")),
        ]  # fmt: skip
    python = platform.python_version()
    print(f"load_divisions on {backend}, {os.cpu_count()} cores, Python {python}")
    for label, seconds in rows:
        print(f"  {label:32} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
