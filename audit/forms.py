"""The filter form of the history list (audit.views).

A plain form rather than a django-filter FilterSet: the list combines the history tables
of several models (audit.selectors), which no single queryset filter describes.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.selectors import areas_visible_to
from audit.selectors import HistoryFilters, kinds_visible_to
from portal.audit import Door
from portal.forms import ERROR_CHOICE, DayField

ERROR_BATCH = _("Mã lượt nhập không hợp lệ.")
ERROR_DATE_RANGE = _("“Từ ngày” phải trước hoặc bằng “Đến ngày”.")


class HistoryFilterForm(forms.Form):
    """Narrow the history of the user's area: kind of record, door, who, when, which
    import (batch id), which area (an area the user may see; others are refused like
    ids that do not exist)."""

    kind = forms.ChoiceField(
        label=_("Loại dữ liệu"), required=False, error_messages={"invalid_choice": ERROR_CHOICE}
    )
    door = forms.ChoiceField(
        label=_("Kênh"),
        required=False,
        choices=[("", _("Tất cả")), *Door.choices],
        error_messages={"invalid_choice": ERROR_CHOICE},
    )
    user = forms.CharField(
        label=_("Người thực hiện"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"placeholder": _("tên đăng nhập"), "autocomplete": "off"}),
    )
    date_from = DayField(label=_("Từ ngày"))
    date_to = DayField(label=_("Đến ngày"))
    batch = forms.UUIDField(
        label=_("Mã lượt nhập"), required=False, error_messages={"invalid": ERROR_BATCH}
    )
    area = forms.ModelChoiceField(
        label=_("Địa bàn"),
        queryset=None,
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": ERROR_CHOICE},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            ("", _("Tất cả")),
            *((kind.key, kind.label) for kind in kinds_visible_to(user)),
        ]
        self.fields["area"].queryset = areas_visible_to(user)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", ERROR_DATE_RANGE)
        return cleaned

    def filters(self) -> HistoryFilters:
        data = self.cleaned_data
        return HistoryFilters(
            kind=data.get("kind") or "",
            door=data.get("door") or "",
            username=(data.get("user") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            batch_id=data.get("batch"),
            area=data.get("area"),
        )
