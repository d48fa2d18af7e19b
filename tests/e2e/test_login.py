"""Logging in, the lockout, account management and the Content-Security-Policy, in a real
Chromium on a 375 px phone screen.

Every page visited is watched for CSP violations two ways: a ``securitypolicyviolation``
listener installed before any page script runs, and the console messages Chromium writes
when it blocks something ("Refused to ... because it violates the following Content
Security Policy directive").
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.choices import StaffRole
from members.services import membership_add
from tests.factories import make_staff
from units.services import team_create_for_village, unit_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-nghiem-2026"  # tests.factories.UserFactory's

VIOLATION_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(
    event.violatedDirective + " " + event.blockedURI + " at " + event.sourceFile + ":" +
    event.lineNumber
  );
});
"""


class CspWatch:
    """Collects CSP violations of a page (events and console messages)."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        page.context.add_init_script(script=VIOLATION_LISTENER)
        page.on("console", self._on_console)

    def _on_console(self, message):
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def assert_clean(self):
        events = self.page.evaluate("window.__cspViolations || []")
        assert events == [], (self.page.url, events)
        assert self.console == [], (self.page.url, self.console)


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.url


def _log_in(page, base_url, username, password=PASSWORD):
    page.goto(f"{base_url}{reverse('login')}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()


def test_officer_logs_in_on_a_phone_and_pages_show_no_csp_violation(
    live_server, phone_page, area_tree
):
    """Home, login, the staff home, the commune page, a team's roster and the import page
    (with its script, static/js/import-progress.js) load with no CSP violation and fit
    375 px."""
    team = team_create_for_village(commune=area_tree["commune"], village_name="Tổ 1")
    membership_add(unit=team, full_name="Hoàng Văn Thụ", birth_year=1972, role="head")
    make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]], username="canbo")
    page = phone_page
    watch = CspWatch(page)

    page.goto(live_server.url + "/")
    watch.assert_clean()
    _log_in(page, live_server.url, "canbo")
    expect(page.get_by_role("heading", level=1)).to_have_text("Khối dân vận, Tổ dân vận")
    watch.assert_clean()
    _no_sideways_scroll(page)

    for url in (
        reverse("members:commune_detail", args=[area_tree["commune"].pk]),
        reverse("members:unit_detail", args=[team.pk]),
        reverse("members:membership_list"),
        reverse("members:import_upload"),
    ):
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        watch.assert_clean()
        _no_sideways_scroll(page)
    scripts = page.evaluate("[...document.scripts].map(s => s.src)")
    assert any(src.endswith("js/import-progress.js") for src in scripts)
    assert page.evaluate("[...document.scripts].filter(s => !s.src).length") == 0


def test_the_admin_works_under_the_csp(live_server, phone_page, area_tree):
    """The Django admin's index, lists with filters, change forms with autocomplete,
    date widgets and the user's password form: no CSP violation (no inline script or
    style needed), and the autocomplete still opens."""
    bloc = unit_create(kind="bloc", area=area_tree["commune"])
    membership = membership_add(unit=bloc, full_name="Nông Thị Hoa", birth_year=1985)
    admin = make_staff(StaffRole.SYSTEM_ADMIN, username="quantri")
    page = phone_page
    page.set_viewport_size({"width": 1280, "height": 900})
    watch = CspWatch(page)

    page.goto(f"{live_server.url}{reverse('admin:login')}")
    watch.assert_clean()
    page.get_by_label("Tên đăng nhập").fill("quantri")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("#site-name")).to_be_visible()
    watch.assert_clean()

    for url in (
        reverse("admin:index"),
        reverse("admin:units_area_changelist") + "?level__exact=commune",
        reverse("admin:units_unit_changelist"),
        reverse("admin:units_unit_change", args=[bloc.pk]),
        reverse("admin:units_unit_add"),
        reverse("admin:members_membership_changelist"),
        reverse("admin:members_membership_change", args=[membership.pk]),
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_change", args=[admin.pk]),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_user_password_change", args=[admin.pk]),
    ):
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
        watch.assert_clean()

    # The area autocomplete (select2, jQuery) opens and searches under the CSP.
    page.goto(live_server.url + reverse("admin:units_unit_add"))
    page.locator(".select2-selection").first.click()
    page.locator(".select2-search__field").fill("Phường")
    expect(page.locator(".select2-results__option").first).to_contain_text("Phường")
    watch.assert_clean()

    # The calendar of a date field and the list's "select all" (admin JS) work too.
    page.goto(live_server.url + reverse("admin:members_membership_change", args=[membership.pk]))
    page.locator(".date-icon").first.click()
    expect(page.locator(".calendarbox").first).to_be_visible()
    page.goto(live_server.url + reverse("admin:members_membership_changelist"))
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text("1")
    watch.assert_clean()


def test_brute_force_login_is_locked_out_in_the_browser(live_server, phone_page):
    """Five wrong passwords: the fifth answer and the next one, with the right password,
    are the Vietnamese lockout page."""
    make_staff(username="canbo")
    page = phone_page
    watch = CspWatch(page)
    for _attempt in range(4):
        _log_in(page, live_server.url, "canbo", "sai-mat-khau")
        expect(page.get_by_role("alert")).to_be_visible()
    _log_in(page, live_server.url, "canbo", "sai-mat-khau")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tạm khóa đăng nhập")
    _log_in(page, live_server.url, "canbo")
    expect(page.get_by_test_id("lockout-message")).to_contain_text(
        "Đăng nhập bị tạm khóa vì nhập sai mật khẩu 5 lần liên tiếp."
    )
    expect(page.get_by_test_id("lockout-message")).to_contain_text("Hãy thử lại sau 30 phút.")
    _no_sideways_scroll(page)
    watch.assert_clean()


def test_provincial_staff_creates_an_account_on_a_phone(live_server, phone_page, area_tree):
    """Log in, open "Tài khoản", create a commune officer by finding the commune without
    diacritics, see the generated password once; the new officer logs in with it."""
    make_staff(StaffRole.PROVINCE_STAFF, [area_tree["province"]], username="tinh")
    page = phone_page
    watch = CspWatch(page)
    _log_in(page, live_server.url, "tinh")
    page.get_by_test_id("menu-button").click()  # the phone menu is folded
    page.get_by_role("navigation").get_by_role("link", name="Tài khoản").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tài khoản cán bộ")
    _no_sideways_scroll(page)

    page.get_by_role("link", name="Tạo tài khoản").click()
    page.get_by_label("Tên đăng nhập").fill("lovanpao")
    page.get_by_label("Họ và tên").fill("Lò Văn Páo")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Vai trò").select_option(label="Cán bộ cấp xã")
    page.get_by_label("Tìm địa bàn").fill("bang thanh")
    page.get_by_role("button", name="Tìm địa bàn").click()
    expect(page.get_by_label("Tên đăng nhập")).to_have_value("lovanpao")
    page.get_by_label("Xã Bằng Thành — Huyện Pác Nặm, Tỉnh Bắc Kạn", exact=False).check()
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Tạo tài khoản").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Đã tạo tài khoản")
    password = page.get_by_test_id("generated-password").inner_text()
    _no_sideways_scroll(page)
    watch.assert_clean()

    page.get_by_test_id("menu-button").click()  # the phone menu is folded
    page.get_by_role("button", name="Đăng xuất").click()
    _log_in(page, live_server.url, "lovanpao", password)
    # A password someone else chose: the officer must change it before anything else.
    expect(page.get_by_role("heading", level=1)).to_have_text("Đổi mật khẩu")
    expect(page.get_by_test_id("must-change-password")).to_contain_text(
        "Mật khẩu hiện tại của bạn do người khác đặt."
    )
    page.goto(live_server.url + reverse("members:home"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đổi mật khẩu")
    _no_sideways_scroll(page)
    page.get_by_label("Mật khẩu cũ").fill(password)
    page.get_by_label("Mật khẩu mới", exact=True).fill("mat-khau-rieng-cua-pao-2026")
    page.get_by_label("Xác nhận mật khẩu mới").fill("mat-khau-rieng-cua-pao-2026")
    page.get_by_role("main").get_by_role("button", name="Đổi mật khẩu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã đổi mật khẩu")
    page.goto(live_server.url + reverse("members:home"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Khối dân vận, Tổ dân vận")
    watch.assert_clean()


def _totp_code(user, steps=0):
    """The code an authenticator app shows now (+ ``steps`` x 30 s) for the user's device."""
    import time

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps * device.step
    return f"{totp.token():06d}"


def _setup_code(page, steps=0):
    """The code for the key shown on the security page (base32, grouped by four)."""
    import base64
    import time

    from django_otp.oath import TOTP

    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    totp = TOTP(base64.b32decode(secret), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + steps * 30
    return f"{totp.token():06d}"


def test_staff_turns_on_the_second_factor_and_logs_in_with_a_code(live_server, phone_page):
    """On a phone: "Bảo mật tài khoản" shows the QR code (inline SVG, no CSP violation);
    a wrong code is refused in Vietnamese, the right one turns it on; the next login asks
    for a code after the password and opens the staff home."""
    user = make_staff(StaffRole.COMMUNE_OFFICER, username="canbo")
    page = phone_page
    watch = CspWatch(page)
    _log_in(page, live_server.url, "canbo")
    expect(page.get_by_role("heading", level=1)).to_have_text("Khối dân vận, Tổ dân vận")
    page.goto(live_server.url + reverse("accounts:security"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bảo mật tài khoản")
    qr = page.get_by_test_id("totp-qr").locator("svg")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] <= 375
    _no_sideways_scroll(page)

    right = _setup_code(page)
    page.get_by_label("Mã xác thực").fill(str((int(right) + 1) % 1_000_000).zfill(6))
    page.get_by_role("button", name="Bật xác thực hai bước").click()
    expect(page.locator(".field__error")).to_contain_text("Mã xác thực không đúng")
    page.get_by_label("Mã xác thực").fill(_setup_code(page))
    page.get_by_role("button", name="Bật xác thực hai bước").click()
    expect(page.get_by_test_id("totp-state")).to_contain_text("Đang bật")
    watch.assert_clean()

    page.get_by_test_id("menu-button").click()  # the phone menu is folded
    page.get_by_role("button", name="Đăng xuất").click()
    _log_in(page, live_server.url, "canbo")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác thực hai bước")
    _no_sideways_scroll(page)
    page.get_by_label("Mã xác thực").fill(_totp_code(user, 1))
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Khối dân vận, Tổ dân vận")
    watch.assert_clean()
