"""Staff pages of the periodic reports (/can-bo/bao-cao-dinh-ky/): the user's reports of
a period and, for a province, which communes have submitted theirs with the roll-up of
their figures; one report's page (figures from the records, the written sections to
complete, "submit to the province" for a commune); its .docx and .xlsx. Scoped by
``accounts.access.scope_of`` (404 outside the user's areas, and for a legacy area)."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views import View

from accounts.mixins import StaffRequiredMixin
from portal.forms import ServiceForm
from reports.periodic import selectors, services
from reports.periodic.document import report_document
from reports.periodic.figures import periodic_figures
from reports.periodic.models import PeriodicReport
from reports.periodic.periods import parse_period
from reports.periodic.sheets import figures_workbook
from units.choices import Level
from work.forms import _text

MESSAGE_SAVED = _("Đã lưu báo cáo.")
MESSAGE_SUBMITTED = _("Đã gửi báo cáo lên tỉnh.")
LEVELS = {2: Level.PROVINCE, 5: Level.COMMUNE}
TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class SectionsForm(ServiceForm):
    situation = _text(_("I. Tình hình nhân dân"), 5000, required=False, rows=5)
    results = _text(_("II. Kết quả công tác dân vận (nhận xét thêm)"), 5000, required=False, rows=5)
    shortcomings = _text(_("III. Hạn chế, nguyên nhân"), 5000, required=False, rows=4)
    proposals = _text(_("IV. Phương hướng, đề xuất, kiến nghị"), 5000, required=False, rows=4)


def previous_month(today: datetime.date) -> str:
    last = today.replace(day=1) - datetime.timedelta(days=1)
    return f"{last.year}-{last.month:02d}"


class PeriodicMixin(StaffRequiredMixin):
    """Roster roles (the daily work's readers); news editors get 403."""

    def test_func(self):
        return super().test_func() and self.request.user.has_perm("work.view_activity")

    def resolve(self, code: str, period: str):
        level = LEVELS.get(len(code)) if code.isdigit() else None
        area = (
            selectors.report_areas_visible_to(self.request.user)
            .filter(level=level, code=code)
            .select_related("parent")
            .first()
            if level
            else None
        )
        try:
            asked = parse_period(period)
        except ValueError:
            asked = None
        if area is None or asked is None:
            raise Http404
        report = PeriodicReport.objects.filter(area=area, period=asked.code).first()
        return area, asked, report


class PeriodicListView(PeriodicMixin, View):
    """The user's reports of a period (``?period=2026-11``, default last month); for
    a province, its communes: submitted or not, and their activities and opinions."""

    def get(self, request):
        code = request.GET.get("period") or previous_month(timezone.localdate())
        try:
            period = parse_period(code)
            error = ""
        except ValueError as exc:
            period, error = parse_period(previous_month(timezone.localdate())), str(exc)
        areas = selectors.own_report_areas(request.user)
        reports = {
            r.area_id: r for r in PeriodicReport.objects.filter(area__in=areas, period=period.code)
        }
        rows = []
        for area in areas:
            row = {"area": area, "report": reports.get(area.pk)}
            if area.level == Level.PROVINCE:
                row["communes"] = selectors.submissions(area, period)
                row["submitted"] = sum(c["submitted"] for c in row["communes"])
            rows.append(row)
        context = {"period": period, "error": error, "rows": rows}
        return render(request, "reports/periodic_list.html", context)


class PeriodicEditView(PeriodicMixin, View):
    """One report: the figures, the written sections, save; submit for a commune."""

    def get(self, request, code, period):
        area, asked, report = self.resolve(code, period)
        initial = {f: getattr(report, f) for f in services.SECTION_FIELDS} if report else {}
        return self.page(area, asked, report, SectionsForm(initial=initial))

    def post(self, request, code, period):
        area, asked, report = self.resolve(code, period)
        form = SectionsForm(request.POST)
        if form.is_valid():
            try:
                report = services.periodic_report_save(
                    area=area, period=asked, acting_user=request.user, **form.cleaned_data
                )
                if "submit" in request.POST:
                    services.periodic_report_submit(report=report, acting_user=request.user)
                    messages.success(request, str(MESSAGE_SUBMITTED))
                else:
                    messages.success(request, str(MESSAGE_SAVED))
                return redirect(request.path)
            except ValidationError as exc:
                form.add_service_error(exc)
        return self.page(area, asked, report, form)

    def page(self, area, period, report, form):
        figures = periodic_figures(path=area.path, period=period)
        context = {
            "area": area,
            "period": period,
            "report": report,
            "form": form,
            "figures": figures,
            "locked": report is not None and report.submitted_at is not None,
            "is_commune": area.level == Level.COMMUNE,
        }
        return render(self.request, "reports/periodic_edit.html", context)


class PeriodicDownloadView(PeriodicMixin, View):
    """The report as .docx (Party layout) or its figures as .xlsx."""

    def get(self, request, code, period, fmt):
        if fmt not in TYPES:
            raise Http404
        area, asked, report = self.resolve(code, period)
        figures = periodic_figures(path=area.path, period=asked)
        if fmt == "docx":
            sections = {f: getattr(report, f) for f in services.SECTION_FIELDS} if report else {}
            content = report_document(
                area=area,
                period=asked,
                figures=figures,
                day=timezone.localdate(),
                sections=sections,
            )
        else:
            content = figures_workbook(area=area, period=asked, figures=figures)
        response = HttpResponse(content, content_type=TYPES[fmt])
        name = f"bao-cao-{area.code}-{asked.code}.{fmt}"
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
