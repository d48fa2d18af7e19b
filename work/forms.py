"""Forms of the activities and opinions pages: short, one column, usable on a 375 px
phone. They parse what is typed (day-first dates, numbers, phones); the rules live in
the services, whose ``ValidationError`` the views put back with ``add_service_error``."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.forms import DayField, ServiceForm
from work.choices import (
    OVERDUE_DAYS_MAX,
    OVERDUE_DAYS_MIN,
    ActivityKind,
    OpinionChannel,
    OpinionTopic,
    Severity,
)
from work.models import PARTICIPANTS_MAX, PEOPLE_REACHED_MAX, WORK_DAYS_MAX
from work.photos import MAX_PHOTOS

ERROR_REQUIRED = _("Chưa nhập mục này.")
ERROR_CHOICE = _("Lựa chọn không hợp lệ.")
ERROR_NUMBER = _("Ghi một số nguyên từ {low} đến {high}.")
REQUIRED_DAY = {"required": ERROR_REQUIRED}
ERROR_CITIZEN_EMPTY = _(
    "Nhập số điện thoại hoặc họ tên của người dân (hoặc cả hai) để tìm ý kiến của họ."
)


def _choice(label, choices, **kwargs):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        error_messages={"invalid_choice": ERROR_CHOICE, "required": ERROR_REQUIRED},
        **kwargs,
    )


def _count(label, high, *, required=True, help_text=""):
    message = format_lazy(ERROR_NUMBER, low=0, high=f"{high:,}".replace(",", "."))
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=high,
        help_text=help_text,
        error_messages={
            "required": ERROR_REQUIRED,
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": high}),
    )


def _text(label, max_length, *, required=True, rows=None, **attrs):
    widget = forms.Textarea(attrs={"rows": rows, **attrs}) if rows else forms.TextInput(attrs)
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=widget,
        error_messages={"required": ERROR_REQUIRED},
    )


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one field (a phone's gallery or camera); each is checked by
    the service (``work.photos``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(required=False, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        single = super().clean
        return [single(f, initial) for f in files if f]


class ActivityForm(ServiceForm):
    """The short entry form: what, when, where, how many, and photos."""

    kind = _choice(_("Loại hoạt động"), ActivityKind.choices)
    date = DayField(label=_("Ngày"), required=True, error_messages=REQUIRED_DAY)
    place = _text(
        _("Thôn hoặc địa điểm"),
        200,
        required=False,
        placeholder=_("để trống: thôn, xã của đơn vị"),
    )
    participants = _count(_("Số người tham gia"), PARTICIPANTS_MAX)
    people_reached = _count(_("Số người dân tiếp cận"), PEOPLE_REACHED_MAX)
    work_days = _count(
        _("Số ngày công"),
        WORK_DAYS_MAX,
        required=False,
        help_text=_("Ghi khi ra quân ngày công."),
    )
    description = _text(_("Nội dung"), 1000, required=False, rows=3)
    photos = PhotosField(
        label=_("Ảnh"),
        help_text=format_lazy(
            _("Tối đa {max} ảnh JPEG, PNG hoặc WebP; ảnh được thu nhỏ, bỏ thông tin vị trí."),
            max=MAX_PHOTOS,
        ),
    )

    def activity_data(self) -> dict:
        """The fields ``activity_create`` / ``activity_update`` take (photos apart)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "photos"}


class ContactForm(ServiceForm):
    """The citizen's name and phone (both optional), corrected on their request; the
    service reads them as the receipt form's (``services_opinions._received_values``)."""

    citizen_name = _text(_("Họ tên người dân"), 120, required=False, autocomplete="off")
    citizen_phone = _text(
        _("Số điện thoại người dân"), 20, required=False, type="tel", inputmode="tel"
    )


class OpinionForm(ContactForm):
    """What was received: when, how, about what, what was said, and who said it
    (optional: staff of the area only ever see it)."""

    field_order = ("received_on", "channel", "topic", "summary", "citizen_name", "citizen_phone")

    received_on = DayField(label=_("Ngày tiếp nhận"), required=True, error_messages=REQUIRED_DAY)
    channel = _choice(_("Hình thức"), OpinionChannel.choices)
    topic = _choice(_("Lĩnh vực"), OpinionTopic.choices)
    summary = _text(_("Nội dung ý kiến"), 2000, rows=4)


class ForwardForm(ServiceForm):
    forwarded_to = _text(
        _("Chuyển đến"), 200, placeholder=_("ví dụ Đảng ủy xã, UBND xã, Công an xã")
    )
    forwarded_on = DayField(label=_("Ngày chuyển"), required=True, error_messages=REQUIRED_DAY)


class AnswerForm(ServiceForm):
    answer = _text(_("Nội dung trả lời"), 2000, rows=4)
    answered_by = _text(_("Người, cơ quan trả lời"), 200, placeholder=_("ví dụ Chủ tịch UBND xã"))
    answered_on = DayField(label=_("Ngày trả lời"), required=True, error_messages=REQUIRED_DAY)


class ReturnForm(ServiceForm):
    returned_on = DayField(
        label=_("Ngày thông tin lại"), required=True, error_messages=REQUIRED_DAY
    )
    returned_how = _text(
        _("Cách thông tin lại"), 200, required=False, placeholder=_("ví dụ gặp trực tiếp, gọi điện")
    )


class CloseForm(ServiceForm):
    closed_on = DayField(label=_("Ngày kết thúc"), required=True, error_messages=REQUIRED_DAY)


class HotSpotFlagForm(ServiceForm):
    severity = _choice(_("Mức độ"), Severity.choices)
    since = DayField(label=_("Ngày phát hiện"), required=True, error_messages=REQUIRED_DAY)
    note = _text(_("Ghi chú"), 300, required=False)

    service_error_fields = {
        "hot_spot_severity": "severity",
        "hot_spot_since": "since",
        "hot_spot_note": "note",
    }


class HotSpotResolveForm(ServiceForm):
    resolved_on = DayField(label=_("Ngày giải quyết"), required=True, error_messages=REQUIRED_DAY)
    note = _text(_("Ghi chú"), 300, required=False)

    service_error_fields = {"hot_spot_resolved_on": "resolved_on", "hot_spot_note": "note"}


_DAYS_MESSAGE = format_lazy(ERROR_NUMBER, low=OVERDUE_DAYS_MIN, high=OVERDUE_DAYS_MAX)


class OverdueDaysForm(ServiceForm):
    overdue_days = forms.IntegerField(
        label=_("Số ngày phải trả lời ý kiến"),
        min_value=OVERDUE_DAYS_MIN,
        max_value=OVERDUE_DAYS_MAX,
        error_messages={
            "required": ERROR_REQUIRED,
            "invalid": _DAYS_MESSAGE,
            "min_value": _DAYS_MESSAGE,
            "max_value": _DAYS_MESSAGE,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp hoạt động (.xlsx hoặc .csv)"),
        error_messages={"required": _("Chưa chọn tệp.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class CitizenRequestForm(forms.Form):
    """A citizen's request (what the opinions hold about them): their phone and/or
    name. The phone is read as ``parse_phone`` stores it; an empty form is refused, so
    a request never lists every opinion."""

    phone = _text(_("Số điện thoại người dân"), 20, required=False, type="tel", inputmode="tel")
    name = _text(
        _("Họ tên người dân"),
        120,
        required=False,
        autocomplete="off",
        placeholder=_("gõ có dấu hoặc không"),
    )

    def clean_phone(self):
        from members.validation import parse_phone

        try:
            return parse_phone(self.cleaned_data["phone"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("phone") and not data.get("name", "").strip():
            raise forms.ValidationError(ERROR_CITIZEN_EMPTY)
        return data
