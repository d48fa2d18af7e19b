"""RSS 2.0 and Atom feeds of the news: all of it, and per category (Django syndication).

Titles and summaries are text: the feed generator escapes them, so markup typed in a
title reaches a feed reader as text, never as markup.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from news import selectors

FEED_SIZE = 20


class LatestRssFeed(Feed):
    """The 20 latest public articles."""

    feed_type = Rss201rev2Feed
    language = "vi"

    def title(self, obj=None):
        return _("{portal} — Tin tức").format(portal=settings.DANVAN_PORTAL_NAME)

    def description(self, obj=None):
        return _("Tin hoạt động của Khối dân vận cơ sở và Tổ dân vận.")

    def subtitle(self, obj=None):
        return self.description(obj)

    def link(self, obj=None):
        return reverse("news:list")

    def items(self, obj=None):
        return selectors.public_articles(category=obj)[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # RSS descriptions and Atom summaries are HTML to a feed reader; the summary is
        # plain text, so it is escaped once here (and once more by the XML writer).
        return escape(item.summary)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        # Stable even if a draft's slug changed before publication: the article id.
        return f"danvan-news-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.publish_at)

    def item_author_name(self, item):
        return item.byline or None

    def item_categories(self, item):
        return [item.category.name] if item.category_id else []


class LatestAtomFeed(LatestRssFeed):
    feed_type = Atom1Feed


class CategoryRssFeed(LatestRssFeed):
    """The 20 latest public articles of one category."""

    def get_object(self, request, slug):
        category = selectors.category_by_slug(slug)
        if category is None:
            raise Http404
        return category

    def title(self, obj=None):
        return _("{portal} — {category}").format(
            portal=settings.DANVAN_PORTAL_NAME, category=obj.name
        )

    def description(self, obj=None):
        return obj.description or _("Tin chuyên mục {category}.").format(category=obj.name)

    def link(self, obj=None):
        return obj.get_absolute_url()


class CategoryAtomFeed(CategoryRssFeed):
    feed_type = Atom1Feed
