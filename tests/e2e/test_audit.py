"""A commune officer ends a seat on a phone, then reads it in the history, in Chromium."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from members.services import membership_add
from tests.factories import AreaFactory, make_staff
from units.choices import Level
from units.services import team_create_for_village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-nghiem-2026"  # tests.factories.UserFactory's


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.url


def test_officer_ends_a_seat_and_finds_it_in_the_history_on_a_phone(live_server, phone_page):
    """End a seat through the roster page; the unit's history and the commune's history
    show who did it, through which door, and the end date and reason old -> new; no page
    scrolls sideways at 375 px."""
    province = AreaFactory(level=Level.PROVINCE, code="06", name="Tỉnh Bắc Kạn")
    district = AreaFactory(level=Level.DISTRICT, code="061", name="Huyện Pác Nặm", parent=province)
    commune = AreaFactory(level=Level.COMMUNE, code="01849", name="Xã Bằng Thành", parent=district)
    team = team_create_for_village(commune=commune, village_name="Thôn Nà Pục")
    membership_add(
        unit=team, full_name="Nông Thị Hoa", birth_year=1985, start_date=datetime.date(2023, 1, 5)
    )
    make_staff("commune_officer", [commune], username="canbo_xa", first_name="Hà", last_name="Lê")

    page = phone_page
    page.goto(f"{live_server.url}/can-bo/don-vi/{team.pk}/")
    page.get_by_label("Tên đăng nhập").fill("canbo_xa")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Cho thôi Nông Thị Hoa").click()
    page.get_by_label("Lý do").fill("Chuyển công tác")
    page.get_by_role("button", name="Xác nhận thôi tham gia").click()
    expect(page.get_by_test_id("past-members")).to_contain_text("Nông Thị Hoa")

    page.get_by_role("link", name="Lịch sử thay đổi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Lịch sử thay đổi: Tổ dân vận Thôn Nà Pục"
    )
    latest = page.get_by_test_id("audit-entries").locator("tbody tr").first
    today = timezone.localdate().strftime("%d/%m/%Y")
    expect(latest).to_contain_text("Cập nhật")
    changes = latest.get_by_role("listitem")
    expect(changes.nth(0)).to_have_text(f"Ngày thôi: — → {today}")
    expect(changes.nth(1)).to_have_text("Lý do thôi: — → Chuyển công tác")
    expect(latest).to_contain_text("Lê Hà (canbo_xa)")  # family name first
    expect(latest).to_contain_text("Trang cán bộ")
    _no_sideways_scroll(page)

    page.goto(f"{live_server.url}/can-bo/xa/{commune.pk}/")
    page.get_by_role("link", name="Lịch sử thay đổi trong xã").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lịch sử thay đổi")
    expect(page.get_by_test_id("audit-entries")).to_contain_text("Chuyển công tác")
    _no_sideways_scroll(page)
