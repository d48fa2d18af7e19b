"""Time `import_roster` on an 18,000-row roster of one province, against django-import-export
imports of the same file on the same server (issues 3 and 16).

    python bench/import_roster.py                       # engine + the library's bulk mode
    python bench/import_roster.py --row-by-row          # + the row-by-row baseline too
    python bench/import_roster.py --baseline-rows 3000  # baselines on the first 3,000 rows

What it does:
1. writes, with openpyxl in a temporary directory (never committed), a workbook of
   ``--rows`` rows: every commune of the province with its bloc of 9 and about
   ``--teams`` village teams, one commune officer per commune sitting in a team too;
2. creates a fresh PostgreSQL database ``danvan_bench_import``, migrates it and loads
   the province with ``load_divisions``;
3. runs ``manage.py import_roster FILE`` in a subprocess (``--engine-worker``: Django
   set up, then ``call_command`` with a timer around it): the service time (the
   command alone: reading, checks, writes and history rows), the wall time of the
   subprocess (Django start-up included) and its peak resident memory (``os.wait4``'s
   rusage, for that child alone); then runs it again (nothing to change);
4. imports the same file into a second fresh database, ``danvan_bench_import_bulk``,
   through ``members.resources.BulkBaselineMembershipResource`` (django-import-export's
   bulk mode: ``use_bulk``, ``skip_diff``, ``batch_size`` 1,000) and, with
   ``--row-by-row``, into ``danvan_bench_import_baseline`` through
   ``BaselineMembershipResource`` (the library's defaults, as the admin's import
   would); reports each one's rows/s and the ratio of the engine's service time;
5. prints a table and drops the databases.
"""

import argparse
import datetime
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432/{name}"
# DANVAN_BENCH_DB_SUFFIX keeps two checkouts benchmarking at once out of each other's way.
_SUFFIX = os.environ.get("DANVAN_BENCH_DB_SUFFIX", "")
DB_MAIN = f"danvan_bench_import{_SUFFIX}"
DB_BASELINE = f"danvan_bench_import_baseline{_SUFFIX}"
DB_BULK = f"danvan_bench_import_bulk{_SUFFIX}"

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
            "Dương", "Lý", "Giáp", "Thân", "Nông", "Hà", "Lục", "Triệu", "Ma"]  # fmt: skip
MIDDLES = ["Văn", "Thị", "Đức", "Minh", "Thanh", "Hữu", "Xuân", "Kim", "Quang", "Ngọc"]
GIVEN = ["An", "Bình", "Chiến", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương",
         "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phương", "Quân", "Sơn",
         "Tâm", "Thắng", "Thảo", "Thủy", "Toàn", "Trang", "Trung", "Tuấn", "Yến"]  # fmt: skip
VILLAGE_WORDS = [
    "Đồng", "Nà", "Khuôn", "Tân", "Hòa", "Phú", "Bãi", "Trại", "Hạ", "Thượng",
    "Cầu", "Chùa", "Dĩnh", "Giữa", "Tây", "Nam", "Bắc", "Mới", "Sòi", "Lục",
]  # fmt: skip
ETHNICITIES = ["Kinh"] * 8 + ["Nùng", "Tày", "Sán Chay", "Dao", "Hoa", "Sán Dìu"]
BLOC_POSITIONS = [
    ("Bí thư Đảng ủy xã", "Trưởng khối"), ("Trưởng ban Dân vận Đảng ủy", "Phó khối"),
    ("Chủ tịch Ủy ban MTTQ xã", "Phó khối"), ("Phó Chủ tịch UBND xã", "Thành viên"),
    ("Chủ tịch Hội Phụ nữ", "Thành viên"), ("Chủ tịch Hội Nông dân", "Thành viên"),
    ("Chủ tịch Hội Cựu chiến binh", "Thành viên"), ("Bí thư Đoàn Thanh niên", "Thành viên"),
    ("Trưởng Công an xã", "Thành viên"),
]  # fmt: skip
TEAM_POSITIONS = [
    ("Bí thư chi bộ", "Tổ trưởng"), ("Trưởng thôn", "Tổ phó"),
    ("Trưởng ban công tác Mặt trận", "Tổ phó"), ("Chi hội trưởng Phụ nữ", "Thành viên"),
    ("Chi hội trưởng Nông dân", "Thành viên"), ("Chi hội trưởng Cựu chiến binh", "Thành viên"),
    ("Bí thư chi đoàn", "Thành viên"), ("Thôn đội trưởng", "Thành viên"),
    ("Công an viên", "Thành viên"), ("Chi hội trưởng Người cao tuổi", "Thành viên"),
]  # fmt: skip
HEADERS = [
    "Mã xã", "Xã", "Thôn/Tổ dân phố", "Đơn vị", "Họ và tên", "Giới tính", "Năm sinh",
    "Dân tộc", "Đảng viên", "Chức vụ", "Vai trò", "Số điện thoại", "Ngày tham gia",
]  # fmt: skip


def communes_of(edition: str, province: str) -> list[tuple[str, str]]:
    """(code, name) of the province's communes, from the same package load_divisions
    reads (no database needed)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from units.services import official_areas

    return [
        (a.code, a.name)
        for a in official_areas(edition)
        if a.province_code == province and a.level == "commune" and a.code
    ]


def generate(path: Path, *, edition: str, province: str, rows: int, teams: int) -> dict:
    """The workbook, and what it holds."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    rng = random.Random(f"danvan-bench/{edition}/{province}/{rows}")
    communes = communes_of(edition, province)
    team_rows = rows - 9 * len(communes)
    per_team, extra = divmod(team_rows, teams)
    assert per_team >= 7, "too few rows for that many teams"
    phones = iter(rng.sample(range(10_000_000, 99_999_999), rows))

    def person(position, role):
        male = rng.random() < 0.6
        middle = rng.choice(MIDDLES[:1] + MIDDLES[2:]) if male else "Thị"
        return {
            "name": f"{rng.choice(SURNAMES)} {middle} {rng.choice(GIVEN)}",
            "gender": "Nam" if male else "Nữ",
            "year": rng.randint(1955, 2000),
            "ethnicity": rng.choice(ETHNICITIES),
            "party": "Có" if role != "Thành viên" or rng.random() < 0.5 else "Không",
            "position": position,
            "role": role,
            "phone": f"09{next(phones)}",
            "start": datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randint(0, 2000)),
        }

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append(HEADERS)

    def write(code, commune, village, kind, p):
        start = WriteOnlyCell(sheet, value=p["start"])
        start.number_format = "DD/MM/YYYY"
        sheet.append([code, commune, village, kind, p["name"], p["gender"], p["year"],
                      p["ethnicity"], p["party"], p["position"], p["role"], p["phone"],
                      start])  # fmt: skip

    written = team_count = 0
    teams_per_commune = [teams // len(communes)] * len(communes)
    for i in range(teams % len(communes)):
        teams_per_commune[i] += 1
    for (code, name), commune_teams in zip(communes, teams_per_commune, strict=True):
        bloc = [person(pos, role) for pos, role in BLOC_POSITIONS]
        for p in bloc:
            write(code, name, "", "Khối dân vận", p)
            written += 1
        villages = set()
        while len(villages) < commune_teams:
            villages.add(f"Thôn {rng.choice(VILLAGE_WORDS)} {rng.choice(VILLAGE_WORDS)}")
        for t, village in enumerate(sorted(villages)):
            size = per_team + (1 if team_count < extra else 0)
            team_count += 1
            members = [person(*TEAM_POSITIONS[k % len(TEAM_POSITIONS)]) for k in range(size)]
            if t == 0:
                # A commune officer who also sits in a village team: one person, two seats.
                members[-1] = {**bloc[3], "role": "Thành viên"}
            names = set()
            for p in members:
                while (p["name"], p["year"]) in names:
                    p["year"] += 1
                names.add((p["name"], p["year"]))
                write(code, name, village, "Tổ dân vận", p)
                written += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return {"rows": written, "teams": team_count, "communes": len(communes)}


def createdb(name: str, env: dict) -> dict:
    for cmd in ("dropdb", "createdb"):
        args = ["--if-exists"] if cmd == "dropdb" else []
        subprocess.run([cmd, "-h", "127.0.0.1", "-U", "postgres", *args, name], check=True)
    env = dict(env, DATABASE_URL=PG.format(name=name))
    manage(env, "migrate", "--noinput")
    return env


def dropdb(name: str) -> None:
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)


def manage(env, *args, check=True):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=check,
        capture_output=True, text=True,
    )  # fmt: skip


def timed(env, *args) -> tuple[float, int, str, int, float]:
    """Wall seconds, peak RSS (MiB) of the child, its stdout, its exit status and its CPU
    seconds (user + system: what the import cost this machine, whatever else runs)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        # Output to files, not pipes: wait4 (for this child's own rusage) does not read
        # them, and a full pipe would block the child.
        child = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        output, errors = out.read(), err.read()
    if errors.strip():
        print(errors[-2000:], file=sys.stderr)
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, usage.ru_maxrss // 1024, output, os.waitstatus_to_exitcode(status), cpu


def baseline_worker(path: str, edition: str, *, bulk: bool) -> None:
    """Runs in a subprocess against a baseline database: the library's defaults, or its
    bulk mode."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import tablib

    from members.resources import BaselineMembershipResource, BulkBaselineMembershipResource

    started = time.perf_counter()
    dataset = tablib.Dataset().load(Path(path).read_bytes(), format="xlsx")
    resource = BulkBaselineMembershipResource() if bulk else BaselineMembershipResource()
    resource.edition = edition
    result = resource.import_data(dataset, dry_run=False)
    seconds = time.perf_counter() - started
    errors = len(result.row_errors()) + len(result.base_errors) + len(result.invalid_rows)
    print(f"rows={len(dataset)} seconds={seconds:.2f} errors={errors} totals={dict(result.totals)}")


def engine_worker(path: str, edition: str) -> None:
    """Runs in a subprocess: ``manage.py import_roster`` through ``call_command``, with a
    timer around the command alone (the subprocess's wall time adds Django start-up)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import io

    from django.core.management import call_command
    from django.urls import get_resolver

    # The command's last line links to the batch's history (``reverse``): load the URL
    # configuration first, as a running server has it, so that the service time is the
    # import's and not the import of every app's views.
    get_resolver().url_patterns  # noqa: B018 (loads every app's URLs)
    # The statistics' log folded after the import's commit (reports.aggregates), by the
    # task worker: timed apart.
    from reports import aggregates

    folded = {"seconds": 0.0}
    compact = aggregates.compact

    def timed_compact(*args, **kwargs):
        begun = time.perf_counter()
        try:
            return compact(*args, **kwargs)
        finally:
            folded["seconds"] += time.perf_counter() - begun

    aggregates.compact = timed_compact
    out = io.StringIO()
    started, cpu = time.perf_counter(), time.process_time()
    call_command("import_roster", path, edition=edition, stdout=out)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    # TASKS_BACKEND=database: the command only enqueued the fold; the worker's run of it.
    aggregates.compact()
    print(
        f"service={seconds:.3f} service_cpu={cpu:.3f} compact={folded['seconds']:.3f} "
        f"{out.getvalue().strip().splitlines()[-1]}"
    )


def engine(env, path: Path, edition: str) -> dict:
    worker = [__file__, "--engine-worker", str(path), "--edition", edition]
    # The fold runs in the task worker, as in production (reports.tasks.stats_compact).
    wall, rss, out, status, cpu = timed({**env, "TASKS_BACKEND": "database"}, *worker)
    last = out.strip().splitlines()[-1] if out.strip() else ""
    fields = dict(p.split("=", 1) for p in last.split() if "=" in p)
    return {"wall": wall, "rss": rss, "status": status, "service": float(fields["service"]),
            "service_cpu": float(fields["service_cpu"]), "cpu": cpu,
            "compact": float(fields.get("compact", 0)),
            "summary": last.split(" ", 3)[-1]}  # fmt: skip


def baseline(env, tmp: Path, path: Path, options, *, bulk: bool) -> dict:
    name = DB_BULK if bulk else DB_BASELINE
    base_env = createdb(name, env)
    manage(base_env, "load_divisions", "--edition", options.edition, "--province",
           options.province)  # fmt: skip
    source = path
    if options.baseline_rows:
        source = cut(path, options.baseline_rows, tmp / "first-rows.xlsx")
    worker = [__file__, "--baseline-worker", str(source), "--edition", options.edition]
    if bulk:
        worker.append("--bulk")
    wall, rss, out, status, cpu = timed(base_env, *worker)
    label = "bulk mode" if bulk else "row by row"
    print(f"baseline ({label}): exit {status}: {out.strip()}")
    fields = dict(p.split("=", 1) for p in out.split() if "=" in p and "{" not in p)
    if not options.keep:
        dropdb(name)
    return {"rows": int(fields["rows"]), "service": float(fields["seconds"]), "wall": wall,
            "rss": rss, "label": label, "cpu": cpu}  # fmt: skip


def cut(path: Path, rows: int, target: Path) -> Path:
    """The first ``rows`` data rows of the workbook, as another workbook."""
    from openpyxl import Workbook, load_workbook

    source = load_workbook(path, read_only=True)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    for index, row in enumerate(source.active.iter_rows(values_only=True)):
        if index > rows:
            break
        sheet.append(list(row))
    workbook.save(target)
    return target


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--edition", default="legacy")
    parser.add_argument("--province", default="24", help="24: Bắc Giang (legacy)")
    parser.add_argument("--rows", type=int, default=18_000)
    parser.add_argument("--teams", type=int, default=2_000)
    parser.add_argument("--baseline-rows", type=int, default=0, help="0: the whole file")
    parser.add_argument("--skip-baseline", action="store_true", help="the engine only")
    parser.add_argument(
        "--row-by-row", action="store_true", help="also the row-by-row baseline (slow)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--baseline-worker", help=argparse.SUPPRESS)
    parser.add_argument("--bulk", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--engine-worker", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.baseline_worker:
        baseline_worker(options.baseline_worker, options.edition, bulk=options.bulk)
        return
    if options.engine_worker:
        engine_worker(options.engine_worker, options.edition)
        return

    env = dict(os.environ, DANVAN_ENV="development", LOG_LEVEL="WARNING")
    baselines = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roster.xlsx"
        started = time.perf_counter()
        facts = generate(
            path,
            edition=options.edition,
            province=options.province,
            rows=options.rows,
            teams=options.teams,
        )
        print(
            f"workbook: {facts['rows']} rows, {facts['teams']} teams, {facts['communes']} "
            f"communes, {path.stat().st_size / 1e6:.1f} MB, written in "
            f"{time.perf_counter() - started:.1f} s"
        )

        main_env = createdb(DB_MAIN, env)
        manage(main_env, "load_divisions", "--edition", options.edition, "--province",
               options.province)  # fmt: skip
        first = engine(main_env, path, options.edition)
        print(f"import_roster, first import: {first}")
        second = engine(main_env, path, options.edition)
        print(f"import_roster, same file again: {second}")
        if not options.keep:
            dropdb(DB_MAIN)
        if not options.skip_baseline:
            baselines.append(baseline(env, Path(tmp), path, options, bulk=True))
            if options.row_by_row:
                baselines.append(baseline(env, Path(tmp), path, options, bulk=False))

    rows = facts["rows"]
    print()
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}, load average {load}")  # fmt: skip
    print()
    print("| run | rows | service time | CPU (service) | rows/s (service) | wall time "
          "| CPU (process) | peak RSS |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for label, run in (("`import_roster`, first import", first),
                       ("`import_roster`, same file again", second)):  # fmt: skip
        print(f"| {label} | {rows:,} | {run['service']:.2f} s | {run['service_cpu']:.2f} s "
              f"| {rows / run['service']:,.0f} "
              f"| {run['wall']:.2f} s | {run['cpu']:.2f} s | {run['rss']} MiB |")  # fmt: skip
    for label, run in (("first import", first), ("same file again", second)):
        print(f"{label}: then {run['compact']:.2f} s folding the statistics' log in the task "
              "worker (reports.tasks.stats_compact), not in the service time")  # fmt: skip
    engine_rate = rows / first["service"]
    for run in baselines:
        rate = run["rows"] / run["service"]
        print(f"| django-import-export, {run['label']} | {run['rows']:,} "
              f"| {run['service']:.1f} s | — | {rate:,.0f} | {run['wall']:.1f} s "
              f"| {run['cpu']:.1f} s | {run['rss']} MiB |")  # fmt: skip
    for run in baselines:
        rate = run["rows"] / run["service"]
        walls = rows / first["wall"] / (run["rows"] / run["wall"])
        print(f"ratio to {run['label']}: {engine_rate / rate:.1f}x (rows/s, service times); "
              f"wall to wall {walls:.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
