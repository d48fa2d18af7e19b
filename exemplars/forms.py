"""Forms of the models' pages: short, one column, usable on a 375 px phone. They parse
what is typed; the rules live in ``exemplars.services``."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from exemplars.choices import DecisionLevel, ExemplarField, OwnerKind, Step
from portal.forms import DayField, ServiceForm
from work.forms import REQUIRED_DAY, PhotosField, _choice, _text
from work.photos import MAX_PHOTOS


class ExemplarForm(ServiceForm):
    """Registration (with the area's code) and corrections of a model."""

    area_code = _text(
        _("Mã xã hoặc tỉnh"),
        5,
        inputmode="numeric",
        placeholder=_("ví dụ 01834"),
    )
    title = _text(_("Tên mô hình"), 200)
    field = _choice(_("Lĩnh vực"), ExemplarField.choices)
    owner_kind = _choice(_("Chủ thể"), OwnerKind.choices)
    owner_name = _text(
        _("Tập thể, cá nhân thực hiện"),
        200,
        placeholder=_("ví dụ Tổ dân vận thôn Nà Lẹng"),
    )
    registered_on = DayField(label=_("Ngày đăng ký"), required=True, error_messages=REQUIRED_DAY)
    description = _text(_("Nội dung, cách làm"), 3000, rows=4)
    results = _text(_("Kết quả"), 3000, required=False, rows=3)
    photos = PhotosField(
        label=_("Ảnh"),
        help_text=format_lazy(
            _("Tối đa {max} ảnh JPEG, PNG hoặc WebP; ảnh được thu nhỏ, bỏ thông tin vị trí."),
            max=MAX_PHOTOS,
        ),
    )

    def __init__(self, *args, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["area_code"]

    def exemplar_data(self) -> dict:
        skip = ("photos", "area_code")
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}


class StartForm(ServiceForm):
    started_on = DayField(
        label=_("Ngày bắt đầu thực hiện"), required=True, error_messages=REQUIRED_DAY
    )


class ReviewForm(ServiceForm):
    reviewed_on = DayField(label=_("Ngày thẩm định"), required=True, error_messages=REQUIRED_DAY)
    review_note = _text(_("Ý kiến thẩm định"), 500, required=False, rows=3)


class RecogniseForm(ServiceForm):
    decision_number = _text(_("Số quyết định"), 50, placeholder=_("ví dụ 125-QĐ/ĐU"))
    decision_date = DayField(label=_("Ngày quyết định"), required=True, error_messages=REQUIRED_DAY)
    decision_level = _choice(_("Cấp công nhận"), DecisionLevel.choices)


class RejectForm(ServiceForm):
    rejected_on = DayField(label=_("Ngày"), required=True, error_messages=REQUIRED_DAY)
    reason = _text(_("Lý do không công nhận"), 1000, rows=3)
    service_error_fields = {"rejection_reason": "reason"}


class TypicalForm(ServiceForm):
    typical_on = DayField(
        label=_("Ngày công nhận tiêu biểu"), required=True, error_messages=REQUIRED_DAY
    )


#: The form of each step.
STEP_FORMS = {
    Step.START: StartForm,
    Step.REVIEW: ReviewForm,
    Step.RECOGNISE: RecogniseForm,
    Step.REJECT: RejectForm,
    Step.TYPICAL: TypicalForm,
}
