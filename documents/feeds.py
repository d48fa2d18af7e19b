"""The RSS 2.0 feed of the documents (Django syndication): the latest published.

Titles and summaries are text: the feed generator escapes them, and the description
is escaped once more because feed readers treat it as HTML (as the news feeds do).
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from documents import selectors

FEED_SIZE = 20


class LatestDocumentsFeed(Feed):
    """The 20 documents published last (by their first publication)."""

    feed_type = Rss201rev2Feed
    language = "vi"

    def title(self):
        return _("{portal} — Văn bản").format(portal=settings.DANVAN_PORTAL_NAME)

    def description(self):
        return _("Nghị quyết, chỉ thị, hướng dẫn và các văn bản về công tác dân vận.")

    def link(self):
        return reverse("documents:list")

    def items(self):
        return (
            selectors.public_documents()
            .prefetch_related(None)
            .order_by("-published_at", "-id")[:FEED_SIZE]
        )

    def item_title(self, item):
        return _("{document}: {title}").format(document=item, title=item.title)

    def item_description(self, item):
        lines = [
            _("{issuer}, ngày {day}.").format(
                issuer=item.issuer, day=item.issued_on.strftime("%d/%m/%Y")
            ),
            item.summary,
        ]
        return escape(" ".join(str(line) for line in lines if line))

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        # Stable even if a draft's slug changed before publication: the document id.
        return f"danvan-document-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.get_doc_type_display()]
