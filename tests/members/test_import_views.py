"""The staff import page (upload -> preview -> confirm), exports and the template.

Tasks run with the immediate backend here (the test settings' default), so a job is
validated or imported by the time the request that enqueued it returns.
"""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.imports import ERROR_FILE_EMPTY, ERROR_FILE_TOO_LARGE, roster_import
from members.models import Membership, Person
from members.models_imports import ImportJob, ImportJobStatus
from members.tasks import ERROR_CANNOT_CONFIRM, plan_to_dict
from tests.factories import AreaFactory, UserFactory, make_staff
from units.choices import Edition, Level
from units.models import Area, Unit

pytestmark = pytest.mark.django_db

HEADER = [
    "Mã xã", "Xã", "Thôn/Tổ dân phố", "Đơn vị", "Họ và tên", "Giới tính", "Năm sinh",
    "Dân tộc", "Đảng viên", "Chức vụ", "Vai trò", "Số điện thoại", "Ngày tham gia",
    "Ngày thôi",
]  # fmt: skip

#: Three members of the area_tree fixture's commune 01834: the bloc's head, the head of
#: the existing village "Tổ 1", and a member of a village the file creates ("Tổ 5").
GOOD_ROWS = [
    ["01834", "Phường Nguyễn Thị Minh Khai", "", "Khối dân vận", "Nguyễn Văn An", "Nam",
     1975, "Kinh", "Có", "Bí thư Đảng ủy", "Trưởng khối", "0912345678", "01/02/2023", None],
    ["01834", "", "Tổ 1", "Tổ dân vận", "Lò Thị Bình", "Nữ", 1980, "Tày", "Có",
     "Bí thư chi bộ", "Tổ trưởng", "", "", None],
    ["01834", "", "Tổ 5", "Tổ dân vận", "Hoàng Văn Cường", "Nam", 1990, "Mông", "",
     "", "Thành viên", "", "", None],
]  # fmt: skip


def roster_workbook(rows, *, title_rows=()) -> bytes:
    """An .xlsx roster in the contract layout (CONTRACTS section 1)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    for line in title_rows:
        sheet.append([line])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def bad_rows():
    """The good rows with an unknown ethnicity on the third (sheet row 4)."""
    rows = [list(r) for r in GOOD_ROWS]
    rows[2][7] = "Xyz"
    return rows


def upload(client, data: bytes, *, name="danh-sach.xlsx", url=None, **fields):
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(url or reverse("members:import_upload"), {"file": file, **fields})


def roster_state() -> dict:
    """What an import leaves in the database, without ids or timestamps."""
    people = sorted(
        Person.objects.values_list(
            "full_name", "gender", "birth_year", "ethnicity", "party_member", "phone",
            "position", "province__code",
        )
    )  # fmt: skip
    memberships = sorted(
        Membership.objects.values_list(
            "unit__name", "unit__kind", "person__full_name", "role", "start_date", "end_date"
        )
    )
    units = sorted(Unit.objects.values_list("name", "kind", "area__name", "status"))
    villages = sorted(Area.objects.filter(level=Level.VILLAGE).values_list("name", "parent__code"))
    return {"people": people, "memberships": memberships, "units": units, "villages": villages}


def wipe_roster(keep_villages: set[int]) -> None:
    """Remove what an import wrote, so the next door starts from the same state."""
    Membership.objects.all().delete()
    Person.objects.all().delete()
    Unit.objects.all().delete()
    Area.objects.filter(level=Level.VILLAGE).exclude(pk__in=keep_villages).delete()


@pytest.fixture
def staff(db):
    return make_staff(username="canbo_xa")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


# --- Access ----------------------------------------------------------------------------


def test_upload_page_is_for_staff_only(client, area_tree):
    """Anonymous visitors go to the login page; a logged-in non-staff user gets 403."""
    url = reverse("members:import_upload")
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    client.force_login(UserFactory(username="nguoi_dan"))
    assert client.get(url).status_code == 403


def test_upload_page_offers_the_edition_only_when_both_are_loaded(staff_client, area_tree):
    """With only the legacy edition loaded there is nothing to choose; once a 2025
    province exists the form asks, 2025 first."""
    response = staff_client.get(reverse("members:import_upload"))
    assert response.status_code == 200
    assert "edition" not in response.context["form"].fields
    assert 'type="file"' in response.content.decode()
    AreaFactory(level=Level.PROVINCE, code="19", name="Tỉnh Thái Nguyên", edition=Edition.V2025)
    response = staff_client.get(reverse("members:import_upload"))
    field = response.context["form"].fields["edition"]
    assert [value for value, _label in field.choices] == [Edition.V2025, Edition.LEGACY]
    assert field.initial == Edition.V2025


# --- Upload -> preview -> confirm ------------------------------------------------------


def test_upload_shows_a_preview_and_writes_nothing_until_confirmed(staff_client, staff, area_tree):
    """The preview counts new / updated / unchanged rows, lists the rows, the new
    village and the new units; nothing is written before the confirm button."""
    response = upload(staff_client, roster_workbook(GOOD_ROWS))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("members:import_job", args=[job.pk])
    assert job.created_by == staff
    assert job.status == ImportJobStatus.VALIDATED
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert Membership.objects.count() == 0

    page = staff_client.get(response["Location"])
    html = page.content.decode()
    assert page.context["counts"] == {"created": 3, "updated": 0, "unchanged": 0, "errors": 0}
    assert '<progress id="import-progress-bar" max="3" value="3">' in html
    assert "Nguyễn Văn An" in html and "Hoàng Văn Cường" in html
    assert "Tổ 5 (Phường Nguyễn Thị Minh Khai)" in html  # the new village
    assert "Tổ dân vận Tổ 5 — Phường Nguyễn Thị Minh Khai" in html  # a new unit
    assert 'data-testid="import-confirm"' in html
    assert 'data-testid="import-report"' not in html

    response = staff_client.post(reverse("members:import_job_confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE
    assert job.confirmed_at is not None
    assert Membership.objects.count() == 3
    page = staff_client.get(reverse("members:import_job", args=[job.pk]))
    html = page.content.decode()
    assert "Đã ghi danh sách vào hệ thống." in html
    assert 'data-testid="import-confirm"' not in html


def test_a_second_confirmation_is_refused(staff_client, area_tree):
    """A double click imports once: the second POST gets a message, nothing more."""
    upload(staff_client, roster_workbook(GOOD_ROWS))
    job = ImportJob.objects.get()
    staff_client.post(reverse("members:import_job_confirm", args=[job.pk]))
    response = staff_client.post(reverse("members:import_job_confirm", args=[job.pk]), follow=True)
    assert str(ERROR_CANNOT_CONFIRM) in response.content.decode()
    assert Membership.objects.count() == 3


def test_reimporting_the_same_file_changes_nothing(staff_client, area_tree):
    """The second upload of the same file previews every row as unchanged."""
    data = roster_workbook(GOOD_ROWS)
    upload(staff_client, data)
    staff_client.post(reverse("members:import_job_confirm", args=[ImportJob.objects.get().pk]))
    before = roster_state()
    upload(staff_client, data)
    job = ImportJob.objects.order_by("-pk").first()
    assert job.counts == {"created": 0, "updated": 0, "unchanged": 3, "errors": 0}
    staff_client.post(reverse("members:import_job_confirm", args=[job.pk]))
    assert roster_state() == before


def test_a_file_with_one_bad_row_writes_nothing_and_offers_the_error_report(
    staff_client, area_tree
):
    """The error is listed by row and column; there is no confirm button, a confirm
    POST is refused, and the report is the same workbook with a "Lỗi" column."""
    upload(staff_client, roster_workbook(bad_rows()))
    job = ImportJob.objects.get()
    page = staff_client.get(reverse("members:import_job", args=[job.pk]))
    html = page.content.decode()
    assert job.status == ImportJobStatus.VALIDATED and job.error_count == 1
    assert page.context["row_errors"] == [
        {
            "row": 4,
            "column": "Dân tộc",
            "message": "Dân tộc “Xyz” không có trong danh mục 54 dân tộc Việt Nam.",
        }
    ]
    assert '<td data-label="Dòng">4</td><td data-label="Cột">Dân tộc</td>' in html
    assert 'data-testid="import-confirm"' not in html
    assert "Tải báo cáo lỗi" in html

    response = staff_client.post(reverse("members:import_job_confirm", args=[job.pk]), follow=True)
    assert str(ERROR_CANNOT_CONFIRM) in response.content.decode()
    assert Membership.objects.count() == 0 and Person.objects.count() == 0

    report = staff_client.get(reverse("members:import_job_report", args=[job.pk]))
    assert report.status_code == 200
    assert (
        "filename*=utf-8''danh-sach%20-%20b%C3%A1o%20c%C3%A1o%20l%E1%BB%97i.xlsx"
        in (report["Content-Disposition"])
    )
    sheet = openpyxl.load_workbook(io.BytesIO(report.content)).active
    header = [cell.value for cell in sheet[1]]
    errors_column = header.index("Lỗi") + 1
    assert "Dân tộc" in sheet.cell(4, errors_column).value
    assert sheet.cell(2, errors_column).value is None


def test_a_file_without_errors_has_no_error_report(staff_client, area_tree):
    upload(staff_client, roster_workbook(GOOD_ROWS))
    job = ImportJob.objects.get()
    assert staff_client.get(reverse("members:import_job_report", args=[job.pk])).status_code == 404


# --- Bad files: Vietnamese messages, never a 500 ------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_it_is_stored(
    staff_client, area_tree, settings
):
    """Over DANVAN_IMPORT_MAX_BYTES: the form says so in the import's words, no job."""
    settings.DANVAN_IMPORT_MAX_BYTES = 1024 * 1024
    response = upload(staff_client, b"x" * (1024 * 1024 + 300_000))
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        ERROR_FILE_TOO_LARGE.format(size="1,3", limit="1")
    ]
    assert ImportJob.objects.count() == 0


def test_an_empty_file_is_refused(staff_client, area_tree):
    response = upload(staff_client, b"")
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [ERROR_FILE_EMPTY]
    assert ImportJob.objects.count() == 0


def test_no_file_chosen(staff_client, area_tree):
    response = staff_client.post(reverse("members:import_upload"), {})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Chọn một tệp danh sách (.xlsx hoặc .csv) để tải lên."
    ]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bao-cao.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n"),
        ("anh.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"),
        ("hong.xlsx", b"PK\x03\x04" + b"\x00" * 200),
        ("cu.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200),
        ("thu-moi.txt", "Kính gửi các đồng chí, đề nghị gửi danh sách.\n".encode()),
    ],
)
def test_a_file_that_is_not_a_readable_spreadsheet_gets_a_message(
    staff_client, area_tree, name, data
):
    """Not a spreadsheet, a corrupt workbook, an old or protected Excel file: the job
    page names the problem for the whole file; no confirm, nothing written."""
    response = upload(staff_client, data, name=name)
    assert response.status_code == 302
    page = staff_client.get(response["Location"])
    assert page.status_code == 200
    job = page.context["job"]
    assert job.status == ImportJobStatus.VALIDATED
    file_errors = page.context["file_errors"]
    assert len(file_errors) == 1 and file_errors[0]["row"] == 0
    assert file_errors[0]["message"] in page.content.decode()
    assert "Không tìm thấy dòng tiêu đề" not in file_errors[0]["message"]
    assert 'data-testid="import-confirm"' not in page.content.decode()
    assert Membership.objects.count() == 0


# --- Who sees a job -----------------------------------------------------------------------


def test_another_users_job_is_404_and_a_superuser_sees_it(client, staff_client, area_tree):
    """An upload holds personal data: another staff member gets 404 on every page of
    the job (as for a job that does not exist); a superuser may open it."""
    upload(staff_client, roster_workbook(bad_rows()))
    job = ImportJob.objects.get()
    urls = [
        reverse(name, args=[job.pk])
        for name in ("members:import_job", "members:import_job_status", "members:import_job_report")
    ]
    client.force_login(
        make_staff(username="can_bo_khac", role="province_staff", areas=[area_tree["province"]])
    )
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.post(reverse("members:import_job_confirm", args=[job.pk])).status_code == 404
    client.force_login(UserFactory(username="quan_tri", is_staff=True, is_superuser=True))
    for url in urls:
        assert client.get(url).status_code == 200


def test_status_endpoint_reports_progress_as_json(staff_client, area_tree):
    upload(staff_client, roster_workbook(GOOD_ROWS))
    job = ImportJob.objects.get()
    data = staff_client.get(reverse("members:import_job_status", args=[job.pk])).json()
    assert data == {
        "id": job.pk,
        "status": "validated",
        "status_label": "Đã kiểm tra",
        "running": False,
        "done": 3,
        "total": 3,
        "percent": 100,
        "url": reverse("members:import_job", args=[job.pk]),
    }


def test_a_running_job_page_polls_and_refreshes_without_javascript(staff_client, staff):
    """While queued: an indeterminate bar, the polling script, a <noscript> refresh and
    a reload link, and no inline script."""
    job = ImportJob.objects.create(created_by=staff, filename="a.xlsx", data=b"x", size=1)
    html = staff_client.get(reverse("members:import_job", args=[job.pk])).content.decode()
    assert 'data-running="true"' in html
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    assert "js/import-progress.js" in html
    assert 'data-testid="import-reload"' in html
    assert "<script>" not in html


# --- Same results as the command's function ------------------------------------------------


def test_the_page_gives_the_same_result_as_roster_import(staff_client, staff, area_tree):
    """Upload + confirm leaves exactly what roster_import leaves for the same file, and
    the preview is the plan roster_import returns."""
    keep = set(Area.objects.filter(level=Level.VILLAGE).values_list("pk", flat=True))
    data = roster_workbook(GOOD_ROWS, title_rows=["DANH SÁCH THÀNH VIÊN", ""])

    direct = roster_import(data, filename="danh-sach.xlsx", acting_user=staff)
    direct_state = roster_state()
    wipe_roster(keep)

    upload(staff_client, data)
    job = ImportJob.objects.get()
    staff_client.post(reverse("members:import_job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE
    assert roster_state() == direct_state
    assert job.result == plan_to_dict(direct)


def test_the_admin_door_gives_the_same_result_as_the_staff_page(client, area_tree):
    """The same file through the admin's import page: same preview, same rows written."""
    keep = set(Area.objects.filter(level=Level.VILLAGE).values_list("pk", flat=True))
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    data = roster_workbook(GOOD_ROWS)

    upload(client, data)
    staff_job = ImportJob.objects.get()
    client.post(reverse("members:import_job_confirm", args=[staff_job.pk]))
    staff_state = roster_state()
    wipe_roster(keep)

    response = upload(client, data, url=reverse("admin:members_membership_import"))
    admin_job = ImportJob.objects.exclude(pk=staff_job.pk).get()
    assert response["Location"] == reverse(
        "admin:members_membership_import_job", args=[admin_job.pk]
    )
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "admin/base_site.html" in [t.name for t in page.templates]
    client.post(reverse("admin:members_membership_import_confirm", args=[admin_job.pk]))
    admin_job.refresh_from_db()
    staff_job.refresh_from_db()
    assert admin_job.status == ImportJobStatus.DONE
    assert roster_state() == staff_state
    assert admin_job.result == staff_job.result


@pytest.mark.parametrize(
    ("sample", "fixture", "edition"),
    [
        ("roster_thai_nguyen_2025_quirks.xlsx", "thai_nguyen", Edition.V2025),
        ("roster_lao_cai_legacy.xlsx", "lao_cai_legacy", Edition.LEGACY),
    ],
)
def test_a_real_workbook_gives_identical_results_through_the_three_doors(
    client, request, sample, fixture, edition, capsys
):
    """A LibreOffice-saved sample through `import_roster`, the staff page and the admin
    page: the same rows written, the same counts as the command's last line; a second
    upload of it changes nothing."""
    from django.core.management import call_command

    from tests.members.conftest import SAMPLES

    request.getfixturevalue(fixture)
    data = (SAMPLES / sample).read_bytes()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    call_command("import_roster", str(SAMPLES / sample), "--edition", edition)
    summary = capsys.readouterr().out.strip().splitlines()[-1]
    by_command = roster_state()
    assert by_command["memberships"]
    wipe_roster(keep_villages=set())

    results = {}
    doors = {
        "staff": ("members:import_upload", "members:import_job_confirm"),
        "admin": ("admin:members_membership_import", "admin:members_membership_import_confirm"),
    }
    for door, (upload_name, confirm_name) in doors.items():
        upload(client, data, name=sample, url=reverse(upload_name), edition=edition)
        job = ImportJob.objects.order_by("-pk").first()
        assert job.status == ImportJobStatus.VALIDATED and not job.has_errors, job.errors
        client.post(reverse(confirm_name, args=[job.pk]))
        job.refresh_from_db()
        assert job.status == ImportJobStatus.DONE
        assert summary == (
            f"created={job.created_count} updated={job.updated_count} "
            f"unchanged={job.unchanged_count} errors={job.error_count}"
        )
        assert roster_state() == by_command
        results[door] = job.result
        if door == "staff":
            wipe_roster(keep_villages=set())
    assert results["staff"] == results["admin"]

    upload(client, data, name=sample, edition=edition)
    again = ImportJob.objects.order_by("-pk").first()
    assert again.counts["created"] == again.counts["updated"] == 0
    assert again.counts["unchanged"] == len(by_command["memberships"])


# --- Export and template ------------------------------------------------------------------


@pytest.fixture
def imported(staff_client, area_tree):
    upload(staff_client, roster_workbook(GOOD_ROWS))
    staff_client.post(reverse("members:import_job_confirm", args=[ImportJob.objects.get().pk]))
    return area_tree


def test_export_of_a_filtered_roster_is_the_filtersets_rows(staff_client, staff, imported):
    """ "Xuất Excel" writes what roster_export writes for the member list's filterset,
    under a Vietnamese file name; "Xuất CSV" likewise."""
    from members.filtersets import membership_filter
    from members.workbooks import roster_export

    params = {"kind": "team"}
    response = staff_client.get(reverse("members:roster_export", args=["xlsx"]), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        "filename*=utf-8''Danh%20s%C3%A1ch%20th%C3%A0nh%20vi%C3%AAn%20"
        in (response["Content-Disposition"])
    )
    names = [
        row[HEADER.index("Họ và tên")]
        for row in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(
            values_only=True
        )
    ]
    assert "Lò Thị Bình" in names and "Nguyễn Văn An" not in names

    response = staff_client.get(reverse("members:roster_export", args=["csv"]), params)
    expected = roster_export(membership_filter(staff, params).qs, fmt="csv")
    assert response.content == expected
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_export_with_an_invalid_filter_is_refused(staff_client, imported):
    """An invalid filter is not silently dropped (that would export everyone)."""
    response = staff_client.get(reverse("members:roster_export", args=["xlsx"]), {"role": "boss"})
    assert response.status_code == 400
    assert "Bộ lọc không hợp lệ" in response.content.decode()


def test_export_is_for_staff_only(imported):
    client = Client()
    url = reverse("members:roster_export", args=["xlsx"])
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(username="nguoi_dan"))
    assert client.get(url).status_code == 403


def test_export_unknown_format_is_404(staff_client, imported):
    assert staff_client.get(reverse("members:roster_export", args=["pdf"])).status_code == 404


def test_export_runs_a_constant_number_of_queries(staff_client, imported):
    """3 rows or 10 rows: the same number of queries."""
    from members.services import membership_add

    url = reverse("members:roster_export", args=["xlsx"])
    assert Membership.objects.count() == 3
    with CaptureQueriesContext(connection) as three:
        assert staff_client.get(url).status_code == 200
    bloc = Unit.objects.get(kind="bloc")
    for n in range(7):
        membership_add(unit=bloc, full_name=f"Người Thứ {n}", birth_year=1970 + n)
    with CaptureQueriesContext(connection) as ten:
        assert staff_client.get(url).status_code == 200
    assert len(ten) == len(three)


def test_template_download(staff_client, area_tree):
    response = staff_client.get(reverse("members:roster_template"))
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    assert (
        "filename*=utf-8''M%E1%BA%ABu%20danh%20s%C3%A1ch%20th%C3%A0nh%20vi%C3%AAn.xlsx"
        in (response["Content-Disposition"])
    )
    header = [c.value for c in openpyxl.load_workbook(io.BytesIO(response.content)).active[1]]
    assert "Họ và tên" in " ".join(str(h) for h in header if h)


def test_the_preview_warns_about_a_new_village_differing_only_by_accents(staff_client, area_tree):
    """ "Thôn Nà" next to a stored "Thôn Na" is a new village (another name), and the
    preview says so as a note, not an error: the file can still be confirmed."""
    from members.imports import NOTE_VILLAGE_SIMILAR
    from units.services import village_get_or_create

    commune = area_tree["commune"]
    village_get_or_create(commune=commune, name="Thôn Na")
    rows = [["01834", "", "Thôn Nà", "Tổ dân vận", "Hoàng Văn Cường", "Nam", 1990, "Mông",
             "", "", "Thành viên", "", "", None]]  # fmt: skip
    response = upload(staff_client, roster_workbook(rows))
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.VALIDATED
    html = staff_client.get(response["Location"]).content.decode()
    warning = NOTE_VILLAGE_SIMILAR.format(name="Thôn Nà", commune=commune.name, others="“Thôn Na”")
    assert "kiểm tra lại dấu" in warning
    assert warning in html
    assert 'data-testid="import-confirm"' in html
    staff_client.post(reverse("members:import_job_confirm", args=[job.pk]))
    names = set(
        Area.objects.filter(parent=commune, level=Level.VILLAGE).values_list("name", flat=True)
    )
    assert names == {"Tổ 1", "Thôn Na", "Thôn Nà"}
    assert Membership.objects.get().unit.area.name == "Thôn Nà"


def test_the_preview_shows_how_each_new_or_updated_row_was_read(staff_client, area_tree):
    """Code → commune name, the village, dd/mm/yyyy dates, the phone with its restored 0,
    the role and Party membership, for an officer to check before confirming."""
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][0] = 1834  # a code that lost its leading 0 in Excel
    rows[0][11] = 912345678  # a phone that lost its 0
    upload(staff_client, roster_workbook(rows))
    job = ImportJob.objects.get()
    page = staff_client.get(reverse("members:import_job", args=[job.pk]))
    first = page.context["rows"][0]
    assert dict(first["values"]) == {
        "Mã xã": "01834 → Phường Nguyễn Thị Minh Khai",
        "Giới tính": "Nam",
        "Năm sinh": "1975",
        "Dân tộc": "Kinh",
        "Đảng viên": "Có",
        "Số điện thoại": "0912345678",
        "Vai trò": "Trưởng khối",
        "Ngày tham gia": "01/02/2023",
    }
    third = dict(page.context["rows"][2]["values"])
    assert third["Thôn/Tổ dân phố"] == "Tổ 5" and third["Vai trò"] == "Thành viên"
    html = page.content.decode()
    assert "01834 → Phường Nguyễn Thị Minh Khai" in html
    assert html.count('data-testid="import-values"') == 3
    # Imported, the same file again: unchanged rows have nothing to check.
    staff_client.post(reverse("members:import_job_confirm", args=[job.pk]))
    upload(staff_client, roster_workbook(rows))
    again = ImportJob.objects.latest("pk")
    page = staff_client.get(reverse("members:import_job", args=[again.pk]))
    assert all(row["values"] == [] for row in page.context["rows"])
