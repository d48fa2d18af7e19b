"""Every page the public and a commune officer reach in the small demo, opened in Chromium
on a 375 x 812 phone screen.

The demo is the one of tests/test_demo_crawl.py (``demo_load``), and the pages are the ones
its test-client crawl finds (``crawl``, one URL per URL name) for the public and the
commune officer ``canbo_xa`` (accounts/demo.py), who logs in once through the real login
form. On each HTML page:

- no horizontal scroll: ``document.scrollingElement.scrollWidth`` at most 375 px (+1 px);
  a failure names the innermost elements sticking out (tag, classes, width, right edge);
- no JavaScript error (``pageerror``);
- no request to the portal's static files that fails or answers 400 or more;
- the buttons and the links of ``<main>`` are tap targets of at least 24 x 24 px, or fall
  under one of WCAG 2.2's exceptions (2.5.8: words of a sentence, or spaced out enough);
  not on Django's admin pages (``DJANGO_ADMIN``).

Every failure is collected, then reported as one list (docs/PERFORMANCE.md, "Test suite").
"""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.demo import DEMO_COMMUNE_OFFICER, DEMO_PASSWORD
from tests.demo_crawl import crawl, demo_load
from tests.e2e.test_login import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 375, 812

#: An element as ``<tag.class.class>``, for the failure messages.
TAG = """const tag = (el) => {
    const classes = typeof el.className === "string" ? el.className.trim().split(/\\s+/) : [];
    return `<${[el.tagName.toLowerCase(), ...classes.filter(Boolean)].join(".")}>`;
  };"""
#: Smallest tap target (WCAG 2.2, 2.5.8 "Target Size (Minimum)").
TARGET = 24
#: Pages left out of the tap-target check only: Django's admin draws its column sorting
#: arrows as 14 px sprites and its filter links 20 px high (docs/PERFORMANCE.md).
DJANGO_ADMIN = "/admin/"

#: The innermost elements whose right edge passes the screen's, unless a scrolling or
#: clipping box that fits the screen holds them (a wide table in its scroller is fine).
SIDEWAYS = """([limit]) => {
  TAG
  const width = document.scrollingElement.scrollWidth;
  if (width <= limit) return null;
  const over = (el) => el.getBoundingClientRect().right > limit;
  const held = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible" && !over(up)) return true;
    }
    return false;
  };
  const culprits = [...document.body.querySelectorAll("*")]
    .filter((el) => over(el) && ![...el.children].some(over) && !held(el))
    .sort((a, b) => b.getBoundingClientRect().width - a.getBoundingClientRect().width)
    .slice(0, 3)
    .map((el) => {
      const box = el.getBoundingClientRect();
      const right = Math.round(box.right);
      return `${tag(el)} ${Math.round(box.width)} px wide, right edge ${right} px`;
    });
  return {width, culprits};
}""".replace("TAG", TAG)

#: Buttons and links of <main> smaller than the target that fail both of WCAG's
#: exceptions: "inline" (a link that is words of a sentence: inline, with text around it)
#: and "spacing" (a 24 px circle centred on it meets no other target and no other small
#: target's circle).
SMALL_TARGETS = """([target]) => {
  TAG
  const inSentence = (el) => {
    if (getComputedStyle(el).display !== "inline") return false;
    const text = (el.parentElement.textContent || "").trim();
    return text.length > (el.textContent || "").trim().length;
  };
  const targets = [...document.querySelectorAll(
      "main a[href], main button, main input[type=submit], main input[type=button], main summary")]
    .map((el) => ({el, box: el.getBoundingClientRect()}))
    .filter(({box}) => box.width > 0 && box.height > 0);  // not hidden
  const centre = (box) => [box.left + box.width / 2, box.top + box.height / 2];
  const small = targets.filter(({box}) => box.width < target || box.height < target);
  const radius = target / 2;
  const crowded = (one) => {
    const [x, y] = centre(one.box);
    return targets.some((other) => {
      if (other === one) return false;
      const b = other.box;
      if (small.includes(other)) {
        const [ox, oy] = centre(b);
        return Math.hypot(x - ox, y - oy) < target;  // the two circles meet
      }
      const dx = Math.max(b.left - x, 0, x - b.right);
      const dy = Math.max(b.top - y, 0, y - b.bottom);
      return Math.hypot(dx, dy) < radius;  // the circle meets the other target
    });
  };
  return small
    .filter((one) => !inSentence(one.el) && crowded(one))
    .slice(0, 5)
    .map(({el, box}) => {
      const label = (el.textContent || el.value || "").trim().slice(0, 30);
      return `${tag(el)} "${label}" ${Math.round(box.width)} x ${Math.round(box.height)} px`;
    });
}""".replace("TAG", TAG)


class Watch:
    """The JavaScript errors and the failed static requests of a page, per URL visited."""

    def __init__(self, page, base_url):
        self.static = f"{base_url}/static/"
        self.problems: list[str] = []
        page.on("pageerror", lambda error: self.problems.append(f"JavaScript error: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._answered)

    def _failed(self, request):
        # ERR_ABORTED: the next page's navigation cancelled a request still running (the
        # favicon's), nothing the server did.
        if request.url.startswith(self.static) and "ERR_ABORTED" not in (request.failure or ""):
            self.problems.append(f"{request.url}: {request.failure}")

    def _answered(self, response):
        if response.url.startswith(self.static) and response.status >= 400:
            self.problems.append(f"{response.url}: {response.status}")

    def take(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems


def _check(page, base_url, watch, actor, url) -> list[str]:
    failures = []
    response = page.goto(base_url + url)
    if response is None or response.status != 200:
        failures.append(f"{actor} {url}: {response and response.status}")
    sideways = page.evaluate(SIDEWAYS, [WIDTH + 1])
    if sideways:
        culprits = "; ".join(sideways["culprits"]) or "no single element"
        failures.append(f"{actor} {url}: scrolls sideways ({sideways['width']} px): {culprits}")
    small = [] if url.startswith(DJANGO_ADMIN) else page.evaluate(SMALL_TARGETS, [TARGET])
    if small:
        failures.append(f"{actor} {url}: tap targets under {TARGET} px: " + "; ".join(small))
    failures += [f"{actor} {url}: {problem}" for problem in watch.take()]
    return failures


def test_every_page_of_the_demo_fits_a_phone(live_server, phone_page):
    users = demo_load()
    page = phone_page
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    watch = Watch(page, live_server.url)
    failures: list[str] = []
    visited = 0
    for actor in ("anonymous", DEMO_COMMUNE_OFFICER):
        client = Client()
        page.context.clear_cookies()
        if actor != "anonymous":
            client.force_login(users[actor])
            _log_in(page, live_server.url, actor, DEMO_PASSWORD)
            page.wait_for_url(lambda url: reverse("login") not in url)  # logged in
            watch.take()
        found = crawl(client, actor, ["/", reverse("members:home")], per_name=1)
        failures += found.failures
        for url in found.html_pages:
            visited += 1
            failures += _check(page, live_server.url, watch, actor, url)
    assert not failures, f"{len(failures)} failures in {visited} pages:\n" + "\n".join(failures)
    assert visited > 40
