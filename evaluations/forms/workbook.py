"""The score sheet workbook's forms: which sheet to download, and the filled sheet to
import."""

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.choices import YEAR_MAX, YEAR_MIN, Subject
from evaluations.forms.criteria import PeriodField

SUBJECT_CHOICES = [(Subject.BLOC, Subject.BLOC.label), (Subject.TEAM, Subject.TEAM.label)]


class SheetDownloadForm(forms.Form):
    """Which sheet to download: an area (the user's own when left empty), a year, a
    subject."""

    area = forms.CharField(
        label=_("Mã địa bàn"),
        required=False,
        max_length=5,
        help_text=_("Mã xã, huyện hoặc tỉnh; để trống để lấy địa bàn của bạn."),
    )
    year = forms.IntegerField(label=_("Năm"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    period = PeriodField()
    subject = forms.ChoiceField(label=_("Đối tượng"), choices=SUBJECT_CHOICES)


class SheetUploadForm(forms.Form):
    """A filled sheet to import, with the year and subject it scores."""

    file = forms.FileField(
        label=_("Tệp phiếu chấm điểm (.xlsx hoặc .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    year = forms.IntegerField(label=_("Năm"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    period = PeriodField()
    subject = forms.ChoiceField(label=_("Đối tượng"), choices=SUBJECT_CHOICES)
