"""Public news pages, the news desk, the image upload endpoint and the admin."""

import datetime
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from news import services
from news.choices import ArticleStatus
from news.forms import ERROR_AREA_UNKNOWN
from news.models import Article, Category, Image
from news.views import ERROR_UPLOAD_NOT_ALLOWED
from tests.news.conftest import picture_upload

pytestmark = pytest.mark.django_db

XSS_TITLE = '<script>alert("tieu-de")</script>Tin <img src=x onerror=alert(1)>'
XSS_BODY = (
    '<p>Đoạn<script>alert("than-bai")</script></p><img src="x" onerror="alert(2)">'
    '<a href="javascript:alert(3)">bấm</a><iframe src="https://evil.example/"></iframe>'
)


def test_public_urls_are_the_contract():
    """CONTRACTS section 4: /tin-tuc/ and /tin-tuc/<slug>/."""
    assert reverse("news:list") == "/tin-tuc/"
    assert reverse("news:detail", args=["tin-bac-kan"]) == "/tin-tuc/tin-bac-kan/"


def test_list_shows_published_newest_first_and_hides_others(client, make_article):
    """Published articles, newest first, with their date dd/mm/yyyy; drafts, future
    schedules and archived articles are not listed."""
    now = timezone.now()
    old = make_article("Tin cũ", when=now - datetime.timedelta(days=3))
    new = make_article("Tin mới", when=now - datetime.timedelta(hours=1))
    make_article("Bản nháp", publish=False)
    services.article_archive(article=make_article("Đã lưu trữ"), acting_user=None)
    future = make_article("Tương lai", publish=False)
    services.article_schedule(
        article=future, publish_at=now + datetime.timedelta(days=1), acting_user=None
    )
    response = client.get("/tin-tuc/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("Tin mới") < body.index("Tin cũ")
    for hidden in ("Bản nháp", "Đã lưu trữ", "Tương lai"):
        assert hidden not in body
    assert timezone.localtime(old.publish_at).strftime("%d/%m/%Y") in body
    assert new.get_absolute_url() in body


def test_article_page_has_toolbar_share_og_and_canonical(client, make_article, category):
    """The article page: title, date dd/mm/yyyy, the reader toolbar, the share link,
    Open Graph and canonical tags, related articles of the same category."""
    article = make_article("Mô hình Dân vận khéo ở Bắc Kạn", category=category)
    related = make_article("Tin cùng chuyên mục", category=category)
    response = client.get(article.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    url = f"http://testserver{article.get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in body
    assert '<meta property="og:title" content="Mô hình Dân vận khéo ở Bắc Kạn">' in body
    assert f'<meta property="og:url" content="{url}">' in body
    assert timezone.localtime(article.publish_at).strftime("%d/%m/%Y") in body
    for label in ("Tăng cỡ chữ", "Giảm cỡ chữ", "Tương phản cao", "Sao chép liên kết"):
        assert label in body
    assert f'value="{url}" readonly' in body
    assert related.get_absolute_url() in body
    assert "news/reader.js" in body


@pytest.mark.parametrize("status", ["draft", "scheduled", "archived", "unknown"])
def test_unpublished_or_unknown_slug_answers_the_vietnamese_404(client, make_article, status):
    article = make_article("Chưa công khai", publish=False)
    if status == "scheduled":
        services.article_schedule(
            article=article,
            publish_at=timezone.now() + datetime.timedelta(hours=1),
            acting_user=None,
        )
    elif status == "archived":
        services.article_archive(article=article, acting_user=None)
    slug = "khong-co-bai-nay" if status == "unknown" else article.slug
    response = client.get(f"/tin-tuc/{slug}/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_search_ignores_diacritics(client, make_article):
    """ "dan van kheo" finds "Dân vận khéo" (in the title or the body); "Dân Vận" too."""
    make_article("Mô hình Dân vận khéo ở thôn Nà Pục")
    make_article("Tập huấn", body="<p>Nhân rộng cách làm <strong>dân vận khéo</strong></p>")
    make_article("Hội nghị sơ kết quý III")
    for query in ("dan van kheo", "Dân Vận khéo", "DAN VAN"):
        body = client.get("/tin-tuc/", {"q": query}).content.decode()
        assert "Mô hình Dân vận khéo ở thôn Nà Pục" in body, query
        assert "Tập huấn" in body, query
        assert "Hội nghị sơ kết quý III" not in body, query


def test_search_results_page_shows_the_count(client, make_article):
    make_article("Mô hình Dân vận khéo")
    body = client.get("/tin-tuc/", {"q": "dan van kheo"}).content.decode()
    assert "1 bài khớp với “dan van kheo”." in body
    assert "Mô hình Dân vận khéo" in body


def test_category_page_and_pagination(client, make_article, category):
    """/tin-tuc/chuyen-muc/<slug>/ lists its own articles; 13 articles make 2 pages;
    page 3 and a foreign page number answer 404."""
    for number in range(13):
        make_article(f"Bài số {number}", category=category)
    make_article("Bài chuyên mục khác")
    response = client.get(category.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "Bài chuyên mục khác" not in body
    assert "Trang 1/2" in body
    assert client.get(category.get_absolute_url(), {"page": 2}).status_code == 200
    assert client.get(category.get_absolute_url(), {"page": 3}).status_code == 404
    assert client.get("/tin-tuc/", {"page": "abc"}).status_code == 404
    assert client.get("/tin-tuc/chuyen-muc/khong-co/").status_code == 404


def test_list_query_count_is_constant(client, make_article, category):
    """3 or 10 articles with covers and categories: the same number of queries."""
    cover = services.image_create(upload=picture_upload(), alt="Ảnh bìa", acting_user=None)
    for number in range(3):
        make_article(f"Bài {number}", category=category, cover=cover, cover_alt="Ảnh bìa")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/tin-tuc/").status_code == 200
    for number in range(3, 10):
        make_article(f"Bài {number}", category=category, cover=cover, cover_alt="Ảnh bìa")
    with CaptureQueriesContext(connection) as more:
        assert client.get("/tin-tuc/").status_code == 200
    assert len(few) == len(more) <= 5


def test_cached_pages_change_when_an_article_is_published_or_edited(client, make_article, editor):
    """A cached list and article are served from the cache (one query), and show the
    change right after a publication or an edit."""
    article = make_article("Tin đầu tiên")
    client.get("/tin-tuc/")
    client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as cached:
        assert "Tin đầu tiên" in client.get("/tin-tuc/").content.decode()
        client.get(article.get_absolute_url())
    assert len(cached) == 2  # the pages' version, once per page

    draft = make_article("Tin vừa đăng", publish=False)
    assert "Tin vừa đăng" not in client.get("/tin-tuc/").content.decode()
    services.article_publish(article=draft, acting_user=editor)
    assert "Tin vừa đăng" in client.get("/tin-tuc/").content.decode()

    services.article_update(article=article, acting_user=editor, summary="Tóm tắt đã sửa")
    assert "Tóm tắt đã sửa" in client.get(article.get_absolute_url()).content.decode()


def test_scheduled_article_appears_on_time_even_from_a_cached_list(
    client, make_article, editor, monkeypatch
):
    """The list is cached before the schedule comes; at publish_at the article is on
    the list and its page, before any job has run."""
    make_article("Tin đã có")
    article = make_article("Tin hẹn giờ", publish=False)
    now = timezone.now()
    at = now + datetime.timedelta(minutes=10)
    services.article_schedule(article=article, publish_at=at, acting_user=editor, now=now)
    assert "Tin hẹn giờ" not in client.get("/tin-tuc/").content.decode()
    assert client.get(f"/tin-tuc/{article.slug}/").status_code == 404

    monkeypatch.setattr(timezone, "now", lambda: at + datetime.timedelta(seconds=1))
    assert "Tin hẹn giờ" in client.get("/tin-tuc/").content.decode()
    assert client.get(f"/tin-tuc/{article.slug}/").status_code == 200
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.SCHEDULED


def test_script_payloads_are_escaped_or_removed_everywhere(client, admin_client, make_article):
    """A title and body full of script payloads: escaped in the list, the article page,
    the home page, the desk, the admin and the feeds; removed from the body."""
    article = make_article(XSS_TITLE, body=XSS_BODY, summary='Tóm tắt <b onmouseover="x">')
    pages = {
        "list": client.get("/tin-tuc/"),
        "detail": client.get(article.get_absolute_url()),
        "home": client.get("/"),
        "rss": client.get("/tin-tuc/rss.xml"),
        "atom": client.get("/tin-tuc/atom.xml"),
        "desk": admin_client.get(reverse("news:desk")),
        "admin_list": admin_client.get(reverse("admin:news_article_changelist")),
        "admin_change": admin_client.get(reverse("admin:news_article_change", args=[article.pk])),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        body = response.content.decode()
        assert '<script>alert("tieu-de")' not in body, name
        assert "<img src=x onerror" not in body, name
        assert '<b onmouseover="x"' not in body, name
        assert "&lt;script&gt;alert(" in body, name  # shown as text
    # In a feed the summary is escaped twice: a reader shows it as text, not markup.
    assert "Tóm tắt &amp;lt;b onmouseover" in pages["rss"].content.decode()
    detail = pages["detail"].content.decode()
    assert "than-bai" not in detail and 'onerror="' not in detail
    assert "javascript:" not in detail and "<iframe" not in detail
    assert '<div class="article__body" data-testid="article-body"><p>Đoạn</p>' in detail


def test_desk_is_for_news_editors_only(client, editor, officer, make_article):
    """Two actors: the news editor opens the desk, the editor and the preview; a commune
    officer gets 403 on each; the anonymous public is sent to the login page."""
    article = make_article("Bài nháp", publish=False)
    urls = [
        reverse("news:desk"),
        reverse("news:create"),
        reverse("news:edit", args=[article.pk]),
        reverse("news:preview", args=[article.pk]),
        reverse("news:revisions", args=[article.pk]),
    ]
    client.force_login(editor)
    for url in urls:
        assert client.get(url).status_code == 200, url
    client.force_login(officer)
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("news:publish", args=[article.pk])).status_code == 403
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/")
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.DRAFT


def test_editor_writes_previews_schedules_and_publishes(client, editor, category, area_tree):
    """The whole desk flow through the pages: write with a cover, preview (banner, not
    public), schedule for tomorrow 07:30, then publish now."""
    client.force_login(editor)
    response = client.post(
        reverse("news:create"),
        {
            "title": "Khối dân vận xã Bằng Thành họp quý IV",
            "summary": "Sơ kết quý.",
            "body": "<p>Nội dung <strong>chính</strong></p><script>x()</script>",
            "category": category.pk,
            "area": "bang thanh",
            "byline": "Minh Anh",
            "cover_upload": picture_upload(),
            "cover_alt": "Quang cảnh hội nghị",
            "cover_caption": "Hội nghị",
            "cover_credit": "Minh Anh",
            "next": "preview",
        },
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("news:preview", args=[article.pk])
    assert article.body == "<p>Nội dung <strong>chính</strong></p>"
    assert article.area == area_tree["commune_b"]
    assert article.author == editor
    preview = client.get(response["Location"]).content.decode()
    assert "Bản xem trước" in preview and "noindex" in preview
    assert Client().get(f"/tin-tuc/{article.slug}/").status_code == 404

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("news:schedule", args=[article.pk]),
        {"day": tomorrow.strftime("%d/%m/%Y"), "time": "07:30"},
    )
    article.refresh_from_db()
    assert article.status == ArticleStatus.SCHEDULED
    local = timezone.localtime(article.publish_at)
    assert (local.date(), local.hour, local.minute) == (tomorrow, 7, 30)
    page = client.get(response["Location"]).content.decode()
    assert f"07:30 {tomorrow:%d/%m/%Y}" in page

    client.post(reverse("news:publish", args=[article.pk]))
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert Client().get(f"/tin-tuc/{article.slug}/").status_code == 200


def test_form_shows_service_and_area_errors(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("news:create"),
        {
            "title": "Có ảnh",
            "summary": "x",
            "area": "Xã Không Có",
            "cover_upload": picture_upload(),
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["area"] == [ERROR_AREA_UNKNOWN.format(value="Xã Không Có")]
    response = client.post(
        reverse("news:create"),
        {"title": "Có ảnh", "summary": "x", "cover_upload": picture_upload()},
    )
    assert response.context["form"].errors["cover_alt"] == [str(services.ERROR_COVER_ALT_REQUIRED)]
    assert not Article.objects.exists()


def test_revisions_page_lists_who_when_and_what_changed(client, editor, make_article):
    article = make_article("Tiêu đề cũ", publish=False)
    services.article_update(article=article, acting_user=editor, title="Tiêu đề mới")
    client.force_login(editor)
    response = client.get(reverse("news:revisions", args=[article.pk]))
    body = response.content.decode()
    revisions = response.context["revisions"]
    assert len(revisions) == 2
    newest = revisions[0]
    assert newest.user_label == "Minh Anh"
    assert [(c.label, c.old, c.new) for c in newest.changes] == [
        ("Tiêu đề", "Tiêu đề cũ", "Tiêu đề mới")
    ]
    assert "Tiêu đề cũ" in body and "Tiêu đề mới" in body
    old = client.get(reverse("news:revision", args=[article.pk, revisions[1].history_id]))
    assert "Tiêu đề cũ" in old.content.decode() and "Bản xem trước" in old.content.decode()


def test_image_upload_endpoint(client, editor, officer):
    """The editor's upload: 201 with what to insert; Vietnamese errors for a bad file or
    no alt text; 403 for a commune officer; CSRF enforced."""
    url = reverse("news:image_upload")
    client.force_login(editor)
    response = client.post(
        url, {"file": picture_upload(), "alt": "Đường bê tông", "caption": "Đoạn mới làm"}
    )
    assert response.status_code == 201
    data = response.json()
    image = Image.objects.get(pk=data["id"])
    assert data["src"] == image.url and data["src"].startswith("/media/news/")
    assert (data["alt"], data["caption"]) == ("Đường bê tông", "Đoạn mới làm")
    assert client.get(data["src"]).status_code == 200

    response = client.post(url, {"file": picture_upload(), "alt": ""})
    assert response.status_code == 400
    assert response.json() == {"error": str(services.ERROR_IMAGE_ALT_REQUIRED)}
    bad = picture_upload()
    bad.content_type = "text/html"
    response = client.post(url, {"file": bad, "alt": "x"})
    assert response.status_code == 400 and "không phải ảnh" in response.json()["error"]

    client.force_login(officer)
    response = client.post(url, {"file": picture_upload(), "alt": "x"})
    assert response.status_code == 403
    assert response.json() == {"error": str(ERROR_UPLOAD_NOT_ALLOWED)}

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post(url, {"file": picture_upload(), "alt": "x"}).status_code == 403


def test_media_view_serves_news_pictures_only(client, settings, editor):
    """/media/news/... serves our pictures with a long cache; anything else of
    MEDIA_ROOT (rating evidence) and path tricks answer 404."""
    image = services.image_create(upload=picture_upload(), alt="x", acting_user=editor)
    response = client.get(image.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "immutable" in response["Cache-Control"]
    evidence = settings.MEDIA_ROOT / "evidence" / "x.jpg"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"secret")
    for path in ("/media/evidence/x.jpg", "/media/news/../evidence/x.jpg", "/media/news/x.txt"):
        assert client.get(path).status_code == 404, path


def test_admin_saves_through_the_services(admin_client, category):
    """The admin's add form: the body is sanitized, the slug made, a draft created."""
    response = admin_client.post(
        reverse("admin:news_article_add"),
        {
            "title": "Bài từ trang quản trị",
            "summary": "Tóm tắt",
            "body": "<p>Nội dung</p><script>x</script>",
            "category": category.pk,
            "byline": "",
            "cover_alt": "",
            "cover_caption": "",
            "cover_credit": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert (article.slug, article.body, article.status) == (
        "bai-tu-trang-quan-tri",
        "<p>Nội dung</p>",
        "draft",
    )
    assert article.history.first().door == "admin"


def test_json_script_messages_on_the_editor_page(client, editor):
    """The editor's words come translated from Django, in a JSON data block."""
    client.force_login(editor)
    body = client.get(reverse("news:create")).content.decode()
    start = body.index('<script id="editor-messages" type="application/json">')
    data = json.loads(body[start:].split(">", 1)[1].split("</script>", 1)[0])
    assert data["bold"] == "Chữ đậm"
    assert "vendor/quill/quill.js" in body and "news/editor.js" in body


def test_admin_category_and_publish_action(admin_client, make_article):
    """A category added in the admin gets its slug from the name; the "publish" action
    publishes the selected drafts through the service."""
    response = admin_client.post(
        reverse("admin:news_category_add"),
        {"name": "Đời sống cơ sở", "slug": "", "description": "", "position": 0},
    )
    assert response.status_code == 302
    assert Category.objects.get().slug == "doi-song-co-so"
    draft = make_article("Nháp trong admin", publish=False)
    admin_client.post(
        reverse("admin:news_article_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.PUBLISHED


def test_the_admin_takes_the_area_as_the_desk_does(client, editor, category, area_tree):
    """A news editor may not open the areas' admin: the article's admin form asks the
    related area as the desk does (its code or name) and links nowhere in the areas'
    admin; it shows the saved area's code and refuses an unknown one."""
    client.force_login(editor)
    add = reverse("admin:news_article_add")
    areas_admin = reverse("admin:units_area_changelist")
    html = client.get(add).content.decode()
    assert areas_admin not in html
    assert client.get(areas_admin).status_code == 403
    data = {
        "title": "Bài có địa bàn", "summary": "Tóm tắt", "body": "<p>x</p>",
        "category": category.pk, "area": "bang thanh", "byline": "", "cover_alt": "",
        "cover_caption": "", "cover_credit": "",
    }  # fmt: skip
    response = client.post(add, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert article.area == area_tree["commune_b"]
    change = reverse("admin:news_article_change", args=[article.pk])
    html = client.get(change).content.decode()
    assert f'value="{area_tree["commune_b"].code}"' in html
    assert areas_admin not in html
    response = client.post(change, {**data, "area": "Xã Không Có"})
    assert response.status_code == 200
    assert ERROR_AREA_UNKNOWN.format(value="Xã Không Có") in response.content.decode()
