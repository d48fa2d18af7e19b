"""Signals other apps listen to."""

from django.dispatch import Signal

#: Sent after a bulk write (bulk_create / bulk_update / update()) to areas, units,
#: people, memberships or ratings, which send no model signal: the statistics cache
#: listens (reports.signals). Send it inside the writer's transaction, with
#: ``province_paths``: the paths of the provinces written in (any path inside them will
#: do), or None (the default) when unknown, which makes every province's cached
#: figures stale. A writer of a large batch (an import, the carry-over and its undo, the
#: divisions) adds ``large_batch=True``: once its transaction commits, the statistics'
#: log it left is folded by the task worker (reports.aggregates.compact_on_commit), so
#: that no reader pays for it.
data_changed = Signal()
