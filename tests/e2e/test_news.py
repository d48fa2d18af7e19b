"""The news desk and the public news pages in a real Chromium on a 375 px phone screen.

An editor writes an article in the rich-text editor (Quill, served from our static
files) with a captioned picture, previews it, schedules it, and the public list and
article show it once its time has come, with no job run. The editor page is watched
for Content-Security-Policy violations the whole time (tests/e2e/test_login.py).
"""

import datetime
import io
import time

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from playwright.sync_api import expect

from accounts.choices import StaffRole
from news import services
from news.choices import ArticleStatus
from news.models import Article
from tests.e2e.test_login import CspWatch
from tests.factories import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


def png(size=(1400, 800), color=(40, 120, 60)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def log_in_as(page, client, live_server, user):
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.url


def test_editor_writes_previews_and_schedules_an_article_with_a_captioned_image(
    live_server, phone_page, browser, client
):
    """Write in the editor (heading, bold text, a picture uploaded and inserted with its
    caption), save and preview, schedule from the desk; the public sees nothing until
    the time comes, then the list and the article show it, picture and caption
    included; no CSP violation anywhere on the desk."""
    editor = make_staff(StaffRole.NEWS_EDITOR, username="bien_tap_vien")
    services.category_create(name="Gương Dân vận khéo", acting_user=None)
    page = phone_page
    watch = CspWatch(page)
    log_in_as(page, client, live_server, editor)

    page.goto(live_server.url + reverse("news:create"))
    expect(page.locator(".ql-toolbar")).to_be_visible()
    expect(page.get_by_role("button", name="Chữ đậm")).to_be_visible()
    no_sideways_scroll(page)
    watch.assert_clean()

    page.get_by_role("textbox", name="Tiêu đề", exact=True).fill(
        "Thôn Nà Pục làm đường bê tông nhờ “Dân vận khéo”"
    )
    page.get_by_label("Tóm tắt (sa-pô)").fill("Bà con góp đất, góp công làm 800 mét đường.")
    page.get_by_label("Chuyên mục").select_option(label="Gương Dân vận khéo")
    body = page.get_by_role("textbox", name="Nội dung")
    body.click()
    page.keyboard.type("Con đường mới vào thôn.")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Chữ đậm").click()
    page.keyboard.type("Tám trăm mét")
    page.get_by_role("button", name="Chữ đậm").click()
    page.keyboard.type(" bê tông, không ai phải đền bù.")

    panel = page.locator("[data-image-upload]")
    expect(panel).to_be_visible()
    panel.get_by_label("Tệp ảnh").set_input_files(
        files=[{"name": "duong-thon.png", "mimeType": "image/png", "buffer": png()}]
    )
    panel.get_by_label("Mô tả ảnh").fill("Đoạn đường bê tông mới giữa hai hàng nhà")
    panel.get_by_label("Chú thích dưới ảnh").fill("Đường vào thôn Nà Pục sau khi hoàn thành")
    panel.get_by_role("button", name="Tải lên và chèn vào bài").click()
    expect(panel.get_by_role("status")).to_have_text("Đã chèn ảnh vào bài. Bấm “Lưu” để lưu bài.")
    expect(page.locator(".ql-editor figure figcaption")).to_have_text(
        "Đường vào thôn Nà Pục sau khi hoàn thành"
    )
    no_sideways_scroll(page)
    watch.assert_clean()

    page.get_by_role("button", name="Lưu và xem trước").click()
    expect(page.get_by_test_id("preview-banner")).to_contain_text("Bản xem trước")
    article = Article.objects.get()
    assert article.status == ArticleStatus.DRAFT
    assert "<strong>Tám trăm mét</strong>" in article.body
    assert "&nbsp;" not in article.body
    figure = page.get_by_test_id("article-body").locator("figure")
    expect(figure.locator("figcaption")).to_have_text("Đường vào thôn Nà Pục sau khi hoàn thành")
    expect(figure.locator("img")).to_have_attribute(
        "alt", "Đoạn đường bê tông mới giữa hai hàng nhà"
    )
    assert figure.locator("img").evaluate("img => img.complete && img.naturalWidth") == 800
    watch.assert_clean()

    page.get_by_role("link", name="Quay lại sửa bài").click()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_label("Ngày đăng").fill(tomorrow.strftime("%d/%m/%Y"))
    page.get_by_label("Giờ đăng").fill("07:30")
    page.get_by_role("button", name="Hẹn giờ đăng").click()
    expect(page.get_by_test_id("article-status")).to_have_text("Hẹn giờ đăng")
    expect(page.locator(".messages")).to_contain_text(f"07:30 {tomorrow:%d/%m/%Y}")
    # The editor, reloaded with the saved body, shows the picture again.
    expect(page.locator(".ql-editor figure img")).to_have_count(1)
    watch.assert_clean()

    # The public: nothing yet. Then the time comes (moved to a few seconds from now
    # through the service, as a real schedule would pass) with no job run.
    public = browser.new_context(viewport={"width": 375, "height": 740}, locale="vi-VN")
    reader = public.new_page()
    reader.goto(live_server.url + "/tin-tuc/")
    expect(reader.get_by_text("Thôn Nà Pục làm đường bê tông")).to_have_count(0)
    assert reader.goto(live_server.url + article.get_absolute_url()).status == 404

    soon = timezone.now() + datetime.timedelta(seconds=3)
    services.article_schedule(article=article, publish_at=soon, acting_user=editor)
    reader.goto(live_server.url + "/tin-tuc/")
    expect(reader.get_by_text("Thôn Nà Pục làm đường bê tông")).to_have_count(0)
    time.sleep(max(0.0, (soon - timezone.now()).total_seconds()) + 0.5)

    # A reader arriving now (the first one's browser may keep the list it was sent for
    # its max-age, as any browser or proxy may: docs/DEPLOYMENT.md).
    public.close()
    public = browser.new_context(viewport={"width": 375, "height": 740}, locale="vi-VN")
    reader = public.new_page()
    reader.goto(live_server.url + "/tin-tuc/")
    link = reader.get_by_role("link", name="Thôn Nà Pục làm đường bê tông nhờ “Dân vận khéo”")
    expect(link).to_be_visible()
    no_sideways_scroll(reader)
    link.click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(
        "Thôn Nà Pục làm đường bê tông nhờ “Dân vận khéo”"
    )
    expect(reader.get_by_test_id("article-body").locator("figcaption")).to_have_text(
        "Đường vào thôn Nà Pục sau khi hoàn thành"
    )
    expect(
        reader.get_by_text(
            soon.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y")
        ).first
    ).to_be_visible()
    no_sideways_scroll(reader)
    public.close()

    call_command("publish_scheduled", stdout=io.StringIO())
    assert Article.objects.get().status == ArticleStatus.PUBLISHED


def test_reader_toolbar_remembers_size_and_contrast(live_server, phone_page):
    """Larger text and high contrast are applied at once, remembered on the next page
    (localStorage), and the share link field holds the article's address."""
    article = services.article_create(
        acting_user=None, title="Tin cỡ chữ", summary="Tóm tắt", body="<p>Nội dung</p>"
    )
    services.article_publish(article=article, acting_user=None)
    page = phone_page
    watch = CspWatch(page)
    page.goto(live_server.url + article.get_absolute_url())
    size = "parseFloat(getComputedStyle(document.documentElement).fontSize)"
    assert page.evaluate(size) == 16
    page.get_by_role("button", name="Tăng cỡ chữ").click()
    page.get_by_role("button", name="Tăng cỡ chữ").click()
    assert page.evaluate(size) == 20
    contrast = page.get_by_role("button", name="Tương phản cao")
    contrast.click()
    expect(contrast).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    expect(page.get_by_label("Liên kết bài viết")).to_have_value(
        live_server.url + article.get_absolute_url()
    )
    expect(page.get_by_role("button", name="Sao chép liên kết")).to_be_visible()
    expect(page.get_by_role("button", name="In", exact=True)).to_be_visible()

    page.goto(live_server.url + "/tin-tuc/")
    assert page.evaluate(size) == 20
    assert page.evaluate("document.documentElement.classList.contains('contrast-high')")
    no_sideways_scroll(page)
    watch.assert_clean()
