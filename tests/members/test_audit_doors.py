"""The audit trail of roster imports: the staff page (background task), the admin door
and ``import_roster`` all record door "import", the acting user and one batch id per
import; a re-import of the same file records nothing."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from audit.selectors import HistoryFilters, history_page
from members.imports import roster_import
from members.models import Membership, Person
from members.models_imports import ImportJob
from members.services import membership_add
from members.tasks import REASON_IMPORT
from portal.audit import Door, import_batch_id
from tests.factories import UserFactory, make_staff
from tests.members.conftest import team_rows, xlsx_bytes
from tests.members.test_import_views import GOOD_ROWS, roster_workbook, upload
from units.models import Area, Unit

pytestmark = pytest.mark.django_db

ROSTER_MODELS = (Area, Unit, Person, Membership)


def roster_history():
    """Every history row of the roster tables, as (model, type, user, door, batch, reason)."""
    return [
        (model.__name__, row.history_type, row.history_user, row.door, row.batch_id,
         row.history_change_reason)
        for model in ROSTER_MODELS
        for row in model.history.filter(door=Door.IMPORT).order_by("history_id")
    ]  # fmt: skip


def history_count() -> int:
    return sum(model.history.count() for model in ROSTER_MODELS)


@pytest.fixture
def staff(area_tree):
    """Provincial staff of the province of commune 01834 (area_tree)."""
    return make_staff("province_staff", [area_tree["province"]], username="canbo_tinh")


def test_an_import_through_the_staff_page_records_the_uploader_and_one_batch(
    client, staff, area_tree
):
    """Upload, preview, confirm: every row the task writes (1 new village, 3 units,
    3 people, 3 seats) records the uploader, door "import", the job's batch id and the
    file as the reason; the preview wrote nothing; the result page links to the batch."""
    client.force_login(staff)
    before = history_count()
    upload(client, roster_workbook(GOOD_ROWS))
    job = ImportJob.objects.get()
    assert history_count() == before  # validating writes nothing
    response = client.post(reverse("members:import_job_confirm", args=[job.pk]))
    assert response.status_code == 302

    rows = roster_history()
    batch = import_batch_id(job)
    reason = REASON_IMPORT.format(filename=job.filename, job=job.pk)
    assert sorted((model, kind) for model, kind, *_ in rows) == sorted(
        [("Area", "+")] + [("Unit", "+")] * 3 + [("Person", "+")] * 3
        + [("Membership", "+")] * 3
    )  # fmt: skip
    assert {(user, door, batch_id, why) for _m, _t, user, door, batch_id, why in rows} == {
        (staff, Door.IMPORT, batch, reason)
    }
    # The job row itself was created through the staff page.
    assert job.history.get().door == Door.WEB and job.history.get().history_user == staff

    page = client.get(reverse("members:import_job", args=[job.pk]))
    link = f"{reverse('audit:history')}?batch={batch}"
    assert link in page.content.decode()
    listed = client.get(link)
    assert listed.status_code == 200
    entries = listed.context["page"].entries
    assert len(entries) == 10 and {e.door_label for e in entries} == {"Nhập Excel"}
    assert "Nguyễn Văn An" in listed.content.decode()


def test_reimporting_the_same_file_records_nothing(client, staff, area_tree):
    client.force_login(staff)
    for _ in range(2):
        upload(client, roster_workbook(GOOD_ROWS))
        job = ImportJob.objects.latest("pk")
        client.post(reverse("members:import_job_confirm", args=[job.pk]))
        if _ == 0:
            after_first = history_count()
    job.refresh_from_db()
    assert job.counts == {"created": 0, "updated": 0, "unchanged": 3, "errors": 0}
    assert history_count() == after_first


def test_a_changed_row_records_old_and_new_values_in_the_batch(client, staff, area_tree):
    """Second file: one phone changed, one member ended: two "changed" rows in the new
    batch, each with its old -> new values."""
    client.force_login(staff)
    upload(client, roster_workbook(GOOD_ROWS))
    client.post(reverse("members:import_job_confirm", args=[ImportJob.objects.get().pk]))
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][11] = "0987654321"  # phone of Nguyễn Văn An
    rows[2][13] = "01/03/2025"  # Hoàng Văn Cường leaves
    upload(client, roster_workbook(rows))
    job = ImportJob.objects.latest("pk")
    client.post(reverse("members:import_job_confirm", args=[job.pk]))

    filters = HistoryFilters(batch_id=import_batch_id(job))
    entries = history_page(user=staff, filters=filters).entries
    changes = {
        (e.kind.key, e.action): [(c.label, c.old, c.new) for c in e.changes] for e in entries
    }
    assert changes == {
        ("person", "~"): [("Số điện thoại", "0912345678", "0987654321")],
        ("membership", "~"): [("Ngày thôi", "—", "01/03/2025")],
    }


def test_an_import_through_the_admin_records_the_admin_user_and_door_import(client, area_tree):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    upload(client, roster_workbook(GOOD_ROWS), url=reverse("admin:members_membership_import"))
    job = ImportJob.objects.get()
    client.post(reverse("admin:members_membership_import_confirm", args=[job.pk]))
    rows = roster_history()
    assert len(rows) == 10
    assert {(user, door, batch) for _m, _t, user, door, batch, _r in rows} == {
        (root, Door.IMPORT, import_batch_id(job))
    }
    assert job.history.get().door == Door.ADMIN


def test_import_roster_command_records_door_import_one_batch_and_the_user(thai_nguyen, tmp_path):
    """``import_roster --user``: door "import", that account, one batch id for every row,
    printed with the address of its history page before the counts."""
    operator = make_staff(username="van_hanh")
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(xlsx_bytes(team_rows(4, villages=2)))
    out = io.StringIO()
    call_command("import_roster", str(path), "--user", "van_hanh", stdout=out)
    lines = out.getvalue().splitlines()
    rows = roster_history()
    batches = {batch for *_x, batch, _r in rows}
    assert len(rows) == 2 + 2 + 4 + 4 and len(batches) == 1  # villages, teams, people, seats
    assert {(user, door) for _m, _t, user, door, _b, _r in rows} == {(operator, Door.IMPORT)}
    assert {why for *_x, why in rows} == {"Nhập tệp “danh-sach.xlsx” bằng dòng lệnh"}
    batch = batches.pop()
    assert lines[-2] == (
        f"Lịch sử thay đổi của lượt nhập này: {reverse('audit:history')}?batch={batch}"
    )
    assert lines[-1] == "created=4 updated=0 unchanged=0 errors=0"

    call_command("import_roster", str(path), stdout=out)  # unchanged: nothing recorded
    assert len(roster_history()) == 12


def test_import_roster_command_without_user_and_a_dry_run(thai_nguyen, tmp_path):
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(xlsx_bytes(team_rows(2)))
    call_command("import_roster", str(path), "--dry-run", stdout=io.StringIO())
    assert roster_history() == []
    call_command("import_roster", str(path), "--reason", "Số liệu quý I", stdout=io.StringIO())
    rows = roster_history()
    assert {(user, why) for _m, _t, user, _d, _b, why in rows} == {(None, "Số liệu quý I")}


def test_roster_import_called_directly_still_gets_a_batch_and_door_import(thai_nguyen):
    """Code that calls the engine without setting the audit context (a script) still
    gets door "import", the acting user and one batch id."""
    user = make_staff(username="kich_ban")
    roster_import(xlsx_bytes(team_rows(3)), filename="a.xlsx", acting_user=user)
    rows = roster_history()
    assert len(rows) == 1 + 1 + 3 + 3
    assert len({batch for *_x, batch, _r in rows}) == 1
    assert {user_ for _m, _t, user_, *_ in rows} == {user}


def test_a_failed_import_writes_no_history(thai_nguyen):
    rows = team_rows(3)
    rows[1] = {**rows[1], "Số điện thoại": "12345"}
    plan = roster_import(xlsx_bytes(rows), filename="loi.xlsx")
    assert plan.has_errors and history_count() == 1 + 92  # the province and its communes


def test_a_web_change_after_an_import_is_in_its_own_row_without_batch(client, staff, area_tree):
    client.force_login(staff)
    upload(client, roster_workbook(GOOD_ROWS))
    client.post(reverse("members:import_job_confirm", args=[ImportJob.objects.get().pk]))
    unit = Unit.objects.get(kind="bloc")
    membership_add(unit=unit, full_name="Thêm Sau", birth_year=1990)
    latest = Membership.history.order_by("history_id").last()
    assert (latest.door, latest.batch_id) == (Door.SYSTEM, None)


def test_demo_data_is_recorded_with_door_command_and_its_reason(area_tree):
    """generate_demo writes the history of what it creates in bulk: door "command", the
    demo reason, no user."""
    from members.demo import DEMO_REASON

    call_command("generate_demo", "--scale", "small", "--province", "06", stdout=io.StringIO())
    seats = Membership.history.all()
    assert seats.count() == Membership.objects.count() > 0
    assert set(seats.values_list("door", "history_change_reason", "history_user")) == {
        (Door.COMMAND, DEMO_REASON, None)
    }
    assert Person.history.count() == Person.objects.count()
