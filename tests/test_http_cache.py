"""HTTP caching of the public pages (portal/http_cache.py): Cache-Control, an ETag from
the data versions, 304 on a conditional GET, no cookie for an anonymous reader, and
nothing public for a logged-in user."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.choices import StaffRole
from members.services import membership_add
from news.cache import pages_version
from portal.http_cache import Freshness
from tests.factories import make_staff, published_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    return make_staff(StaffRole.NEWS_EDITOR, username="bien_tap")


@pytest.fixture
def article(editor):
    from news.services import article_create, article_publish

    created = article_create(
        acting_user=editor, title="Tin thử", summary="Tóm tắt", body="<p>Nội dung</p>"
    )
    return article_publish(
        article=created, acting_user=editor, now=timezone.now() - datetime.timedelta(days=1)
    )


@pytest.fixture
def document(editor):
    return published_document(editor)


@pytest.fixture
def public_urls(area_tree, article, document):
    province = area_tree["province"].code
    return [
        reverse("home"),
        reverse("home") + "?q=bac",
        reverse("news:list"),
        article.get_absolute_url(),
        reverse("documents:list"),
        document.get_absolute_url(),
        reverse("reports:stats_page"),
        reverse("reports:stats_page_area", args=[province]),
        reverse("reports:stats_api"),
        reverse("reports:stats_api_area", args=[province]) + "?date=2026-01-01",
        reverse("reports:api_schema"),
    ]


def test_public_pages_are_cacheable_and_answer_304(client, public_urls):
    """Every public page: 200 with a public max-age and an ETag, no cookie set; the same
    GET with If-None-Match: 304 with no body and the same tag."""
    for url in public_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        control = response["Cache-Control"]
        assert "public" in control and "max-age=" in control, (url, control)
        assert int(control.split("max-age=")[1].split(",")[0]) >= 60, url
        assert not response.cookies, (url, response.cookies)
        assert "Set-Cookie" not in response.headers, url
        assert "Cookie" in response["Vary"], url
        etag = response["ETag"]
        again = client.get(url, headers={"if-none-match": etag})
        assert again.status_code == 304, url
        assert again.content == b""
        assert again["ETag"] == etag
        other = client.get(url, headers={"if-none-match": 'W/"autre"'})
        assert other.status_code == 200, url


def test_the_news_list_sets_no_csrf_cookie(client, article):
    """The footer's language form used to carry a CSRF token (hence a csrftoken cookie
    on every public page): it now goes by GET to /ngon-ngu/ with no token."""
    response = client.get(reverse("news:list"))
    body = response.content.decode()
    assert "csrfmiddlewaretoken" not in body
    assert "csrftoken" not in response.cookies
    assert f'action="{reverse("choose_language")}" method="get"' in body


def test_a_304_from_the_versions_costs_the_version_queries_only(client, area_tree, article):
    """The tag is computed before the view: a revalidation reads the versions, not the
    page's data."""
    for url, most in ((reverse("reports:stats_api"), 1), (reverse("home"), 2)):
        etag = client.get(url)["ETag"]
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, headers={"if-none-match": etag})
        assert response.status_code == 304
        assert len(queries) <= most, [q["sql"] for q in queries]


def test_a_write_changes_the_tags(client, area_tree, bloc, editor, article):
    """A roster write changes the statistics' and the home page's tags (the data
    versions); an article's edit changes the news pages' tags (the pages' version)."""
    from news.services import article_update

    api, home, news = reverse("reports:stats_api"), reverse("home"), reverse("news:list")
    before = {url: client.get(url)["ETag"] for url in (api, home, news)}
    membership_add(unit=bloc, full_name="Hoàng Văn Thụ", birth_year=1972, role="head")
    after = {url: client.get(url)["ETag"] for url in (api, home, news)}
    assert after[api] != before[api] and after[home] != before[home]
    assert after[news] == before[news]
    response = client.get(api, headers={"if-none-match": before[api]})
    assert response.status_code == 200 and response.json()["bloc_members"] == 1
    article_update(article=article, acting_user=editor, title="Tin đã sửa")
    assert client.get(news)["ETag"] != after[news]
    assert client.get(home)["ETag"] != after[home]


def test_the_language_is_part_of_the_tag(client, area_tree):
    vietnamese = client.get(reverse("home"))["ETag"]
    response = client.get(reverse("choose_language"), {"language": "en", "next": "/thong-ke/"})
    assert response.status_code == 302 and response["Location"] == "/thong-ke/"
    english = client.get(reverse("home"))
    assert english["Content-Language"] == "en" and english["ETag"] != vietnamese
    assert client.get(reverse("home"), headers={"if-none-match": vietnamese}).status_code == 200


def test_choose_language_goes_back_to_this_site_only(client):
    response = client.get(
        reverse("choose_language"), {"language": "en", "next": "https://example.com/"}
    )
    assert response["Location"] == "/"
    response = client.get(reverse("choose_language"), {"language": "xx", "next": "/tin-tuc/"})
    assert response["Location"] == "/tin-tuc/" and "django_language" not in response.cookies
    assert client.post(reverse("choose_language"), {"language": "en"}).status_code == 405


def test_a_logged_in_user_gets_private_pages(client, area_tree, editor):
    """The page shows the user's menu: never public, no tag to share."""
    client.force_login(editor)
    for url in (reverse("home"), reverse("news:list"), reverse("reports:stats_page")):
        response = client.get(url)
        assert response.status_code == 200
        assert "public" not in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
        assert not response.has_header("ETag")


def test_a_pending_message_is_not_cached(client, area_tree):
    """A page that shows a message (after logging out, say) is private."""
    from django.contrib.messages.storage.cookie import CookieStorage

    storage = CookieStorage(client.request().wsgi_request)
    response_with_cookie = client.get(reverse("home"))
    storage.add(20, "Đã đăng xuất.")
    storage.update(response_with_cookie)
    client.cookies["messages"] = response_with_cookie.cookies["messages"].value
    response = client.get(reverse("home"))
    assert "Đã đăng xuất." in response.content.decode()
    assert "public" not in response.get("Cache-Control", "")


def test_a_scheduled_article_caps_the_max_age(editor, article):
    """Pages may be kept until the next scheduled publication, not past it; once it is
    due and the job has not run, no version holds (the body's digest is the tag)."""
    from news.services import article_create, article_schedule

    now = timezone.now()
    draft = article_create(acting_user=editor, title="Sắp đăng", summary="S", body="<p>B</p>")
    article_schedule(
        article=draft, acting_user=editor, publish_at=now + datetime.timedelta(seconds=40), now=now
    )
    fresh = pages_version(None, now=now)
    assert fresh.token is not None and fresh.max_age == 40
    assert pages_version(None, now=now + datetime.timedelta(seconds=41)) == Freshness(
        None, max_age=0
    )


def test_an_anonymous_page_is_rendered_once_per_version(client, area_tree, bloc, article):
    """The second anonymous GET of a page is the kept answer: no template rendered, the
    version queries only, the same bytes; a write makes a new one; searches are never
    kept."""
    for url, most in ((reverse("home"), 2), (reverse("reports:stats_page"), 1)):
        first = client.get(url)
        with CaptureQueriesContext(connection) as queries:
            second = client.get(url)
        assert second.context is None, url
        assert len(queries) <= most, [q["sql"] for q in queries]
        assert second.content == first.content and second["ETag"] == first["ETag"]
        assert second["Content-Type"] == first["Content-Type"]
    membership_add(unit=bloc, full_name="Hoàng Văn Thụ", birth_year=1972, role="head")
    third = client.get(reverse("home"))
    assert third.context is not None and third.context["headline"]["bloc_members"] == 1
    search = reverse("home") + "?q=bac"
    client.get(search)
    assert client.get(search).context is not None
