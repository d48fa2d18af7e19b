"""Run by tests/test_replica.py in its own process, against a primary and its streaming
replica (DATABASE_URL, DATABASE_REPLICA_URL): public reads come from the replica, the
rest and reads after a write from the primary. Prints OK."""

import time

import django

django.setup()

from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from portal.replica import replica_reads  # noqa: E402
from reports.models import ProvinceVersion  # noqa: E402

primary, replica = connections["default"], connections["replica"]


def value(connection, sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def wait_for(condition, what):
    deadline = time.monotonic() + 60
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


COUNT = "SELECT count(*) FROM reports_provinceversion"
assert value(replica, "SELECT pg_is_in_recovery()") is True
assert value(primary, "SELECT pg_is_in_recovery()") is False
wait_for(
    lambda: (
        value(replica, "SELECT count(*) FROM django_migrations")
        == value(primary, "SELECT count(*) FROM django_migrations")
    ),
    "the replica to replay the migrations",
)

client = Client()
with CaptureQueriesContext(primary) as on_primary, CaptureQueriesContext(replica) as on_replica:
    response = client.get("/")
assert response.status_code == 200, response.status_code
assert on_replica.captured_queries, "the home page read nothing from the replica"
assert not on_primary.captured_queries, on_primary.captured_queries
before = response["ETag"]

# Replay paused: a write on the primary is not on the replica yet, and the public page,
# read from the replica, does not show it (same version, same tag).
value(replica, "SELECT pg_wal_replay_pause()::text")
with primary.cursor() as cursor:
    cursor.execute("INSERT INTO reports_provinceversion (path, version) VALUES ('*', 7)")
assert value(primary, COUNT) == 1 and value(replica, COUNT) == 0
assert client.get("/")["ETag"] == before

# A staff page reads the primary; within a public read, a write sends the next reads to
# the primary too.
with CaptureQueriesContext(replica) as on_replica:
    client.get("/can-bo/")
assert not on_replica.captured_queries
with replica_reads():
    assert ProvinceVersion.objects.count() == 0
    ProvinceVersion.objects.filter(path="*").update(version=8)
    assert ProvinceVersion.objects.get(path="*").version == 8

value(replica, "SELECT pg_wal_replay_resume()::text")
wait_for(lambda: value(replica, COUNT) == 1, "the replica to replay the write")
assert client.get("/")["ETag"] != before

# The statistics on the replica: with the aggregates' log not empty (a write not folded
# yet), the reader folds it on the primary and reads the totals there (reports.aggregates).
LOG = "SELECT count(*) FROM reports_statlogmembership"
with primary.cursor() as cursor:
    cursor.execute("INSERT INTO reports_statlogmembership (item, existed) VALUES (-1, false)")
wait_for(lambda: value(replica, LOG) == 1, "the replica to replay the log row")
with CaptureQueriesContext(primary) as on_primary:
    response = client.get("/api/v1/stats/")
assert response.status_code == 200, response.status_code
assert value(primary, LOG) == 0, "the replica's reader did not fold the log on the primary"
assert any("reports_stattotal" in q["sql"] for q in on_primary.captured_queries)
print("OK")
