"""Every public page against /healthz on gunicorn, with wrk (issue 16).

    python bench/public_http.py                     # 10 s per page, 50 connections
    python bench/public_http.py --seconds 30 --keep # longer; keep the database
    python bench/public_http.py --reuse             # the kept database, no setup

What it does:
1. creates a PostgreSQL database ``danvan_bench_public``, loads both editions'
   divisions and runs ``generate_demo --scale small`` (two provinces, news, documents)
   then ``--scale province`` (every commune of one province);
2. starts gunicorn with danvan/gunicorn.py and 2 sync workers (``--workers``) on
   127.0.0.1, DEBUG off, the default per-process memory cache;
3. for /healthz and each public page runs wrk (2 threads, ``--connections``, after a
   warm-up) and prints requests per second, the median, p95, p99 and longest latency,
   the errors by kind, and the rate as a share of /healthz's in the same run (the
   target: at least half). wrk waits ``--timeout`` seconds (10) for an answer: with its
   default of 2 s, against sync workers (which close the connection after every answer),
   it reported one "timeout" per connection in runs whose longest answer took well under
   a second (docs/PERFORMANCE.md);
4. with ``--rendered``, measures the pages again with a ``messages`` cookie, which makes
   every answer private: the page is rendered for every request (what a page cost before
   the public answers were kept, portal/http_cache.py);
5. with ``--cpu``, the CPU time of one request of each page in one process (Django's
   test client, 300 requests after a warm-up): the steadiest figure on shared cores;
6. stops gunicorn and drops the database unless ``--keep``.

Loopback only; wrk runs on the same cores as the server, so the figures are a floor.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from news_http import PG, ROOT, free_port, get, manage, start_gunicorn, stop

DB_NAME = "danvan_bench_public"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
WRK_SCRIPT = ROOT / "bench" / "stats_wrk.lua"


def setup(env) -> None:
    subprocess.run(["dropdb", *PG, "--if-exists", DB_NAME], check=True)
    subprocess.run(["createdb", *PG, DB_NAME], check=True)
    manage(env, "migrate", "--noinput")
    manage(env, "load_divisions", "--edition", "2025")
    manage(env, "load_divisions", "--edition", "legacy")
    manage(env, "generate_demo", "--scale", "small")
    manage(env, "generate_demo", "--scale", "province")


def pages(env) -> list[tuple[str, str]]:
    found = manage(
        env,
        "shell",
        "-c",
        "from news.selectors import public_articles\n"
        "from documents.selectors import public_documents\n"
        "from units.models import Area\n"
        "print(public_articles()[0].slug)\n"
        "print(public_documents()[0].slug)\n"
        "print(Area.objects.filter(level='province', edition='2025')"
        ".order_by('code')[0].code)",
    ).splitlines()[-3:]
    article, document, province = found
    return [
        ("health check /healthz", "/healthz"),
        ("home page /", "/"),
        ("news list /tin-tuc/", "/tin-tuc/"),
        ("an article", f"/tin-tuc/{article}/"),
        ("documents /van-ban/", "/van-ban/"),
        ("a document", f"/van-ban/{document}/"),
        ("statistics /thong-ke/", "/thong-ke/"),
        ("a province's statistics", f"/thong-ke/{province}/"),
        ("API /api/v1/stats/", "/api/v1/stats/"),
        ("API of a province", f"/api/v1/stats/{province}/"),
    ]


def wrk(
    port: int, path: str, *, connections: int, seconds: float, timeout: int, cookie: str = ""
) -> dict:
    for _ in range(10):
        get(port, path)
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds:.0f}s",
               "--timeout", f"{timeout}s",
               "-s", str(WRK_SCRIPT), f"http://127.0.0.1:{port}"]  # fmt: skip
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    result = subprocess.run(
        command, check=True, capture_output=True, text=True, env=dict(os.environ, STATS_URLS=path)
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(env, urls, options, *, cookie: str = "") -> list:
    port = free_port()
    server = start_gunicorn(dict(env, GUNICORN_WORKERS=str(options.workers)), port)
    rows = []
    try:
        for name, path in urls:
            rows.append(
                (name, wrk(port, path, connections=options.connections,
                           seconds=options.seconds, timeout=options.timeout,
                           cookie=cookie))
            )  # fmt: skip
    finally:
        stop(server)
    return rows


CPU_CODE = """
import time
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
for path in PATHS:
    for _ in range(10):
        client.get(path)
    start = time.process_time()
    for _ in range(300):
        response = client.get(path)
    assert response.status_code == 200, path
    print(path, (time.process_time() - start) / 300 * 1000)
"""


def cpu_table(env, urls) -> None:
    code = f"PATHS = {[path for _name, path in urls]!r}\n{CPU_CODE}"
    lines = manage(dict(env, ALLOWED_HOSTS="127.0.0.1"), "shell", "-c", code).splitlines()
    times = dict(line.rsplit(" ", 1) for line in lines[-len(urls) :])
    floor = float(times[urls[0][1]])
    print("\nCPU per request, one process (Django's test client, 300 requests)\n")
    print("| page | CPU ms | times /healthz's |")
    print("| --- | --- | --- |")
    for name, path in urls:
        print(f"| {name} | {float(times[path]):.2f} | {float(times[path]) / floor:.2f} |")


def table(title: str, rows, floor: float) -> None:
    print(f"\n{title}\n")
    print("| page | req/s | share of /healthz | median ms | p95 ms | p99 ms | max ms | errors |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    kinds = {"connect_errors": "connect", "read_errors": "read", "write_errors": "write",
             "timeouts": "timeout", "status_errors": "status", "non_2xx": "non-2xx"}  # fmt: skip
    for name, r in rows:
        errors = ", ".join(f"{r[k]} {label}" for k, label in kinds.items() if r.get(k)) or "0"
        print(
            f"| {name} | {r['rps']:,.0f} | {r['rps'] / floor:.0%} | {r['p50_ms']:.1f} | "
            f"{r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {r['max_ms']:.0f} | {errors} |"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--timeout", type=int, default=10,
        help="seconds wrk waits for an answer before counting a timeout (wrk's default: 2)",
    )  # fmt: skip
    parser.add_argument("--rendered", action="store_true", help="also every page rendered")
    parser.add_argument("--cpu", action="store_true", help="also CPU per request, in-process")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", action="store_true", help="use the kept database as is")
    options = parser.parse_args()

    env = dict(
        os.environ,
        DANVAN_ENV="development",
        DEBUG="false",
        LOG_LEVEL="WARNING",
        DATABASE_URL=PG_URL,
        MEDIA_ROOT=tempfile.mkdtemp(prefix="danvan-bench-media-"),
        TASKS_BACKEND="immediate",
    )
    env.pop("CACHE_URL", None)
    try:
        if not options.reuse:
            setup(env)
        urls = pages(env)
        version = subprocess.run(
            ["psql", *PG, "-At", "-d", DB_NAME, "-c", "SHOW server_version"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        load = os.getloadavg()[0]
        print(
            f"gunicorn (danvan/gunicorn.py, {options.workers} sync workers) on 127.0.0.1, "
            f"PostgreSQL {version}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}; wrk 2 threads, {options.connections} connections,"
            f" {options.seconds:.0f} s per page on the same machine; load average {load:.1f}"
        )
        if options.cpu:
            cpu_table(env, urls)
        rows = measure(env, urls, options)
        table("Anonymous readers (public answers kept)", rows, rows[0][1]["rps"])
        if options.rendered:
            rendered = measure(env, urls, options, cookie="messages=x")
            table("Every page rendered (a private answer)", rendered, rows[0][1]["rps"])
    finally:
        if not options.keep:
            subprocess.run(["dropdb", *PG, "--if-exists", DB_NAME], check=True)


if __name__ == "__main__":
    main()
