"""Reads of activities and opinions that depend on the user.

Every staff page, export and queue takes its rows from the ``*_visible_to(user)``
functions here, which start from ``accounts.access.scope_of``: the account's areas and
everything under them, as one prefix condition on the copied ``area_path``. An object
outside them is simply not in the queryset and answers 404 like a missing one; the
citizen's name and phone therefore only reach staff whose area covers the unit.
"""

import datetime

from django.db.models import Count, Q, QuerySet, Sum

from accounts.access import scope_of
from accounts.selectors import units_visible_to, user_is_portal_staff
from portal.text import fold
from units.choices import Edition, Level
from units.models import Area, Unit
from work.choices import DEFAULT_OVERDUE_DAYS, UNANSWERED, OpinionStatus, Queue, Severity
from work.models import Activity, ActivityPhoto, Opinion, ProvinceWorkSettings

UNIT_CHOICE_LIMIT = 30


def can_use_work(user) -> bool:
    """Whether the activities and opinions pages are open to ``user``: portal staff
    with a roster role whose group holds the work permissions (not news editors)."""
    return user_is_portal_staff(user) and user.has_perm("work.view_activity")


def activities_visible_to(user) -> QuerySet:
    return scope_of(user).apply(Activity.objects.all(), "area_path")


def activity_get_queryset(user) -> QuerySet:
    """The user's activities with what a page shows of them joined."""
    return activities_visible_to(user).select_related("unit__area", "unit__commune", "recorded_by")


def photos_visible_to(user) -> QuerySet:
    return scope_of(user).apply(ActivityPhoto.objects.all(), "activity__area_path")


def opinions_visible_to(user) -> QuerySet:
    return scope_of(user).apply(Opinion.objects.all(), "area_path")


def opinion_get_queryset(user) -> QuerySet:
    return opinions_visible_to(user).select_related("unit__area", "unit__commune", "recorded_by")


def units_for_entry(*, user, query: str = "", limit: int = UNIT_CHOICE_LIMIT) -> list[Unit]:
    """Active blocs and teams of the user's area that can record work, matching every
    word of ``query`` (diacritics optional), with their commune, in path order."""
    units = (
        units_visible_to(user)
        .active()
        .select_related("area", "commune")
        .order_by("area_path", "kind")
    )
    for word in fold(query or "").split():
        units = units.filter(Q(search_name__contains=word) | Q(commune__search_name__contains=word))
    return list(units[:limit])


# --- Queues ---------------------------------------------------------------------------


def queue_condition(queue: str, today: datetime.date) -> Q:
    """What waits in ``queue`` today: new opinions, forwarded ones waiting for an
    answer, unanswered ones past their due date, hot spots not yet resolved."""
    if queue == Queue.NEW:
        return Q(status=OpinionStatus.NEW)
    if queue == Queue.FORWARDED:
        return Q(status=OpinionStatus.FORWARDED)
    if queue == Queue.OVERDUE:
        return Q(status__in=UNANSWERED, due_on__lt=today)
    if queue == Queue.HOT_SPOTS:
        return ~Q(hot_spot_severity="") & Q(hot_spot_resolved_on__isnull=True)
    raise ValueError(queue)


def queue_counts(*, user, today: datetime.date) -> dict[str, int]:
    """How many opinions of the user's area wait in each queue, and how many open hot
    spots are of high severity (``"high"``), in one query."""
    aggregates = {queue.value: Count("pk", filter=queue_condition(queue, today)) for queue in Queue}
    aggregates["high"] = Count(
        "pk",
        filter=queue_condition(Queue.HOT_SPOTS, today) & Q(hot_spot_severity=Severity.HIGH),
    )
    return opinions_visible_to(user).aggregate(**aggregates)


def activity_month(*, user, today: datetime.date) -> dict:
    """Activities of the user's area dated this month up to ``today`` (count and
    people reached), in one query."""
    first = today.replace(day=1)
    totals = activities_visible_to(user).filter(date__range=(first, today))
    return {
        "date_from": first,
        "date_to": today,
        **totals.aggregate(count=Count("pk"), people_reached=Sum("people_reached")),
    }


# --- The provinces' rule ------------------------------------------------------------------


def provinces_for_settings(user) -> QuerySet:
    """Provinces of the 2025 map within the user's area (their number of days to
    answer is theirs to read; provincial staff and administrators change it)."""
    areas = scope_of(user).apply(Area.objects.all(), "path")
    return areas.filter(edition=Edition.V2025, level=Level.PROVINCE).order_by("code")


def settings_rows(user) -> list[Area]:
    """``provinces_for_settings`` with each province's ``overdue_days`` (the default
    when the province set none), in two queries."""
    provinces = list(provinces_for_settings(user))
    days = dict(
        ProvinceWorkSettings.objects.filter(province__in=provinces).values_list(
            "province_id", "overdue_days"
        )
    )
    for province in provinces:
        province.overdue_days = days.get(province.pk, DEFAULT_OVERDUE_DAYS)
        province.overdue_days_set = province.pk in days
    return provinces
