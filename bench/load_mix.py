"""Load: readers on the public pages, staff editing rosters and one import, together
(issue 16).

    python bench/load_mix.py --reuse        # on bench/public_http.py's kept database
    python bench/load_mix.py --seconds 60   # builds the database first (as public_http)

What it does, against gunicorn (danvan/gunicorn.py, ``--workers`` sync workers) on
127.0.0.1 with the default per-process cache:
1. ``--connections`` (50) wrk connections for ``--seconds`` (60) cycling over the public
   pages of bench/public_http.py (home, news, an article, documents, a document, the
   statistics pages and the API of the country and a province);
2. meanwhile ``--staff`` (5) staff users, each logged in through the login form, record
   departures one after the other (GET the form, POST it: a roster edit that bumps the
   province's data version, so the statistics and the home page are recomputed);
3. meanwhile one ``import_roster`` of a ``--rows`` workbook of another province
   (bench/import_roster.py writes it) runs in its own process, as the worker would;
4. prints the readers' rate, p50/p95/p99 and errors (wrk; a reader waits ``--timeout``
   seconds, 30 by default, as a browser would, where wrk's own default is 2), the staff
   edits' count,
   p50/p95/p99 and errors, and the import's time and exit status.
"""

import argparse
import datetime
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import public_http
from import_roster import generate
from news_http import ROOT, free_port, get, manage, start_gunicorn, stop

PASSWORD = "mat-khau-thu-nghiem-2026"  # noqa: S105 (tests.factories.UserFactory's)

SETUP = """
import datetime
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from members.models import Membership
from tests.factories import make_staff
for n in range({staff}):
    if not get_user_model().objects.filter(username=f"tai_{{n}}").exists():
        make_staff("system_admin", username=f"tai_{{n}}")
day = timezone.localdate() - datetime.timedelta(days=1)
seats = Membership.objects.filter(Q(start_date__isnull=True) | Q(start_date__lt=day),
                                  end_date__isnull=True).order_by("pk")
print(" ".join(str(pk) for pk in seats.values_list("pk", flat=True)[:20000]))
"""


class Staff(threading.Thread):
    def __init__(self, port, username, seats, lock, until):
        super().__init__(daemon=True)
        self.port, self.username, self.seats, self.lock, self.until = (
            port, username, seats, lock, until,
        )  # fmt: skip
        self.cookies: dict[str, str] = {}
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = dict(headers or {})
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        connection.close()
        return response.status, data

    def post_form(self, path, fields):
        _status, page = self.request("GET", path)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urlencode({**fields, "csrfmiddlewaretoken": token.decode()})
        return self.request(
            "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"}
        )

    def run(self):
        status, _ = self.post_form(
            "/tai-khoan/login/", {"username": self.username, "password": PASSWORD}
        )
        if status != 302:
            self.errors.append(f"login {status}")
            return
        day = (datetime.date.today() - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
        while time.monotonic() < self.until:
            with self.lock:
                if not self.seats:
                    return
                seat = self.seats.pop()
            started = time.perf_counter()
            try:
                status, _ = self.post_form(
                    f"/can-bo/thanh-vien/{seat}/thoi/",
                    {"end_date": day, "end_reason": "chuyển công tác"},
                )
            except OSError as exc:
                self.errors.append(repr(exc))
                continue
            self.latencies.append((time.perf_counter() - started) * 1000)
            if status != 302:
                self.errors.append(f"seat {seat}: {status}")


def percentile(values, share):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--staff", type=int, default=5)
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--province", default="01", help="the imported province (2025)")
    parser.add_argument("--reuse", action="store_true", help="bench/public_http.py --keep's")
    parser.add_argument(
        "--timeout", type=int, default=30, help="seconds a reader waits (wrk's default: 2)"
    )
    parser.add_argument("--cache-url", default="", help="e.g. redis://127.0.0.1:6379/9")
    options = parser.parse_args()

    env = dict(
        os.environ,
        DANVAN_ENV="development",
        DEBUG="false",
        LOG_LEVEL="WARNING",
        DATABASE_URL=public_http.PG_URL,
        MEDIA_ROOT=tempfile.mkdtemp(prefix="danvan-bench-media-"),
        TASKS_BACKEND="immediate",
    )
    env.pop("CACHE_URL", None)
    if options.cache_url:
        env.update(CACHE_URL=options.cache_url, CACHE_KEY_PREFIX=f"danvan-load-{os.getpid()}")
    if not options.reuse:
        public_http.setup(env)
    urls = [path for _name, path in public_http.pages(env)[1:]]
    seats = manage(env, "shell", "-c", SETUP.format(staff=options.staff)).split()
    with tempfile.TemporaryDirectory() as tmp:
        workbook = Path(tmp) / "roster.xlsx"
        facts = generate(workbook, edition="2025", province=options.province,
                         rows=options.rows, teams=max(10, options.rows // 12))  # fmt: skip
        port = free_port()
        server = start_gunicorn(dict(env, GUNICORN_WORKERS=str(options.workers)), port)
        try:
            for path in urls:  # warm
                get(port, path)
            until = time.monotonic() + options.seconds
            lock = threading.Lock()
            staff = [Staff(port, f"tai_{n}", seats, lock, until) for n in range(options.staff)]
            for thread in staff:
                thread.start()
            started = time.perf_counter()
            importer = subprocess.Popen(
                [sys.executable, "manage.py", "import_roster", str(workbook), "--edition",
                 "2025"],
                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            )  # fmt: skip
            # The import's own duration, whether it ends before the readers or after.
            finished = {}
            waiter = threading.Thread(
                target=lambda: finished.update(
                    output=importer.communicate(timeout=600)[0], at=time.perf_counter()
                )
            )
            waiter.start()
            wrk = subprocess.run(
                ["wrk", "-t", "2", "-c", str(options.connections), "-d",
                 f"{options.seconds:.0f}s", "--timeout", f"{options.timeout}s",
                 "-s", str(public_http.WRK_SCRIPT),
                 f"http://127.0.0.1:{port}"],
                env=dict(os.environ, STATS_URLS=" ".join(urls)), capture_output=True,
                text=True, check=True,
            )  # fmt: skip
            waiter.join(timeout=600)
            output, imported = finished["output"], finished["at"] - started
            for thread in staff:
                thread.join(timeout=120)
        finally:
            stop(server)
    readers = json.loads(wrk.stdout.strip().splitlines()[-1])
    kinds = {"connect_errors": "connect", "read_errors": "read", "write_errors": "write",
             "timeouts": "timeout", "status_errors": "status", "non_2xx": "non-2xx"}  # fmt: skip
    errors = ", ".join(f"{readers[k]} {label}" for k, label in kinds.items() if readers.get(k))
    errors = errors or "0"
    latencies = [ms for thread in staff for ms in thread.latencies]
    staff_errors = [e for thread in staff for e in thread.errors]
    print(
        f"gunicorn {options.workers} sync workers, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} after; {options.seconds:.0f} s"
    )
    print("| load | requests | req/s | p50 ms | p95 ms | p99 ms | errors |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print(
        f"| {options.connections} readers, {len(urls)} public URLs | {readers['requests']:,} | "
        f"{readers['rps']:,.0f} | {readers['p50_ms']:.0f} | {readers['p95_ms']:.0f} | "
        f"{readers['p99_ms']:.0f} | {errors} |"
    )
    print(
        f"| {options.staff} staff recording departures | {len(latencies):,} | "
        f"{len(latencies) / options.seconds:.1f} | "
        f"{statistics.median(latencies) if latencies else float('nan'):.0f} | "
        f"{percentile(latencies, 0.95):.0f} | {percentile(latencies, 0.99):.0f} | "
        f"{len(staff_errors)} |"
    )
    last = output.strip().splitlines()[-1] if output.strip() else ""
    print(
        f"| one import_roster, {facts['rows']:,} rows | 1 | | {imported:.1f} s | | | "
        f"{0 if importer.returncode == 0 else 1} |"
    )
    print(f"import: exit {importer.returncode}: {last}")
    if staff_errors:
        print("staff errors:", staff_errors[:5])


if __name__ == "__main__":
    main()
