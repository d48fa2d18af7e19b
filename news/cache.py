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

from news.selectors import PagesState, pages_state
from portal.http_cache import Freshness

#: How long a cached fragment lives at most (the version makes it stale earlier).
CACHE_SECONDS = 6 * 3600


def request_state(request) -> PagesState:
    """``pages_state()``, read once a request (the HTTP version and the page's
    fragments use the same)."""
    state = getattr(request, "news_pages_state", None)
    if state is None:
        state = pages_state()
        if request is not None:
            request.news_pages_state = state
    return state


def cached_page(
    name: str, parts: tuple, build: Callable[[], dict], *, now=None, request=None
) -> dict:
    """``build()`` (a dict of rendered fragments) through the cache, under ``name``,
    ``parts`` (what makes the URL's content: path, page, search ...) and the pages'
    version (read once for the ``request``)."""
    now = now or timezone.now()
    state = request_state(request)
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


def pages_version(request, *args, now=None, **kwargs) -> Freshness:
    """The news and documents pages' version for HTTP caching (``portal.http_cache``):
    the pages' version and today's date; the max-age ends at the next scheduled
    publication, and past it (the job has not run yet) no version holds."""
    now = now or timezone.now()
    state = request_state(request)
    due = state.next_publish_at
    if due is not None and due <= now:
        return Freshness(None, max_age=0)
    # Rounded down: a reader's cache never keeps the page past the publication.
    max_age = None if due is None else math.floor((due - now).total_seconds())
    return Freshness(f"{state.key}:{timezone.localdate(now).isoformat()}", max_age=max_age)
