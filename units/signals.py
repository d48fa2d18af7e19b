"""Signals other apps listen to."""

from django.dispatch import Signal

#: Sent after a bulk write (bulk_create / bulk_update / update()) to areas, units,
#: people, memberships or ratings, which send no model signal: the statistics cache
#: listens (reports.signals). Send it inside the writer's transaction, with
#: ``province_paths``: the paths of the provinces written in (any path inside them will
#: do), or None (the default) when unknown, which makes every province's cached
#: figures stale.
data_changed = Signal()
