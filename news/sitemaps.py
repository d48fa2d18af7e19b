"""sitemap.xml parts: public articles, news categories, and the public pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import NoReverseMatch, reverse

from news import selectors
from news.models import Category

#: Public pages without an object, by URL name; names not (yet) defined are skipped.
STATIC_PAGES = ("home", "news:list", "reports:stats_page", "reports:stats")


class ArticleSitemap(Sitemap):
    """Every public article, with its last change."""

    changefreq = "monthly"
    priority = 0.6
    limit = 5000

    def items(self):
        return (
            selectors.public_articles()
            .select_related(None)
            .only("slug", "updated_at", "publish_at")
            .order_by("-publish_at", "-id")
        )

    def lastmod(self, item):
        return max(item.updated_at, item.publish_at)


class CategorySitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return Category.objects.order_by("position", "name")


class StaticPagesSitemap(Sitemap):
    """The home page, the news list and the statistics pages when they exist."""

    changefreq = "daily"
    priority = 0.8

    def items(self):
        names = []
        for name in STATIC_PAGES:
            try:
                reverse(name)
            except NoReverseMatch:
                continue
            names.append(name)
        return names

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "news": ArticleSitemap,
    "categories": CategorySitemap,
}
