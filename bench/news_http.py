"""Requests per second and p95 latency of the public pages on gunicorn (issue 7).

    python bench/news_http.py                      # 30 s per page, 20 clients, PostgreSQL
    python bench/news_http.py --seconds 10         # quicker
    python bench/news_http.py --compare-uncached   # also with the cache switched off

What it does:
1. creates a fresh PostgreSQL database ``danvan_bench_news``, migrates it, loads the
   legacy divisions (63 provinces, 10,000 communes) and runs ``generate_demo --scale
   small`` (two provinces of rosters, about thirty articles with pictures);
2. starts gunicorn with the project's settings file (danvan/gunicorn.py: sync workers,
   2 x cores + 1) on 127.0.0.1 only, DEBUG off, the default per-process memory cache;
3. for each page (the home page, the news list, one article) runs ``--clients``
   concurrent clients for ``--seconds`` seconds after a short warm-up (wrk when it is
   installed, else Python clients in ``--processes`` processes; gunicorn's sync workers
   close every connection, so each request opens one), and reports requests per second,
   the median and the 95th percentile of the latency, and any error or non-2xx answer;
4. with ``--compare-uncached``, starts gunicorn again with ``CACHE_URL=dummycache://``
   (nothing cached: the statistics and the news fragments are built every time) and
   measures the same pages;
5. stops gunicorn and drops the database.

Loopback only: nothing leaves the machine. The load generator runs on the same cores
as the server (``--processes`` processes of threads), so the figures are a floor.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = ["-h", "127.0.0.1", "-U", "postgres"]
DB_NAME = "danvan_bench_news"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    return result.stdout.strip()


def start_gunicorn(env, port: int) -> subprocess.Popen:
    env = dict(env, GUNICORN_BIND=f"127.0.0.1:{port}")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "danvan/gunicorn.py", "danvan.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _ = get(port, "/healthz")
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    stop(process)
    raise SystemExit("gunicorn did not answer /healthz within 30 s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def get(port: int, path: str) -> tuple[int, int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept-Language": "vi"})
        response = connection.getresponse()
        body = response.read()
        return response.status, len(body)
    finally:
        connection.close()


def _client_process(port, path, threads, until, queue):
    """One load process: ``threads`` clients in a loop until ``until`` (monotonic)."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def loop():
        nonlocal errors
        mine, bad = [], 0
        while time.monotonic() < until:
            started = time.perf_counter()
            try:
                status, _size = get(port, path)
            except OSError:
                status = 0
            elapsed = time.perf_counter() - started
            if status == 200:
                mine.append(elapsed)
            else:
                bad += 1
        with lock:
            latencies.extend(mine)
            errors += bad

    workers = [threading.Thread(target=loop) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put((latencies, errors))


def load(port: int, path: str, *, clients: int, processes: int, seconds: float) -> dict:
    """``clients`` concurrent clients (spread over ``processes`` processes) on ``path``
    for ``seconds``: requests per second, median and p95 latency (ms), errors."""
    # Warm-up: every worker process renders the page and fills its own cache.
    for _ in range(20):
        get(port, path)
    queue = multiprocessing.Queue()
    per_process = [clients // processes + (i < clients % processes) for i in range(processes)]
    started = time.monotonic()
    until = started + seconds
    children = [
        multiprocessing.Process(target=_client_process, args=(port, path, n, until, queue))
        for n in per_process
        if n
    ]
    for child in children:
        child.start()
    latencies, errors = [], 0
    for _ in children:
        part, bad = queue.get()
        latencies.extend(part)
        errors += bad
    for child in children:
        child.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else float("nan")
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "median_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p95_ms": p95 * 1000,
        "errors": errors,
    }


WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "median_ms": %f, "p95_ms": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, e.connect + e.read + e.write + e.timeout + e.status))
end
"""


def load_wrk(port: int, path: str, *, clients: int, seconds: float) -> dict:
    """The same measure with wrk (C, far lighter than Python clients on shared cores)."""
    for _ in range(20):
        get(port, path)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT)
    try:
        result = subprocess.run(
            ["wrk", "-t", "2", "-c", str(clients), "-d", f"{seconds:.0f}s", "-s", script.name,
             "-H", "Accept-Language: vi", f"http://127.0.0.1:{port}{path}"],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
    finally:
        os.unlink(script.name)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    report["rps"] = report["requests"] / report["seconds"]
    return report


def measure(env, pages, options, label):
    port = free_port()
    server = start_gunicorn(env, port)
    rows = []
    try:
        for name, path in pages:
            status, size = get(port, path)
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
            if options.generator == "wrk":
                result = load_wrk(port, path, clients=options.clients, seconds=options.seconds)
            else:
                result = load(
                    port,
                    path,
                    clients=options.clients,
                    processes=options.processes,
                    seconds=options.seconds,
                )
            rows.append((name, path, size, result))
    finally:
        stop(server)
    print(f"\n{label}")
    print("| page | bytes | requests | req/s | median ms | p95 ms | errors |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, _path, size, r in rows:
        print(
            f"| {name} | {size:,} | {r['requests']:,} | {r['rps']:.0f} | "
            f"{r['median_ms']:.1f} | {r['p95_ms']:.1f} | {r['errors']} |"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--processes", type=int, default=4, help="load generator processes")
    parser.add_argument(
        "--generator",
        choices=["wrk", "python"],
        default="wrk" if shutil.which("wrk") else "python",
        help="load generator: wrk when installed (default), else Python clients",
    )
    parser.add_argument("--compare-uncached", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    options = parser.parse_args()

    media = tempfile.mkdtemp(prefix="danvan-bench-media-")
    env = dict(
        os.environ,
        DANVAN_ENV="development",
        DEBUG="false",
        LOG_LEVEL="WARNING",
        DATABASE_URL=PG_URL,
        MEDIA_ROOT=media,
        TASKS_BACKEND="immediate",
    )
    env.pop("CACHE_URL", None)
    subprocess.run(["dropdb", *PG, "--if-exists", DB_NAME], check=True)
    subprocess.run(["createdb", *PG, DB_NAME], check=True)
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "load_divisions", "--edition", "legacy")
        manage(env, "generate_demo", "--scale", "small", "--edition", "legacy")
        slug = manage(
            env,
            "shell",
            "-c",
            "from news.selectors import public_articles; print(public_articles()[3].slug)",
        ).splitlines()[-1]
        version = subprocess.run(
            ["psql", *PG, "-At", "-d", DB_NAME, "-c", "SHOW server_version"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        pages = [("home page /", "/"), ("news list /tin-tuc/", "/tin-tuc/"),
                 ("an article", f"/tin-tuc/{slug}/")]  # fmt: skip
        print(
            f"gunicorn (danvan/gunicorn.py: {os.cpu_count() * 2 + 1} sync workers) on "
            f"127.0.0.1, PostgreSQL {version}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}; {options.clients} clients for "
            f"{options.seconds:.0f} s per page, load generator ({options.generator}) on the "
            "same machine"
        )
        measure(env, pages, options, "Cached (default settings: per-process memory cache)")
        if options.compare_uncached:
            measure(
                dict(env, CACHE_URL="dummycache://"),
                pages,
                options,
                "Uncached (CACHE_URL=dummycache://: statistics and news built every time)",
            )
    finally:
        if not options.keep:
            subprocess.run(["dropdb", *PG, "--if-exists", DB_NAME], check=True)


if __name__ == "__main__":
    main()
