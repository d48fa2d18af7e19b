"""Cache and sessions in Redis (CACHE_URL=redis://, SESSION_STORE=cache): what one
application server writes, another reads. Runs against the Redis on 127.0.0.1:6379
(.ci/run starts it), in database ``REDIS_DB`` under a key prefix of its own that the
test deletes afterwards (never a FLUSHDB: other runs may share the server)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from accounts.choices import StaffRole
from members.services import membership_add
from reports.stats import Place, area_stats_cached
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
REDIS_DB = 9
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
PASSWORD = "mat-khau-thu-nghiem-2026"  # tests.factories.UserFactory's


@pytest.fixture
def redis_settings(settings):
    """Django's Redis cache and sessions in it, under a prefix of this test's own."""
    prefix = f"danvan-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    yield prefix
    caches["default"].close()
    server = redis.Redis.from_url(REDIS_URL)
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


def other_process(prefix: str, code: str) -> str:
    """Run ``code`` in a second Python process (another server) with the same cache."""
    environment = dict(
        os.environ,
        CACHE_URL=REDIS_URL,
        CACHE_KEY_PREFIX=prefix,
        SESSION_STORE="cache",
        DJANGO_SETTINGS_MODULE="danvan.settings",
        LOG_LEVEL="WARNING",
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_redis_url_selects_djangos_redis_cache_and_sessions_in_it():
    code = (
        "from django.conf import settings; c = settings.CACHES['default']; "
        "print(c['BACKEND'], c['LOCATION'], c['KEY_PREFIX'], settings.SESSION_ENGINE)"
    )
    printed = other_process("danvan-check", code)
    assert printed.split() == [
        "django.core.cache.backends.redis.RedisCache",
        REDIS_URL,
        "danvan-check",
        "django.contrib.sessions.backends.cache",
    ]


def test_a_login_on_one_server_is_a_session_on_another(redis_settings, area_tree):
    """The session written at login lives in Redis: another process finds the user in it
    by the cookie alone, and a second client with that cookie is logged in."""
    user = make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]], username="canbo")
    first = Client()
    response = first.post(reverse("login"), {"username": "canbo", "password": PASSWORD})
    assert response.status_code == 302
    key = first.cookies["sessionid"].value
    code = (
        "from django.contrib.sessions.backends.cache import SessionStore; "
        f"print(SessionStore({key!r}).get('_auth_user_id'))"
    )
    assert other_process(redis_settings, code) == str(user.pk)
    second = Client()
    second.cookies["sessionid"] = key
    assert second.get(reverse("members:home")).status_code == 200


def test_a_lockout_holds_for_every_client(redis_settings, area_tree):
    """django-axes records failures in the database, so five wrong passwords through one
    server lock the user name out from that address on every server."""
    make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]], username="canbo")
    first, second = Client(), Client()
    for _attempt in range(5):
        first.post(reverse("login"), {"username": "canbo", "password": "sai-mat-khau"})
    response = second.post(reverse("login"), {"username": "canbo", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in second.session


def test_figures_cached_by_one_server_are_read_by_another_and_invalidated(
    redis_settings, area_tree, bloc
):
    """The national figures computed here are in Redis for another process under the
    same key; after a write, the key (the data version) changes for both, and the new
    figures are computed once and shared again."""
    from django.utils import timezone

    from reports.models import data_versions
    from reports.stats import country_cache_key

    day = timezone.localdate()
    edition = area_tree["province"].edition

    def key() -> str:
        return country_cache_key(edition, day, data_versions())

    read = "from django.core.cache import cache; v = cache.get({!r}); print(v and v['{}'])"
    before = area_stats_cached(Place(edition=edition), day)
    assert other_process(redis_settings, read.format(key(), "blocs")) == str(before["blocs"])
    old_key = key()
    membership_add(unit=bloc, full_name="Hoàng Văn Thụ", birth_year=1972, role="head")
    assert key() != old_key
    assert other_process(redis_settings, read.format(key(), "bloc_members")) == "None"
    after = area_stats_cached(Place(edition=edition), day)
    assert after["bloc_members"] == before["bloc_members"] + 1
    assert other_process(redis_settings, read.format(key(), "bloc_members")) == str(
        after["bloc_members"]
    )
