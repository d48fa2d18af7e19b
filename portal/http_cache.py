"""HTTP caching of the public pages: ``Cache-Control``, ``ETag`` and 304 answers.

``public_cache(max_age, version)`` decorates a public view. For an anonymous reader
(no logged-in user, no pending message) a 200 answer gets ``Cache-Control: public,
max-age=...`` and an ``ETag``, and a conditional GET whose ``If-None-Match`` holds that
tag gets 304 Not Modified, so browsers and a reverse proxy or CDN in front of the portal
(docs/DEPLOYMENT.md) keep the pages.

``version(request, *args, **kwargs)`` returns what the page is built from: a string
that changes with every write that can change the page (the statistics' data versions,
the news pages' version, today's date where the page shows "today"), or a
``Freshness`` that also caps the max-age (a scheduled article due in 40 seconds), or
``None`` when no version holds. The ETag is then a digest of that string, the URL and
the language, computed *before* the view runs: a 304 costs the version's query only.
Without a version the ETag is the digest of the body (a 304 then saves the transfer,
not the work).

Under a version the rendered answer is also kept in Django's cache, under its tag: the
next anonymous GET of the URL, from any reader, costs the version's query and one cache
read instead of the page's work (the home page renders 63 provinces and the headline
figures; docs/PERFORMANCE.md). A write changes the version, hence the key: nothing is
ever stale. Searches (``?q=``) are not kept: any text makes a new key, and they would
push the statistics out of a bounded cache.

Anything personal is never public: a logged-in user's page, a page that sets a cookie
(a CSRF token, a session, a message) and a view that set its own ``Cache-Control``
keep their headers (``private, max-age=0`` for the first two).
"""

import dataclasses
import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import get_language

from portal.replica import replica_reads

SAFE_METHODS = ("GET", "HEAD")
#: Max-ages (seconds): pages that change with any new article or figure (the home page,
#: lists, statistics) for a minute; one article or document for five; the API's
#: description for an hour. A conditional GET after that costs a version query only.
LIST_MAX_AGE = 60
PAGE_MAX_AGE = 300
STATIC_MAX_AGE = 3600
#: How long a rendered answer stays in Django's cache at most (its key holds the version,
#: so a write makes it unreachable at once; this only frees the memory).
BODY_SECONDS = 3600
#: Query parameters that make an answer too particular to keep (free text).
NOT_KEPT_PARAMETERS = ("q",)


@dataclasses.dataclass(frozen=True)
class Freshness:
    """What a version function may return: the version (``None``: unknown) and the
    longest max-age the page may have now (``None``: the decorator's)."""

    token: str | None
    max_age: int | None = None


def _anonymous(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    # A message waiting in the cookie is shown on this page (and the cookie cleared).
    cookie = getattr(settings, "MESSAGE_COOKIE_NAME", "messages")
    return cookie not in request.COOKIES


def _sets_state(request, response) -> bool:
    """Whether the answer sets a cookie, now or in the middleware after the view."""
    session = getattr(request, "session", None)
    return bool(
        response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or (session is not None and session.modified)
    )


def version_etag(request, token: str) -> str:
    """The weak ETag of the page at this URL (host and scheme included: an article's
    page names its own absolute address), in this language, under ``token``."""
    material = (
        f"{token}\n{request.scheme}://{request.get_host()}{request.get_full_path()}\n"
        f"{get_language()}"
    )
    return f'W/"{hashlib.sha256(material.encode()).hexdigest()[:32]}"'


def body_etag(response) -> str:
    return f'W/"{hashlib.sha256(response.content).hexdigest()[:32]}"'


def _matches(request, etag: str) -> bool:
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    wanted = etag.removeprefix("W/")
    return any(tag == "*" or tag.removeprefix("W/") == wanted for tag in parse_etags(header))


def _public_headers(response, etag: str, max_age: int) -> None:
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=max_age)
    # The language cookie picks the language, the session cookie the user.
    patch_vary_headers(response, ("Cookie",))


def _not_modified(etag: str, max_age: int):
    response = HttpResponseNotModified()
    _public_headers(response, etag, max_age)
    return response


def _body_key(etag: str) -> str:
    return f"http:body:{etag[3:-1]}"


def _keeps_body(request) -> bool:
    return request.method == "GET" and not any(
        request.GET.get(name) for name in NOT_KEPT_PARAMETERS
    )


def _kept_response(etag: str):
    stored = cache.get(_body_key(etag))
    if stored is None:
        return None
    status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


def _keep_response(etag: str, response) -> None:
    headers = [(name, value) for name, value in response.items() if name != "Content-Length"]
    cache.set(_body_key(etag), (response.status_code, headers, response.content), BODY_SECONDS)


def _freshness(version, request, args, kwargs) -> Freshness:
    if version is None:
        return Freshness(None)
    value = version(request, *args, **kwargs)
    if isinstance(value, Freshness):
        return value
    return Freshness(value)


def public_cache(max_age: int, version: Callable | None = None):
    """Decorate a public view (a function, or a class view's ``dispatch`` through
    ``method_decorator``): see the module's documentation."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in SAFE_METHODS:
                return view(request, *args, **kwargs)
            if not _anonymous(request):
                response = view(request, *args, **kwargs)
                if not response.has_header("Cache-Control"):
                    patch_cache_control(response, private=True, max_age=0)
                return response
            with replica_reads():
                return _public(request, args, kwargs)

        def _public(request, args, kwargs):
            fresh = _freshness(version, request, args, kwargs)
            age = max_age if fresh.max_age is None else max(0, min(max_age, fresh.max_age))
            etag = None
            if fresh.token is not None:
                etag = version_etag(request, fresh.token)
                if _matches(request, etag):
                    return _not_modified(etag, age)
                kept = _kept_response(etag) if _keeps_body(request) else None
                if kept is not None:
                    _public_headers(kept, etag, age)
                    return kept
            response = view(request, *args, **kwargs)
            if getattr(response, "is_rendered", True) is False:
                # A TemplateResponse: render now (what it renders may ask for a CSRF
                # token, a state checked below).
                response.render()
            if response.has_header("Cache-Control"):
                return response
            if _sets_state(request, response):
                patch_cache_control(response, private=True, max_age=0)
                return response
            if response.status_code != 200 or response.streaming:
                return response
            if etag is None:
                etag = body_etag(response)
                if _matches(request, etag):
                    return _not_modified(etag, age)
            elif _keeps_body(request):
                _keep_response(etag, response)
            _public_headers(response, etag, age)
            return response

        return wrapped

    return decorator
