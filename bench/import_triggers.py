"""What the statistics' logging triggers (reports 0005) cost the 18,000-row roster import.

    python bench/import_triggers.py

Runs ``bench/import_roster.py --skip-baseline`` twice in a row, on its own database
(danvan_bench_import_triggers, so as not to meet another run of that bench): once as
migrated (the triggers on), once with the triggers dropped right after the migration
(the log then stays empty and the compaction after the commit finds nothing to fold).
Prints both outputs; the figures go in docs/PERFORMANCE.md ("Statistics without a
cache"). The database is dropped at the end.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import import_roster  # noqa: E402

DB_NAME = "danvan_bench_import_triggers"


def _drop_triggers(name: str) -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    from reports.aggregates_sql import uninstall_sql

    sql = "\n".join(uninstall_sql())
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", name, "-q", "-c", sql], check=True
    )


def run(with_triggers: bool) -> None:
    original = import_roster.createdb

    def createdb(name, env):
        env = original(name, env)
        if not with_triggers:
            _drop_triggers(name)
        return env

    import_roster.createdb = createdb
    import_roster.DB_MAIN = DB_NAME
    sys.argv = ["import_roster.py", "--skip-baseline"]
    print(f"--- triggers {'on' if with_triggers else 'off'}", flush=True)
    try:
        import_roster.main()
    finally:
        import_roster.createdb = original


if __name__ == "__main__":
    run(with_triggers=True)
    run(with_triggers=False)
