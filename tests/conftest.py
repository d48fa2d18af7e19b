"""Fixtures shared by the whole suite, and the settings every test runs under.

Speed (docs/PERFORMANCE.md, "Test suite"): passwords are hashed with a fast hasher, the
cache is a local-memory one emptied before every test, and data that a whole module only
reads can be built once for it inside a transaction rolled back at its end (``module_db``).
"""

import pytest
from django.core.cache import caches
from django.db import transaction
from django.test import override_settings

from tests.factories import area_tree_build

#: Hashing is not what the tests are about: PBKDF2 at full cost takes a quarter of a
#: second of CPU per password, and the suite makes hundreds of accounts. Production keeps
#: Django's default hashers (danvan/settings.py sets none).
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _test_settings(tmp_path_factory):
    """For the whole session: the fast hasher; a local-memory cache of this process
    whatever CACHE_URL says (a developer's Redis is not shared with the tests, nor two
    test processes with each other); uploads under a temporary folder, not var/media."""
    with override_settings(
        PASSWORD_HASHERS=FAST_HASHERS,
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "danvan-tests",
            }
        },
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
    ):
        yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """PostgreSQL test databases commit without waiting for the disk
    (``synchronous_commit=off``): a commit there cost about 6 ms against 0.5 ms, and
    migrating the test database and the transactional tests commit thousands of times.
    What a test sees is the same; only a crash of the server could lose the last
    commits, of a database thrown away anyway."""
    from django.db import connections

    for connection in connections.all():
        if connection.vendor == "postgresql":
            options = connection.settings_dict.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c synchronous_commit=off"


@pytest.fixture(autouse=True)
def _empty_caches():
    """Every test starts with an empty cache: what an earlier test cached (figures keyed
    by a data version that lives in a rolled-back database, say) is not this test's."""
    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """A transaction open for the whole module and rolled back at its end.

    Module-scoped fixtures that depend on this one write their data inside it (with
    ``django_db_blocker.unblock()``): every test of the module sees that data and still
    runs in its own savepoint, so whatever a test writes is undone after it, and the next
    module finds the database as it was. Only for modules without transactional tests
    (``django_db(transaction=True)`` would flush the data away)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def pytest_collection_modifyitems(config, items):
    """Run the browser tests last.

    Playwright's sync API keeps an event loop running in the main thread once the browser
    starts, and Django refuses database calls from inside one unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set. Running the browser tests after everything else
    confines that setting (made in tests/e2e/conftest.py) to the browser tests.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
    # PostgreSQL-only tests (a streaming replica) leave a SQLite run; the PostgreSQL run
    # of CI (.ci/run) keeps them.
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        kept = [item for item in items if item.get_closest_marker("postgres") is None]
        if len(kept) != len(items):
            config.hook.pytest_deselected(items=[i for i in items if i not in kept])
            items[:] = kept


@pytest.fixture
def area_tree(db):
    """A small legacy tree: two provinces, two districts in the first, communes and
    villages, the shape the permission and subtree tests need (``area_tree_build``)."""
    return area_tree_build()


@pytest.fixture
def bloc(area_tree):
    """The bloc of commune A (area_tree["commune"])."""
    from units.services import unit_create

    return unit_create(kind="bloc", area=area_tree["commune"])


@pytest.fixture
def team(area_tree):
    """The team of village "Tổ 1" in commune A."""
    from units.services import team_create_for_village

    return team_create_for_village(commune=area_tree["commune"], village_name="Tổ 1")
