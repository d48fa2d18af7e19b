"""A crawl of the demo as every demo account: no page a user is offered may fail.

The permission matrix (tests/test_permission_matrix.py) asks every URL pattern of a
hand-built world; users meet the demo's data, whose shapes nobody chose (an activity
without a recorder, a carried-over bloc, a rating at every stage). Here the divisions the
demo needs are loaded, ``generate_demo --scale small`` runs once for the module, and for
the public and each demo account (accounts/demo.py) a breadth-first crawl with the test
client follows the same-site links (``<a href>``) of the HTML answers, GET only, from the
home page and the staff home. Per actor every failure is collected, then reported as one
list ("actor URL: status (linked from PAGE)"):

- no 5xx anywhere;
- a link a page offers answers 200, 302 or 304 (or a file), never 403, 404 or 405:
  offering a link the user cannot follow is a bug, except the few in ``ALLOWED``;
- an HTML page has exactly one ``<h1>`` and a ``<title>``.

The crawl and the demo's loading are in tests/demo_crawl.py (shared with the phone crawl,
tests/e2e/test_phone_crawl.py). Bounds (docs/PERFORMANCE.md, "Test suite"): at most
``PER_NAME`` URLs per URL name (``resolve(path).view_name``: three activities, not three
hundred), ``?page=`` up to 2, and ``MAX_PAGES`` pages per actor.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.demo_crawl import ACTORS, crawl, demo_load

pytestmark = [pytest.mark.django_db, pytest.mark.sweep]


@pytest.fixture(scope="module")
def demo_users(module_db, django_db_blocker):
    """The small demo and its accounts (tests/demo_crawl.py), once for the module."""
    with django_db_blocker.unblock():
        return demo_load()


@pytest.mark.parametrize("actor", ACTORS)
def test_every_offered_link_of_the_demo_works(demo_users, actor):
    client = Client()
    if actor != "anonymous":
        client.force_login(demo_users[actor])
    failures, requested, _pages = crawl(client, actor, ["/", reverse("members:home")])
    assert not failures, f"{len(failures)} failures in {requested} pages:\n" + "\n".join(failures)
    assert requested > 20
