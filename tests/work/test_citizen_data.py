"""A citizen's own data in the opinions: the request page (area scoping, the phone as
typed, the name without diacritics, a bounded number of queries), the workbook read back,
the answered request recorded, and the retention of citizens' contact details
(``erase_stale_phones``)."""

import datetime
import importlib
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from audit.choices import EXPORT_SUBJECT_ACCESS
from audit.models import ExportRecord
from tests.work.conftest import days_ago
from work import services_opinions as steps
from work.citizen_data import REASON_CITIZEN_RETENTION
from work.models import Opinion

pytestmark = pytest.mark.django_db

NAME = "Nguyễn Thị Hoà"
PHONE = "0912345678"
URL = "/can-bo/y-kien/yeu-cau-nguoi-dan/"


def _opinion(unit, *, name=NAME, phone=PHONE, received=None, summary="Đường làng ngập nước"):
    return steps.opinion_receive(
        unit=unit,
        received_on=received or days_ago(10),
        channel="in_person",
        topic="infrastructure",
        summary=summary,
        citizen_name=name,
        citizen_phone=phone,
    )


def _search(client, user, **data):
    client.force_login(user)
    return client.post(URL, data)


def _found(response) -> set[int]:
    return {o.pk for o in response.context["opinions"]}


def test_the_page_lives_under_the_opinions_and_is_for_staff_who_see_opinions(
    client, officer, news_editor
):
    assert reverse("work:citizen_request") == URL
    assert client.get(URL).status_code == 302  # to the login page
    client.force_login(news_editor)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"phone": PHONE, "download": "1"}).status_code == 403
    client.force_login(officer)
    page = client.get(URL)
    assert page.status_code == 200 and "opinions" not in page.context
    assert URL in client.get(reverse("work:opinion_list")).content.decode()


def test_an_empty_search_asks_for_a_phone_or_a_name_and_lists_nothing(client, officer, team):
    _opinion(team)
    response = _search(client, officer, phone="  ", name="  ")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Nhập số điện thoại hoặc họ tên của người dân (hoặc cả hai) để tìm ý kiến của họ."
    ]
    assert "opinions" not in response.context
    assert "Nhập số điện thoại hoặc họ tên" in response.content.decode()
    bad = _search(client, officer, phone="12ab")
    assert "phone" in bad.context["form"].errors and "opinions" not in bad.context


@pytest.mark.parametrize("typed", ["0912 345 678", "0912.345.678", "+84912345678", "84 912345678"])
def test_the_phone_is_found_however_it_is_typed(client, officer, team, typed):
    mine = _opinion(team)
    _opinion(team, phone="0987654321", name="Người Khác")
    assert _found(_search(client, officer, phone=typed)) == {mine.pk}


def test_the_name_is_found_ignoring_case_and_diacritics_but_whole(client, officer, team, bloc):
    mine = _opinion(team)
    also_mine = _opinion(bloc, phone="")
    _opinion(team, name="Nguyễn Thị Hoàng", phone="0911111111")
    for typed in ("nguyen thi hoa", "NGUYỄN THỊ HOÀ", "  Nguyen   Thi Hoa "):
        assert _found(_search(client, officer, name=typed)) == {mine.pk, also_mine.pk}


def test_with_both_a_different_phone_is_another_citizen(client, officer, team):
    mine = _opinion(team)
    no_phone = _opinion(team, phone="")
    no_name = _opinion(team, name="")
    _opinion(team, phone="0911111111")  # same name, another phone: someone else
    _opinion(team, name="Trần Văn Bình")  # same phone, another name: not a match either
    found = _found(_search(client, officer, phone=PHONE, name="nguyen thi hoa"))
    assert found == {mine.pk, no_phone.pk, no_name.pk}


def test_an_officer_never_finds_another_communes_citizen(
    client, officer, sibling_officer, province_staff, team, sibling_bloc
):
    theirs = _opinion(sibling_bloc)
    mine = _opinion(team)
    response = _search(client, officer, phone=PHONE)
    assert _found(response) == {mine.pk}
    html = response.content.decode()
    assert days_ago(10).strftime("%d/%m/%Y") in html and "Tải dữ liệu về người dân này" in html
    assert reverse("work:opinion_detail", args=[theirs.pk]) not in response.content.decode()
    # The sibling commune's officer: only theirs; the province sees both.
    assert _found(_search(client, sibling_officer, name=NAME)) == {theirs.pk}
    assert _found(_search(client, province_staff, phone=PHONE)) == {mine.pk, theirs.pk}
    # An officer whose area holds none of the citizen's opinions cannot download.
    Opinion.objects.filter(pk=mine.pk).delete()
    downloaded = _search(client, officer, phone=PHONE, download="1")
    assert downloaded.status_code == 404
    assert not ExportRecord.objects.exists()


def test_the_search_page_runs_a_bounded_number_of_queries(
    client, province_staff, team, bloc, sibling_bloc, django_assert_max_num_queries
):
    _opinion(team)
    client.force_login(province_staff)
    client.post(URL, {"phone": PHONE})  # warm the session and permission caches
    with django_assert_max_num_queries(12) as few:
        client.post(URL, {"phone": PHONE})
    for unit in (team, bloc, sibling_bloc) * 3:
        _opinion(unit)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.post(URL, {"phone": PHONE})
    assert len(response.context["opinions"]) == 10


def test_the_page_lists_the_newest_at_most_and_the_download_has_them_all(
    client, officer, team, monkeypatch
):
    """A common name over years: the page lists the newest few (the limit) and says
    so; the download holds every opinion found."""
    from work import views_opinions

    monkeypatch.setattr(views_opinions, "CITIZEN_LIST_LIMIT", 3)
    made = [_opinion(team, received=days_ago(30 - i)) for i in range(5)]
    response = _search(client, officer, phone=PHONE)
    assert [o.pk for o in response.context["opinions"]] == [o.pk for o in made[::-1][:3]]
    assert response.context["total"] == 5
    assert "tệp tải về có đủ cả 5 ý kiến" in response.text
    response = _search(client, officer, phone=PHONE, download="1")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Ý kiến, kiến nghị"]
    assert sheet.max_row == 1 + 5


def test_the_download_holds_every_field_and_the_history_and_is_recorded(
    client, officer, team, bloc
):
    opinion = _opinion(team, summary='=HYPERLINK("http://x","bấm")', received=days_ago(9))
    steps.opinion_answer(
        opinion=opinion, answer="Đã nạo vét mương", answered_by="UBND xã",
        answered_on=days_ago(5), acting_user=officer,
    )  # fmt: skip
    steps.hot_spot_flag(
        opinion=opinion, severity="high", since=days_ago(4), note="Nhiều hộ bức xúc",
        acting_user=officer,
    )  # fmt: skip
    other = _opinion(bloc, phone="", received=days_ago(3))
    response = _search(client, officer, phone="0912 345 678", name="nguyen thi hoa", download="1")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Ý kiến, kiến nghị", "Lịch sử thay đổi"]
    sheet = book["Ý kiến, kiến nghị"]
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert [dict(zip(header, r, strict=True))["Mã ý kiến"] for r in rows] == [other.pk, opinion.pk]
    row = dict(zip(header, rows[1], strict=True))
    assert row["Họ tên người dân"] == NAME and row["Số điện thoại người dân"] == PHONE
    assert row["Ngày tiếp nhận"] == days_ago(9).strftime("%d/%m/%Y")
    assert row["Nội dung trả lời"] == "Đã nạo vét mương"
    assert row["Người, cơ quan trả lời"] == "UBND xã"
    assert row["Mức độ điểm nóng"] == "Cao"
    assert row["Ghi chú điểm nóng"] == "Nhiều hộ bức xúc"
    assert row["Trạng thái"] == "Đã có trả lời"
    assert row["Đơn vị"].startswith(team.name)
    # A formula-looking summary stays text (a string cell, never run).
    summary = sheet.cell(row=3, column=header.index("Nội dung ý kiến") + 1)
    assert summary.value == '=HYPERLINK("http://x","bấm")' and summary.data_type == "s"
    history = list(book["Lịch sử thay đổi"].iter_rows(min_row=2, values_only=True))
    mine = [h for h in history if h[1] == f"Ý kiến số {opinion.pk}"]
    assert len(mine) == 3 and len(history) == 4  # received, answered, flagged; the other
    assert {h[3] for h in mine[1:]} == {officer.username}
    assert all(h[5] for h in mine)  # each step's reason
    record = ExportRecord.objects.get()
    assert (record.what, record.user, record.filters, record.fmt) == (
        EXPORT_SUBJECT_ACCESS, officer, {"opinions": [str(opinion.pk), str(other.pk)]}, "xlsx",
    )  # fmt: skip
    assert record.rows == 2 + 4
    assert PHONE not in str(record.filters) and "hoa" not in str(record.filters)


# --- Retention ----------------------------------------------------------------------------


def _closed(unit, *, closed, phone):
    opinion = _opinion(unit, phone=phone, received=closed - datetime.timedelta(days=5))
    steps.opinion_answer(
        opinion=opinion, answer="Đã xử lý", answered_by="UBND xã", answered_on=closed
    )
    return steps.opinion_close(opinion=opinion, closed_on=closed)


def test_retention_erases_citizens_only_on_opinions_closed_before_the_cutoff(team, bloc, settings):
    settings.DANVAN_CITIZEN_CONTACT_RETENTION_YEARS = 5
    old = _closed(team, closed=days_ago(400), phone="0911000001")
    recent = _closed(bloc, closed=days_ago(20), phone="0911000002")
    still_open = _opinion(team, phone="0911000003", received=days_ago(500))
    # Five years (1.826 days) after the old one closed, plus some: only it is past.
    today = days_ago(400) + datetime.timedelta(days=1826 + 100)
    before = {o.pk: o.history.count() for o in (old, recent, still_open)}

    out = io.StringIO()
    call_command("erase_stale_phones", "--today", today.isoformat(), "--dry-run", stdout=out)
    assert out.getvalue().splitlines()[-2:] == ["citizens_would_erase=1", "would_erase=0"]
    assert set(Opinion.objects.values_list("citizen_name", flat=True)) == {NAME}
    assert {o.pk: o.history.count() for o in (old, recent, still_open)} == before

    out = io.StringIO()
    call_command("erase_stale_phones", "--today", today.isoformat(), stdout=out)
    assert out.getvalue().splitlines()[-2:] == ["citizens_erased=1", "erased=0"]
    held = {o.pk: (o.citizen_name, o.citizen_phone, o.citizen_search_name)
            for o in Opinion.objects.all()}  # fmt: skip
    assert held == {
        old.pk: ("", "", ""),
        recent.pk: (NAME, "0911000002", "nguyen thi hoa"),
        still_open.pk: (NAME, "0911000003", "nguyen thi hoa"),
    }
    last = Opinion.objects.get(pk=old.pk).history.first()
    assert last.history_change_reason == REASON_CITIZEN_RETENTION.format(years=5)
    assert (last.citizen_name, last.citizen_phone, last.door) == ("", "", "command")
    assert old.history.count() == before[old.pk] + 1
    assert recent.history.count() == before[recent.pk]
    # Nor do the earlier history rows keep the name or the phone.
    assert set(old.history.values_list("citizen_name", "citizen_phone")) == {("", "")}
    assert ("", "") not in set(recent.history.values_list("citizen_name", "citizen_phone"))

    # A second run finds nothing left; an open opinion stays even decades later.
    out = io.StringIO()
    far = (today + datetime.timedelta(days=365 * 30)).isoformat()
    call_command("erase_stale_phones", "--today", far, "--citizen-years", "5", stdout=out)
    assert out.getvalue().splitlines()[-2] == "citizens_erased=1"  # the recent one now
    assert Opinion.objects.get(pk=still_open.pk).citizen_phone == "0911000003"


def test_an_erased_citizen_is_no_longer_found(client, officer, team):
    old = _closed(team, closed=days_ago(30), phone=PHONE)
    today = days_ago(30) + datetime.timedelta(days=1826)
    call_command("erase_stale_phones", "--today", today.isoformat(), stdout=io.StringIO())
    assert Opinion.objects.get(pk=old.pk).citizen_search_name == ""
    assert _found(_search(client, officer, name=NAME)) == set()


def test_the_migration_folds_the_names_of_existing_opinions(team):
    from django.apps import apps

    migration = importlib.import_module("work.migrations.0002_opinion_citizen_search_name")
    named, unnamed = _opinion(team), _opinion(team, name="")
    Opinion.objects.update(citizen_search_name="")
    migration.fill_citizen_search_name(apps, None)
    folded = dict(Opinion.objects.values_list("pk", "citizen_search_name"))
    assert folded == {named.pk: "nguyen thi hoa", unnamed.pk: ""}


# --- The request on the exports page ------------------------------------------------------


def test_the_exports_page_reads_a_request_and_links_only_what_the_viewer_may_see(
    client, officer, province_staff, team, sibling_bloc, area_tree
):
    from audit.services import record_export
    from tests.factories import MembershipFactory

    mine, theirs = _opinion(team), _opinion(sibling_bloc)
    # The answered request as the download records it: the opinions' ids only.
    _search(client, officer, phone=PHONE, download="1")
    assert ExportRecord.objects.get().filters == {"opinions": [str(mine.pk)]}
    # One that reaches beyond the viewer's area (an account whose area was wider then).
    record_export(
        user=officer, filters={"opinions": sorted([mine.pk, theirs.pk])}, rows=2, fmt="xlsx",
        what=EXPORT_SUBJECT_ACCESS,
    )  # fmt: skip
    person = MembershipFactory(unit=team, person__full_name="Lê Văn Tám").person
    record_export(
        user=officer, filters={"person": person.pk}, rows=3, fmt="xlsx",
        what=EXPORT_SUBJECT_ACCESS,
    )  # fmt: skip

    page = client.get(reverse("audit:exports"))
    html = page.content.decode()
    assert "opinions =" not in html and "[&#x27;" not in html and "person =" not in html
    assert "Yêu cầu của người dân: 1 ý kiến" in html
    assert "Yêu cầu của người dân: 2 ý kiến" in html
    assert "1 ý kiến ngoài địa bàn của bạn" in html
    assert reverse("work:opinion_detail", args=[mine.pk]) in html
    assert f"Ý kiến số {mine.pk}" in html
    assert reverse("work:opinion_detail", args=[theirs.pk]) not in html
    # A person's request reads alike: whose, how many, a link to each.
    assert "Yêu cầu của thành viên: 1 người" in html
    assert reverse("members:person_detail", args=[person.pk]) in html and "Lê Văn Tám" in html

    # The province covers both communes: both opinions are links, nothing is hidden.
    client.force_login(province_staff)
    html = client.get(reverse("audit:exports")).content.decode()
    assert reverse("work:opinion_detail", args=[theirs.pk]) in html
    assert "ngoài địa bàn của bạn" not in html


def test_the_exports_page_counts_what_was_deleted_apart_from_what_lies_outside(
    client, officer, team, sibling_bloc
):
    """An opinion or a person deleted since the request is "đã xoá", not "ngoài địa bàn
    của bạn"; telling them apart costs one query a kind for the whole page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from audit.services import record_export
    from tests.factories import PersonFactory

    def asked(n):
        mine, theirs, gone = _opinion(team), _opinion(sibling_bloc), _opinion(team)
        person = PersonFactory()
        ids = (mine.pk, theirs.pk, gone.pk)
        record_export(
            user=officer, filters={"opinions": sorted(ids)}, rows=3, fmt="xlsx",
            what=EXPORT_SUBJECT_ACCESS,
        )  # fmt: skip
        record_export(
            user=officer, filters={"person": person.pk}, rows=1, fmt="xlsx",
            what=EXPORT_SUBJECT_ACCESS,
        )  # fmt: skip
        Opinion.objects.filter(pk=gone.pk).delete()
        person.delete()

    client.force_login(officer)
    counts = []
    for n in (1, 4):
        for _ in range(n):
            asked(n)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("audit:exports"))
        counts.append(len(queries))
    assert counts[0] == counts[1]
    html = page.content.decode()
    assert html.count("Yêu cầu của người dân: 3 ý kiến") == 5
    assert html.count("1 ý kiến ngoài địa bàn của bạn") == 5
    assert html.count("1 ý kiến đã xoá") == 5
    # The person deleted since is not "outside": nothing of theirs is left anywhere.
    assert html.count("1 người đã xoá") == 5
    assert "người ngoài địa bàn của bạn" not in html
