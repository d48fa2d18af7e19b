"""No 500 from any input: every URL pattern of the portal (the permission matrix's walk,
tests/permissions.py), as every actor, with hostile query strings: NUL and other control
characters, overlong values, malformed and out-of-range dates (years 0001-0010, an empty
date), unknown editions, negative and absurd page numbers, script payloads. Any 5xx, or
an exception out of a view, fails and is listed. Run it on PostgreSQL too: that is where
a NUL byte in a query used to be a 500 (DATABASE_URL=postgres://...)."""

from urllib.parse import quote

import pytest

from tests.permissions import ACTORS, ActorClients, build_checks, build_world, fresh, walk_urls

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
NUL = "\x00"
#: Each query string mixes several hostile values, so that the walk stays about a thousand
#: requests: every page reads the parameters it knows and ignores the others.
HOSTILE_QUERIES = [
    {
        "q": f"a{NUL}b", "search": NUL, "term": NUL, "date": "0001-01-01", "edition": "zz",
        "page": "-1", "year": NUL, "status": NUL, "o": "-99", "code": NUL, "kind": NUL,
    },
    {
        "q": "x" * 5000, "date": "", "page": "0", "edition": "", "area": f"1{NUL}",
        "year": "-5", "format": "xlsx", "table": NUL, "stage": SCRIPT, "ordering": "-%00",
    },
    {
        "q": SCRIPT, "date": "0010-12-31", "page": "abc", "edition": "legacy", "year": "99999",
        "unit": "-1", "person": "1e9", "criteria_set": SCRIPT, "format": "csv", "table": SCRIPT,
    },
    {
        "q": "\x01\x1f\x7f", "date": "9999-12-31", "page": "99999999999999999999",
        "edition": SCRIPT, "year": "0", "from": "31/02/2026", "to": "2026-13-01",
        "date_from": "0001-01-01", "date_to": "x", "province": NUL, "commune": "-1",
    },
]  # fmt: skip


def hostile_url(url: str, query: dict) -> str:
    encoded = "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in query.items())
    return f"{url}{'&' if '?' in url else '?'}{encoded}"


@pytest.fixture(scope="module")
def module_world(module_db, django_db_blocker, tmp_path_factory):
    from tests.factories import area_tree_build

    media_root = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock():
        world = build_world(area_tree_build(), media_root=media_root)
        return world, ActorClients(world.users)


@pytest.mark.sweep
def test_no_url_answers_5xx_to_hostile_queries_for_any_actor(module_world, settings):
    world, clients = module_world
    settings.MEDIA_ROOT = world.media_root
    world = fresh(world)
    urls = sorted({check.url for check in build_checks(world, walk_urls())})
    failures, seen = [], 0
    for index, url in enumerate(urls):
        # Every URL gets every query string (twice), every actor every query string
        # (over the URLs): a rotation, a quarter of the requests of every pair.
        for shift, actor in enumerate(ACTORS):
            query = HOSTILE_QUERIES[(index + shift) % len(HOSTILE_QUERIES)]
            target = hostile_url(url, query)
            seen += 1
            try:
                response = clients.request(actor, "GET", target)
            except Exception as exc:
                failures.append(f"{url} {actor} {list(query)[:3]}: {type(exc).__name__}: {exc}")
                continue
            if response.status_code >= 500:
                failures.append(f"{url} {actor} {list(query)[:3]}: {response.status_code}")
    assert not failures, f"{len(failures)} of {seen}:\n" + "\n".join(failures[:80])
    assert seen > 100 * len(ACTORS)


def test_a_path_with_a_nul_byte_is_a_400_and_forms_lose_control_characters(client):
    assert client.get("/tin-tuc/a%00b/").status_code == 400
    response = client.get("/", {"q": "ab\x00c\x07"})
    assert response.status_code == 200
    assert response.wsgi_request.GET["q"] == "abc"
