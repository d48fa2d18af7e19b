"""sitemap.xml parts of the documents: the list page and every published document.
``danvan/urls.py`` adds them to the news' parts (``DOCUMENT_SITEMAPS``)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from documents.models import Document


class DocumentListSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return ["documents:list"]

    def location(self, item):
        return reverse(item)


class DocumentSitemap(Sitemap):
    """Every published document, with its last change."""

    changefreq = "monthly"
    priority = 0.6
    limit = 5000

    def items(self):
        return Document.objects.public().only("slug", "updated_at").order_by("-issued_on", "-id")

    def lastmod(self, item):
        return item.updated_at


DOCUMENT_SITEMAPS = {"document-pages": DocumentListSitemap, "documents": DocumentSitemap}
