"""A person's own data on request (the subject access export, recorded as answered) and
the retention rule for phone numbers (``erase_stale_phones``)."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.choices import StaffRole
from audit.choices import EXPORT_SUBJECT_ACCESS
from audit.models import ExportRecord
from members.models import Person
from members.subject_access import REASON_RETENTION
from tests.factories import MembershipFactory, make_staff

pytestmark = pytest.mark.django_db


def test_staff_covering_a_person_download_everything_and_the_request_is_recorded(
    client, area_tree, bloc
):
    seat = MembershipFactory(unit=bloc, person__phone="0912345678")
    person = seat.person
    person.position = "Trưởng ban"
    person.save()
    officer = make_staff(StaffRole.COMMUNE_OFFICER, areas=[area_tree["commune"]])
    client.force_login(officer)
    url = reverse("members:person_data_export", args=[person.pk])
    response = client.get(url)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Thông tin cá nhân", "Tham gia đơn vị", "Đánh giá thành viên", "Lịch sử thay đổi",
    ]  # fmt: skip
    identity = {r[0]: r[1] for r in book["Thông tin cá nhân"].iter_rows(values_only=True)}
    assert identity["Họ và tên"] == person.full_name
    assert identity["Số điện thoại"] == "0912345678"
    seats = list(book["Tham gia đơn vị"].iter_rows(min_row=2, values_only=True))
    assert [s[0] for s in seats] == [bloc.name]
    changes = list(book["Lịch sử thay đổi"].iter_rows(min_row=2, values_only=True))
    assert len(changes) >= 3  # the person created and changed, the seat created
    record = ExportRecord.objects.get()
    assert (record.what, record.user, record.filters) == (
        EXPORT_SUBJECT_ACCESS, officer, {"person": person.pk},
    )  # fmt: skip

    outsider = make_staff(StaffRole.COMMUNE_OFFICER, areas=[area_tree["commune_b"]])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert ExportRecord.objects.count() == 1


def test_phone_numbers_are_erased_after_the_retention_period(area_tree, bloc, settings):
    settings.DANVAN_PHONE_RETENTION_YEARS = 5
    today = datetime.date(2026, 12, 6)
    gone = MembershipFactory(
        unit=bloc, person__phone="0911000001", end_date=datetime.date(2021, 6, 1)
    ).person
    recent = MembershipFactory(
        unit=bloc, person__phone="0911000002", end_date=datetime.date(2023, 6, 1)
    ).person
    current = MembershipFactory(unit=bloc, person__phone="0911000003").person
    out = io.StringIO()
    call_command("erase_stale_phones", "--today", today.isoformat(), "--dry-run", stdout=out)
    assert out.getvalue().splitlines()[-1] == "would_erase=1"
    assert Person.objects.get(pk=gone.pk).phone == "0911000001"
    out = io.StringIO()
    call_command("erase_stale_phones", "--today", today.isoformat(), stdout=out)
    assert out.getvalue().splitlines()[-1] == "erased=1"
    phones = dict(Person.objects.values_list("pk", "phone"))
    assert phones == {gone.pk: "", recent.pk: "0911000002", current.pk: "0911000003"}
    last = Person.objects.get(pk=gone.pk).history.first()
    assert last.history_change_reason == REASON_RETENTION.format(years=5)
    assert last.phone == ""
    # The trail keeps that the phone was held and erased, not the number itself.
    assert set(gone.history.values_list("phone", flat=True)) == {""}
    assert gone.history.count() >= 2
    assert set(recent.history.values_list("phone", flat=True)) == {"0911000002"}
