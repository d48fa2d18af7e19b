"""The crawl of the demo with Django's test client, shared by tests/test_demo_crawl.py
(no 5xx, no offered link refused, for the public and every demo account) and
tests/e2e/test_phone_crawl.py (the pages it finds, opened at 375 px in Chromium).

``demo_load()`` loads the divisions ``make setup`` gives the small demo and builds it;
``crawl()`` walks the same-site links from a few start pages (docs/PERFORMANCE.md,
"Test suite")."""

import io
from collections import Counter, deque
from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

#: The public and the demo accounts of accounts/demo.py.
ACTORS = ("anonymous", "quantri", "canbo_tinh", "canbo_xa", "bientap")
#: At most this many URLs (different arguments or query strings) per URL name.
PER_NAME = 3
#: At most this many pages per actor (the demo gives the system administrator about 490,
#: the provincial staff about 300, the public about 50).
MAX_PAGES = 800
#: Status codes a link offered to the user may answer.
FOLLOWABLE = {200, 302, 304}
#: Links that are not GET-safe or not pages: logging out, switching the language (it sets
#: a cookie for the next requests), Django's POST-only language view.
SKIPPED_NAMES = {"logout", "choose_language", "set_language"}

#: Links offered although their target answers 403/404/405 for this actor, each with the
#: reason it is right. Keys: (actor, view name). Empty: every refusal the crawl found was
#: a bug, fixed (docs/PERFORMANCE.md, "Test suite").
ALLOWED: dict[tuple[str, str], str] = {}


class _Page(HTMLParser):
    """The links, the ``<h1>`` count and whether there is a ``<title>`` of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.h1 = 0
        self.title = False

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)
        elif tag == "h1":
            self.h1 += 1
        elif tag == "title":
            self.title = True


def _same_site(base: str, href: str) -> str | None:
    """The site path (with its query) of ``href`` read on page ``base``, or None when it
    leaves the site or is not a page (mail, phone, anchor, script)."""
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(urljoin(f"http://testserver{base}", href))
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _view_name(url: str) -> str | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name or match.route


def _skipped(url: str, name: str | None) -> bool:
    if name is not None and name.rsplit(":", 1)[-1] in SKIPPED_NAMES:
        return True
    parts = urlsplit(url)
    if parts.path.startswith(("/static/", "/i18n/")):
        return True
    for key, value in parse_qsl(parts.query):
        if key == "page" and not (value.isdigit() and int(value) <= 2):
            return True
    return False


def _is_file(response) -> bool:
    return response.streaming or "attachment" in response.get("Content-Disposition", "")


class Crawl(NamedTuple):
    failures: list[str]
    #: How many URLs were requested.
    requested: int
    #: The URLs that answered an HTML page (200), in the order they were requested.
    html_pages: list[str]


def crawl(client: Client, actor: str, starts: list[str], *, per_name: int = PER_NAME) -> Crawl:
    """Breadth-first from ``starts``, at most ``per_name`` URLs per URL name."""
    failures: list[str] = []
    html_pages: list[str] = []
    queue = deque((url, None) for url in starts)
    seen = set(starts)
    #: What the start pages answered: a page may offer a link to one of them.
    unfollowable_starts: dict[str, int] = {}
    taken: Counter = Counter()
    requested = 0
    while queue and requested < MAX_PAGES:
        url, referrer = queue.popleft()
        name = _view_name(url)
        requested += 1
        where = f"(linked from {referrer})" if referrer else "(start)"
        # Every request is rolled back: a GET that writes (a read receipt, an audit
        # row) leaves the next page the same world.
        try:
            with transaction.atomic():
                response = client.get(url)
                transaction.set_rollback(True)
        except Exception as exc:  # a server error: the test client re-raises it
            failures.append(f"{actor} {url}: {type(exc).__name__}: {exc} {where}")
            continue
        status = response.status_code
        offered_and_refused = status not in FOLLOWABLE and not _is_file(response)
        if status >= 500:
            failures.append(f"{actor} {url}: {status} {where}")
        elif offered_and_refused and (actor, name) not in ALLOWED:
            if referrer is None:
                unfollowable_starts[url] = status
            else:
                failures.append(f"{actor} {url}: {status} {where}")
        links = []
        if status in (301, 302) and response.get("Location"):
            links = [response["Location"]]
        elif status == 200 and response.get("Content-Type", "").startswith("text/html"):
            html_pages.append(url)
            page = _Page()
            page.feed(response.content.decode("utf-8", "replace"))
            if page.h1 != 1 or not page.title:
                title = "present" if page.title else "missing"
                failures.append(f"{actor} {url}: {page.h1} <h1>, <title> {title}")
            links = page.links
        if response.streaming:
            # Read to the end through the test client's wrapper, which closes the file
            # without the "request finished" signal (``response.close()`` would send it,
            # and it closes the database connection inside the module's transaction).
            b"".join(response.streaming_content)
        for href in links:
            target = _same_site(url, href)
            if target is None:
                continue
            if target in unfollowable_starts:
                status = unfollowable_starts.pop(target)
                failures.append(f"{actor} {target}: {status} (linked from {url})")
            if target in seen:
                continue
            seen.add(target)
            target_name = _view_name(target)
            if _skipped(target, target_name):
                continue
            if target_name is not None:
                if taken[target_name] >= per_name:
                    continue
                taken[target_name] += 1
            queue.append((target, url))
    return Crawl(failures, requested, html_pages)


def demo_load() -> dict:
    """The divisions ``make setup`` loads for the small demo (2025 Thái Nguyên and Đắk
    Lắk, legacy Bắc Kạn for the history across the reform), then the demo itself; returns
    the demo accounts by username."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from units.services import divisions_load

    divisions_load(edition="2025", provinces=["19", "66"])
    divisions_load(edition="legacy", provinces=["06"])
    call_command("generate_demo", "--scale", "small", stdout=io.StringIO())
    users = get_user_model().objects.in_bulk(ACTORS[1:], field_name="username")
    assert set(users) == set(ACTORS[1:])
    return users
