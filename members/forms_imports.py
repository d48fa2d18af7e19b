"""The roster upload form (staff page and admin)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from members.imports import ERROR_FILE_EMPTY, ERROR_FILE_TOO_LARGE
from units.choices import Edition

ERROR_FILE_REQUIRED = _("Chọn một tệp danh sách (.xlsx hoặc .csv) để tải lên.")

#: What the file picker offers first; anything else still reaches the validation, which
#: names the problem in words (not a spreadsheet, corrupt, protected ...).
ACCEPT = (
    ".xlsx,.xlsm,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
)


class RosterUploadForm(forms.Form):
    """A roster workbook, and the edition its commune codes are read in when both are
    loaded (CONTRACTS section 1: 2025 by default).

    The form checks only what needs no parsing (a file was chosen, not empty, within the
    size limit); everything else is the import's own validation, the same for every door.
    """

    file = forms.FileField(
        label=_("Tệp danh sách thành viên"),
        help_text=_("Tệp Excel (.xlsx) hoặc CSV theo mẫu danh sách."),
        error_messages={"required": ERROR_FILE_REQUIRED, "empty": ERROR_FILE_REQUIRED},
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    edition = forms.ChoiceField(
        label=_("Mã xã trong tệp theo danh mục"),
        choices=Edition.choices,
        required=False,
        help_text=_("Danh mục đơn vị hành chính mà cột “Mã xã” dùng."),
    )

    def __init__(self, *args, editions: list[str], initial_edition: str = Edition.V2025, **kwargs):
        super().__init__(*args, **kwargs)
        self.editions = editions
        if len(editions) < 2:
            # One edition loaded (or none): nothing to choose.
            del self.fields["edition"]
        else:
            self.fields["edition"].choices = [
                (value, label) for value, label in Edition.choices if value in editions
            ]
            # The list of the user's areas (members.imports.editions.edition_for_user).
            self.fields["edition"].initial = initial_edition
            self.fields["edition"].required = True

    def clean_file(self):
        """Empty or over the size limit: refused before the file is stored, with the
        import's own messages (the command says the same)."""
        upload = self.cleaned_data["file"]
        if not upload.size:
            raise ValidationError(ERROR_FILE_EMPTY)
        limit = settings.DANVAN_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                ERROR_FILE_TOO_LARGE.format(size=megabytes(upload.size), limit=megabytes(limit))
            )
        return upload


def megabytes(size: int) -> str:
    """ "12,5" or "10": megabytes written as the import's messages write them."""
    return f"{size / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0")
