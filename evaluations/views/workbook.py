"""The score sheet as a workbook: the page with the download and upload forms, the
download itself, and the error report of the last upload. Thin views over
``evaluations.sheets``: the area comes from the user's visible areas (404 outside
them), the import checks every row and writes through the rating services."""

import base64
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views import View

from accounts.access import scope_of
from accounts.selectors import areas_visible_to
from evaluations import stages
from evaluations.choices import Subject
from evaluations.forms.workbook import SheetDownloadForm, SheetUploadForm
from evaluations.selectors.criteria import default_year
from evaluations.sheets.download import score_sheet_filename, score_sheet_workbook
from evaluations.sheets.reader import RowError
from evaluations.sheets.upload import score_sheet_error_report, score_sheet_import
from evaluations.sheets.write import SheetResult
from evaluations.views.base import RatingsMixin
from units.choices import Level
from units.models import Area
from units.selectors import edition_default

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The last upload is kept in the session for its error report only up to this size.
REPORT_MAX_BYTES = 2 * 1024 * 1024
SESSION_KEY = "evaluations_sheet_report"
MESSAGE_WRITTEN = _(
    "Đã nhập phiếu chấm điểm: {changed} đơn vị được cập nhật, trong đó {submitted} đơn vị "
    "đã gửi lên bước sau."
)
MESSAGE_NOTHING = _("Tệp không có thay đổi nào so với dữ liệu đang lưu.")


def _own_area(user) -> Area | None:
    """The account's area when it has exactly one (a system administrator has none)."""
    scope = scope_of(user)
    if len(scope.paths) != 1:
        return None
    return Area.objects.filter(path=scope.paths[0]).first()


def _area(user, code: str) -> Area | None:
    if not code:
        return _own_area(user)
    # A code can name an area of each edition: the default edition's comes first.
    found = areas_visible_to(user).filter(
        code=code, level__in=(Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
    )
    default = edition_default()
    return min(found, key=lambda a: (a.edition != default, a.path), default=None)


def _page(request, *, download=None, upload=None, result=None, status=200):
    year = default_year(request.user)
    initial = {"year": year, "subject": Subject.BLOC}
    return render(
        request,
        "evaluations/sheet_transfer.html",
        {
            "download_form": download or SheetDownloadForm(initial=initial),
            "upload_form": upload or SheetUploadForm(initial=initial),
            "result": result,
            "own_area": _own_area(request.user),
        },
        status=status,
    )


class SheetDownloadView(RatingsMixin, View):
    """GET ?area=<code>&year=&subject=: the score sheet of that area (the user's own
    area without a code) for the year."""

    def get(self, request):
        form = SheetDownloadForm(request.GET)
        if not form.is_valid():
            return _page(request, download=form, status=400)
        data = form.cleaned_data
        area = _area(request.user, data["area"].strip())
        if area is None:
            if data["area"]:
                raise Http404
            form.add_error("area", _("Hãy ghi mã địa bàn."))
            return _page(request, download=form, status=400)
        try:
            content = score_sheet_workbook(
                user=request.user,
                area=area,
                year=data["year"],
                subject=data["subject"],
                period=data["period"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return _page(request, download=form, status=400)
        response = HttpResponse(content, content_type=XLSX)
        filename = score_sheet_filename(
            area=area, year=data["year"], subject=data["subject"], period=data["period"]
        )
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response


class SheetUploadView(RatingsMixin, View):
    """GET: the download and upload forms. POST: import a filled sheet (all or
    nothing) and list every error by row and column, or the counts written."""

    permission = stages.SELF_ASSESS

    def get(self, request):
        return _page(request)

    def post(self, request):
        form = SheetUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return _page(request, upload=form, status=400)
        upload = form.cleaned_data["file"]
        data = upload.read()
        result = score_sheet_import(
            data,
            filename=upload.name,
            user=request.user,
            year=form.cleaned_data["year"],
            subject=form.cleaned_data["subject"],
            period=form.cleaned_data["period"],
        )
        request.session.pop(SESSION_KEY, None)
        if result.errors:
            if len(data) <= REPORT_MAX_BYTES and result.header_row:
                request.session[SESSION_KEY] = _stored(data, result)
            return _page(request, upload=form, result=result, status=400)
        if result.changed:
            messages.success(
                request,
                MESSAGE_WRITTEN.format(changed=result.changed, submitted=result.submitted),
            )
        else:
            messages.info(request, MESSAGE_NOTHING)
        for note in result.notes:
            messages.warning(request, note)
        query = {"year": form.cleaned_data["year"], "period": form.cleaned_data["period"]}
        query = urlencode({k: v for k, v in query.items() if v})
        return redirect(f"{reverse('evaluations:overview')}?{query}")


def _stored(data: bytes, result: SheetResult) -> dict:
    return {
        "data": base64.b64encode(data).decode(),
        "filename": result.filename,
        "header_row": result.header_row,
        "file_format": result.file_format,
        "sheet_name": result.sheet_name,
        "errors": [[e.row, e.column, str(e.message)] for e in result.errors],
    }


class SheetErrorReportView(RatingsMixin, View):
    """The last refused upload of this session with a "Lỗi" column (404 when none)."""

    permission = stages.SELF_ASSESS

    def get(self, request):
        stored = request.session.get(SESSION_KEY)
        if not stored:
            raise Http404
        result = SheetResult(
            filename=stored["filename"],
            header_row=stored["header_row"],
            file_format=stored["file_format"],
            sheet_name=stored["sheet_name"],
            errors=[RowError(*e) for e in stored["errors"]],
        )
        content = score_sheet_error_report(base64.b64decode(stored["data"]), result=result)
        response = HttpResponse(content, content_type=XLSX)
        name = stored["filename"].rsplit(".", 1)[0] + "-loi.xlsx"
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
