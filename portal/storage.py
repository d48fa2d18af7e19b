"""Media files on S3-compatible object storage (``MEDIA_STORAGE=s3``).

The bucket stays private: the portal reads every file through its own views (news
pictures through ``news.views.media``, documents' files and rating evidence through
their gated views), so every application server serves every upload, pages never hold
a bucket's address or an expiring signed link (they are cached: portal/http_cache.py),
and the Content-Security-Policy keeps ``img-src 'self'``. A reverse proxy or CDN caches
the pictures (they are immutable). docs/DEPLOYMENT.md.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class MediaStorage(S3Storage):
    """django-storages' S3 storage whose URLs are the portal's own (``MEDIA_URL``)."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))
