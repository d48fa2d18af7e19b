"""The public statistics pages in a real Chromium on a 375 px phone: drill down by
clicking, download a table."""

import csv
import io
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import expect

from units.models import Area

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    # The flushed database restarts the data version: drop figures cached by other tests.
    cache.clear()
    call_command(
        "generate_demo", "--scale", "small", "--edition", "legacy", "--province", "06",
        verbosity=0,
    )  # fmt: skip
    province = Area.objects.get(edition="legacy", code="06")
    district = (
        Area.objects.filter(parent=province, children__units__isnull=False)
        .distinct()
        .order_by("code")
        .first()
    )
    commune = (
        Area.objects.filter(parent=district, units__isnull=False)
        .distinct()
        .order_by("code")
        .first()
    )
    return province, district, commune


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.url


def _figure(page, field: str) -> int:
    text = page.locator(f'[data-field="{field}"]').inner_text()
    return int(text.replace(".", ""))


def test_drill_down_from_the_country_to_a_commune(live_server, phone_page, demo):
    """From the nav's "Thống kê": click the province, then the district, then the
    commune; each page shows the API's figures and breadcrumbs that lead back."""
    province, district, commune = demo
    page = phone_page
    page.goto(live_server.url + "/")
    page.get_by_test_id("menu-button").click()  # the phone menu is folded
    page.get_by_role("link", name="Thống kê", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Toàn quốc")
    _no_sideways_scroll(page)

    for area in (province, district, commune):
        children = page.locator("#dia-ban")
        link = children.get_by_role("link", name=area.name, exact=True)
        if not link.is_visible():  # an area without any unit on the day: folded
            children.locator("details > summary").click()
        link.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(area.name)
        api = page.request.get(f"{live_server.url}/api/v1/stats/{area.code}/").json()
        for field in ("blocs", "bloc_members", "teams", "team_members", "people"):
            assert _figure(page, field) == api[field], (area.code, field)
        _no_sideways_scroll(page)

    crumbs = page.get_by_test_id("breadcrumbs")
    expect(crumbs).to_contain_text(province.name)
    expect(crumbs).to_contain_text(district.name)
    crumbs.get_by_role("link", name=province.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(province.name)


def test_download_a_table_as_csv(live_server, phone_page, demo):
    """On a province's page, the CSV link of the "members" table downloads a file whose
    figures are the API's."""
    province, _district, _commune = demo
    page = phone_page
    page.goto(f"{live_server.url}/thong-ke/{province.code}/")
    section = page.locator("#thanh-vien")
    with page.expect_download() as info:
        section.get_by_role("link", name="CSV").click()
    download = info.value
    assert download.suggested_filename.endswith("-thanh-vien.csv")
    content = Path(download.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    api = page.request.get(f"{live_server.url}/api/v1/stats/{province.code}/").json()
    assert rows[0] == ["Loại đơn vị", "Số đơn vị", "Số lượt thành viên"]
    assert rows[1] == ["Khối dân vận", str(api["blocs"]), str(api["bloc_members"])]
    assert rows[2] == ["Tổ dân vận", str(api["teams"]), str(api["team_members"])]
