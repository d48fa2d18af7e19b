"""The figures of the "Dân vận khéo" models for an area: what the statistics API, the
public pages and the periodic reports count. Counts only, no personal data; straight
counts on the copied ``area_path`` (one prefix condition), for any level of either map.

On a day D: ``registered`` counts the models registered on or before D (whatever became
of them); ``recognised`` those recognised (or since named typical) by a decision dated
on or before D.
"""

import datetime
from collections.abc import Iterable

from django.db.models import Count, Q
from django.db.models.functions import Substr

from exemplars.choices import PUBLIC_STATUSES, ExemplarField
from exemplars.models import Exemplar

FIELDS = ("registered", "recognised")


def empty_figures() -> dict:
    return dict.fromkeys(FIELDS, 0)


def _under(paths: str | Iterable[str]) -> Q:
    paths = [paths] if isinstance(paths, str) else list(paths)
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(area_path__descendant_of=path)
    return condition


def registered_by(day: datetime.date) -> Q:
    return Q(registered_on__lte=day)


def recognised_by(day: datetime.date) -> Q:
    return Q(status__in=PUBLIC_STATUSES, decision_date__lte=day)


#: Each figure's condition on a day (``reports.daily_work`` counts them in its union).
CONDITIONS = {"registered": registered_by, "recognised": recognised_by}


def _aggregates(day: datetime.date) -> dict:
    return {name: Count("pk", filter=condition(day)) for name, condition in CONDITIONS.items()}


def exemplar_figures(*, path: str, day: datetime.date) -> dict:
    """``{"registered": n, "recognised": n}`` of the models under ``path`` on ``day``
    (one query)."""
    return Exemplar.objects.filter(_under(path)).aggregate(**_aggregates(day))


def exemplar_figures_by_key(
    *, paths: str | Iterable[str], key_length: int, day: datetime.date
) -> dict[str, dict]:
    """``exemplar_figures`` grouped by the first ``key_length`` characters of the path
    (the children of an area, or the provinces of a batch), in one query; a key without
    models is missing (use ``empty_figures()``)."""
    rows = (
        Exemplar.objects.filter(_under(paths))
        .annotate(key=Substr("area_path", 1, key_length))
        .values("key")
        .annotate(**_aggregates(day))
        .order_by()
    )
    return {row.pop("key"): row for row in rows}


def exemplar_summary(*, path: str, date_from: datetime.date, date_to: datetime.date) -> dict:
    """The models of a period, for the periodic reports: registered in it, recognised
    in it (decisions dated in it), and each by field; plus ``total_recognised`` at its
    end. One query."""
    period = Q(registered_on__range=(date_from, date_to))
    decided = Q(status__in=PUBLIC_STATUSES, decision_date__range=(date_from, date_to))
    aggregates = {
        "total_recognised": Count(
            "pk", filter=Q(status__in=PUBLIC_STATUSES, decision_date__lte=date_to)
        )
    }
    for field in ExemplarField:
        aggregates[f"registered_{field.value}"] = Count("pk", filter=period & Q(field=field))
        aggregates[f"recognised_{field.value}"] = Count("pk", filter=decided & Q(field=field))
    row = Exemplar.objects.filter(_under(path)).aggregate(**aggregates)
    by_field = {
        field.value: {
            "registered": row[f"registered_{field.value}"],
            "recognised": row[f"recognised_{field.value}"],
        }
        for field in ExemplarField
    }
    return {
        "registered": sum(v["registered"] for v in by_field.values()),
        "recognised": sum(v["recognised"] for v in by_field.values()),
        "total_recognised": row["total_recognised"],
        "by_field": by_field,
    }
