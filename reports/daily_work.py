"""The additive fields of CONTRACTS section 3 that count the daily work: ``activities``
(by year, up to the day), ``opinions`` (received, answered, overdue on the day) and
``models`` ("Dân vận khéo": registered, recognised by the day).

The statistics answer within ten queries when nothing is cached, and the figures of
units and memberships already take them all. So these counts travel in a query
``reports.stats`` runs anyway: ``with_daily_work(areas, ...)`` unites the area-count
query (rows of ``level`` and ``n``, optionally by ``key``) with one grouped SELECT per
figure, each row tagged in the ``level`` column ("activities:2026",
"opinions:received", "models:recognised"); ``split_rows`` takes the tagged rows back
out. The conditions are the ones of ``work.figures`` and ``exemplars.figures`` (the
same definitions as the dashboard and the periodic reports); every count filters on
the records' own copied ``area_path``, so it is exact at any level and day, and every
write of these records bumps its province's data version (the cache rules of the other
figures hold).

A record counts on the map it was recorded on: a legacy unit's activities stay on the
legacy map (the 2025 map before 01/07/2025 counts the units then in force, not their
work).
"""

import datetime

from django.db.models import CharField, Count, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat, ExtractYear, Substr

from exemplars.figures import CONDITIONS as MODEL_CONDITIONS
from exemplars.models import Exemplar
from work.figures import OPINION_FIELDS, add_figures, answered_by, overdue_on, received_by
from work.models import Activity, Opinion

OPINION_CONDITIONS = {"received": received_by, "answered": answered_by, "overdue": overdue_on}
MODEL_FIELDS = tuple(MODEL_CONDITIONS)
FIELDS = ("activities", "opinions", "models")
_SEPARATOR = ":"


def empty() -> dict:
    return {
        "activities": {},
        "opinions": dict.fromkeys(OPINION_FIELDS, 0),
        "models": dict.fromkeys(MODEL_FIELDS, 0),
    }


def _tag(text: str) -> Value:
    return Value(text, output_field=CharField())


def _selects(where: Q, key_length: int | None, day: datetime.date) -> list[QuerySet]:
    """One grouped SELECT per figure, each with the columns of the area-count query:
    (``key``,) ``level`` (the tag) and ``n``."""
    keys = ("key", "level") if key_length else ("level",)

    def grouped(queryset: QuerySet, level, condition: Q | None = None) -> QuerySet:
        queryset = queryset.filter(where)
        if condition is not None:
            queryset = queryset.filter(condition)
        if key_length:
            queryset = queryset.annotate(key=Substr("area_path", 1, key_length))
        return queryset.annotate(level=level).values(*keys).annotate(n=Count("pk")).order_by()

    year = Cast(ExtractYear("date"), output_field=CharField())
    selects = [
        grouped(
            Activity.objects.filter(date__lte=day),
            Concat(_tag(f"activities{_SEPARATOR}"), year, output_field=CharField()),
        )
    ]
    for name, condition in OPINION_CONDITIONS.items():
        selects.append(
            grouped(Opinion.objects.all(), _tag(f"opinions{_SEPARATOR}{name}"), condition(day))
        )
    for name, condition in MODEL_CONDITIONS.items():
        selects.append(
            grouped(Exemplar.objects.all(), _tag(f"models{_SEPARATOR}{name}"), condition(day))
        )
    return selects


def with_daily_work(
    areas: QuerySet, *, where: Q, day: datetime.date, key_length: int | None = None
) -> QuerySet:
    """``areas`` (values ``level``, ``n``; with ``key`` first when ``key_length``)
    united with the daily-work rows of the records under ``where`` (a condition on
    ``area_path``): still one query."""
    return areas.union(*_selects(where, key_length, day), all=True)


def split_rows(rows) -> tuple[list[dict], dict[str, dict]]:
    """The area-count rows, and the daily-work figures by key ("" without keys)."""
    kept, figures = [], {}
    for row in rows:
        field, sep, name = row["level"].partition(_SEPARATOR)
        if not sep or field not in FIELDS:
            kept.append(row)
            continue
        entry = figures.setdefault(row.get("key", ""), empty())
        if field == "activities":
            entry["activities"][name] = row["n"]
        else:
            entry[field][name] = row["n"]
    for entry in figures.values():
        entry["activities"] = dict(sorted(entry["activities"].items()))
    return kept, figures


def add(total: dict, more: dict) -> dict:
    """Two sets of these figures added field by field (the country from its provinces):
    activities and opinions as ``work.figures.add_figures`` adds them."""
    work = add_figures({**total, "hot_spots": 0}, {**more, "hot_spots": 0})
    return {
        "activities": work["activities"],
        "opinions": work["opinions"],
        "models": {k: total["models"][k] + more["models"][k] for k in MODEL_FIELDS},
    }
