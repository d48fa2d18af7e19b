"""A PostgreSQL streaming replica serves the public pages (DATABASE_REPLICA_URL,
portal/replica.py). The test makes its own pair of clusters with the local PostgreSQL's
programs (initdb, pg_basebackup; as the ``postgres`` user when run as root), on free
ports under a temporary folder, restores the migrated test database into the primary,
and runs tests/replica_check.py in another process against both; then stops and removes
them.
PostgreSQL only (marker ``postgres``: deselected on SQLite runs)."""

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

from portal.replica import REPLICA, ReplicaRouter, replica_reads

ROOT = Path(__file__).resolve().parent.parent


def _bin(name: str) -> str:
    found = shutil.which(name) or sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))[-1:]
    if not found:
        raise RuntimeError(f"{name} not found: install PostgreSQL's server programs")
    return found if isinstance(found, str) else found[0]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(*command, **options):
    if os.geteuid() == 0:  # initdb and postgres refuse root
        command = ("runuser", "-u", "postgres", "--", *command)
    return subprocess.run(command, check=True, capture_output=True, text=True, **options)


@pytest.fixture
def clusters():
    base = Path(tempfile.mkdtemp(prefix="danvan-replica-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    primary, replica = base / "primary", base / "replica"
    ports = _free_port(), _free_port()
    started = []
    try:
        _run(_bin("initdb"), "-D", str(primary), "-U", "postgres", "-A", "trust",
             "--no-sync", "-E", "UTF8", "--no-locale")  # fmt: skip
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nport = {ports[0]}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{base}'\nfsync = off\nwal_level = replica\n"
                "max_wal_senders = 4\nhot_standby = on\nshared_buffers = 32MB\n"
            )
        _run(_bin("pg_ctl"), "-D", str(primary), "-l", str(base / "primary.log"), "-w",
             "-t", "60", "start")  # fmt: skip
        started.append(primary)
        _run(_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(ports[0]), "-U", "postgres",
             "-D", str(replica), "-R", "-X", "stream", "-c", "fast", "--no-sync")  # fmt: skip
        with open(replica / "postgresql.auto.conf", "a") as conf:
            conf.write(f"\nport = {ports[1]}\n")
        _run(_bin("pg_ctl"), "-D", str(replica), "-l", str(base / "replica.log"), "-w",
             "-t", "60", "start")  # fmt: skip
        started.append(replica)
        _run(_bin("createdb"), "-h", "127.0.0.1", "-p", str(ports[0]), "-U", "postgres",
             "danvan")  # fmt: skip
        yield tuple(f"postgres://postgres@127.0.0.1:{port}/danvan" for port in ports)
    finally:
        for data in reversed(started):
            _run(_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.postgres
@pytest.mark.django_db  # the test database, whose schema the primary gets, set up
def test_public_reads_are_served_by_a_streaming_replica(clusters):
    primary_url, replica_url = clusters
    environment = dict(
        os.environ,
        DATABASE_URL=primary_url,
        DATABASE_REPLICA_URL=replica_url,
        DJANGO_SETTINGS_MODULE="danvan.settings",
        ALLOWED_HOSTS="testserver",
        LOG_LEVEL="WARNING",
        CACHE_URL="locmemcache://replica-check",
    )
    environment.pop("DANVAN_ENV", None)
    # The primary gets the schema of this worker's test database (migrated already,
    # rows from the migrations and post_migrate only): a dump restored in a second or
    # two, where ``migrate`` in another process took about 15 s.
    base = settings.DATABASES["default"]
    dump = subprocess.run(
        [_bin("pg_dump"), "-h", base["HOST"] or "127.0.0.1", "-p", str(base["PORT"] or 5432),
         "-U", base["USER"], "--no-owner", "--no-privileges", base["NAME"]],
        check=True, capture_output=True, timeout=300,
    ).stdout  # fmt: skip
    subprocess.run(
        [_bin("psql"), "-q", "-v", "ON_ERROR_STOP=1", "-d", primary_url],
        input=dump, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    # Run from the project's folder (a script's own folder, tests/, would shadow the apps
    # with the test packages of the same names).
    result = subprocess.run(
        [sys.executable, "-c", (ROOT / "tests" / "replica_check.py").read_text()],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "OK"


def test_the_router_reads_the_replica_only_in_a_public_read_before_any_write(monkeypatch):
    """Without a write, a public read goes to the replica; after one, to the primary;
    outside a public read, or with no replica configured, always the primary."""
    router = ReplicaRouter()
    monkeypatch.setitem(settings.DATABASES, REPLICA, settings.DATABASES["default"])
    assert router.db_for_read(None) == "default"
    with replica_reads():
        assert router.db_for_read(None) == REPLICA
        assert router.db_for_write(None) == "default"
        assert router.db_for_read(None) == "default"
    with replica_reads():
        assert router.db_for_read(None) == REPLICA
    monkeypatch.delitem(settings.DATABASES, REPLICA)
    with replica_reads():
        assert router.db_for_read(None) == "default"
    assert router.allow_migrate(REPLICA, "units") is False
