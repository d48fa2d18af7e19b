"""RSS and Atom feeds (all news and per category) and sitemap.xml."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from news import services

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(content: bytes):
    return ET.fromstring(content)  # noqa: S314 (our own feed, in a test)


@pytest.fixture
def three_articles(make_article, category):
    """A published article of the category, a draft and one scheduled for tomorrow."""
    published = make_article("Tin đã đăng", category=category)
    draft = make_article("Tin nháp", publish=False, category=category)
    scheduled = services.article_schedule(
        article=make_article("Tin hẹn giờ", publish=False, category=category),
        publish_at=timezone.now() + datetime.timedelta(days=1),
        acting_user=None,
    )
    return published, draft, scheduled


def test_rss_and_atom_hold_published_articles_only(client, three_articles):
    published, draft, scheduled = three_articles
    rss = parse(client.get("/tin-tuc/rss.xml").content)
    items = rss.findall("./channel/item")
    assert [i.findtext("title") for i in items] == ["Tin đã đăng"]
    assert items[0].findtext("link") == f"http://testserver{published.get_absolute_url()}"
    assert items[0].findtext("category") == published.category.name
    atom = parse(client.get("/tin-tuc/atom.xml").content)
    assert [e.findtext(f"{ATOM}title") for e in atom.findall(f"{ATOM}entry")] == ["Tin đã đăng"]
    for feed in (client.get("/tin-tuc/rss.xml"), client.get("/tin-tuc/atom.xml")):
        text = feed.content.decode()
        assert draft.title not in text and scheduled.title not in text


def test_category_feeds(client, three_articles, make_article):
    published, _draft, _scheduled = three_articles
    make_article("Tin chuyên mục khác")
    slug = published.category.slug
    rss = parse(client.get(f"/tin-tuc/chuyen-muc/{slug}/rss.xml").content)
    assert [i.findtext("title") for i in rss.findall("./channel/item")] == ["Tin đã đăng"]
    assert published.category.name in rss.findtext("./channel/title")
    atom = parse(client.get(f"/tin-tuc/chuyen-muc/{slug}/atom.xml").content)
    assert [e.findtext(f"{ATOM}title") for e in atom.findall(f"{ATOM}entry")] == ["Tin đã đăng"]
    assert client.get("/tin-tuc/chuyen-muc/khong-co/rss.xml").status_code == 404


def test_sitemap_lists_public_pages_and_published_articles(client, three_articles):
    published, draft, scheduled = three_articles
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = parse(response.content)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = [u.findtext(f"{ns}loc") for u in root.findall(f"{ns}url")]
    base = "http://testserver"
    assert f"{base}/" in locations and f"{base}/tin-tuc/" in locations
    assert f"{base}{published.get_absolute_url()}" in locations
    assert f"{base}{published.category.get_absolute_url()}" in locations
    assert f"{base}{draft.get_absolute_url()}" not in locations
    assert f"{base}{scheduled.get_absolute_url()}" not in locations
