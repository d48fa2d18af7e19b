"""What the staff dashboard's reports share: the user's area, edition and day, the links
from a figure to the list behind it, and the base of those lists."""

import datetime
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse

from accounts.selectors import user_is_portal_staff
from reports.reports.base import Report
from units.choices import UnitStatus
from units.models import Unit, area_exists_q


def url_with_query(name: str, fallback: str, **params) -> str:
    """A URL with a query string; ``fallback`` (a path) when the name does not exist
    yet (the ratings screens are built alongside)."""
    try:
        base = reverse(name)
    except NoReverseMatch:
        base = fallback
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{base}?{query}" if query else base


def list_url(kind: str, edition: str) -> str:
    """The dashboard's list of ``kind`` (communes without a bloc, units with a roster
    problem ...)."""
    return reverse("reports:dashboard_list", args=[kind]) + "?" + urlencode({"edition": edition})


def ratings_url(**params) -> str:
    """The ratings overview filtered by ``params`` (year, stage, level)."""
    return url_with_query("evaluations:overview", "/can-bo/danh-gia/", **params)


class StaffReport(Report):
    """A table of the staff dashboard: figures of the user's area only."""

    def __init__(self, *, user, edition: str, today: datetime.date):
        self.user = user
        self.edition = edition
        self.today = today

    @classmethod
    def is_available_to(cls, user) -> bool:
        return user_is_portal_staff(user)

    @property
    def edition_prefix(self) -> str:
        return f"{self.edition}/"


def active_unit_exists(kinds, *, day: datetime.date, field: str = "area") -> Exists:
    """Whether an active unit of ``kinds`` sits on the outer area on ``day`` (``status``
    is the roster interface's notion of a current unit, as on the commune page; a unit
    whose area has ceased, a legacy one after 30/06/2025, is not current)."""
    return Exists(
        Unit.objects.filter(
            area_exists_q(day),
            **{field: OuterRef("pk")},
            kind__in=kinds,
            status=UnitStatus.ACTIVE,
        )
    )


class StaffListReport(StaffReport):
    """Areas or units of the user's area behind one figure of the dashboard, one page
    at a time (``rows_of`` a page); the whole list goes to the downloads. By kind:
    ``reports.reports.dashboard.staff_list_report``."""

    kind = ""

    def __init__(self, *, kind: str, **kwargs):
        super().__init__(**kwargs)
        self.kind = kind
        self.slug = kind

    def rows_of(self, objects) -> list[dict]:
        raise NotImplementedError

    def rows(self):
        return self.rows_of(self.get_queryset())
