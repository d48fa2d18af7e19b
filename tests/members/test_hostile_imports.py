"""Hostile workbooks through every door of the roster import: the command exits 1 with
the message, the staff page and the admin show it on the job page, nothing is written;
and a job whose worker died does not stay "validating" for ever."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Membership
from members.models_imports import ImportJob, ImportJobStatus
from members.tasks import ERROR_TASK_TIMED_OUT, import_jobs_expire
from portal.spreadsheets import ERROR_TOO_MANY_ROWS
from portal.workbook_guard import ERROR_FAR_CELL, ERROR_XML_DECLARATIONS
from tests import hostile_files
from tests.factories import UserFactory, make_staff
from tests.members.test_import_command import run
from tests.members.test_import_views import HEADER, upload

pytestmark = pytest.mark.django_db

FILES = {
    "far_corner": (
        lambda: hostile_files.far_corner(HEADER),
        ERROR_FAR_CELL.format(cell="XFD1048576", limit="251"),
    ),
    "billion_laughs": (
        lambda: hostile_files.billion_laughs(HEADER),
        ERROR_XML_DECLARATIONS.format(filename="danh-sach.xlsx"),
    ),
    "external_entity": (
        lambda: hostile_files.external_entity(HEADER),
        ERROR_XML_DECLARATIONS.format(filename="danh-sach.xlsx"),
    ),
    "many_rows": (
        lambda: hostile_files.million_rows(HEADER, rows=60),
        ERROR_TOO_MANY_ROWS.format(limit="50"),
    ),
}


@pytest.fixture(autouse=True)
def small_row_limit(settings):
    """50 rows stand for 100,000: the many-rows file stays small and fast."""
    settings.DANVAN_IMPORT_MAX_ROWS = 50


@pytest.mark.parametrize("kind", list(FILES))
def test_the_command_exits_1_with_the_message(kind, area_tree, tmp_path):
    build, message = FILES[kind]
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(build())
    lines, status = run(str(path))
    assert status == 1
    assert lines[0] == "Tệp: " + message
    assert Membership.objects.count() == 0


@pytest.mark.parametrize("kind", list(FILES))
@pytest.mark.parametrize("door", ["members:import_upload", "admin:members_membership_import"])
def test_the_staff_page_and_the_admin_show_the_message(kind, door, client, area_tree):
    build, message = FILES[kind]
    user = (
        UserFactory(username="root", is_staff=True, is_superuser=True)
        if door.startswith("admin")
        else make_staff(username="canbo_xa")
    )
    client.force_login(user)
    response = upload(client, build(), url=reverse(door))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    job = ImportJob.objects.get()
    assert [e["message"] for e in job.errors] == [message]
    assert message in page.content.decode()
    assert 'data-testid="import-confirm"' not in page.content.decode()
    assert Membership.objects.count() == 0


def test_a_job_with_no_news_past_the_timeout_fails_and_says_so(settings):
    settings.DANVAN_IMPORT_JOB_TIMEOUT = 600
    staff = make_staff(username="canbo_xa")
    now = timezone.make_aware(datetime.datetime(2026, 12, 6, 8, 0))
    stale = ImportJob.objects.create(created_by=staff, filename="a.xlsx", data=b"x", size=1)
    fresh = ImportJob.objects.create(created_by=staff, filename="b.xlsx", data=b"x", size=1)
    done = ImportJob.objects.create(created_by=staff, filename="c.xlsx", data=b"x", size=1)
    ImportJob.objects.filter(pk=stale.pk).update(
        status=ImportJobStatus.VALIDATING, updated_at=now - datetime.timedelta(minutes=11)
    )
    ImportJob.objects.filter(pk=fresh.pk).update(
        status=ImportJobStatus.VALIDATING, updated_at=now - datetime.timedelta(minutes=9)
    )
    ImportJob.objects.filter(pk=done.pk).update(
        status=ImportJobStatus.DONE, updated_at=now - datetime.timedelta(days=3)
    )
    assert import_jobs_expire(now=now) == 1
    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses == {
        stale.pk: ImportJobStatus.FAILED,
        fresh.pk: ImportJobStatus.VALIDATING,
        done.pk: ImportJobStatus.DONE,
    }
    stale.refresh_from_db()
    assert stale.error_message == ERROR_TASK_TIMED_OUT.format(minutes=10, job=stale.pk)


def test_the_job_page_fails_a_dead_workers_job(client, settings):
    settings.DANVAN_IMPORT_JOB_TIMEOUT = 60
    staff = make_staff(username="canbo_xa")
    job = ImportJob.objects.create(created_by=staff, filename="a.xlsx", data=b"x", size=1)
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJobStatus.VALIDATING, updated_at=long_ago
    )
    client.force_login(staff)
    data = client.get(reverse("members:import_job_status", args=[job.pk])).json()
    assert data["status"] == "failed" and data["running"] is False
    html = client.get(reverse("members:import_job", args=[job.pk])).content.decode()
    assert ERROR_TASK_TIMED_OUT.format(minutes=1, job=job.pk) in html


def test_the_error_report_is_built_by_the_task_and_served_as_stored(client, area_tree, monkeypatch):
    """The task stores the report; the download only reads it (building it in the
    request could outlast the web worker's timeout). Formula-like text stays text."""
    from tests.members.test_import_views import bad_rows, roster_workbook

    staff = make_staff(username="canbo_xa")
    client.force_login(staff)
    rows = bad_rows()
    rows[2][4] = "@SUM(1+1)*cmd"
    upload(client, roster_workbook(rows))
    job = ImportJob.objects.get()
    assert job.has_errors and bytes(job.report)[:2] == b"PK"

    def no_build(*args, **kwargs):
        raise AssertionError("the report is built in the request")

    monkeypatch.setattr("members.imports.error_report_workbook", no_build)
    monkeypatch.setattr("portal.error_report.error_report_workbook", no_build)
    response = client.get(reverse("members:import_job_report", args=[job.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    # The error column comes first: the file's column E is the report's F.
    (formula_cell,) = [c for c in sheet["F"] if c.value == "@SUM(1+1)*cmd"]
    assert formula_cell.data_type == "s" and formula_cell.quotePrefix
    assert sheet.cell(4, 1).value  # the bad row's messages


def test_the_losing_concurrent_import_counts_nothing(thai_nguyen, tmp_path, monkeypatch):
    """A constraint that fails while writing (another import of the same file won the
    race) rolls everything back: the counts say nothing was created."""
    from django.db import IntegrityError

    from members.imports.write import Writes
    from tests.members.conftest import team_rows, xlsx_bytes

    def lose(self, *args, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(Writes, "apply", lose)
    path = tmp_path / "doi.xlsx"
    path.write_bytes(xlsx_bytes(team_rows(3)))
    lines, status = run(str(path))
    assert status == 1
    assert lines[-1] == "created=0 updated=0 unchanged=0 errors=1"
    assert Membership.objects.count() == 0
