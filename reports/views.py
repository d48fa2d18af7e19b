"""Statistics for everyone and for staff.

- The open statistics API (CONTRACTS section 3) and its OpenAPI description: public, no
  login, no personal data.
- The public statistics pages (CONTRACTS section 4): the API's figures for people, with
  breadcrumbs, drill-down, charts and every table as CSV and XLSX.
- The staff dashboard of the user's area and the lists behind its figures.
"""

import datetime
import hashlib
import json
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import View

from accounts.access import scope_of
from accounts.mixins import StaffRequiredMixin
from evaluations.choices import YEAR_MAX, YEAR_MIN
from evaluations.periods import is_period_code
from evaluations.selectors.criteria import default_year
from portal.formats import day_in_range
from portal.http_cache import LIST_MAX_AGE, STATIC_MAX_AGE, public_cache
from reports import charts as charts_module
from reports.disclosure import public_figures
from reports.models import data_versions
from reports.openapi import openapi_schema
from reports.reports.base import HTMLFormatter, Report, XLSXFormatter
from reports.reports.children import SORT_PARAMETER
from reports.reports.coverage import CoverageGapReport
from reports.reports.dashboard import staff_list_report
from reports.reports.memberships import MembershipTrendReport
from reports.reports.public import (
    AreaBreakdownReport,
    CompositionReport,
    CoverageReport,
    DailyWorkReport,
    MembershipReport,
    RatingReport,
)
from reports.reports.ratings import EvaluationProgressReport, RatingTrendReport
from reports.reports.rosters import RosterHealthReport
from reports.reports.staff import StaffListReport
from reports.stats import CACHE_SECONDS, Place, area_stats_cached
from units.choices import CODE_LENGTH, Edition
from units.models import Area
from units.selectors import edition_default, editions_loaded
from work.dashboard import work_panel

ERROR_UNKNOWN_AREA = _("Không có địa bàn mã {code} trong danh mục {edition}.")
ERROR_BAD_EDITION = _("Danh mục phải là 2025 hoặc legacy.")
ERROR_BAD_DATE = _("Ngày phải theo dạng YYYY-MM-DD, ví dụ 2026-11-21.")

_LEVEL_BY_LENGTH = {length: level for level, length in CODE_LENGTH.items()}


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"error": str(message), "status": status},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def resolve_place(
    code: str | None,
    edition: str | None,
    *,
    loaded: list[str] | None = None,
    version: str | None = None,
) -> tuple[Place | None, str, int]:
    """The place a request names, or an error message and HTTP status. The edition is
    the one asked for, else the default (the only one loaded, else 2025). The area comes
    with its parent and grandparent (the breadcrumbs of a page) in the same query; with
    the data ``version`` given (``Versions.token``), areas found are kept in the cache
    under it (areas only change through writes that bump a province's version)."""
    if edition is None:
        edition = edition_default(editions_loaded() if loaded is None else loaded)
    elif edition not in Edition.values:
        return None, ERROR_BAD_EDITION, 400
    if code is None:
        return Place(edition=edition), "", 200
    level = _LEVEL_BY_LENGTH.get(len(code))
    area = None
    if level is not None and code.isdigit():
        key = f"stats-area:v2:{version}:{edition}:{code}"
        area = cache.get(key) if version is not None else None
        if area is None:
            area = (
                Area.objects.filter(edition=edition, level=level, code=code)
                .select_related("parent__parent")
                .first()
            )
            if area is not None and version is not None:
                cache.set(key, area, CACHE_SECONDS)
    if area is None:
        return None, ERROR_UNKNOWN_AREA.format(code=code, edition=edition), 404
    return Place(edition=edition, area=area), "", 200


def editions_loaded_cached(version: str) -> list[str]:
    """``units.selectors.editions_loaded`` kept in the cache under the data versions'
    digest (``Versions.token``):
    that query reads every province row (no index serves a DISTINCT on the level) and
    the divisions loader bumps the version."""
    key = f"stats-editions:v2:{version}"
    loaded = cache.get(key)
    if loaded is None:
        loaded = editions_loaded()
        cache.set(key, loaded, CACHE_SECONDS)
    return loaded


def parse_day(value: str | None) -> datetime.date | None:
    """The API's ``?date=``: absent means today; YYYY-MM-DD between 1900 and 2100 (CONTRACTS
    section 3); None (a 400) for anything else, an empty value included."""
    if value is None:
        return timezone.localdate()
    try:
        day = datetime.datetime.strptime(value, "%Y-%m-%d").date() if len(value) == 10 else None
    except ValueError:
        return None
    return day if day_in_range(day) else None


ERROR_THROTTLED = _(
    "Quá nhiều yêu cầu số liệu chưa có sẵn từ máy này trong một phút: hãy thử lại sau ít phút."
)
BUDGET_WINDOW_SECONDS = 60


class Throttled(Exception):
    pass


class ComputeBudget:
    """The ``on_miss`` of ``area_stats_cached`` for one request: each figure set that
    is not cached (another day, another area) spends one of the client's
    ``DANVAN_STATS_UNCACHED_PER_MINUTE`` computations; beyond, ``Throttled`` (a 429).
    Cached answers cost nothing, and today's figures (the default) never spend it (they
    are computed once per data version whoever asks: what makes them stale is staff
    editing, not the reader), so a client reading today's or any already computed
    figures is never limited; one varying ``?date=`` on purpose is."""

    def __init__(self, request):
        from axes.helpers import get_client_ip_address

        client = get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "")
        self.key = f"stats-budget:{client}"
        self.limit = getattr(settings, "DANVAN_STATS_UNCACHED_PER_MINUTE", 30)

    def __call__(self) -> None:
        cache.add(self.key, 0, BUDGET_WINDOW_SECONDS)
        try:
            spent = cache.incr(self.key)
        except ValueError:  # the window ended between add and incr
            cache.set(self.key, 1, BUDGET_WINDOW_SECONDS)
            spent = 1
        if spent > self.limit:
            raise Throttled


def stats_versions(request):
    """The data versions, read once a request (``stats_version`` reads them first)."""
    versions = getattr(request, "data_versions", None)
    if versions is None:
        versions = request.data_versions = data_versions()
    return versions


def stats_version(request, *args, **kwargs) -> str:
    """The public statistics' version for HTTP caching (``portal.http_cache``): every
    province's data version, and today's date (the default date of the figures)."""
    return f"{stats_versions(request).token()}:{timezone.localdate().isoformat()}"


@method_decorator(public_cache(LIST_MAX_AGE, stats_version), name="dispatch")
class StatsAPIView(View):
    """GET /api/v1/stats/ and /api/v1/stats/<code>/."""

    http_method_names = ["get", "head", "options"]

    def get(self, request, code: str | None = None):
        versions = stats_versions(request)
        version = versions.token()
        edition = request.GET.get("edition")
        loaded = editions_loaded_cached(version) if edition is None else None
        place, error, status = resolve_place(code, edition, loaded=loaded, version=version)
        if place is None:
            return _error(error, status)
        day = parse_day(request.GET.get("date"))
        if day is None:
            return _error(ERROR_BAD_DATE, 400)
        # Only another day spends the client's budget: today's figures are computed at
        # most once per data version whoever asks, and what makes them stale is staff
        # editing, not the reader.
        budget = None if day == timezone.localdate() else ComputeBudget(request)
        try:
            stats = area_stats_cached(place, day, versions, on_miss=budget)
        except Throttled:
            response = _error(ERROR_THROTTLED, 429)
            response["Retry-After"] = str(BUDGET_WINDOW_SECONDS)
            return response
        response = JsonResponse(public_figures(stats), json_dumps_params={"ensure_ascii": False})
        response["Access-Control-Allow-Origin"] = "*"
        return response


# --- Public statistics pages (CONTRACTS section 4) ------------------------------------------

PAGE_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
DOWNLOAD_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MESSAGE_BAD_DATE = _("Ngày không hợp lệ: ghi theo dạng ngày/tháng/năm, ví dụ 21/11/2026.")
COUNTRY_LABEL = _("Toàn quốc")


def parse_page_day(value: str | None) -> datetime.date | None:
    """The day of a page: empty means today; the date picker sends YYYY-MM-DD and a
    reader may type dd/mm/yyyy (day first, always). None when neither."""
    if not value:
        return timezone.localdate()
    for fmt in PAGE_DATE_FORMATS:
        try:
            day = datetime.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
        return day if day_in_range(day) else None
    return None


def download_response(content: bytes, *, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOWNLOAD_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def reports_download(reports: list[Report], *, fmt: str, table: str, stem: str) -> HttpResponse:
    """``?format=csv|xlsx`` of a page: one table (``?table=<slug>``), or for a workbook
    every table of the page, one sheet each. An unknown table is a 404."""
    if table:
        chosen = [r for r in reports if r.slug == table]
        if not chosen:
            raise Http404
        reports = chosen
    elif fmt == "csv":
        raise Http404  # a CSV file holds one table: the page links each one
    if fmt == "csv":
        return download_response(
            reports[0].as_csv(), fmt=fmt, filename=reports[0].filename(stem, "csv")
        )
    name = reports[0].filename(stem, "xlsx") if table else f"{stem}.xlsx"
    return download_response(XLSXFormatter().format(reports), fmt=fmt, filename=name)


@method_decorator(public_cache(LIST_MAX_AGE, stats_version), name="dispatch")
class StatsPageView(View):
    """/thong-ke/ and /thong-ke/<code>/: the figures of the open API for people.

    The same cached figure set as the API (``area_stats_cached``), so the page and the
    API never disagree; ten queries at most when nothing is cached (the data version,
    the editions, the area with its parents for the breadcrumbs, seven for the figures),
    one once cached (the version: the editions, the area, the figures and the printed
    tables are cached under it). Aggregates only: no person is ever named.
    """

    http_method_names = ["get", "head", "options"]
    template_name = "reports/stats_page.html"

    def get(self, request, code: str | None = None):
        versions = stats_versions(request)
        version = versions.token()
        loaded = editions_loaded_cached(version)
        asked = request.GET.get("edition") or None
        edition = asked if asked in Edition.values else None
        place, _error, _status = resolve_place(code, edition, loaded=loaded, version=version)
        if place is None:
            raise Http404
        day = parse_page_day(request.GET.get("date"))
        date_error = day is None
        if date_error:
            day = timezone.localdate()
        stats = public_figures(area_stats_cached(place, day, versions))
        keep = {}
        if edition or len(loaded) > 1:
            keep["edition"] = place.edition
        if request.GET.get("date") and not date_error:
            keep["date"] = day.isoformat()

        def page_url(child_code: str | None = None) -> str:
            name = "reports:stats_page_area" if child_code else "reports:stats_page"
            url = reverse(name, args=[child_code] if child_code else [])
            return f"{url}?{urlencode(keep)}" if keep else url

        reports = [
            CoverageReport(stats),
            MembershipReport(stats),
            CompositionReport(stats),
            RatingReport(stats),
            DailyWorkReport(stats),
            AreaBreakdownReport(stats, link=page_url, sort=request.GET.get(SORT_PARAMETER, "")),
        ]
        fmt = request.GET.get("format", "")
        if fmt in DOWNLOAD_TYPES:
            stem = f"thong-ke-{place.area.code if place.area else 'toan-quoc'}-{day.isoformat()}"
            return reports_download(reports, fmt=fmt, table=request.GET.get("table", ""), stem=stem)

        sections = self._sections(stats, reports, keep, sort=reports[-1].sort)
        context = {
            "place": place,
            "area": place.area,
            "stats": stats,
            "day": day,
            "date_error": MESSAGE_BAD_DATE if date_error else "",
            "edition": place.edition,
            "edition_label": Edition(place.edition).label,
            "editions": [(e, Edition(e).label, self._edition_url(e, keep)) for e in loaded]
            if len(loaded) > 1
            else [],
            "breadcrumbs": self._breadcrumbs(place, page_url),
            "sections": sections,
            "workbook_url": "?" + urlencode({**keep, "format": "xlsx"}),
            "api_url": self._api_url(place, keep),
            "country_label": COUNTRY_LABEL,
        }
        return render(request, self.template_name, context)

    @staticmethod
    def _sections(stats: dict, reports: list[Report], keep: dict, sort: str = "") -> list[dict]:
        """The tables and charts of the page as HTML, cached under the figures they
        print (with the links' query string and the language): the figures are already
        cached under the data version, and printing a national page's tables took
        longer than everything else of the request."""
        material = json.dumps([stats, keep, sort, get_language()], sort_keys=True, default=str)
        key = "stats-page:v1:" + hashlib.sha256(material.encode()).hexdigest()
        sections = cache.get(key)
        if sections is not None:
            return sections

        def sort_url(value: str) -> str:
            return "?" + urlencode({**keep, SORT_PARAMETER: value})

        def download_url(report: Report, fmt: str) -> str:
            return "?" + urlencode({**keep, "format": fmt, "table": report.slug})

        charts = {
            CoverageReport.slug: charts_module.coverage_chart(stats),
            MembershipReport.slug: charts_module.members_chart(stats),
            CompositionReport.slug: charts_module.composition_chart(stats),
            RatingReport.slug: charts_module.ratings_chart(stats) if stats["ratings"] else "",
        }
        sections = [
            {
                "slug": report.slug,
                "caption": str(report.caption),
                "note": str(report.note),
                "table": report.as_html(sort_url=sort_url)
                if isinstance(report, AreaBreakdownReport)
                else report.as_html(),
                "chart": charts.get(report.slug, ""),
                "csv": download_url(report, "csv"),
                "xlsx": download_url(report, "xlsx"),
                "empty": (report.slug == RatingReport.slug and not stats["ratings"])
                or (report.slug == AreaBreakdownReport.slug and not stats["children"]),
            }
            for report in reports
        ]
        cache.set(key, sections, CACHE_SECONDS)
        return sections

    @staticmethod
    def _edition_url(edition: str, keep: dict) -> str:
        """Codes of the two editions name different areas: switching goes to the
        other edition's national page (on the same day)."""
        query = {"edition": edition, **({"date": keep["date"]} if "date" in keep else {})}
        return reverse("reports:stats_page") + "?" + urlencode(query)

    @staticmethod
    def _api_url(place: Place, keep: dict) -> str:
        if place.area:
            url = reverse("reports:stats_api_area", args=[place.area.code])
        else:
            url = reverse("reports:stats_api")
        return f"{url}?{urlencode(keep)}" if keep else url

    @staticmethod
    def _breadcrumbs(place: Place, page_url) -> list[tuple[str, str | None]]:
        """Installation → province → district → commune; the last one is the page."""
        chain = []
        area = place.area
        while area is not None:
            chain.append(area)
            area = area.parent if area.parent_id else None
        crumbs = [(str(COUNTRY_LABEL), page_url() if place.area else None)]
        for i, a in enumerate(reversed(chain)):
            last = i == len(chain) - 1
            crumbs.append((a.name, None if last else page_url(a.code)))
        return crumbs


# --- OpenAPI description of the open statistics API ---------------------------------------


@method_decorator(public_cache(STATIC_MAX_AGE), name="dispatch")
class OpenAPISchemaView(View):
    """GET /api/v1/schema/: the OpenAPI 3.1 description of the statistics API."""

    http_method_names = ["get", "head", "options"]

    def get(self, request):
        response = JsonResponse(
            openapi_schema(), json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
        response["Access-Control-Allow-Origin"] = "*"
        return response


# --- Staff dashboard ------------------------------------------------------------------------

LIST_PAGE_SIZE = 50


def scope_editions(user) -> list[str]:
    """Editions the user's area lies in: every loaded one for a system administrator,
    else those of the account's areas (read from their paths, no query)."""
    scope = scope_of(user)
    if scope.everything:
        return editions_loaded()
    found = {path.split("/", 1)[0] for path in scope.paths}
    return [e for e in (Edition.V2025, Edition.LEGACY) if e in found]


def dashboard_edition(request) -> tuple[str, list[str]]:
    editions = scope_editions(request.user)
    asked = request.GET.get("edition")
    if asked in editions:
        return asked, editions
    return (editions[0] if len(editions) == 1 else edition_default(editions)), editions


def _rows_once(report: Report) -> list[dict]:
    """The report's rows, kept on it: the chart and the table print the same rows, and
    reading them twice would double the dashboard's queries."""
    rows = report.rows()
    report.rows = lambda: rows
    return rows


class DashboardView(StaffRequiredMixin, View):
    """/can-bo/thong-ke/: the figures of the user's area and where the work is: coverage
    gaps, rosters to complete, ratings of a year by stage, trends by year. Every figure
    links to the list behind it; every read is scoped (``accounts.access.scope_of``). A
    bounded number of queries whatever the size of the area (tests assert ≤ 15)."""

    http_method_names = ["get", "head", "options"]
    template_name = "reports/dashboard.html"

    def get(self, request):
        user = request.user
        edition, editions = dashboard_edition(request)
        today = timezone.localdate()
        year_param = request.GET.get("year", "")
        if year_param.isdigit() and YEAR_MIN <= int(year_param) <= YEAR_MAX:
            year = int(year_param)
        else:
            year = default_year(user)
        period = request.GET.get("period", "")
        if not is_period_code(period):
            period = ""
        common = {"user": user, "edition": edition, "today": today}
        reports = [
            CoverageGapReport(**common),
            RosterHealthReport(**common),
            EvaluationProgressReport(**common, year=year, period=period),
            MembershipTrendReport(**common),
            RatingTrendReport(**common),
        ]
        reports = [r for r in reports if r.is_available_to(user)]
        fmt = request.GET.get("format", "")
        if fmt in DOWNLOAD_TYPES:
            stem = f"bang-dieu-hanh-{today.isoformat()}"
            return reports_download(reports, fmt=fmt, table=request.GET.get("table", ""), stem=stem)
        keep = {"edition": edition, "year": year, **({"period": period} if period else {})}

        def download_url(report: Report, fmt: str) -> str:
            return "?" + urlencode({**keep, "format": fmt, "table": report.slug})

        scope = scope_of(user)
        areas = (
            []
            if scope.everything
            else list(Area.objects.filter(path__in=scope.paths).order_by("path"))
        )
        context = {
            "edition": edition,
            "edition_label": Edition(edition).label,
            "editions": [(e, Edition(e).label) for e in editions] if len(editions) > 1 else [],
            "year": year,
            "years": list(range(today.year + 1, today.year - 6, -1)),
            "today": today,
            "everything": scope.everything,
            "areas": areas,
            "sections": [
                {
                    "report": report,
                    "chart": charts_module.dashboard_chart(report.slug, _rows_once(report)),
                    "table": report.as_html(),
                    "csv": download_url(report, "csv"),
                    "xlsx": download_url(report, "xlsx"),
                }
                for report in reports
            ],
            "workbook_url": "?" + urlencode({**keep, "format": "xlsx"}),
            # The opinion queues, overdue counts and hot spots, each linked to its list.
            "panel": work_panel(user, today=today),
        }
        return render(request, self.template_name, context)


class DashboardListView(StaffRequiredMixin, View):
    """/can-bo/thong-ke/danh-sach/<kind>/: the communes, villages or units behind one
    figure of the dashboard, 50 a page, downloadable whole."""

    http_method_names = ["get", "head", "options"]
    template_name = "reports/dashboard_list.html"

    def get(self, request, kind: str):
        edition, _editions = dashboard_edition(request)
        report = staff_list_report(
            kind, user=request.user, edition=edition, today=timezone.localdate()
        )
        if report is None or not report.is_available_to(request.user):
            raise Http404
        fmt = request.GET.get("format", "")
        if fmt in DOWNLOAD_TYPES:
            stem = f"{kind}-{timezone.localdate().isoformat()}"
            content = report.as_csv() if fmt == "csv" else report.as_xlsx()
            return download_response(content, fmt=fmt, filename=f"{stem}.{fmt}")
        page = Paginator(report.get_queryset(), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
        table = HTMLFormatter().format(_PageOf(report, page.object_list))
        keep = {"edition": edition}
        context = {
            "report": report,
            "page_obj": page,
            "table": table,
            "edition": edition,
            "edition_label": Edition(edition).label,
            "keep": urlencode(keep),
            "csv": "?" + urlencode({**keep, "format": "csv"}),
            "xlsx": "?" + urlencode({**keep, "format": "xlsx"}),
        }
        return render(request, self.template_name, context)


class _PageOf:
    """A list report limited to one page of its objects, for the HTML formatter."""

    def __init__(self, report: StaffListReport, objects):
        self.report = report
        self.objects = objects

    def __getattr__(self, name):
        return getattr(self.report, name)

    def rows(self):
        return self.report.rows_of(self.objects)
