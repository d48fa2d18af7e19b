"""The statistics API and pages over HTTP on gunicorn, at national scale.

    python bench/stats_http.py                  # everything below, once (about 6 minutes)
    python bench/stats_http.py --keep           # keep the database danvan_bench_stats
    python bench/stats_http.py --reuse          # skip the data step (database kept before)

1. Data: drops and creates the PostgreSQL database danvan_bench_stats on 127.0.0.1,
   migrates, loads the legacy edition and runs ``generate_demo --scale national``
   (about 760,000 memberships).
2. Uncached computation: ``reports.stats.area_stats`` called directly for the whole
   country, the largest province, its largest district and a commune (three runs each:
   the first one also pays for PostgreSQL reading the pages from disk).
3. gunicorn in production mode (4 sync workers, collected static files, a file cache
   shared by the workers) on 127.0.0.1:8131. For each of the API and the page at
   country, province and commune level: the first request with nothing cached (timed
   alone), then 50 sequential requests (median and p95, wall time seen by the client,
   a new connection each time).
4. ``manage.py warm_stats`` on an emptied cache: its wall time.
5. Load: wrk, 50 connections for 60 s, rotating over the six URLs (bench/stats_wrk.lua):
   requests per second, p50/p95/p99 and every error.

The figures go in docs/PERFORMANCE.md. The database is dropped at the end unless
--keep is given.
"""

import argparse
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "danvan_bench_stats"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
PG = ["-h", "127.0.0.1", "-U", "postgres"]
PORT = 8131
REQUESTS = 50
LOAD_SECONDS = 60
LOAD_CONNECTIONS = 50

#: Run inside ``manage.py shell``: choose the areas (the province, district and commune
#: with the most memberships) and time the uncached computation at each level.
DIRECT = r"""
import json, time, statistics
from django.db.models import Count
from django.db.models.functions import Substr
from django.utils import timezone
from members.models import Membership
from reports.stats import Place, area_stats
from units.models import Area

def biggest(length, prefix):
    row = (Membership.objects.filter(area_path__startswith=prefix)
           .annotate(k=Substr("area_path", 1, length)).values("k")
           .annotate(n=Count("pk")).order_by("-n").first())
    return Area.objects.get(path=row["k"])

province = biggest(10, "legacy/")
district = biggest(14, province.path)
commune = biggest(20, district.path)
today = timezone.localdate()
out = {"province": province.code, "province_name": province.name,
       "district": district.code, "district_name": district.name,
       "commune": commune.code, "commune_name": commune.name, "direct": {}}
for label, area in (("country", None), ("province", province), ("district", district),
                    ("commune", commune)):
    place = Place(edition="legacy", area=area)
    times = []
    for _ in range(3):
        started = time.perf_counter()
        figures = area_stats(place, today)
        times.append((time.perf_counter() - started) * 1000)
    out["direct"][label] = {"first_ms": times[0], "median_ms": statistics.median(times),
                            "bloc_members": figures["bloc_members"],
                            "team_members": figures["team_members"],
                            "people": figures["people"], "children": len(figures["children"])}
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


def timed_get(url: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - loopback
        body = response.read()
        status = response.status
    return (time.perf_counter() - started) * 1000, status, len(body)


def percentile(values, share):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()  # noqa: S310 - loopback
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database")
    parser.add_argument(
        "--scale", default="national", help="generate_demo scale (small: a quick dry run)"
    )
    parser.add_argument("--seconds", type=int, default=LOAD_SECONDS, help="load duration")
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="danvan-bench-stats-"))
    cache_dir = work / "cache"
    env = dict(
        os.environ,
        DANVAN_ENV="development",
        LOG_LEVEL="WARNING",
        DATABASE_URL=PG_URL,
        CACHE_URL=f"filecache://{cache_dir}",
    )
    prod = dict(
        env,
        DANVAN_ENV="production",
        DEBUG="false",
        SECRET_KEY="bench-" + "x" * 60,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        STATIC_ROOT=str(work / "static"),
        GUNICORN_BIND=f"127.0.0.1:{PORT}",
        GUNICORN_WORKERS="4",
    )
    results = {
        "python": platform.python_version(),
        "cores": os.cpu_count(),
        "loadavg_start": os.getloadavg(),
    }
    server = None
    try:
        if not options.reuse:
            subprocess.run(["dropdb", *PG, "--if-exists", DB_NAME], check=True)
            subprocess.run(["createdb", *PG, DB_NAME], check=True)
            run(env, "migrate", "--noinput")
            run(env, "load_divisions", "--edition", "legacy")
            started = time.perf_counter()
            out = run(
                env, "generate_demo", "--scale", options.scale, "--edition", "legacy", capture=True
            )
            results["generate_s"] = time.perf_counter() - started
            results["generate"] = out.strip().splitlines()[-1]
            results["scale"] = options.scale
        results["pg"] = subprocess.run(
            ["psql", *PG, "-At", "-d", DB_NAME, "-c", "SHOW server_version"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        results["memberships"] = subprocess.run(
            ["psql", *PG, "-At", "-d", DB_NAME, "-c", "SELECT count(*) FROM members_membership"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip

        # Production mode needs the collected static files; when collectstatic fails
        # (a broken vendored file), fall back to development mode with DEBUG off, which
        # serves static files from the source folders, and say so in the report.
        server_env = prod
        results["mode"] = "production (DANVAN_ENV=production)"
        try:
            run(prod, "collectstatic", "--noinput")
        except subprocess.CalledProcessError as exc:
            server_env = dict(
                env, DEBUG="false", GUNICORN_BIND=f"127.0.0.1:{PORT}", GUNICORN_WORKERS="4"
            )
            lines = (exc.stderr or "").strip().splitlines()
            reason = next((line for line in lines if "Error:" in line), lines[-1] if lines else "?")
            results["mode"] = f"development with DEBUG=false (collectstatic failed: {reason})"

        direct = run(server_env, "shell", "-c", DIRECT, capture=True)
        chosen = json.loads(direct.split("JSON", 1)[1])
        results["areas"] = chosen

        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        log = open(work / "gunicorn.log", "w")  # noqa: SIM115 - closed with the server
        server = subprocess.Popen(
            [gunicorn, "-c", "danvan/gunicorn.py", "danvan.wsgi"],
            cwd=ROOT, env=server_env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        base = f"http://127.0.0.1:{PORT}"
        wait_for(base + "/healthz")

        province, commune = chosen["province"], chosen["commune"]
        urls = {
            ("api", "country"): "/api/v1/stats/",
            ("api", "province"): f"/api/v1/stats/{province}/",
            ("api", "commune"): f"/api/v1/stats/{commune}/",
            ("page", "country"): "/thong-ke/",
            ("page", "province"): f"/thong-ke/{province}/",
            ("page", "commune"): f"/thong-ke/{commune}/",
        }
        results["http"] = {}
        for (kind, level), path in urls.items():
            shutil.rmtree(cache_dir, ignore_errors=True)  # nothing cached: a cold start
            first = timed_get(base + path)
            assert first[1] == 200, (path, first)
            times = []
            for _ in range(REQUESTS):
                elapsed, status, _size = timed_get(base + path)
                assert status == 200, path
                times.append(elapsed)
            results["http"][f"{kind} {level}"] = {
                "path": path,
                "first_ms": first[0],
                "median_ms": statistics.median(times),
                "p95_ms": percentile(times, 0.95),
                "max_ms": max(times),
                "bytes": first[2],
            }

        shutil.rmtree(cache_dir, ignore_errors=True)
        started = time.perf_counter()
        results["warm_output"] = run(server_env, "warm_stats", capture=True).strip()
        results["warm_s"] = time.perf_counter() - started

        results["loadavg_load"] = os.getloadavg()
        load = subprocess.run(
            [
                "wrk", "-t2", f"-c{LOAD_CONNECTIONS}", f"-d{options.seconds}s", "--timeout", "30s",
                "-s", str(ROOT / "bench" / "stats_wrk.lua"), base,
            ],
            env=dict(os.environ, STATS_URLS=" ".join(urls.values())),
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        results["load"] = json.loads(load.strip().splitlines()[-1])
        results["load_raw"] = load
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)  # the master and its workers, by id
            server.wait(timeout=30)
            log.close()
            errors = (work / "gunicorn.log").read_text()
            results["server_errors"] = [
                line for line in errors.splitlines() if "ERROR" in line or "Traceback" in line
            ]
            # Workers recycled by max_requests (danvan/gunicorn.py) during the run.
            results["restarts"] = errors.count("Autorestarting worker")
        if not options.keep:
            subprocess.run(["dropdb", *PG, "--if-exists", DB_NAME], check=True)
        shutil.rmtree(work, ignore_errors=True)

    report(results)


def report(r):
    a = r["areas"]
    print(f"PostgreSQL {r['pg']}, {r['cores']} cores, Python {r['python']}")
    print(f"gunicorn: 4 sync workers, {r['mode']}, file cache shared by the workers")
    print(f"memberships in the database: {r['memberships']}")
    if "generate" in r:
        print(f"generate_demo {r['scale']}: {r['generate_s']:.0f} s — {r['generate']}")
    print(
        f"areas: province {a['province']} {a['province_name']}, district {a['district']} "
        f"{a['district_name']}, commune {a['commune']} {a['commune_name']}"
    )
    print("\n| level | uncached area_stats, first run | median of 3 | memberships counted |")
    print("| --- | --- | --- | --- |")
    for level, d in a["direct"].items():
        print(
            f"| {level} | {d['first_ms']:.0f} ms | {d['median_ms']:.0f} ms | "
            f"{d['bloc_members'] + d['team_members']:,} |"
        )
    print(f"\n| URL | first request (cold) | median of {REQUESTS} | p95 | max |")
    print("| --- | --- | --- | --- | --- |")
    for label, h in r["http"].items():
        print(
            f"| {label} `{h['path']}` | {h['first_ms']:.0f} ms | {h['median_ms']:.1f} ms | "
            f"{h['p95_ms']:.1f} ms | {h['max_ms']:.1f} ms |"
        )
    print(f"\nwarm_stats: {r['warm_s']:.1f} s wall — {r['warm_output']}")
    load = r["load"]
    print(
        f"\nload: {LOAD_CONNECTIONS} connections, {load['seconds']:.0f} s, {load['urls']} URLs: "
        f"{load['requests']} requests, {load['rps']:.1f} req/s, p50 {load['p50_ms']:.0f} ms, "
        f"p95 {load['p95_ms']:.0f} ms, p99 {load['p99_ms']:.0f} ms, max {load['max_ms']:.0f} ms; "
        f"errors: connect {load['connect_errors']}, read {load['read_errors']}, "
        f"write {load['write_errors']}, timeout {load['timeouts']}, non-2xx {load['non_2xx']}"
    )
    print(
        f"server errors logged: {len(r.get('server_errors', []))}; worker restarts "
        f"(max_requests): {r.get('restarts', '?')}; load average at the start "
        f"{r['loadavg_start'][0]:.1f}, before the load test {r['loadavg_load'][0]:.1f}"
    )
    for line in r.get("server_errors", [])[:10]:
        print("  " + line)
    print("\n" + r["load_raw"])


if __name__ == "__main__":
    main()
