"""A commune officer keeps a team's roster on a 375 px phone, in a real Chromium."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from members.models import Membership
from members.services import membership_add
from tests.factories import AreaFactory, make_staff
from units.choices import Level
from units.services import team_create_for_village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-nghiem-2026"  # tests.factories.UserFactory's


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.url


@pytest.fixture
def team():
    province = AreaFactory(level=Level.PROVINCE, code="06", name="Tỉnh Bắc Kạn")
    district = AreaFactory(level=Level.DISTRICT, code="061", name="Huyện Pác Nặm", parent=province)
    commune = AreaFactory(level=Level.COMMUNE, code="01849", name="Xã Bằng Thành", parent=district)
    team = team_create_for_village(commune=commune, village_name="Thôn Nà Pục")
    membership_add(
        unit=team, full_name="Hoàng Văn Thụ", birth_year=1972, role="head", party_member=True,
        phone="0912345678", position="Bí thư chi bộ", start_date=datetime.date(2023, 3, 5),
    )  # fmt: skip
    membership_add(unit=team, full_name="Nông Thị Hoa", birth_year=1985, gender="female")
    return team


def test_officer_adds_then_ends_a_membership_on_a_phone(live_server, phone_page, team):
    """Log in, open the team's roster, add a member through the form, end another one's
    membership: the roster shows both changes and never scrolls sideways."""
    make_staff(username="canbo")
    page = phone_page
    roster_url = f"{live_server.url}/can-bo/don-vi/{team.pk}/"

    page.goto(roster_url)
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill("canbo")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tổ dân vận Thôn Nà Pục")
    current = page.get_by_test_id("current-members")
    expect(current.locator("tbody tr")).to_have_count(2)
    expect(page.get_by_text("Tổ có 2 thành viên đang tham gia")).to_be_visible()
    _no_sideways_scroll(page)

    # Add a member.
    page.get_by_role("link", name="Thêm thành viên").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thêm thành viên")
    _no_sideways_scroll(page)
    page.get_by_label("Họ và tên").fill("Lò Thị Xuân")
    page.get_by_label("Vai trò").select_option(label="Tổ phó")
    page.get_by_label("Giới tính").select_option(label="Nữ")
    page.get_by_label("Năm sinh").fill("1990")
    page.get_by_label("Dân tộc").select_option("Thái")
    page.get_by_label("Đảng viên").check()
    page.get_by_label("Số điện thoại").fill("0987 654 321")
    page.get_by_label("Chức vụ").fill("Chi hội trưởng Phụ nữ")
    page.get_by_label("Ngày tham gia").fill("05/03/2024")
    page.get_by_role("button", name="Thêm thành viên").click()

    expect(
        page.get_by_text("Đã thêm Lò Thị Xuân (1990) vào Tổ dân vận Thôn Nà Pục.")
    ).to_be_visible()
    expect(current.locator("tbody tr")).to_have_count(3)
    new_row = current.locator("tbody tr", has_text="Lò Thị Xuân")
    expect(new_row).to_contain_text("Tổ phó")
    expect(new_row).to_contain_text("0987654321")
    expect(new_row).to_contain_text("05/03/2024")
    _no_sideways_scroll(page)

    # End another member's membership.
    page.get_by_role("link", name="Cho thôi Nông Thị Hoa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cho thôi tham gia")
    today = timezone.localdate().strftime("%d/%m/%Y")
    expect(page.get_by_label("Ngày thôi")).to_have_value(today)
    page.get_by_label("Lý do").fill("Chuyển công tác")
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Xác nhận thôi tham gia").click()

    message = f"Nông Thị Hoa (1985) thôi tham gia Tổ dân vận Thôn Nà Pục từ ngày {today}."
    expect(page.get_by_text(message)).to_be_visible()
    expect(current.locator("tbody tr")).to_have_count(2)
    expect(current).not_to_contain_text("Nông Thị Hoa")
    past = page.get_by_test_id("past-members")
    expect(past.locator("tbody tr")).to_have_count(1)
    expect(past).to_contain_text("Nông Thị Hoa")
    expect(past).to_contain_text(today)
    expect(past).to_contain_text("Chuyển công tác")
    _no_sideways_scroll(page)

    ended = Membership.objects.get(person__full_name="Nông Thị Hoa")
    assert ended.end_date == timezone.localdate()
    assert Membership.objects.filter(unit=team, end_date__isnull=True).count() == 2


def test_member_list_and_commune_page_fit_a_phone(live_server, phone_page, team):
    """The filtered member list (stacked cards) and the commune page do not scroll
    sideways on 375 px."""
    make_staff(username="canbo")
    page = phone_page
    page.goto(f"{live_server.url}/tai-khoan/login/")
    page.get_by_label("Tên đăng nhập").fill("canbo")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Khối dân vận, Tổ dân vận")

    search = page.get_by_role("searchbox", name="Tìm xã, phường")
    search.fill("bang thanh")
    search.press("Enter")
    page.get_by_role("link", name="Xã Bằng Thành").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xã Bằng Thành")
    expect(page.get_by_test_id("village-list")).to_contain_text("Tổ dân vận Thôn Nà Pục")
    _no_sideways_scroll(page)

    page.goto(f"{live_server.url}/can-bo/thanh-vien/?q=hoang+van")
    rows = page.get_by_test_id("membership-list").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Tổ trưởng")
    expect(rows.first).to_contain_text("1972")
    _no_sideways_scroll(page)
