"""The figures of a periodic report, counted straight from the records of the area
(everything under its path) over the period, in a constant number of queries whatever
the size of the area (four, five for a yearly report with its ratings):

- activities by kind (count, participants, people reached, work-days) and citizens'
  opinions received, answered (in time), overdue and waiting at the end, hot spots
  (``work.figures.work_summary``, two queries);
- "Dân vận khéo" models registered and recognised in the period, by field
  (``exemplars.figures.exemplar_summary``, one query);
- roster changes: seats begun and ended in the period, seats in force at its end (one);
- for a yearly report, the approved ratings of the units of that year by level (one).
"""

import datetime

from django.db.models import Count, Q

from evaluations.choices import LEVELS, Stage
from evaluations.models import Evaluation
from exemplars.figures import exemplar_summary
from members.models import Membership
from reports.periodic.periods import Period
from work.figures import work_summary


def roster_changes(*, path: str, date_from: datetime.date, date_to: datetime.date) -> dict:
    """Seats begun and ended in the period and in force at its end, in one query."""
    in_force = (Q(start_date__isnull=True) | Q(start_date__lte=date_to)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=date_to)
    )
    return Membership.objects.filter(area_path__descendant_of=path).aggregate(
        joined=Count("pk", filter=Q(start_date__range=(date_from, date_to))),
        left=Count("pk", filter=Q(end_date__range=(date_from, date_to))),
        in_force=Count("pk", filter=in_force),
    )


def ratings_of_year(*, path: str, year: int) -> dict:
    """Approved ratings of the units under ``path`` for ``year``: by level and in all."""
    rows = dict(
        Evaluation.objects.filter(area_path__descendant_of=path, year=year, stage=Stage.DECIDED)
        .values_list("decided_level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    levels = {str(level): rows.get(level, 0) for level in LEVELS}
    return {"levels": levels, "total": sum(levels.values())}


def periodic_figures(*, path: str, period: Period) -> dict:
    """Every figure of the report of the area at ``path`` for ``period``."""
    date_from, date_to = period.date_from, period.date_to
    figures = work_summary(path=path, date_from=date_from, date_to=date_to)
    figures["models"] = exemplar_summary(path=path, date_from=date_from, date_to=date_to)
    figures["roster"] = roster_changes(path=path, date_from=date_from, date_to=date_to)
    figures["ratings"] = (
        ratings_of_year(path=path, year=period.year) if period.kind == "year" else None
    )
    return figures
