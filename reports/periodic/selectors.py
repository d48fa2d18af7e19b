"""Reads of the periodic reports that depend on the user: the areas whose reports they
write (2025 provinces and communes within their scope) and, for a province, which of
its communes have submitted a period's report, with their figures for the roll-up."""

from django.db.models import QuerySet

from accounts.access import scope_of
from reports.periodic.models import PeriodicReport
from reports.periodic.periods import Period
from units.choices import Edition, Level
from units.models import Area
from work.figures import empty_work_summary, work_summary_by_key

COMMUNE_SEGMENT = 6


def report_areas_visible_to(user) -> QuerySet:
    """Provinces and communes of the 2025 map within the user's areas."""
    areas = scope_of(user).apply(Area.objects.all(), "path")
    return areas.filter(edition=Edition.V2025, level__in=[Level.PROVINCE, Level.COMMUNE])


def own_report_areas(user) -> list[Area]:
    """The areas the account is assigned (its own reports): 2025 provinces and
    communes; for an administrator, every 2025 province."""
    scope = scope_of(user)
    areas = report_areas_visible_to(user)
    if not scope.everything:
        areas = areas.filter(path__in=scope.paths)
    else:
        areas = areas.filter(level=Level.PROVINCE)
    return list(areas.order_by("path"))


def submissions(province: Area, period: Period) -> list[dict]:
    """Each commune of ``province``: its report for ``period`` (None when nothing was
    written), whether it was submitted, and its activities and opinions of the period
    (the roll-up); four queries whatever the number of communes."""
    communes = list(
        Area.objects.filter(parent=province, level=Level.COMMUNE).order_by("code", "name")
    )
    reports = {
        r.area_id: r
        for r in PeriodicReport.objects.filter(
            area__in=communes, period=period.code
        ).select_related("submitted_by")
    }
    figures = work_summary_by_key(
        paths=province.path,
        key_length=len(province.path) + COMMUNE_SEGMENT,
        date_from=period.date_from,
        date_to=period.date_to,
    )
    return [
        {
            "area": commune,
            "report": reports.get(commune.pk),
            "submitted": reports.get(commune.pk) is not None
            and reports[commune.pk].submitted_at is not None,
            "figures": figures.get(commune.path, empty_work_summary()),
        }
        for commune in communes
    ]
