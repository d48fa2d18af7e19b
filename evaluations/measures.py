"""Criteria scored from the record: what the rated unit's daily-work records (activities,
citizens' opinions, hot spots: the ``work`` app) say over the rating's period, for the
quantitative items and the automatic gates of a criteria set (docs/RATINGS.md,
"Criteria scored from the record").

Decisions:

- A rating counts its **own unit's** records (``unit_id``), not those of the units
  under it: a bloc is rated on what the bloc recorded, each team on its own, so one
  meeting never counts twice (once for the team, once for the commune's bloc).
- The period is the rating's (``evaluations.periods.period_bounds``): both days
  included. Activities count by their date, opinions received by ``received_on``,
  opinions answered in their deadline by ``answered_on`` (in the period, on or before
  ``due_on``), hot spots by ``hot_spot_since``.
- Any number of units is two queries (one grouped over activities, one over opinions,
  each with one conditional aggregate per item), whatever the items: the workbook of a
  commune's teams reads as much as one team's sheet.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, F, Q, Sum
from django.urls import reverse

from evaluations.choices import ACTIVITY_MEASURES, GateRule, Measure
from evaluations.periods import period_bounds
from evaluations.services.criteria import criteria_items
from evaluations.thresholds import points_for
from work.models import Activity, Opinion

#: How many of the records behind a figure the score sheet lists.
SHOWN_RECORDS = 5

_SUMMED = {Measure.PARTICIPANTS: "participants", Measure.PEOPLE_REACHED: "people_reached"}


def _day(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _opinion_condition(measure: str, first: datetime.date, last: datetime.date) -> Q:
    if measure == Measure.OPINIONS_RECEIVED:
        return Q(received_on__range=(first, last))
    if measure == Measure.OPINIONS_ON_TIME:
        return Q(answered_on__range=(first, last), answered_on__lte=F("due_on"))
    return Q(hot_spot_since__range=(first, last))  # hot spots, and the hot-spot gate


def _activity_condition(item) -> Q:
    return Q(kind=item.activity_kind) if item.activity_kind else Q()


@dataclasses.dataclass
class Reading:
    """What the record says for one quantitative item of one unit."""

    count: int
    points: Decimal


@dataclasses.dataclass
class UnitRecord:
    """Everything the record says for one unit: readings by item code, automatic
    gates' answers by gate code (with the number of hot spots behind them)."""

    items: dict[str, Reading]
    gates: dict[str, bool]
    hot_spots: int = 0


def unit_records(
    unit_ids: Iterable[int], items: Iterable, gates: Iterable, *, year: int, period: str
) -> dict[int, UnitRecord]:
    """``{unit id: UnitRecord}`` for the quantitative ``items`` and automatic ``gates`` of
    a set over the period (``year``, ``period``): at most two queries for any number
    of units and items (none when the set has neither)."""
    unit_ids = list(unit_ids)
    items = [i for i in items if i.measure]
    automatic = [g for g in gates if g.automatic == GateRule.HOT_SPOT]
    first, last = period_bounds(year, period)
    counts: dict[int, dict[str, int]] = {pk: {} for pk in unit_ids}
    hot_spots: dict[int, int] = {}
    activity_items = [i for i in items if i.measure in ACTIVITY_MEASURES]
    opinion_items = [i for i in items if i.measure not in ACTIVITY_MEASURES]
    if unit_ids and activity_items:
        aggregates = {}
        for item in activity_items:
            field = _SUMMED.get(item.measure)
            condition = _activity_condition(item)
            aggregates[f"i{item.pk}"] = (
                Sum(field, filter=condition) if field else Count("pk", filter=condition)
            )
        rows = (
            Activity.objects.filter(unit_id__in=unit_ids, date__range=(first, last))
            .values("unit_id")
            .annotate(**aggregates)
            .order_by()
        )
        for row in rows:
            for item in activity_items:
                counts[row["unit_id"]][item.code] = row[f"i{item.pk}"] or 0
    if unit_ids and (opinion_items or automatic):
        aggregates = {
            f"i{i.pk}": Count("pk", filter=_opinion_condition(i.measure, first, last))
            for i in opinion_items
        }
        aggregates["hot_spots"] = Count("pk", filter=_opinion_condition("", first, last))
        rows = (
            Opinion.objects.filter(unit_id__in=unit_ids)
            .filter(
                Q(received_on__range=(first, last))
                | Q(answered_on__range=(first, last))
                | Q(hot_spot_since__range=(first, last))
            )
            .values("unit_id")
            .annotate(**aggregates)
            .order_by()
        )
        for row in rows:
            for item in opinion_items:
                counts[row["unit_id"]][item.code] = row[f"i{item.pk}"]
            hot_spots[row["unit_id"]] = row["hot_spots"]
    pairs = {item.code: item.threshold_pairs() for item in items}
    records = {}
    for pk in unit_ids:
        readings = {}
        for item in items:
            count = counts[pk].get(item.code, 0)
            readings[item.code] = Reading(count=count, points=points_for(pairs[item.code], count))
        spots = hot_spots.get(pk, 0)
        records[pk] = UnitRecord(
            items=readings, gates={g.code: spots > 0 for g in automatic}, hot_spots=spots
        )
    return records


def unit_record(unit_id: int, criteria_set, items=None, gates=None) -> UnitRecord:
    """The record of one unit for a set's period (``items``/``gates``: the set's,
    when already loaded)."""
    items = criteria_items(criteria_set) if items is None else items
    gates = list(criteria_set.gates.all()) if gates is None else gates
    return unit_records(
        [unit_id], items, gates, year=criteria_set.year, period=criteria_set.period
    )[unit_id]


def records_behind(unit_id: int, *, measure: str, activity_kind: str, year: int, period: str):
    """The first records a figure counted (newest first, at most ``SHOWN_RECORDS``) and
    the address of the list that shows them all (the work app's list, filtered on
    the unit and the period)."""
    first, last = period_bounds(year, period)
    if measure in ACTIVITY_MEASURES:
        queryset = Activity.objects.filter(unit_id=unit_id, date__range=(first, last))
        query = {"unit": unit_id, "date_from": _day(first), "date_to": _day(last)}
        if activity_kind:
            queryset = queryset.filter(kind=activity_kind)
            query["kind"] = activity_kind
        if measure in _SUMMED:
            queryset = queryset.exclude(**{_SUMMED[measure]: 0})
        url = reverse("work:activity_list") + "?" + urlencode(query)
    else:
        queryset = Opinion.objects.filter(unit_id=unit_id).filter(
            _opinion_condition(measure, first, last)
        )
        # The list filters on the day received: the other figures list the unit's all.
        query = {"unit": unit_id}
        if measure == Measure.OPINIONS_RECEIVED:
            query.update(date_from=_day(first), date_to=_day(last))
        url = reverse("work:opinion_list") + "?" + urlencode(query)
    return list(queryset.select_related("unit")[:SHOWN_RECORDS]), url
