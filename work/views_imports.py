"""The activities workbook pages: upload (all or nothing, every error by row and
column), the error report of the last refused upload, and the blank template. The
import runs in the request: a file is bounded by the rosters' size and row limits
(DANVAN_IMPORT_MAX_BYTES, DANVAN_IMPORT_MAX_ROWS) and checked in a fixed number of
queries (``work.imports``)."""

import base64

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views import View

from portal.spreadsheets import RowError
from work.forms import ImportForm
from work.imports import ActivityImportResult, activity_error_report, activity_import
from work.views import XLSX, WorkMixin
from work.workbooks import activities_template

#: The last refused upload is kept in the session for its error report up to this size.
REPORT_MAX_BYTES = 2 * 1024 * 1024
SESSION_KEY = "work_activity_import_report"

MESSAGE_WRITTEN = _("Đã ghi {created} hoạt động từ tệp “{filename}”.")
MESSAGE_ALREADY = _("{count} dòng trùng với hoạt động đã ghi trước đó nên không ghi lại.")
MESSAGE_NOTHING = _("Tệp không có hoạt động nào mới: mọi dòng đã được ghi trước đó.")


def _page(request, *, form=None, result=None, status=200):
    return render(
        request,
        "work/activity_import.html",
        {
            "form": form or ImportForm(),
            "result": result,
            "has_report": bool(request.session.get(SESSION_KEY)),
        },
        status=status,
    )


def _stored(data: bytes, result: ActivityImportResult) -> dict:
    return {
        "data": base64.b64encode(data).decode(),
        "filename": result.filename,
        "header_row": result.header_row,
        "file_format": result.file_format,
        "sheet_name": result.sheet_name,
        "errors": [[e.row, e.column, str(e.message)] for e in result.errors],
    }


class ActivityImportView(WorkMixin, View):
    """GET: the upload form and the layout. POST: record every row of the file, or none
    and the list of errors (400) with a link to the file marked up with them."""

    permission = "work.add_activity"

    def get(self, request):
        return _page(request)

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return _page(request, form=form, status=400)
        upload = form.cleaned_data["file"]
        data = upload.read()
        result = activity_import(data, filename=upload.name, acting_user=request.user)
        request.session.pop(SESSION_KEY, None)
        if result.errors:
            if len(data) <= REPORT_MAX_BYTES and result.header_row:
                request.session[SESSION_KEY] = _stored(data, result)
            return _page(request, form=form, result=result, status=400)
        if result.created:
            messages.success(
                request, str(MESSAGE_WRITTEN).format(created=result.created, filename=upload.name)
            )
            if result.unchanged:
                messages.info(request, str(MESSAGE_ALREADY).format(count=result.unchanged))
        else:
            messages.info(request, str(MESSAGE_NOTHING))
        for note in result.notes:
            messages.warning(request, note)
        return redirect("work:activity_list")


class ActivityImportErrorsView(WorkMixin, View):
    """The last refused upload of this session with a "Lỗi" column (404 when none)."""

    permission = "work.add_activity"

    def get(self, request):
        stored = request.session.get(SESSION_KEY)
        if not stored:
            raise Http404
        result = ActivityImportResult(
            filename=stored["filename"],
            header_row=stored["header_row"],
            file_format=stored["file_format"],
            sheet_name=stored["sheet_name"],
            errors=[RowError(*e) for e in stored["errors"]],
        )
        content = activity_error_report(base64.b64decode(stored["data"]), result=result)
        response = HttpResponse(content, content_type=XLSX)
        name = stored["filename"].rsplit(".", 1)[0] + "-loi.xlsx"
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response


class ActivityTemplateView(WorkMixin, View):
    """The blank activities workbook."""

    def get(self, request):
        response = HttpResponse(activities_template(), content_type=XLSX)
        response["Content-Disposition"] = content_disposition_header(True, "mau-hoat-dong.xlsx")
        return response
