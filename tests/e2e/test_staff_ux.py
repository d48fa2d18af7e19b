"""Everyday staff use on a 375 px phone and a 1280 px desktop in Chromium: the folding
phone menu (no JavaScript), who is logged in, the commune officer's home, the import
preview with the values as read, and the one message of a file in the other list of
communes; axe-core finds no serious or critical violation on any of them.

Screenshots go to $DANVAN_SCREENSHOTS when it is set (to look at them)."""

import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import expect

from members.models_imports import ImportJob
from tests.e2e import test_accessibility as a11y
from tests.e2e.test_accessibility import _check, _check_current, _log_in_as
from tests.factories import make_staff
from tests.members.test_import_views import GOOD_ROWS, roster_workbook
from units.choices import Level
from units.models import Area
from units.services import team_create_for_village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("DANVAN_SCREENSHOTS")
#: The axe-core source, as the accessibility tests load it.
axe_source = a11y.axe_source


def shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def no_sideways_scroll(page, width):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} scrolls sideways ({scroll} px)"


@pytest.fixture
def officer(area_tree):
    commune = area_tree["commune"]
    team_create_for_village(commune=commune, village_name="Tổ 1")
    for name in ("Tổ 2", "Tổ 3", "Thôn Nà Pục"):
        Area.objects.create(
            edition=commune.edition, level=Level.VILLAGE, parent=commune, name=name,
            short_name=name, type_word="tổ",
        )  # fmt: skip
    return make_staff(
        "commune_officer", [commune], username="can_bo_xa", last_name="Lò Văn",
        first_name="Sáng",
    )  # fmt: skip


def preview_job(client) -> ImportJob:
    rows = [list(r) for r in GOOD_ROWS]
    file = SimpleUploadedFile("danh-sach.xlsx", roster_workbook(rows))
    client.post(reverse("members:import_upload"), {"file": file})
    return ImportJob.objects.latest("pk")


def test_the_phone_menu_folds_and_the_officer_home_opens_on_the_commune(
    live_server, phone_page, client, axe_source, officer
):
    page = phone_page
    _log_in_as(page, client, live_server, officer)
    _check(page, live_server.url + reverse("members:home"), axe_source, "375 px, trang cán bộ:")
    no_sideways_scroll(page, 375)
    nav = page.locator("#site-nav")
    expect(nav).to_be_hidden()
    expect(page.get_by_test_id("site-user")).to_contain_text("Lò Văn Sáng")
    expect(page.get_by_test_id("site-user")).to_contain_text("Cán bộ cấp xã")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 200, f"the folded header takes {header['height']} px"
    expect(page.get_by_test_id("commune-home")).to_contain_text("Phường Nguyễn Thị Minh Khai")
    expect(page.get_by_test_id("villages-without-team")).to_contain_text("Thôn Nà Pục")
    shot(page, "home-375")
    # Opened by a tap on "Menu", closed again; by the keyboard too (space on the box).
    page.get_by_test_id("menu-button").click()
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="Thành viên")).to_be_visible()
    shot(page, "home-375-menu")
    _check_current(page, axe_source, "375 px, menu mở:")
    page.get_by_test_id("menu-button").click()
    expect(nav).to_be_hidden()
    page.locator("#site-menu-toggle").focus()
    page.keyboard.press("Space")
    expect(nav).to_be_visible()
    # The dashboard's charts fit the phone.
    _check(page, live_server.url + reverse("reports:dashboard"), axe_source, "375 px, điều hành:")
    no_sideways_scroll(page, 375)
    shot(page, "dashboard-375")


def test_on_a_desktop_the_menu_is_open_and_the_button_hidden(
    live_server, browser, client, axe_source, officer
):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    try:
        _log_in_as(page, client, live_server, officer)
        _check(page, live_server.url + reverse("members:home"), axe_source, "1280 px, cán bộ:")
        expect(page.locator("#site-nav")).to_be_visible()
        expect(page.get_by_test_id("menu-button")).to_be_hidden()
        expect(page.get_by_test_id("site-user")).to_be_visible()
        shot(page, "home-1280")
        job = preview_job(client)
        _check(page, live_server.url + reverse("members:import_job", args=[job.pk]), axe_source,
               "1280 px, xem trước:")  # fmt: skip
        shot(page, "preview-1280")
        _check(
            page, live_server.url + reverse("reports:dashboard"), axe_source, "1280 px, điều hành:"
        )
        expect(page.get_by_test_id("chart-khoang-trong")).to_be_visible()
        shot(page, "dashboard-1280")
        # The admin in the portal's colours keeps its contrast.
        _check(page, live_server.url + reverse("admin:index"), axe_source, "1280 px, quản trị:")
        shot(page, "admin-1280")
    finally:
        context.close()


def test_the_import_preview_on_a_phone_shows_the_values_as_read(
    live_server, phone_page, client, axe_source, officer
):
    page = phone_page
    _log_in_as(page, client, live_server, officer)
    job = preview_job(client)
    url = live_server.url + reverse("members:import_job", args=[job.pk])
    _check(page, url, axe_source, "375 px, xem trước:")
    no_sideways_scroll(page, 375)
    values = page.get_by_test_id("import-values").first
    expect(values).to_contain_text("01834 → Phường Nguyễn Thị Minh Khai")
    expect(values).to_contain_text("01/02/2023")
    expect(values).to_contain_text("0912345678")
    shot(page, "preview-375")


NO_OVERFLOWING_CELL = """() => [...document.querySelectorAll('.stats-table td')]
  .filter(td => td.scrollHeight > td.clientHeight + 1)
  .map(td => td.getAttribute('data-label') + ': ' + td.textContent.trim())"""


def test_a_province_statistics_page_on_a_phone(live_server, phone_page, browser, axe_source):
    """Children as a compact table (rows stay rows), the empty ones folded, sortable by
    a tap on a heading; the rating labels on two lines never run into the next one."""
    from django.core.cache import cache
    from django.core.management import call_command

    cache.clear()
    call_command(
        "generate_demo", "--scale", "small", "--edition", "legacy", "--province", "06",
        verbosity=0,
    )  # fmt: skip
    page = phone_page
    # Before the reform: legacy units count only while their communes exist.
    url = live_server.url + "/thong-ke/06/?edition=legacy&date=2025-06-30"
    _check(page, url, axe_source, "375 px, thống kê tỉnh:")
    no_sideways_scroll(page, 375)
    table = page.get_by_test_id("children-table")
    expect(table).to_be_visible()
    assert table.locator("tbody tr").first.evaluate("tr => getComputedStyle(tr).display") == (
        "table-row"
    )
    assert page.evaluate(NO_OVERFLOWING_CELL) == []
    shot(page, "stats-province-375")
    table.get_by_role("link", name="Khối dân vận").click()
    expect(page).to_have_url(url + "&sap-xep=-blocs#dia-ban")
    expect(page.locator('#table-dia-ban th[aria-sort="descending"]')).to_have_count(1)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    desktop = context.new_page()
    try:
        _check(desktop, url, axe_source, "1280 px, thống kê tỉnh:")
        shot(desktop, "stats-province-1280")
    finally:
        context.close()


#: The article and the roster the accessibility tests build.
portal = a11y.portal


def test_wide_screens_use_their_width(live_server, browser, client, axe_source, portal, area_tree):
    """At 1280 px a form lays its fields in two columns and an article is a centred
    column, not a narrow strip at the left."""
    from units.models import Unit

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    try:
        officer = make_staff("commune_officer", [area_tree["commune"]], username="xa_rong")
        _log_in_as(page, client, live_server, officer)
        bloc = Unit.objects.get(kind="bloc")
        url = live_server.url + reverse("members:membership_create", args=[bloc.pk])
        _check(page, url, axe_source, "1280 px, thêm thành viên:")
        fields = page.locator(".stack-form > .field")
        first, second = fields.nth(0).bounding_box(), fields.nth(1).bounding_box()
        assert abs(first["y"] - second["y"]) < 2 and second["x"] > first["x"] + 200
        shot(page, "form-1280")
        _check(page, live_server.url + portal["article"].get_absolute_url(), axe_source,
               "1280 px, bài viết:")  # fmt: skip
        box = page.get_by_test_id("article").bounding_box()
        left, right = box["x"], 1280 - (box["x"] + box["width"])
        assert abs(left - right) < 40, (left, right)
        shot(page, "article-1280")
    finally:
        context.close()
