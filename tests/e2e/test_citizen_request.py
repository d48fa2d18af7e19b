"""A citizen's request in a real Chromium at 375 px: a commune officer goes from the
opinions list to the request page, types the citizen's phone with spaces, sees their
opinions (dates dd/mm/yyyy), downloads the workbook and reads it back, finds the answered
request on the exports page, corrects the citizen's phone on request (typed with
spaces), then erases the citizen's contact details from one opinion on request. No
sideways scroll; axe on each page. Dates come from the day the test runs (the services
refuse a day after today)."""

import datetime

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.choices import StaffRole
from tests.e2e.test_accessibility import (  # axe_source: a fixture
    _check_current,
    axe_source,  # noqa: F401
)
from tests.e2e.test_ratings import _log_in, _no_sideways_scroll
from tests.e2e.test_work import commune  # noqa: F401 - the fixture
from tests.factories import make_staff
from work.models import Opinion
from work.services_opinions import opinion_receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def test_an_officer_answers_a_citizens_request_on_a_phone(
    live_server,
    phone_page,
    client,
    axe_source,  # noqa: F811 - the accessibility tests' fixture, imported above
    commune,  # noqa: F811 - the work tests' fixture, imported above
):
    today = timezone.localdate()
    received = today - datetime.timedelta(days=12)
    team = commune["team"]
    opinion = opinion_receive(
        unit=team, received_on=received, channel="phone", topic="environment",
        summary="Bãi rác đầu thôn bốc mùi, đề nghị thu gom.",
        citizen_name="Hoàng Văn Dân", citizen_phone="0912345678",
    )  # fmt: skip
    opinion_receive(
        unit=team, received_on=today, channel="phone", topic="land",
        summary="Tranh chấp ranh giới đất", citizen_name="Người Khác",
        citizen_phone="0987654321",
    )  # fmt: skip
    officer = make_staff(StaffRole.COMMUNE_OFFICER, [commune["commune"]], username="canbo")
    page = phone_page
    _log_in(page, client, live_server, officer)

    page.goto(f"{live_server.url}/can-bo/y-kien/")
    _no_sideways_scroll(page)
    page.get_by_role("link", name="Yêu cầu của người dân về dữ liệu cá nhân").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Yêu cầu của người dân về dữ liệu cá nhân"
    )
    _no_sideways_scroll(page)
    _check_current(page, axe_source, "375 px, yêu cầu của người dân:")
    page.get_by_label("Số điện thoại người dân").fill("0912 345 678")
    page.get_by_role("button", name="Tìm").click()
    found = page.get_by_test_id("citizen-opinions")
    expect(found.get_by_role("heading", level=2)).to_have_text("1 ý kiến")
    expect(found.get_by_role("link", name=_day(received))).to_be_visible()
    expect(found).not_to_contain_text("Tranh chấp")
    _no_sideways_scroll(page)
    _check_current(page, axe_source, "375 px, yêu cầu của người dân (kết quả):")

    with page.expect_download() as info:
        page.get_by_role("button", name="Tải dữ liệu về người dân này").click()
    download = info.value
    assert download.suggested_filename == f"du-lieu-nguoi-dan-{opinion.pk}.xlsx"
    with open(download.path(), "rb") as workbook:  # a temporary name, no ".xlsx"
        book = openpyxl.load_workbook(workbook)
    header, *rows = [list(r) for r in book["Ý kiến, kiến nghị"].iter_rows(values_only=True)]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert (row["Mã ý kiến"], row["Họ tên người dân"], row["Số điện thoại người dân"]) == (
        opinion.pk, "Hoàng Văn Dân", "0912345678",
    )  # fmt: skip
    assert row["Ngày tiếp nhận"] == _day(received)

    # The answered request on the exports page, read in Vietnamese, with its link.
    page.goto(f"{live_server.url}/can-bo/lich-su/xuat-du-lieu/")
    request = page.get_by_test_id("export-records")
    expect(request.get_by_test_id("subject-request")).to_have_text(
        "Yêu cầu của người dân: 1 ý kiến"
    )
    expect(request).not_to_contain_text("opinions")
    _no_sideways_scroll(page)
    _check_current(page, axe_source, "375 px, các lượt xuất dữ liệu:")
    request.get_by_role("link", name=f"Ý kiến số {opinion.pk}").click()
    expect(page.get_by_test_id("citizen")).to_contain_text("0912345678")

    # The citizen asks that their phone be corrected.
    page.get_by_test_id("contact-correct").click()
    expect(page.get_by_label("Số điện thoại người dân")).to_have_value("0912345678")
    _no_sideways_scroll(page)
    _check_current(page, axe_source, "375 px, sửa thông tin liên hệ:")
    page.get_by_label("Số điện thoại người dân").fill("0913 222 333")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_test_id("citizen")).to_have_text("Hoàng Văn Dân · 0913222333")

    # Then that their name and phone be erased.
    page.get_by_test_id("contact-erase").click()
    expect(page.get_by_test_id("step-explain")).to_contain_text("Không khôi phục lại được")
    _no_sideways_scroll(page)
    _check_current(page, axe_source, "375 px, xoá thông tin liên hệ:")
    page.get_by_role("button", name="Xoá họ tên, số điện thoại").click()
    expect(page.get_by_test_id("citizen")).to_have_text("—")
    expect(page.get_by_test_id("contact-erase")).to_have_count(0)
    _no_sideways_scroll(page)
    stored = Opinion.objects.get(pk=opinion.pk)
    assert (stored.citizen_name, stored.citizen_phone) == ("", "")
    assert stored.summary == "Bãi rác đầu thôn bốc mùi, đề nghị thu gom."
