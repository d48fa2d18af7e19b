"""The statistics' work in the background (docs/TASKS.md): the fold of the log a big
writer left (an import, the carry-over and its undo), run by the task worker after the
writer's commit, so that the writer does not wait for it (docs/STATS_API.md)."""

from django_tasks import task

from reports import aggregates


@task()
def stats_compact(using: str | None = None) -> int:
    """Fold the statistics' log into the totals (``reports.aggregates.compact``); the
    log rows folded. Nothing to do when a reader folded it first."""
    return aggregates.compact(using)
