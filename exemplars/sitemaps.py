"""sitemap.xml parts of the "Dân vận khéo" models: the public gallery and every
recognised or typical model's public page. ``danvan/urls.py`` adds them to the news'
and documents' parts (``EXEMPLAR_SITEMAPS``)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from exemplars.selectors import exemplars_public


class GallerySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return ["exemplars:gallery"]

    def location(self, item):
        return reverse(item)


class ExemplarSitemap(Sitemap):
    """Every model the public gallery shows, with its last change."""

    changefreq = "monthly"
    priority = 0.5
    limit = 5000

    def items(self):
        return exemplars_public().only("pk", "updated_at").order_by("-updated_at", "-pk")

    def location(self, item):
        return reverse("exemplars:public_detail", args=[item.pk])

    def lastmod(self, item):
        return item.updated_at


EXEMPLAR_SITEMAPS = {"exemplar-pages": GallerySitemap, "exemplars": ExemplarSitemap}
