"""Forms of the news desk. The rules live in ``news.services``; the views hand the
services' ``ValidationError`` back to these forms (``portal.forms.add_service_error``)."""

import datetime

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news.models import Category
from portal.text import fold, normalize
from units.choices import Level
from units.models import Area
from units.selectors import edition_default

ERROR_REQUIRED = _("Chưa nhập mục này.")
ERROR_DATE = _("Ngày không hợp lệ: ghi theo dạng ngày/tháng/năm, ví dụ 25/11/2026.")
ERROR_TIME = _("Giờ không hợp lệ: ghi theo dạng giờ:phút, ví dụ 07:30.")
ERROR_AREA_UNKNOWN = _("Không tìm thấy địa bàn “{value}”. Nhập mã (2, 3 hoặc 5 số) hoặc tên.")
ERROR_AREA_AMBIGUOUS = _("Có nhiều địa bàn tên “{value}”: {names}. Hãy nhập mã.")

AREA_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
IMAGE_ACCEPT = "image/jpeg,image/png,image/webp,image/gif"


def non_field_errors(form) -> list:
    return form.errors.get(NON_FIELD_ERRORS, [])


def resolve_area(value: str) -> Area | None:
    """The province, district or commune an editor names: its official code (2, 3 or 5
    digits) or its name, with or without diacritics and type word ("Bắc Kạn",
    "xa bang thanh"); the default edition first. ``ValidationError`` when unknown or
    ambiguous."""
    value = normalize(value)
    if not value:
        return None
    areas = Area.objects.filter(level__in=AREA_LEVELS)
    if value.isdigit():
        matches = list(areas.filter(code=value))
    else:
        folded = fold(value)
        matches = list(
            areas.filter(search_name=folded) or areas.filter(search_name__endswith=f" {folded}")
        )
    if not matches:
        raise ValidationError(ERROR_AREA_UNKNOWN.format(value=value))
    default = edition_default()
    preferred = [a for a in matches if a.edition == default] or matches
    # "Bắc Kạn" is the province, not the town of the same name: the highest level wins.
    top = min(AREA_LEVELS.index(a.level) for a in preferred)
    preferred = [a for a in preferred if AREA_LEVELS.index(a.level) == top]
    if len(preferred) > 1:
        names = ", ".join(f"{a.name} ({a.code})" for a in preferred[:6])
        raise ValidationError(ERROR_AREA_AMBIGUOUS.format(value=value, names=names))
    return preferred[0]


class AreaField(forms.CharField):
    """An article's related area, typed as its code or name (``resolve_area``) on the desk
    and in the admin alike: no list of ten thousand areas, and no link to the areas'
    admin, which a news editor may not open. Shows the area's code (else its name)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Địa bàn liên quan"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault(
            "help_text",
            _("Mã hoặc tên tỉnh, huyện, xã (ví dụ 06 hoặc Bắc Kạn); để trống nếu không có."),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        # Unbound, a model form's initial value is the area's id (or the area).
        if isinstance(value, int):
            value = Area.objects.filter(pk=value).first()
        if isinstance(value, Area):
            return value.code or value.name
        return super().prepare_value(value)

    def clean(self, value):
        try:
            return resolve_area(super().clean(value))
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc

    def has_changed(self, initial, data):
        return self.prepare_value(initial) != self.prepare_value(data or "")


class ArticleForm(forms.Form):
    """What an editor writes. The body is HTML from the rich-text editor (or typed in
    the text area when scripts are off), sanitized by the service on save."""

    title = forms.CharField(
        label=_("Tiêu đề"),
        max_length=250,
        error_messages={"required": ERROR_REQUIRED},
    )
    summary = forms.CharField(
        label=_("Tóm tắt (sa-pô)"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Một hai câu in đậm dưới tiêu đề; cũng là mô tả khi chia sẻ bài."),
        error_messages={"required": ERROR_REQUIRED},
    )
    body = forms.CharField(
        label=_("Nội dung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "data-rich-text": "body"}),
    )
    category = forms.ModelChoiceField(
        label=_("Chuyên mục"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("— Chưa chọn —"),
    )
    area = AreaField()
    byline = forms.CharField(
        label=_("Tác giả hiển thị"),
        required=False,
        max_length=150,
        help_text=_("Ví dụ: Minh Anh (Ban Dân vận Huyện ủy)."),
    )
    cover_upload = forms.FileField(
        label=_("Ảnh đại diện"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
        help_text=_("JPEG, PNG, WebP hoặc GIF, tối đa 8 MB; ảnh được thu nhỏ tự động."),
    )
    cover_alt = forms.CharField(
        label=_("Mô tả ảnh đại diện"),
        required=False,
        max_length=250,
        help_text=_("Ảnh cho thấy gì, cho người không nhìn thấy ảnh. Bắt buộc khi có ảnh."),
    )
    cover_caption = forms.CharField(label=_("Chú thích ảnh"), required=False, max_length=300)
    cover_credit = forms.CharField(label=_("Nguồn ảnh"), required=False, max_length=150)
    remove_cover = forms.BooleanField(label=_("Bỏ ảnh đại diện"), required=False)

    def __init__(self, *args, article=None, **kwargs):
        self.article = article
        if article is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": article.title,
                "summary": article.summary,
                "body": article.body,
                "category": article.category_id,
                "area": (article.area.code or article.area.name) if article.area else "",
                "byline": article.byline,
                "cover_alt": article.cover_alt,
                "cover_caption": article.cover_caption,
                "cover_credit": article.cover_credit,
            }
        super().__init__(*args, **kwargs)
        if article is None or article.cover_id is None:
            del self.fields["remove_cover"]
        if article is not None and article.area_id:
            self.fields["area"].help_text = _("Hiện tại: {name}. ").format(
                name=article.area.name
            ) + str(self.fields["area"].help_text)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "summary": data["summary"],
            "body": data["body"],
            "category": data["category"],
            "area": data["area"],
            "byline": data["byline"],
            "cover_alt": data["cover_alt"],
            "cover_caption": data["cover_caption"],
            "cover_credit": data["cover_credit"],
            "cover_upload": data.get("cover_upload") or None,
        }


class ScheduleForm(forms.Form):
    """When to publish: a day (dd/mm/yyyy) and a time (HH:MM), Vietnam time."""

    day = forms.DateField(
        label=_("Ngày đăng"),
        input_formats=["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"],
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"placeholder": _("ngày/tháng/năm"), "autocomplete": "off"}
        ),
        error_messages={"required": ERROR_REQUIRED, "invalid": ERROR_DATE},
    )
    time = forms.TimeField(
        label=_("Giờ đăng"),
        input_formats=["%H:%M", "%H:%M:%S"],
        # A text box, not type="time": browsers show that one in the system's 12-hour
        # format (12:30 AM) on many machines; the committees write 24-hour times.
        widget=forms.TimeInput(
            format="%H:%M",
            attrs={"placeholder": _("giờ:phút, ví dụ 07:30"), "inputmode": "numeric"},
        ),
        error_messages={"required": ERROR_REQUIRED, "invalid": ERROR_TIME},
    )

    def publish_at(self) -> datetime.datetime:
        moment = datetime.datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"])
        return timezone.make_aware(moment, timezone.get_current_timezone())


class ImageUploadForm(forms.Form):
    """A picture uploaded from the editor, to be inserted in the body with a caption."""

    file = forms.FileField(label=_("Tệp ảnh"), error_messages={"required": _("Chưa chọn tệp ảnh.")})
    alt = forms.CharField(label=_("Mô tả ảnh"), required=False, max_length=250)
    caption = forms.CharField(label=_("Chú thích"), required=False, max_length=300)
