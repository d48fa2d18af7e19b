"""The figures of the daily work for an area: what the statistics API, the staff
dashboard and the periodic reports count. None of them depends on who asks (callers
scope first, or ask for a public aggregate) and none returns personal data.

Every function filters on the ``area_path`` copied onto activities and opinions (one
prefix condition, no join), so it serves any level of either map: the country
(``"2025/"``), a province (``"2025/19/"``), a district, a commune or a village. The
``*_by_key`` versions group on a prefix of the path of ``key_length`` characters, as
``reports.stats`` does for the next level down (every path segment of a level has the
same length), so all the children of an area come in the same number of queries as
the area itself.

Definitions (docs/WORK.md, "Figures"), for a day D:

- activities by year: activities dated on or before D, by the year of their date;
- opinions received: received on or before D; answered: answered on or before D;
- overdue: received, not answered by D, and more days since receipt than the
  province allows (``due_on`` < D, ``due_on`` = day received + the province's days);
- hot spots open: flagged on or before D and not resolved by D (resolved after D).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear, Substr

from work.choices import ActivityKind, OpinionTopic, Severity
from work.models import Activity, Opinion

OPINION_FIELDS = ("received", "answered", "overdue")
ACTIVITY_TOTALS = ("count", "participants", "people_reached", "work_days")


def _under(paths: str | Iterable[str]) -> Q:
    """Rows under any of ``paths`` (one path, or several OR'ed: the provinces of a
    batch)."""
    if isinstance(paths, str):
        paths = [paths]
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(area_path__descendant_of=path)
    return condition


# --- Conditions on opinions for a day ---------------------------------------------------


def received_by(day: datetime.date) -> Q:
    return Q(received_on__lte=day)


def answered_by(day: datetime.date) -> Q:
    return Q(answered_on__lte=day)


def waiting_on(day: datetime.date) -> Q:
    """Received by ``day`` and not answered by then."""
    return received_by(day) & (Q(answered_on__isnull=True) | Q(answered_on__gt=day))


def overdue_on(day: datetime.date) -> Q:
    """Received, not answered by ``day``, past the province's days (``due_on`` < day)."""
    return waiting_on(day) & Q(due_on__lt=day)


def hot_spot_open_on(day: datetime.date) -> Q:
    """A hot spot flagged by ``day`` and not yet resolved on that day."""
    not_resolved = Q(hot_spot_resolved_on__isnull=True) | Q(hot_spot_resolved_on__gt=day)
    return Q(hot_spot_since__lte=day) & not_resolved


def _opinion_aggregates(day: datetime.date) -> dict:
    return {
        "received": Count("pk", filter=received_by(day)),
        "answered": Count("pk", filter=answered_by(day)),
        "overdue": Count("pk", filter=overdue_on(day)),
        "hot_spots": Count("pk", filter=hot_spot_open_on(day)),
    }


def _by_year(rows) -> dict[str, int]:
    return {str(row["year"]): row["n"] for row in sorted(rows, key=lambda r: r["year"])}


def _activity_years(queryset: QuerySet, day: datetime.date) -> QuerySet:
    return (
        queryset.filter(date__lte=day)
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by()
    )


# --- One area on a day (the statistics API) ---------------------------------------------


def activities_by_year(*, path: str, day: datetime.date) -> dict[str, int]:
    """``{"2025": n, "2026": n}``: activities under ``path`` dated on or before ``day``,
    by year, oldest first (one query)."""
    return _by_year(_activity_years(Activity.objects.filter(_under(path)), day))


def opinion_counts(*, path: str, day: datetime.date) -> dict[str, int]:
    """``{"received", "answered", "overdue"}`` of the opinions under ``path`` on
    ``day`` (one query)."""
    counts = Opinion.objects.filter(_under(path)).aggregate(**_opinion_aggregates(day))
    return {field: counts[field] for field in OPINION_FIELDS}


def hot_spots_open(*, path: str, day: datetime.date) -> int:
    """Hot spots under ``path`` open on ``day`` (one query)."""
    return Opinion.objects.filter(_under(path), hot_spot_open_on(day)).count()


def work_figures(*, path: str, day: datetime.date) -> dict:
    """Everything above at once, in two queries: ``{"activities": {year: n},
    "opinions": {"received", "answered", "overdue"}, "hot_spots": n}``."""
    counts = Opinion.objects.filter(_under(path)).aggregate(**_opinion_aggregates(day))
    return {
        "activities": activities_by_year(path=path, day=day),
        "opinions": {field: counts[field] for field in OPINION_FIELDS},
        "hot_spots": counts["hot_spots"],
    }


def empty_figures() -> dict:
    """``work_figures`` of an area with nothing recorded."""
    return {"activities": {}, "opinions": dict.fromkeys(OPINION_FIELDS, 0), "hot_spots": 0}


# --- Many areas at once: grouped on a path prefix ---------------------------------------


def work_figures_by_key(
    *, paths: str | Iterable[str], key_length: int, day: datetime.date
) -> dict[str, dict]:
    """``work_figures`` of every area whose path is a ``key_length``-character prefix
    of rows under ``paths``, by that prefix, in two queries whatever their number. An
    area with nothing recorded is missing: use ``empty_figures()``.

    Example: the communes of province "2025/19/" (a commune segment is 6 characters):
    ``work_figures_by_key(paths="2025/19/", key_length=len("2025/19/") + 6, day=d)``.
    """
    key = Substr("area_path", 1, key_length)
    result: dict[str, dict] = {}
    activity_rows = (
        Activity.objects.filter(_under(paths), date__lte=day)
        .annotate(key=key, year=ExtractYear("date"))
        .values("key", "year")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in sorted(activity_rows, key=lambda r: (r["key"], r["year"])):
        result.setdefault(row["key"], empty_figures())["activities"][str(row["year"])] = row["n"]
    opinion_rows = (
        Opinion.objects.filter(_under(paths))
        .annotate(key=key)
        .values("key")
        .annotate(**_opinion_aggregates(day))
        .order_by()
    )
    for row in opinion_rows:
        figures = result.setdefault(row["key"], empty_figures())
        figures["opinions"] = {field: row[field] for field in OPINION_FIELDS}
        figures["hot_spots"] = row["hot_spots"]
    return result


def add_figures(total: dict, more: dict) -> dict:
    """``total`` plus ``more`` (two ``work_figures``), field by field: every figure adds
    up across areas that do not overlap (the provinces of the country, for one)."""
    years = dict(total["activities"])
    for year, count in more["activities"].items():
        years[year] = years.get(year, 0) + count
    return {
        "activities": dict(sorted(years.items())),
        "opinions": {f: total["opinions"][f] + more["opinions"][f] for f in OPINION_FIELDS},
        "hot_spots": total["hot_spots"] + more["hot_spots"],
    }


def work_figures_and_children(
    *, path: str, key_length: int, day: datetime.date
) -> tuple[dict, dict[str, dict]]:
    """The area's ``work_figures`` and its children's (``work_figures_by_key`` with the
    children's ``key_length``) in the same two queries: the area's are the sum of every
    group, its own level included (a commune's bloc works at the commune, under no
    village: its rows form a group keyed by the commune's own path)."""
    groups = work_figures_by_key(paths=path, key_length=key_length, day=day)
    total = empty_figures()
    for figures in groups.values():
        total = add_figures(total, figures)
    return total, groups


# --- A period (the periodic reports) -----------------------------------------------------


def _activity_totals() -> dict:
    return {
        "count": Count("pk"),
        "participants": Sum("participants"),
        "people_reached": Sum("people_reached"),
        "work_days": Sum("work_days"),
    }


def _activity_summary_rows(queryset: QuerySet, group: tuple[str, ...]) -> QuerySet:
    return queryset.values(*group, "kind").annotate(**_activity_totals()).order_by()


def empty_activity_summary() -> dict:
    zero = dict.fromkeys(ACTIVITY_TOTALS, 0)
    return {"by_kind": {kind.value: dict(zero) for kind in ActivityKind}, "total": dict(zero)}


def _add_activity_row(summary: dict, row: dict) -> None:
    for field in ACTIVITY_TOTALS:
        value = row[field] or 0
        summary["by_kind"][row["kind"]][field] = value
        summary["total"][field] += value


def activity_summary(*, path: str, date_from: datetime.date, date_to: datetime.date) -> dict:
    """The activities under ``path`` dated ``date_from``–``date_to`` (both included):
    ``{"by_kind": {kind: {"count", "participants", "people_reached", "work_days"}},
    "total": {...}}``, every kind present (zeros), in one query."""
    summary = empty_activity_summary()
    rows = _activity_summary_rows(
        Activity.objects.filter(_under(path), date__range=(date_from, date_to)), ()
    )
    for row in rows:
        _add_activity_row(summary, row)
    return summary


def _opinion_period_aggregates(date_from: datetime.date, date_to: datetime.date) -> dict:
    period = (date_from, date_to)
    received = Q(received_on__range=period)
    answered = Q(answered_on__range=period)
    flagged = Q(hot_spot_since__range=period)
    open_at_end = hot_spot_open_on(date_to)
    aggregates = {
        "received": Count("pk", filter=received),
        "answered": Count("pk", filter=answered),
        "answered_in_time": Count("pk", filter=answered & Q(answered_on__lte=F("due_on"))),
        "overdue": Count("pk", filter=overdue_on(date_to)),
        "waiting": Count("pk", filter=waiting_on(date_to)),
        "hot_spots_flagged": Count("pk", filter=flagged),
        "hot_spots_resolved": Count("pk", filter=Q(hot_spot_resolved_on__range=period)),
        "hot_spots_open": Count("pk", filter=open_at_end),
    }
    for topic in OpinionTopic:
        aggregates[f"topic_{topic.value}"] = Count("pk", filter=received & Q(topic=topic))
    for severity in Severity:
        aggregates[f"open_{severity.value}"] = Count(
            "pk", filter=open_at_end & Q(hot_spot_severity=severity)
        )
    return aggregates


def _opinion_summary_of(row: dict) -> dict:
    return {
        "received": row["received"],
        "answered": row["answered"],
        "answered_in_time": row["answered_in_time"],
        "overdue": row["overdue"],
        "waiting": row["waiting"],
        "by_topic": {topic.value: row[f"topic_{topic.value}"] for topic in OpinionTopic},
        "hot_spots": {
            "flagged": row["hot_spots_flagged"],
            "resolved": row["hot_spots_resolved"],
            "open": row["hot_spots_open"],
            "open_by_severity": {s.value: row[f"open_{s.value}"] for s in Severity},
        },
    }


def opinion_summary(*, path: str, date_from: datetime.date, date_to: datetime.date) -> dict:
    """The opinions under ``path`` over ``date_from``–``date_to``, in one query:
    ``received`` and ``answered`` in the period (``answered_in_time``: by their due
    date), ``overdue`` and ``waiting`` (received, not answered) at the period's end,
    received ``by_topic``, and ``hot_spots``: ``flagged`` and ``resolved`` in the
    period, ``open`` at its end (``open_by_severity``)."""
    row = Opinion.objects.filter(_under(path)).aggregate(
        **_opinion_period_aggregates(date_from, date_to)
    )
    return _opinion_summary_of(row)


def work_summary(*, path: str, date_from: datetime.date, date_to: datetime.date) -> dict:
    """``{"activities": activity_summary(...), "opinions": opinion_summary(...)}``: the
    figures of a periodic report, in two queries."""
    return {
        "activities": activity_summary(path=path, date_from=date_from, date_to=date_to),
        "opinions": opinion_summary(path=path, date_from=date_from, date_to=date_to),
    }


def work_summary_by_key(
    *, paths: str | Iterable[str], key_length: int, date_from: datetime.date, date_to: datetime.date
) -> dict[str, dict]:
    """``work_summary`` of every area whose path is a ``key_length``-character prefix
    (the communes of a province's report), by that prefix, in two queries. Areas with
    nothing recorded are missing: their summary is ``empty_work_summary()``."""
    key = Substr("area_path", 1, key_length)
    result: dict[str, dict] = {}
    activity_rows = _activity_summary_rows(
        Activity.objects.filter(_under(paths), date__range=(date_from, date_to)).annotate(key=key),
        ("key",),
    )
    for row in activity_rows:
        _add_activity_row(result.setdefault(row["key"], empty_work_summary())["activities"], row)
    opinion_rows = (
        Opinion.objects.filter(_under(paths))
        .annotate(key=key)
        .values("key")
        .annotate(**_opinion_period_aggregates(date_from, date_to))
        .order_by()
    )
    for row in opinion_rows:
        result.setdefault(row["key"], empty_work_summary())["opinions"] = _opinion_summary_of(row)
    return result


def empty_work_summary() -> dict:
    """``work_summary`` of an area with nothing recorded."""
    return {
        "activities": empty_activity_summary(),
        "opinions": _opinion_summary_of(defaultdict(int)),
    }
