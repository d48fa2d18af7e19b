"""The permission matrix: every URL pattern x every actor has a declared outcome.

The patterns come from the URL configuration itself (``tests.permissions.walk_urls``), so
a new view without a declaration in ``tests/permissions.py`` fails here by name, and so
does a declaration left behind by a removed view. Each test requests every pattern as
every actor and collects the mismatches, printed one per line as
"URL, actor: expected X got Y".
"""

import pytest

from tests.permissions import (
    ACTORS,
    COVERING,
    SECRET_UNIT,
    ActorClients,
    build_checks,
    build_world,
    declaration_problems,
    fresh,
    leaked_secrets,
    outcome,
    response_text,
    walk_urls,
)

pytestmark = pytest.mark.django_db

#: Actors who must never read commune A's people, units or uploads.
NOT_COVERING = tuple(a for a in ACTORS if a not in COVERING)


@pytest.fixture(scope="module")
def module_world(module_db, django_db_blocker, tmp_path_factory):
    """The world and one logged-in client per actor, built once for the module: the
    tests only read it (each test, and each request in the matrices, is rolled back)."""
    from tests.factories import area_tree_build

    media_root = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock():
        world = build_world(area_tree_build(), media_root=media_root)
        return world, ActorClients(world.users)


@pytest.fixture
def world(module_world, settings):
    # The world's files (an evidence file, a news picture) are stored, then read back,
    # under its own folder; the cache is emptied before every test (tests/conftest.py).
    settings.MEDIA_ROOT = module_world[0].media_root
    return fresh(module_world[0])


@pytest.fixture
def clients(world, module_world):
    return module_world[1]


def test_every_url_pattern_has_a_declared_access():
    """Adding a view without declaring who may open it fails, naming the pattern; a
    declaration whose pattern is gone fails too."""
    problems = declaration_problems(walk_urls())
    assert not problems, "\n".join(problems)


def test_the_walk_reaches_every_door():
    """The walk goes through includes and namespaces: the staff pages, the imports, the
    admin's model pages and custom URLs, the accounts and audit URL confs."""
    keys = {p.key for p in walk_urls()}
    for key in (
        "home",
        "members:unit_detail",
        "members:import_job_report",
        "admin:units_unit_change",
        "admin:members_membership_import_job",
        "admin/members/person/<path:object_id>/",
    ):
        assert key in keys
    from accounts import urls as urls_accounts
    from audit import urls as urls_audit

    for conf in (urls_accounts, urls_audit):
        for entry in conf.urlpatterns:
            assert f"{conf.app_name}:{entry.name}" in keys or entry.name is None


#: The sweeps are cut in shards, each a class of its own: pytest-xdist's ``loadscope``
#: gives each class to a worker, so the two halves of a sweep run at the same time.
SHARDS = 2


def _run(world, clients, method: str, shard: int = 0):
    mismatches, leaks, seen = [], [], 0
    for check in build_checks(world, walk_urls())[shard::SHARDS]:
        expected = check.access.get if method == "GET" else check.access.post
        for actor in ACTORS:
            seen += 1
            try:
                response = clients.request(actor, method, check.url)
            except Exception as exc:  # a 500 is a mismatch like any other
                mismatches.append(
                    f"{method} {check.url}, {actor}: expected {expected[actor]} got "
                    f"{type(exc).__name__}: {exc}"
                )
                continue
            got = outcome(response)
            if got != expected[actor]:
                mismatches.append(
                    f"{method} {check.url} ({check.key}), {actor}: expected "
                    f"{expected[actor]} got {got}"
                )
            if actor in NOT_COVERING:
                found = leaked_secrets(response_text(response))
                if found:
                    leaks.append(f"{method} {check.url}, {actor}: shows {found}")
    return mismatches, leaks, seen


@pytest.mark.sweep
class _Matrix:
    shard = 0

    def test_get_matrix(self, world, clients):
        """Every pattern, GET, as every actor: the declared outcome; and nobody outside
        commune A reads A's people, units, villages or uploads in any answer."""
        mismatches, leaks, seen = _run(world, clients, "GET", self.shard)
        assert not mismatches, "\n".join(mismatches)
        assert not leaks, "\n".join(leaks)
        assert seen > 100 * len(ACTORS) // 2 // SHARDS

    def test_post_matrix(self, world, clients):
        """Every pattern, POST with an empty body (rolled back), as every actor: the
        declared outcome; a news editor, the public and staff outside A never get in."""
        mismatches, leaks, _seen = _run(world, clients, "POST", self.shard)
        assert not mismatches, "\n".join(mismatches)
        assert not leaks, "\n".join(leaks)


class TestMatrixFirstHalf(_Matrix):
    shard = 0


class TestMatrixSecondHalf(_Matrix):
    shard = 1


def test_the_shards_cover_every_check_once(world):
    checks = build_checks(world, walk_urls())
    assert len(TEST_SHARDS) == SHARDS
    assert sorted(c.url for s in TEST_SHARDS for c in checks[s.shard :: SHARDS]) == sorted(
        c.url for c in checks
    )


TEST_SHARDS = (TestMatrixFirstHalf, TestMatrixSecondHalf)


def test_admin_answers_objects_outside_the_scope_like_deleted_ones(world, clients):
    """The admin's change page of a unit of commune A, opened by the sibling commune's
    officer: a redirect to the admin index with Django's "does not exist" warning naming
    the id only, exactly as for an id that does not exist; the unit's name is nowhere."""
    from django.contrib.messages import get_messages
    from django.urls import reverse

    url = reverse("admin:units_unit_change", args=[world.bloc_a.pk])
    missing = reverse("admin:units_unit_change", args=[world.bloc_a.pk + 1000])
    answers = []
    for target in (url, missing):
        response = clients.request("officer_b", "GET", target)
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:index")
        (message,) = [str(m) for m in get_messages(response.wsgi_request)]
        assert SECRET_UNIT not in message
        answers.append(message.replace(str(world.bloc_a.pk + 1000), str(world.bloc_a.pk)))
    assert answers[0] == answers[1]
    followed = clients.clients["officer_b"].get(url, follow=True)
    assert SECRET_UNIT not in followed.content.decode()


def test_view_on_site_hides_objects_outside_the_scope(world, clients):
    """The admin's "view on site" shortcut answers 404 for an object outside the area,
    exactly as for a missing one (danvan.views.admin_view_on_site)."""
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    content_type = ContentType.objects.get_for_model(world.bloc_a).pk
    existing = clients.request(
        "officer_b", "GET", reverse("admin:view_on_site", args=[content_type, world.bloc_a.pk])
    )
    missing = clients.request(
        "officer_b", "GET", reverse("admin:view_on_site", args=[content_type, 10**6])
    )
    assert existing.status_code == missing.status_code == 404


def test_news_pictures_door_serves_nothing_else_of_media_root(world, clients):
    """/media/news/<path> serves the news pictures only: commune A's evidence photo, a
    JPEG under MEDIA_ROOT/evidence/, stays behind the scoped evidence view whatever
    the path climbs through."""
    from django.urls import reverse

    name = world.evidence_a.file.name
    assert name.endswith(".jpg")
    for path in (f"../{name}", f"%2e%2e/{name}", f"..%2f{name}", f"./../{name}"):
        response = clients.request("anonymous", "GET", f"/media/news/{path}")
        assert response.status_code == 404, path
    evidence = reverse("evaluations:evidence", args=[world.evidence_a.pk])
    assert clients.request("officer_a", "GET", evidence).status_code == 200
    assert clients.request("officer_b", "GET", evidence).status_code == 404
