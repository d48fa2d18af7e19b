"""Roster import, export and template download (staff interface and admin).

The import runs through two doors with one code path: the staff page (/can-bo/) and the
admin (``MembershipAdmin.get_urls``) use these same views, with a ``Door`` that says which
base template wraps them and which URL names they link to. Both create an ``ImportJob``
and hand it to ``members.tasks``, which calls the functions the ``import_roster``
command calls.
"""

import dataclasses
import logging
from pathlib import PurePath

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.mixins import StaffRequiredMixin
from audit.services import record_export
from members.filtersets import membership_filter
from members.forms_imports import RosterUploadForm, megabytes
from members.imports import row_error_kinds
from members.imports.editions import edition_for_user
from members.models import Membership
from members.models_imports import ImportJob, ImportJobStatus
from members.tasks import (
    import_job_confirm,
    import_job_create,
    import_jobs_expire,
)
from members.workbooks import roster_export, roster_template_workbook
from units.selectors import edition_default, editions_loaded

logger = logging.getLogger(__name__)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"

ERROR_EXPORT_FILTER = gettext_lazy("Bộ lọc không hợp lệ, chưa xuất được danh sách:")
ERROR_NO_ERROR_REPORT = gettext_lazy("Lượt nhập này không có lỗi nào để báo cáo.")

#: Labels of the roster fields a preview row may list as changed.
FIELD_LABELS = {
    "full_name": gettext_lazy("Họ và tên"),
    "gender": gettext_lazy("Giới tính"),
    "birth_year": gettext_lazy("Năm sinh"),
    "ethnicity": gettext_lazy("Dân tộc"),
    "party_member": gettext_lazy("Đảng viên"),
    "position": gettext_lazy("Chức vụ"),
    "role": gettext_lazy("Vai trò"),
    "phone": gettext_lazy("Số điện thoại"),
    "start_date": gettext_lazy("Ngày tham gia"),
    "end_date": gettext_lazy("Ngày thôi"),
    "end_reason": gettext_lazy("Lý do thôi"),
}

PREVIEW_ROWS_PER_PAGE = 100
#: Row errors listed on the page; every one is in the error report, and the page counts
#: them by kind, so a file with a thousand errors stays one screen.
ERRORS_SHOWN = 50


@dataclasses.dataclass(frozen=True)
class Door:
    """Where an import page lives: its base template and the URL names it links to."""

    name: str
    base_template: str
    upload: str
    job: str
    status: str
    confirm: str
    report: str

    def url(self, which: str, *args) -> str:
        return reverse(getattr(self, which), args=args)


STAFF_DOOR = Door(
    name="staff",
    base_template="members/imports/base_staff.html",
    upload="members:import_upload",
    job="members:import_job",
    status="members:import_job_status",
    confirm="members:import_job_confirm",
    report="members:import_job_report",
)
ADMIN_DOOR = Door(
    name="admin",
    base_template="members/imports/base_admin.html",
    upload="admin:members_membership_import",
    job="admin:members_membership_import_job",
    status="admin:members_membership_import_status",
    confirm="admin:members_membership_import_confirm",
    report="admin:members_membership_import_report",
)


class ImportDoorMixin(StaffRequiredMixin):
    """What every import page shares: the door, and the admin's context in the admin."""

    door: Door = STAFF_DOOR
    admin_site = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["door"] = self.door
        context["upload_url"] = self.door.url("upload")
        if self.admin_site is not None:
            context.update(self.admin_site.each_context(self.request))
            context["opts"] = Membership._meta
        return context

    def get_job(self, *, with_file: bool = False, with_plan: bool = True) -> ImportJob:
        """The job of the URL if the user may see it (their own, or any for a superuser);
        404 otherwise, as for a job that does not exist."""
        import_jobs_expire(pk=self.kwargs["pk"])  # a dead worker's job says so
        jobs = ImportJob.objects.visible_to(self.request.user)
        if not with_plan:
            jobs = jobs.light()
        elif not with_file:
            jobs = jobs.without_file()
        return get_object_or_404(jobs, pk=self.kwargs["pk"])


class EditionChoiceMixin:
    """An upload form that asks for the list of communes when both are loaded, offering
    first the one of the user's areas (members.imports.editions)."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["editions"] = editions_loaded()
        kwargs["initial_edition"] = edition_for_user(self.request.user, kwargs["editions"])
        return kwargs


class ImportUploadView(EditionChoiceMixin, ImportDoorMixin, FormView):
    """Step 1: choose a file (and the edition when both are loaded)."""

    form_class = RosterUploadForm
    template_name = "members/imports/upload.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Nhập danh sách thành viên từ Excel")
        context["max_megabytes"] = megabytes(settings.DANVAN_IMPORT_MAX_BYTES)
        context["recent_jobs"] = list(
            ImportJob.objects.visible_to(self.request.user)
            .filter(created_by=self.request.user)
            .light()[:5]
        )
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        editions = form.editions
        edition = form.cleaned_data.get("edition") or (
            edition_default(editions) if editions else ""
        )
        job = import_job_create(
            data=upload.read(),
            filename=PurePath(upload.name or "danh-sach.xlsx").name,
            edition=edition,
            acting_user=self.request.user,
        )
        return redirect(self.door.url("job", job.pk))


def _changes_text(changes) -> str:
    """ "Số điện thoại: 0912… → 0987…; Vai trò: Tổ phó" from a row's changes."""
    if not changes:
        return ""
    parts = []
    for field, value in changes.items():
        label = FIELD_LABELS.get(field, field)
        if isinstance(value, (list, tuple)) and len(value) == 2:
            old, new = value
            parts.append(f"{label}: {old if old not in (None, '') else '—'} → {new}")
        elif isinstance(value, dict) and {"old", "new"} <= value.keys():
            old = value["old"] if value["old"] not in (None, "") else "—"
            parts.append(f"{label}: {old} → {value['new']}")
        else:
            parts.append(f"{label}: {value}")
    return "; ".join(parts)


ACTION_LABELS = {
    "create": gettext_lazy("Thêm mới"),
    "update": gettext_lazy("Cập nhật"),
    "unchanged": gettext_lazy("Không đổi"),
}


class ImportJobView(ImportDoorMixin, TemplateView):
    """Step 2 and 3: progress while a task runs, then the preview (counts, rows, new
    villages and units, notes, every error by row and column) with the confirm button or
    the error report, then the result."""

    template_name = "members/imports/job.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.get_job()
        result = job.result or {}
        row_errors = [e for e in job.errors if e.get("row")]
        context.update(
            job=job,
            title=_("Lượt nhập: %(filename)s") % {"filename": job.filename},
            status_url=self.door.url("status", job.pk),
            confirm_url=self.door.url("confirm", job.pk),
            report_url=self.door.url("report", job.pk),
            job_url=self.door.url("job", job.pk),
            counts=job.counts,
            errors=job.errors,
            file_errors=[e for e in job.errors if not e.get("row")],
            row_errors=row_errors[:ERRORS_SHOWN],
            row_errors_total=len(row_errors),
            row_errors_hidden=max(0, len(row_errors) - ERRORS_SHOWN),
            error_kinds=row_error_kinds([e["message"] for e in row_errors]),
            notes=result.get("notes") or [],
            new_villages=result.get("new_villages") or [],
            new_units=result.get("new_units") or [],
            sheet_name=result.get("sheet_name") or "",
        )
        if result.get("rows") and job.status in (ImportJobStatus.VALIDATED, ImportJobStatus.DONE):
            paginator = Paginator(result["rows"], PREVIEW_ROWS_PER_PAGE)
            page = paginator.get_page(self.request.GET.get("trang"))
            context["rows_page"] = page
            context["rows"] = [
                {
                    **row,
                    "action_label": ACTION_LABELS.get(row.get("action"), row.get("action")),
                    "changes_text": _changes_text(row.get("changes")),
                    "values": list((row.get("values") or {}).items()),
                }
                for row in page.object_list
            ]
        return context


class ImportJobStatusView(ImportDoorMixin, View):
    """The job's progress as JSON, polled by static/js/import-progress.js."""

    def get(self, request, *args, **kwargs):
        job = self.get_job(with_plan=False)
        return JsonResponse(
            {
                "id": job.pk,
                "status": job.status,
                "status_label": job.get_status_display(),
                "running": job.is_running,
                "done": job.progress_done,
                "total": job.progress_total,
                "percent": job.percent,
                "url": self.door.url("job", job.pk),
            },
            headers={"Cache-Control": "no-store"},
        )


class ImportJobConfirmView(ImportDoorMixin, View):
    """Step 3: the user accepts the preview; the real import is enqueued."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        job = self.get_job(with_plan=False)
        try:
            import_job_confirm(job=job, acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(self.door.url("job", job.pk))


def _download(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


def _is_xlsx(content: bytes) -> bool:
    return content[:2] == b"PK"


class ImportJobReportView(ImportDoorMixin, View):
    """The uploaded workbook with an added "Lỗi" column, as the task stored it."""

    def get(self, request, *args, **kwargs):
        job = self.get_job(with_plan=False)
        content = (
            ImportJob.objects.filter(pk=job.pk).values_list("report", flat=True).first() or b""
        )
        if not job.has_errors or not content:
            raise Http404(ERROR_NO_ERROR_REPORT)
        content = bytes(content)
        stem = PurePath(job.filename).stem or "danh-sach"
        if _is_xlsx(content):
            name, content_type = _("{stem} - báo cáo lỗi.xlsx").format(stem=stem), XLSX_TYPE
        else:
            name, content_type = _("{stem} - báo cáo lỗi.csv").format(stem=stem), CSV_TYPE
        return _download(content, filename=name, content_type=content_type)


# --- Export and template -----------------------------------------------------------------

EXPORT_FORMATS = {"xlsx": XLSX_TYPE, "csv": CSV_TYPE}


class RosterExportView(StaffRequiredMixin, View):
    """ "Xuất Excel" / "Xuất CSV" of any filtered roster: the member list's own filterset
    (same parameters, same rows), written in the contract layout.

    An invalid filter is refused (400) rather than ignored: django-filter drops invalid
    fields, which would export more people than the page showed.
    """

    def get(self, request, fmt: str):
        if fmt not in EXPORT_FORMATS:
            raise Http404
        filterset = membership_filter(request.user, request.GET)
        if not filterset.is_valid():
            lines = [str(ERROR_EXPORT_FILTER)]
            for field, errors in filterset.errors.items():
                label = filterset.form.fields[field].label if field in filterset.form.fields else ""
                lines += [f"{label}: {error}" if label else str(error) for error in errors]
            return HttpResponse(
                "\n".join(lines), status=400, content_type="text/plain; charset=utf-8"
            )
        content = roster_export(filterset.qs, fmt=fmt)
        # Exports of personal data are recorded (Personal Data Protection Law, Decree
        # 356/2025/NĐ-CP): who, when, which.
        record_export(user=request.user, filters=request.GET, rows=filterset.qs.count(), fmt=fmt)
        logger.info(
            "roster export user=%s fmt=%s params=%s",
            request.user.get_username(), fmt, request.GET.urlencode(),
        )  # fmt: skip
        day = timezone.localdate().strftime("%d-%m-%Y")
        return _download(
            content,
            filename=_("Danh sách thành viên {day}.{fmt}").format(day=day, fmt=fmt),
            content_type=EXPORT_FORMATS[fmt],
        )


class RosterTemplateView(StaffRequiredMixin, View):
    """The empty roster workbook: header row, a sample row, dropdown lists."""

    def get(self, request):
        return _download(
            roster_template_workbook(),
            filename=_("Mẫu danh sách thành viên.xlsx"),
            content_type=XLSX_TYPE,
        )
