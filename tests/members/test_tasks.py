"""The background import task: status, progress, failures, and the database backend."""

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from members import tasks
from members.imports import ImportPlan, RowError
from members.models import Membership
from members.models_imports import ImportJob, ImportJobStatus
from members.tasks import (
    ERROR_IMPORT_FOUND_ERRORS,
    ERROR_TASK_CRASHED,
    MODE_IMPORT,
    MODE_VALIDATE,
    JobProgress,
    import_job_confirm,
    import_job_create,
    import_job_run,
)
from tests.factories import make_staff
from tests.members.test_import_views import GOOD_ROWS, roster_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(area_tree):
    """Provincial staff of the province that holds commune 01834 (area_tree)."""
    return make_staff("province_staff", [area_tree["province"]], username="canbo_tinh")


def many_rows(n: int) -> list[list]:
    """``n`` distinct members of the bloc of commune 01834 (area_tree)."""
    return [
        ["01834", "", "", "Khối", f"Người Thứ {i}", "Nam", 1950 + i % 50, "Kinh", "", "",
         "", "", "", None]
        for i in range(n)
    ]  # fmt: skip


class RecordingProgress(JobProgress):
    """Records every write as well as making it."""

    writes: list = []

    def write(self, done, total):
        RecordingProgress.writes.append((done, total))
        super().write(done, total)


def test_progress_is_written_every_500_rows_or_every_second():
    """The first call, then every 500 rows or every second, and the last row: not every
    call."""
    now = [0.0]
    progress = RecordingProgress(job_id=0, clock=lambda: now[0])
    RecordingProgress.writes = []
    for done in range(1, 1201):
        progress(done, 1200)
    assert RecordingProgress.writes == [(1, 1200), (501, 1200), (1001, 1200), (1200, 1200)]

    RecordingProgress.writes = []
    progress = RecordingProgress(job_id=0, clock=lambda: now[0])
    for done in (100, 200, 300):
        now[0] += 0.4
        progress(done, 1200)
    now[0] += 1.0
    progress(350, 1200)
    assert RecordingProgress.writes == [(100, 1200), (350, 1200)]


def test_validation_updates_progress_and_status(staff, area_tree, monkeypatch):
    """A 1,200-row file: the task moves the job to "validated", writes its progress as
    the import reads the rows, and ends with the full bar and the plan."""
    RecordingProgress.writes = []
    monkeypatch.setattr(tasks, "JobProgress", RecordingProgress)
    job = import_job_create(
        data=roster_workbook(many_rows(1200)), filename="lon.xlsx", acting_user=staff
    )
    assert job.status == ImportJobStatus.VALIDATED
    assert (job.progress_done, job.progress_total) == (1200, 1200)
    assert job.created_count == 1200 and job.error_count == 0
    # Intermediate progress reached the job row, then the full bar (the import decides
    # how often it reports; JobProgress writes at most every 500 rows).
    writes = RecordingProgress.writes
    assert len(writes) >= 2 and writes[-1] == (1200, 1200)
    assert all(0 < done < 1200 and total == 1200 for done, total in writes[:-1])
    assert writes == sorted(writes)
    assert job.started_at <= job.finished_at
    assert job.task_id
    assert Membership.objects.count() == 0


def test_import_writes_and_ends_done(staff, area_tree):
    job = import_job_create(data=roster_workbook(GOOD_ROWS), filename="a.xlsx", acting_user=staff)
    job = import_job_confirm(job=job, acting_user=staff)
    assert job.status == ImportJobStatus.DONE
    assert job.counts == {"created": 3, "updated": 0, "unchanged": 0, "errors": 0}
    assert job.result["written"] is True
    assert Membership.objects.count() == 3


def test_a_crash_fails_the_job_with_a_message(staff, area_tree, monkeypatch):
    """An unexpected exception ends the job as "failed" with a Vietnamese message; the
    task backend records the failure too, and the request that enqueued it gets no 500."""

    def broken(*args, **kwargs):
        raise RuntimeError("reader exploded")

    monkeypatch.setattr("members.imports.roster_plan", broken)
    job = ImportJob.objects.create(created_by=staff, filename="a.xlsx", data=b"PK", size=2)
    result = import_job_run.enqueue(job.pk, MODE_VALIDATE)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED
    assert job.error_message == ERROR_TASK_CRASHED.format(job=job.pk)
    assert job.finished_at is not None
    assert result.status == "FAILED"


def test_errors_found_while_importing_fail_the_job_and_keep_them(staff, area_tree, monkeypatch):
    """The data changed between preview and confirm: the import writes nothing, and the
    job shows the new errors."""
    job = import_job_create(data=roster_workbook(GOOD_ROWS), filename="a.xlsx", acting_user=staff)

    def conflicting(data, **kwargs):
        return ImportPlan(
            filename="a.xlsx", edition="legacy", errors=[RowError(0, "", "Dữ liệu đã đổi.")]
        )

    monkeypatch.setattr("members.imports.roster_import", conflicting)
    job = import_job_confirm(job=job, acting_user=staff)
    assert job.status == ImportJobStatus.FAILED
    assert job.error_message == ERROR_IMPORT_FOUND_ERRORS
    assert job.has_errors
    assert ImportJob.objects.get(pk=job.pk).errors == [
        {"row": 0, "column": "", "message": "Dữ liệu đã đổi."}
    ]


def test_a_job_runs_once(staff, area_tree):
    """A task enqueued again for a job that already ran does nothing."""
    job = import_job_create(data=roster_workbook(GOOD_ROWS), filename="a.xlsx", acting_user=staff)
    assert import_job_run.call(job.pk, MODE_VALIDATE) == {"job": job.pk, "skipped": True}
    assert import_job_run.call(job.pk, MODE_IMPORT) == {"job": job.pk, "skipped": True}
    assert Membership.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_the_request_only_enqueues(staff, area_tree, settings):
    """With the database backend (production) creating a job stores the file and a task
    row and returns at once; `db_worker` then runs it. (A transactional test: the worker
    closes connections that sit inside a transaction, as the test's own would.)"""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = import_job_create(data=roster_workbook(GOOD_ROWS), filename="a.xlsx", acting_user=staff)
    assert job.status == ImportJobStatus.QUEUED
    assert DBTaskResult.objects.filter(id=job.task_id).exists()

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.VALIDATED
    assert job.created_count == 3

    job = import_job_confirm(job=job, acting_user=staff)
    assert job.status == ImportJobStatus.QUEUED and job.is_import
    assert Membership.objects.count() == 0
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE
    assert Membership.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_progress_inside_the_import_transaction_is_visible_as_the_database_allows(staff):
    """On PostgreSQL, progress written while the import's transaction is open goes
    through its own connection: the page sees it before the import commits, and it
    stays when the import rolls back. SQLite has one writer: there the progress is
    written in the import's own transaction, so it shows when the import commits and
    goes with it when the import rolls back."""
    postgresql = connection.vendor == "postgresql"
    job = ImportJob.objects.create(created_by=staff, filename="a.xlsx", data=b"x", size=1)

    def seen_by_the_page():
        job.refresh_from_db()
        return (job.progress_done, job.progress_total)

    reader = connections.create_connection(DEFAULT_DB_ALIAS) if postgresql else None
    try:
        with transaction.atomic(), JobProgress(job.pk) as progress:
            progress(500, 1200)
            if reader is not None:
                with reader.cursor() as cursor:
                    cursor.execute(
                        "SELECT progress_done, progress_total FROM members_importjob WHERE id = %s",
                        [job.pk],
                    )
                    assert cursor.fetchone() == (500, 1200)
    finally:
        if reader is not None:
            reader.close()
    assert seen_by_the_page() == (500, 1200)

    with pytest.raises(RuntimeError), transaction.atomic(), JobProgress(job.pk) as progress:
        progress(900, 1200)
        raise RuntimeError("the import fails")
    assert seen_by_the_page() == ((900, 1200) if postgresql else (500, 1200))
