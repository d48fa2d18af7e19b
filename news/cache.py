"""Cached public news pages.

What is cached is the part of a page built from the database (the list, the article,
the related articles, its meta tags), rendered to HTML, per URL. The page around it
(header, the language form with its CSRF token, the logged-in user's menu) is rendered
for every request, so a cached fragment never carries anyone's token or name.

The key holds the version of the news pages (``NewsState.version``, one small query per
request): every article write and the scheduled-publish job bump it, so a change shows
at once in every web worker even with a per-process cache. Once the next scheduled
publication time has passed, the cache is not used until the job has run and bumped
the version: a scheduled article appears exactly on time even if the job runs late.
"""

import hashlib
import math
from collections.abc import Callable

from django.core.cache import cache
from django.utils import timezone

from news.selectors import pages_state

#: How long a cached fragment lives at most (the version makes it stale earlier).
CACHE_SECONDS = 6 * 3600


def cached_page(name: str, parts: tuple, build: Callable[[], dict], *, now=None) -> dict:
    """``build()`` (a dict of rendered fragments) through the cache, under ``name``,
    ``parts`` (what makes the URL's content: path, page, search ...) and the pages'
    version."""
    now = now or timezone.now()
    state = pages_state()
    due = state.next_publish_at
    if due is not None and due <= now:
        # A scheduled article is public since ``due`` but the job has not recorded it
        # yet: pages cached before that moment would miss it.
        return build()
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"news:page:{state.key}:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = build()
        timeout = CACHE_SECONDS
        if due is not None:
            timeout = max(1, min(timeout, math.ceil((due - now).total_seconds())))
        cache.set(key, value, timeout)
    return value
