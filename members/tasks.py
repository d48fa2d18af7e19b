"""Roster imports in the background: the task and the job's life cycle.

A web request only stores the uploaded file in an ``ImportJob`` and enqueues
``import_job_run``; the task validates (``roster_plan``) and, once the user confirms the
preview, imports (``roster_import``): the very functions the ``import_roster`` command
calls, so every door gives the same result. With the database backend the task runs in
the ``db_worker`` process and a long import never holds a web worker (docs/TASKS.md);
with the immediate backend (development, tests) it runs inside the request.
"""

import dataclasses
import datetime
import json
import logging
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.sql import UpdateQuery
from django.db.models.sql.constants import NO_RESULTS
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from accounts.access import import_scope
from members import imports
from members.imports import ImportPlan, PlannedRow, RowError
from members.models_imports import RUNNING_STATUSES, ImportJob, ImportJobStatus
from portal.audit import Door, audit_context, import_batch_id

logger = logging.getLogger(__name__)

MODE_VALIDATE = "validate"
MODE_IMPORT = "import"

#: Rows between two progress writes: a few dozen writes for a whole province's file...
PROGRESS_EVERY = 500
#: ... or seconds, whichever comes first: the page polls about once a second, and the
#: import reports in steps of its own (members.imports), which may be fewer rows.
PROGRESS_SECONDS = 1.0

ERROR_TASK_CRASHED = _(
    "Có lỗi ngoài dự kiến khi xử lý tệp, chưa ghi gì vào danh sách. Hãy thử lại; nếu vẫn "
    "lỗi, báo cho quản trị viên (lượt nhập số {job})."
)
ERROR_IMPORT_FOUND_ERRORS = _(
    "Khi ghi, hệ thống phát hiện lỗi (dữ liệu có thể đã thay đổi từ lúc kiểm tra): chưa "
    "ghi gì vào danh sách. Xem các lỗi bên dưới, sửa tệp rồi tải lên lại."
)
ERROR_ENQUEUE_FAILED = _(
    "Không đưa được tệp vào hàng đợi xử lý. Hãy thử lại sau ít phút; nếu vẫn lỗi, báo "
    "cho quản trị viên."
)
#: The reason recorded on every history row of an import: stored data, kept in Vietnamese
#: (the history is one record, whoever reads it), so not translated.
REASON_IMPORT = "Nhập tệp “{filename}” (lượt nhập số {job})"
ERROR_TASK_TIMED_OUT = _(
    "Quá thời gian xử lý: không có tiến triển trong {minutes} phút (tiến trình xử lý nền "
    "có thể đã dừng), chưa ghi gì vào danh sách. Hãy tải tệp lên lại; nếu vẫn lỗi, báo "
    "cho quản trị viên (lượt nhập số {job})."
)
ERROR_CANNOT_CONFIRM = _("Lượt nhập này không thể xác nhận: tệp còn lỗi, hoặc đã được ghi.")


# --- The stored plan ---------------------------------------------------------------------


def plan_to_dict(plan) -> dict:
    """The plan as JSON for ``ImportJob.result``: every field of the dataclass (rows,
    errors by row and column, new villages and units, notes, and what the error report
    needs to reopen the file: format, sheet and header row), plus the counts. Tuples in
    ``changes`` (old, new) become lists, dates become text."""
    data = dataclasses.asdict(plan)
    data["counts"] = {
        "created": plan.created,
        "updated": plan.updated,
        "unchanged": plan.unchanged,
    }
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def plan_from_dict(data: dict):
    """An ``ImportPlan`` rebuilt from ``plan_to_dict``'s output, for the error report
    (which needs the plan, and re-validating a large file just to name its errors would
    cost as much as the first time)."""

    def build(cls, values: dict):
        names = {f.name for f in dataclasses.fields(cls) if f.init}
        return cls(**{k: v for k, v in values.items() if k in names})

    values = {k: v for k, v in data.items() if k != "counts"}
    values["rows"] = [build(PlannedRow, row) for row in data.get("rows", [])]
    values["errors"] = [build(RowError, error) for error in data.get("errors", [])]
    return build(ImportPlan, values)


# --- Progress ----------------------------------------------------------------------------


class JobProgress:
    """The ``progress(done_rows, total_rows)`` callback of the import functions: writes
    the job's progress every ``every`` rows or ``seconds`` seconds, whichever comes
    first, and on the last row.

    ``roster_import`` writes in one transaction, and a progress row written inside it
    would stay invisible to the page until the end. On PostgreSQL the progress therefore
    goes through a second connection of its own, committed at once (it touches only the
    job row, which the import does not lock). SQLite has one writer at a time: a second
    connection would wait for the import's lock, so there the progress is written in
    the import's own transaction and shows when it commits.
    """

    def __init__(
        self,
        job_id: int,
        *,
        every: int = PROGRESS_EVERY,
        seconds: float = PROGRESS_SECONDS,
        clock=time.monotonic,
    ):
        self.job_id = job_id
        self.every = every
        self.seconds = seconds
        self.clock = clock
        self.written_at = 0.0
        self.done = 0
        self.total = 0
        self.written = None  # (done, total) last written
        self._side_connection = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self._side_connection is not None:
            self._side_connection.close()
            self._side_connection = None

    def __call__(self, done: int, total: int) -> None:
        total = max(int(total or 0), 0)
        done = min(max(int(done or 0), 0), total)
        self.done, self.total = done, total
        last_done, last_total = self.written or (None, None)
        if (
            self.written is None
            or total != last_total
            or done == total
            or done < last_done
            or done - last_done >= self.every
            or self.clock() - self.written_at >= self.seconds
        ):
            self.write(done, total)

    def write(self, done: int, total: int) -> None:
        self.written = (done, total)
        self.written_at = self.clock()
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.in_atomic_block and connection.vendor == "postgresql":
            self._write_on_side_connection(done, total)
        else:
            ImportJob.objects.filter(pk=self.job_id).update(
                progress_done=done, progress_total=total, updated_at=timezone.now()
            )

    def _write_on_side_connection(self, done: int, total: int) -> None:
        if self._side_connection is None:
            self._side_connection = connections.create_connection(DEFAULT_DB_ALIAS)
        # QuerySet.update() compiled for the side connection instead of the default one.
        query = ImportJob.objects.filter(pk=self.job_id).query.chain(UpdateQuery)
        query.add_update_values(
            {"progress_done": done, "progress_total": total, "updated_at": timezone.now()}
        )
        query.get_compiler(connection=self._side_connection).execute_sql(NO_RESULTS)


# --- The task ------------------------------------------------------------------------------

_CLAIM = {
    MODE_VALIDATE: (ImportJobStatus.VALIDATING, True),
    MODE_IMPORT: (ImportJobStatus.IMPORTING, False),
}


@task()
def import_job_run(job_id: int, mode: str = MODE_VALIDATE, language: str | None = None) -> dict:
    """Validate (``mode="validate"``) or import (``mode="import"``) the file of a job.

    The job is claimed by moving it from "queued" in one conditional UPDATE, so a task
    enqueued twice (a double click, a retried worker) runs once. Any error ends the job as
    "failed" with a message the page shows; the exception is re-raised so that the task
    backend records it too (the immediate backend does not pass it on to the request).

    ``language`` is the uploader's language (``_enqueue`` passes it): the messages stored
    in the job (row errors, notes, failure) are written in it. A worker has no request, so
    without it they are in the default language.
    """
    with translation.override(language or settings.LANGUAGE_CODE):
        return _run(job_id, mode)


def _run(job_id: int, mode: str) -> dict:
    running_status, unconfirmed = _CLAIM[mode]
    now = timezone.now()
    claimed = ImportJob.objects.filter(
        pk=job_id, status=ImportJobStatus.QUEUED, confirmed_at__isnull=unconfirmed
    ).update(
        status=running_status,
        started_at=now,
        finished_at=None,
        progress_done=0,
        progress_total=0,
        error_message="",
        updated_at=now,
    )
    if not claimed:
        logger.info("import job %s: not queued for %s, skipped", job_id, mode)
        return {"job": job_id, "skipped": True}

    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    arguments = {
        "filename": job.filename,
        "edition": job.edition or None,
        "acting_user": job.created_by,
        # A row outside the uploader's areas is a row error (accounts.access).
        "scope": import_scope(job.created_by),
    }
    # The audit trail: every row this import writes records the uploader, door
    # "import" and one batch id derived from the job (the job page links to them).
    trail = audit_context(
        door=Door.IMPORT,
        user=job.created_by,
        batch_id=import_batch_id(job),
        reason=REASON_IMPORT.format(filename=job.filename, job=job.pk),
    )
    try:
        with trail, JobProgress(job.pk) as progress:
            if mode == MODE_VALIDATE:
                plan = imports.roster_plan(bytes(job.data), progress=progress, **arguments)
            else:
                plan = imports.roster_import(bytes(job.data), progress=progress, **arguments)
    except Exception:
        logger.exception("import job %s: %s failed", job_id, mode)
        _finish(
            job_id,
            status=ImportJobStatus.FAILED,
            error_message=ERROR_TASK_CRASHED.format(job=job_id),
        )
        raise

    result = plan_to_dict(plan)
    report = b""
    if plan.errors:
        try:  # built here, in the background, and served as stored
            report = imports.error_report_workbook(
                bytes(job.data), filename=job.filename, plan=plan
            )
        except Exception:
            logger.exception("import job %s: the error report could not be built", job_id)
    total = max(progress.total, plan.total_rows, len(plan.rows))
    if mode == MODE_VALIDATE:
        status, message = ImportJobStatus.VALIDATED, ""
    elif plan.has_errors:
        status, message = ImportJobStatus.FAILED, str(ERROR_IMPORT_FOUND_ERRORS)
    else:
        status, message = ImportJobStatus.DONE, ""
    _finish(job_id, status=status, error_message=message, result=result, total=total, report=report)
    logger.info(
        "import job %s: %s %s created=%s updated=%s unchanged=%s errors=%s",
        job_id, mode, status, *result["counts"].values(), len(result["errors"]),
    )  # fmt: skip
    return {"job": job_id, "status": status, **result["counts"], "errors": len(result["errors"])}


def _finish(
    job_id: int, *, status: str, error_message: str = "", result=None, total=None, report=None
):
    values = {
        "status": status,
        "error_message": error_message,
        "finished_at": timezone.now(),
        "updated_at": timezone.now(),
    }
    if result is not None:
        values["result"] = result
        values.update(
            created_count=result["counts"]["created"],
            updated_count=result["counts"]["updated"],
            unchanged_count=result["counts"]["unchanged"],
            error_count=len(result["errors"]),
        )
    if report is not None:
        values["report"] = report
    if total is not None:
        # The bar ends full: every row was read, whatever the last callback said.
        values["progress_done"] = values["progress_total"] = total
    ImportJob.objects.filter(pk=job_id).update(**values)


# --- The job's life cycle ------------------------------------------------------------------


def import_jobs_expire(*, now=None, pk=None) -> int:
    """Fail the jobs that have been queued or running with no news (no progress write)
    for ``DANVAN_IMPORT_JOB_TIMEOUT`` seconds: a worker that died (killed, out of memory)
    leaves its job "validating" otherwise, and the page would poll for ever. An import
    that was cut off rolled its transaction back, so "nothing written" holds. Called by
    every job page (``pk``: only that job) before it reads the job; returns how many
    jobs were failed."""
    timeout = getattr(settings, "DANVAN_IMPORT_JOB_TIMEOUT", 15 * 60)
    now = now or timezone.now()
    stale = ImportJob.objects.filter(
        status__in=RUNNING_STATUSES, updated_at__lt=now - datetime.timedelta(seconds=timeout)
    )
    if pk is not None:
        stale = stale.filter(pk=pk)
    expired = 0
    for job_id in stale.values_list("pk", flat=True):
        message = str(ERROR_TASK_TIMED_OUT).format(minutes=max(timeout // 60, 1), job=job_id)
        expired += stale.filter(pk=job_id).update(
            status=ImportJobStatus.FAILED, error_message=message, finished_at=now, updated_at=now
        )
    if expired:
        logger.warning("import jobs: %s timed out after %s s without progress", expired, timeout)
    return expired


def _enqueue(job: ImportJob, mode: str) -> ImportJob:
    try:
        result = import_job_run.enqueue(job.pk, mode, translation.get_language())
    except Exception:
        logger.exception("import job %s: could not enqueue %s", job.pk, mode)
        _finish(job.pk, status=ImportJobStatus.FAILED, error_message=str(ERROR_ENQUEUE_FAILED))
    else:
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    return ImportJob.objects.without_file().get(pk=job.pk)


def import_job_create(*, data: bytes, filename: str, acting_user, edition: str = "") -> ImportJob:
    """Store an uploaded roster and enqueue its validation.

    The job row is committed before the task is enqueued (no surrounding transaction),
    so a worker in another process always finds it.
    """
    job = ImportJob.objects.create(
        created_by=acting_user,
        filename=filename[:255],
        data=data,
        size=len(data),
        edition=edition or "",
    )
    return _enqueue(job, MODE_VALIDATE)


def import_job_confirm(*, job: ImportJob, acting_user) -> ImportJob:
    """The user accepts the preview: enqueue the real import of the same file.

    Only a validated job without errors, confirmed once: the conditional UPDATE refuses
    a second confirmation (a double click) with the same message as a file with errors.
    """
    with transaction.atomic():
        confirmed = ImportJob.objects.filter(
            pk=job.pk,
            status=ImportJobStatus.VALIDATED,
            confirmed_at__isnull=True,
        ).update(
            status=ImportJobStatus.QUEUED,
            confirmed_at=timezone.now(),
            progress_done=0,
            updated_at=timezone.now(),
        )
        if not confirmed or job.has_errors:
            transaction.set_rollback(True)
            raise ValidationError(ERROR_CANNOT_CONFIRM)
    return _enqueue(job, MODE_IMPORT)
