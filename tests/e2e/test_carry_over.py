"""The carry-over wizard in a real Chromium, on a 375 px phone and a 1280 px screen:
preview a province with a split commune, reassign one village, apply, see the new
rosters, undo, apply again."""

import pytest
from playwright.sync_api import expect

from tests.factories import make_staff
from tests.members.carry_world import build_carry_world
from units.models import Reorganisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-nghiem-2026"  # tests.factories.UserFactory's


@pytest.mark.parametrize("width", [375, 1280])
def test_wizard_preview_reassign_apply_undo_apply(live_server, browser, width):
    world = build_carry_world()
    make_staff("province_staff", areas=[world.successor], username="tinh")
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/can-bo/chuyen-dia-ban/")
    page.get_by_label("Tên đăng nhập").fill("tinh")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()

    page.get_by_test_id("carry-provinces").get_by_role("link", name="Tỉnh Bắc Kạn").click()
    expect(page.get_by_test_id("carry-commune")).to_have_count(1)
    expect(page.get_by_role("listitem").filter(has_text="Thôn 1 (A)")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # Reassign the split commune's village to Xã Y, then preview again.
    page.get_by_label("Thôn Nà (Xã S)").select_option(label="Xã Y")
    page.get_by_role("button", name="Cập nhật xem trước").click()
    expect(page.get_by_test_id("carry-commune")).to_have_count(2)

    page.get_by_test_id("carry-apply").click()
    units = page.get_by_test_id("carry-units")
    expect(units.get_by_role("link")).to_have_count(4)
    units.get_by_role("link", name="Tổ dân vận Thôn Nà").click()
    expect(page.get_by_text("Ngô Thị Lan").first).to_be_visible()
    page.go_back()

    page.get_by_test_id("carry-undo").click()
    expect(page.get_by_test_id("carry-commune")).to_have_count(1)
    page.get_by_test_id("carry-apply").click()
    expect(page.get_by_test_id("carry-units").get_by_role("link")).to_have_count(4)
    assert Reorganisation.objects.filter(undone_at__isnull=True).count() == 1
    context.close()
