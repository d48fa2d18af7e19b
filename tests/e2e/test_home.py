"""The home page in a real Chromium on a phone-sized screen."""

import pytest
from playwright.sync_api import expect

from units.choices import Edition
from units.services import divisions_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_phone_visitor_searches_bac_kan_without_diacritics(live_server, phone_page):
    """On a 375 px screen, typing "bac kan" and pressing Enter shows Tỉnh Bắc Kạn, and the
    page does not scroll sideways."""
    divisions_load(edition=Edition.LEGACY, provinces=["06", "11", "19"])
    page = phone_page
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_test_id("province-list").get_by_role("listitem")).to_have_count(3)

    page.get_by_label("Tìm địa bàn").fill("bac kan")
    page.get_by_label("Tìm địa bàn").press("Enter")

    provinces = page.get_by_test_id("province-list").get_by_role("listitem")
    expect(provinces).to_have_count(1)
    expect(provinces.first).to_contain_text("Tỉnh Bắc Kạn")
    expect(provinces.first).to_contain_text("108")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 375


def test_healthz_in_the_browser(live_server, phone_page):
    """The health check answers in the browser too."""
    response = phone_page.goto(live_server.url + "/healthz")
    assert response.status == 200
