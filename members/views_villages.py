"""Loading the official village list of a commune or a province (members/imports/
villages.py): upload, then the result on the same page; all or nothing."""

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from accounts.access import import_scope
from accounts.mixins import StaffRequiredMixin
from members.forms_imports import ACCEPT, ERROR_FILE_REQUIRED, RosterUploadForm, megabytes
from members.imports import ROW_ERROR_TEMPLATES
from members.imports.editions import edition_for_user
from members.imports.villages import (
    ERROR_VILLAGE_LIST_AMBIGUOUS,
    ERROR_VILLAGE_NAME_REQUIRED,
    ERROR_VILLAGE_NAME_TOO_LONG,
    ERROR_VILLAGE_TYPE,
    village_list_import,
)
from members.views_imports import ERRORS_SHOWN, EditionChoiceMixin
from portal.spreadsheets import error_kinds

#: The row messages of a village list, for the counts by kind.
VILLAGE_ERROR_TEMPLATES = (
    *ROW_ERROR_TEMPLATES,
    ERROR_VILLAGE_LIST_AMBIGUOUS,
    ERROR_VILLAGE_NAME_REQUIRED,
    ERROR_VILLAGE_NAME_TOO_LONG,
    ERROR_VILLAGE_TYPE,
)


class VillageListForm(RosterUploadForm):
    """The roster upload form's checks (a file, not empty, within the size limit) and
    its choice of the list of communes, for a village list."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("Tệp danh sách thôn, tổ dân phố")
        self.fields["file"].help_text = _(
            "Tệp Excel (.xlsx) hoặc CSV: các cột Mã xã, Xã (không bắt buộc), Thôn/Tổ dân "
            "phố, Loại (không bắt buộc)."
        )
        self.fields["file"].widget = forms.ClearableFileInput(attrs={"accept": ACCEPT})
        self.fields["file"].error_messages["required"] = ERROR_FILE_REQUIRED


class VillageListUploadView(EditionChoiceMixin, StaffRequiredMixin, FormView):
    form_class = VillageListForm
    template_name = "members/village_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Nạp danh sách thôn, tổ dân phố")
        context["max_megabytes"] = megabytes(settings.DANVAN_IMPORT_MAX_BYTES)
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        editions = form.editions
        edition = form.cleaned_data.get("edition") or (
            edition_for_user(self.request.user, editions) if editions else None
        )
        result = village_list_import(
            upload.read(),
            filename=PurePath(upload.name or "danh-sach-thon.xlsx").name,
            edition=edition,
            scope=import_scope(self.request.user),
            acting_user=self.request.user,
        )
        row_errors = [e for e in result.errors if e.row]
        context = self.get_context_data(
            form=self.form_class(editions=editions, initial_edition=edition or "2025"),
            result=result,
            file_errors=[e for e in result.errors if not e.row],
            row_errors=row_errors[:ERRORS_SHOWN],
            row_errors_hidden=max(0, len(row_errors) - ERRORS_SHOWN),
            error_kinds=error_kinds([e.message for e in row_errors], VILLAGE_ERROR_TEMPLATES),
        )
        return self.render_to_response(
            context, status=200 if result.written or not result.errors else 400
        )
