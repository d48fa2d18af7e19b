"""Reads of the public pages from a PostgreSQL replica (``DATABASE_REPLICA_URL``).

``ReplicaRouter`` sends a read to the ``replica`` database only inside
``replica_reads()``, which ``portal.http_cache.public_cache`` opens around an anonymous
reader's GET of a public page (the home page, news, documents, statistics, the API).
Everything else reads the primary: staff pages, logins, the worker, the commands. Once
the request has written anything (a write always goes to the primary), its later reads go
to the primary too, so it reads its own writes. A replica a few hundred milliseconds
behind can only make a public page that much older, which its max-age allows anyway.
"""

import contextlib
import contextvars

from django.conf import settings

REPLICA = "replica"

#: None outside a public read; else whether the request has written yet.
_state: contextvars.ContextVar[dict | None] = contextvars.ContextVar("replica", default=None)


@contextlib.contextmanager
def replica_reads():
    """Within: reads go to the replica (when one is configured) until the first write."""
    token = _state.set({"wrote": False})
    try:
        yield
    finally:
        _state.reset(token)


def reading_replica() -> bool:
    state = _state.get()
    return bool(state is not None and not state["wrote"] and REPLICA in settings.DATABASES)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if reading_replica() else "default"

    def db_for_write(self, model, **hints):
        state = _state.get()
        if state is not None:
            state["wrote"] = True
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"
