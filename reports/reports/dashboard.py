"""The staff dashboard's reports, and the lists behind their figures by kind (the URL's
``<kind>``)."""

from members.health import CONDITIONS_BY_KEY
from reports.reports.coverage import AreaListReport, CoverageGapReport
from reports.reports.memberships import MembershipTrendReport
from reports.reports.ratings import EvaluationProgressReport, RatingTrendReport
from reports.reports.rosters import RosterHealthReport, UnitListReport
from reports.reports.staff import StaffListReport

DASHBOARD_REPORTS = (
    CoverageGapReport,
    RosterHealthReport,
    EvaluationProgressReport,
    MembershipTrendReport,
    RatingTrendReport,
)


STAFF_LISTS: dict[str, type[StaffListReport]] = {
    **dict.fromkeys(AreaListReport.TITLES, AreaListReport),
    "don-vi": UnitListReport,
    **dict.fromkeys(CONDITIONS_BY_KEY, UnitListReport),
}


def staff_list_report(kind: str, **kwargs) -> StaffListReport | None:
    """The list behind one figure of the dashboard, or None for an unknown kind."""
    report_class = STAFF_LISTS.get(kind)
    return report_class(kind=kind, **kwargs) if report_class else None
