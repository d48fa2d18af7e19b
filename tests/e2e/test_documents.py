"""The documents in a real Chromium: the search on a 375 px phone, the filters, a
document and its PDF; axe-core on the list and a document on a phone and a desktop
(tests/e2e/test_accessibility.py's checks)."""

import datetime

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from documents import services
from tests.documents.conftest import PDF, pdf_upload
from tests.e2e import test_accessibility as a11y

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: axe-core's source, the fixture of the accessibility tests.
axe_source = a11y.axe_source


@pytest.fixture
def library(settings, tmp_path, area_tree):
    """Three published documents (one replaced by another, one with a long number and
    title, two with a PDF) and a draft."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()

    def make(number, doc_type, title, issued_on, **fields):
        return services.document_create(
            acting_user=None,
            doc_type=doc_type,
            number=number,
            issuer=fields.pop("issuer", "Ban Dân vận Tỉnh ủy Bắc Kạn"),
            issued_on=issued_on,
            title=title,
            is_published=fields.pop("is_published", True),
            **fields,
        )

    new = make(
        "366-QĐ/TW",
        "regulation",
        "Về kiểm điểm, đánh giá, xếp loại chất lượng đối với tập thể, cá nhân trong hệ "
        "thống chính trị",
        datetime.date(2025, 8, 30),
        issuer="Bộ Chính trị",
        summary="Thang 100 điểm; đánh giá theo nhiệm kỳ, năm, quý hoặc khi cần.",
    )
    guidance = make(
        "267-HD/DVTU",
        "guidance",
        "Kiện toàn công tác tổ chức và nội dung hoạt động của khối dân vận cơ sở",
        datetime.date(2008, 8, 7),
        area=area_tree["province"],
        summary="Thành phần, trưởng khối, quy chế hoạt động.\nSinh hoạt định kỳ.",
    )
    long = make(
        "01/HDLB-TC-DV-BANDANVANTRUNGUONG",
        "guidance",
        "Về chức năng, nhiệm vụ, tổ chức bộ máy và biên chế cán bộ của Ban Dân vận địa "
        "phương, một trích yếu rất dài để thử màn hình hẹp",
        datetime.date(2000, 5, 25),
        issuer="Ban Dân vận Trung ương - Ban Tổ chức Trung ương",
    )
    guidance = services.document_update(
        document=guidance, acting_user=None, status="replaced", replaced_by=new
    )
    for document in (guidance, long):
        services.attachment_add(
            document=document,
            upload=pdf_upload(f"{document.number.replace('/', '-')} bản gốc đầy đủ.pdf"),
            acting_user=None,
        )
    make(
        "999-HD/DVTU",
        "guidance",
        "Hướng dẫn chưa đăng",
        datetime.date(2026, 1, 2),
        is_published=False,
    )
    return {"guidance": guidance, "new": new}


def test_phone_reader_searches_huong_dan_267_without_diacritics(live_server, phone_page, library):
    """On a 375 px screen: the list shows the three published documents; typing
    "huong dan 267" finds the guidance, whose page says what replaced it and whose PDF
    opens as a PDF; the type filter works; nothing scrolls sideways."""
    page = phone_page
    page.goto(live_server.url + "/van-ban/")
    cards = (
        page.get_by_test_id("document-list")
        .get_by_role("listitem")
        .filter(has=page.get_by_role("heading"))
    )
    expect(cards).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    search = page.get_by_label("Tìm văn bản")
    search.fill("huong dan 267")
    search.press("Enter")
    expect(page.get_by_role("status")).to_have_text("1 văn bản khớp.")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Hướng dẫn 267-HD/DVTU")
    expect(cards.first).to_contain_text("Đã được thay thế")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.get_by_role("link", name="Hướng dẫn 267-HD/DVTU", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kiện toàn công tác tổ chức")
    expect(page.get_by_test_id("replaced-notice")).to_contain_text("Quy định 366-QĐ/TW")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    href = page.get_by_test_id("document-files").get_by_role("link").first.get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body() == PDF

    page.goto(live_server.url + "/van-ban/")
    page.get_by_text("Lọc theo loại, cơ quan, năm, địa bàn").click()
    page.get_by_label("Loại văn bản").select_option(label="Quy định")
    page.get_by_role("button", name="Lọc").click()
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Quy định 366-QĐ/TW")
    page.get_by_label("Tìm văn bản").fill("chua dang")
    page.get_by_label("Tìm văn bản").press("Enter")
    expect(page.get_by_text("Không có văn bản nào khớp.")).to_be_visible()


def _pages(library) -> dict:
    return {
        "văn bản": "/van-ban/",
        "văn bản (lọc)": "/van-ban/?q=huong+dan&doc_type=guidance",
        "một văn bản": library["guidance"].get_absolute_url(),
        "văn bản thay thế": library["new"].get_absolute_url(),
    }


def test_documents_pages_on_a_phone_have_no_serious_axe_violation(
    live_server,
    phone_page,
    axe_source,
    library,
):
    for name, path in _pages(library).items():
        a11y._check(phone_page, live_server.url + path, axe_source, f"375 px, {name}:")
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{name} scrolls sideways ({width} px)"


def test_documents_pages_on_a_desktop_have_no_serious_axe_violation(
    live_server,
    browser,
    axe_source,
    library,
):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    try:
        for name, path in _pages(library).items():
            a11y._check(page, live_server.url + path, axe_source, f"1280 px, {name}:")
    finally:
        context.close()
