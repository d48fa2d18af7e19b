"""The activities workbook: read by the rosters' reader, every row checked before any is
written, all or nothing, errors by row and column in Vietnamese, bounded, audited,
idempotent, in a fixed number of queries."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.work.conftest import days_ago
from work.imports import COLUMNS, activity_import
from work.models import Activity
from work.workbooks import activities_template, activities_workbook

pytestmark = pytest.mark.django_db


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _csv(rows: list[dict], *, columns=COLUMNS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(rows: list[dict]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Báo cáo hoạt động tháng"])  # a title above the header is ignored
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row.get(c) for c in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def rows(area_tree, bloc, team):
    commune = area_tree["commune"]
    return [
        {
            "Mã xã": commune.code,
            "Đơn vị": "Khối dân vận",
            "Ngày": _day(days_ago(3)),
            "Loại hoạt động": "Tuyên truyền",
            "Số người tham gia": "9",
            "Số người dân tiếp cận": "1.250",
            "Nội dung": "Tuyên truyền Luật Đất đai",
        },
        {
            "Mã xã": int(commune.code),  # lost its leading zero in Excel
            "Xã": "Nguyễn Thị Minh Khai",
            "Thôn/Tổ dân phố": "to 1",  # typed without diacritics
            "Đơn vị": "Tổ",
            "Ngày": days_ago(2),
            "Loại hoạt động": "ngay cong",
            "Số người tham gia": 12,
            "Số người dân tiếp cận": 30,
            "Số ngày công": 24,
            "Địa điểm": "Đường liên thôn",
        },
        {
            "Mã xã": commune.code,
            "Thôn/Tổ dân phố": "Tổ 1",
            "Đơn vị": "Tổ dân vận",
            "Ngày": _day(days_ago(1)),
            "Loại hoạt động": "Hòa giải",
        },
    ]


def test_a_valid_file_records_every_row_once(rows, officer, bloc, team):
    """Three rows: recorded with their units, places and numbers, audited as one import
    by the uploader; the same file again records nothing."""
    result = activity_import(_xlsx(rows), filename="thang-11.xlsx", acting_user=officer)
    assert (result.errors, result.created, result.written) == ([], 3, True)
    first, second, third = Activity.objects.order_by("date")
    assert (first.unit, first.people_reached, first.place) == (bloc, 1250, bloc.area.name)
    assert (second.unit, second.kind, second.work_days, second.place) == (
        team,
        "work_days",
        24,
        "Đường liên thôn",
    )
    assert (third.kind, third.participants, third.recorded_by) == ("mediation", 0, officer)
    history = [a.history.get() for a in (first, second, third)]
    assert {(h.door, h.history_user) for h in history} == {("import", officer)}
    assert len({h.batch_id for h in history}) == 1
    again = activity_import(_csv(rows), filename="thang-11.csv", acting_user=officer)
    assert (again.errors, again.created, again.unchanged) == ([], 0, 3)
    assert Activity.objects.count() == 3


def test_a_broken_workbook_writes_nothing_and_names_each_row_and_column(
    rows, officer, area_tree, today
):
    commune = area_tree["commune"]
    bad = [
        rows[0],
        {**rows[0], "Ngày": _day(today + datetime.timedelta(days=1))},
        {**rows[0], "Loại hoạt động": "Liên hoan"},
        {**rows[0], "Số người tham gia": "-3"},
        {**rows[0], "Thôn/Tổ dân phố": "Tổ 1"},
        {**rows[2], "Thôn/Tổ dân phố": "Tổ 7"},
        {**rows[0], "Mã xã": "99999"},
        {**rows[0], "Loại hoạt động": "Ngày công"},
        {**rows[0], "Xã": "Xã Khác"},
    ]
    result = activity_import(_csv(bad), filename="hong.csv", acting_user=officer)
    assert not result.written and Activity.objects.count() == 0
    found = {(e.row, e.column): e.message for e in result.errors}
    assert found == {
        (3, "Ngày"): f"Ngày không được sau hôm nay ({_day(today)}).",
        (4, "Loại hoạt động"): (
            "Loại hoạt động “Liên hoan” không hợp lệ: ghi Tuyên truyền, Gặp gỡ nhân dân, "
            "Thăm hộ gia đình, Hòa giải, Ngày công hoặc Khác."
        ),
        (5, "Số người tham gia"): "“-3” không phải một số nguyên từ 0 trở lên.",
        (6, "Thôn/Tổ dân phố"): (
            "Dòng của Khối dân vận không ghi thôn/tổ dân phố (Khối dân vận đặt ở cấp xã); "
            "hoạt động của tổ thì ghi Đơn vị là Tổ dân vận."
        ),
        (7, "Thôn/Tổ dân phố"): f"{commune.name} không có thôn, tổ dân phố “Tổ 7”.",
        (8, "Mã xã"): (
            "Không có xã, phường mã 99999 trong danh mục đơn vị hành chính trước 01/07/2025."
        ),
        (9, "Số ngày công"): "Ra quân ngày công cần ghi số ngày công.",
        (10, "Xã"): f"Tên xã “Xã Khác” không khớp với mã {commune.code}: mã {commune.code} là "
        f"{commune.name}.",
    }
    assert result.error_rows == 8


def test_rows_outside_the_users_area_are_errors(rows, sibling_officer):
    result = activity_import(_csv(rows[:1]), filename="a.csv", acting_user=sibling_officer)
    assert [(e.row, e.column) for e in result.errors] == [(2, "Mã xã")]
    assert result.errors[0].message.endswith("ngoài địa bàn bạn quản lý.")
    assert not Activity.objects.exists()


def test_whole_file_problems(officer, settings, rows):
    assert activity_import(b"", filename="x.csv", acting_user=officer).errors[0].message == (
        "Tệp rỗng, không có dữ liệu."
    )
    no_header = _csv([{"Mã xã": "01834"}], columns=("Mã xã", "Ngày"))
    assert activity_import(no_header, filename="x.csv", acting_user=officer).errors[0].message == (
        "Không tìm thấy dòng tiêu đề: cần một dòng có ô “Loại hoạt động” "
        "(hãy tải tệp mẫu để biết tên các cột)."
    )
    settings.DANVAN_IMPORT_MAX_ROWS = 2
    too_many = activity_import(_csv(rows), filename="x.csv", acting_user=officer)
    assert too_many.errors[0].message == (
        "Tệp có hơn 2 dòng dữ liệu: hãy chia thành nhiều tệp nhỏ hơn."
    )
    settings.DANVAN_IMPORT_MAX_BYTES = 10
    assert "Tệp quá lớn" in activity_import(_csv(rows), filename="x", acting_user=officer).errors[
        0
    ].message.replace("\xa0", " ")
    assert not Activity.objects.exists()


def test_queries_do_not_grow_with_the_file(rows, officer):
    """1 or 10 copies of the rows: the same queries (the account's scope, read once per
    account object, is read before)."""
    activity_import(_csv(rows), filename="x.csv", acting_user=officer, dry_run=True)
    counts = []
    for copies in (1, 10):
        data = _csv([{**r, "Nội dung": f"lần {copies}"} for r in rows] * copies)
        with CaptureQueriesContext(connection) as queries:
            result = activity_import(data, filename="x.csv", acting_user=officer, dry_run=True)
        assert result.created == 3 * copies
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_export_imports_back_as_already_recorded(rows, officer):
    from work.selectors import activity_get_queryset

    activity_import(_csv(rows), filename="a.csv", acting_user=officer)
    exported = activities_workbook(activity_get_queryset(officer))
    again = activity_import(exported, filename="xuat.xlsx", acting_user=officer)
    assert (again.errors, again.created, again.unchanged) == ([], 0, 3)


def test_the_template_is_read_with_the_same_layout(officer, bloc):
    """The blank template's header is found (its required columns carry "(*)"); its
    sample row names a commune of another map, which is the only error."""
    result = activity_import(activities_template(), filename="mau.xlsx", acting_user=officer)
    assert [(e.row, e.column) for e in result.errors] == [(2, "Mã xã")]


def test_the_upload_page_lists_errors_and_offers_the_marked_file(client, officer, rows, today):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(officer)
    bad = _csv([rows[0], {**rows[0], "Ngày": _day(today + datetime.timedelta(days=2))}])
    response = client.post(
        reverse("work:activity_import"), {"file": SimpleUploadedFile("loi.csv", bad, "text/csv")}
    )
    assert response.status_code == 400
    assert f"Ngày không được sau hôm nay ({_day(today)})." in response.content.decode()
    report = client.get(reverse("work:activity_import_errors"))
    assert report.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(report.content)).active
    header = [c.value for c in sheet[1]]
    assert header[0] == "Lỗi"
    assert sheet.cell(3, 1).value == f"Ngày: Ngày không được sau hôm nay ({_day(today)})."
    good = client.post(
        reverse("work:activity_import"),
        {"file": SimpleUploadedFile("tot.csv", _csv(rows), "text/csv")},
        follow=True,
    )
    assert "Đã ghi 3 hoạt động từ tệp “tot.csv”." in good.content.decode()
    assert client.get(reverse("work:activity_import_errors")).status_code == 404
