"""The criteria editor: a set's heading, groups, items, gates and scale on one page,
validated together; and the copy of a set to another year."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from evaluations.choices import (
    DEFAULT_SCALE,
    LEVELS,
    YEAR_MAX,
    YEAR_MIN,
    GateRule,
    Measure,
    Subject,
)
from evaluations.forms.scores import LEVEL_SELECT, ScoreInput
from evaluations.models import CriterionItem
from evaluations.periods import YEAR, is_period_code
from evaluations.scoring import number_text
from evaluations.services.criteria import QUANTITATIVE_FIELDS
from portal.forms import DayField, ServiceForm, add_service_error
from portal.text import normalize
from work.choices import ActivityKind

ERROR_REQUIRED = _("Chưa nhập mục này.")
ERROR_YEAR = _("Năm phải từ 2000 đến 2100.")
ERROR_MAX_SCORE = _("Điểm tối đa phải là một số lớn hơn 0, ví dụ 10 hoặc 7,5.")
ERROR_MIN_SCORE = _("Điểm tối thiểu phải là một số từ 0 trở lên.")
ERROR_GROUP_UNKNOWN = _("Không có nhóm mã “{code}” ở bảng nhóm bên trên.")
ERROR_DUPLICATE_CODE = _("Mã “{code}” bị trùng.")
ERROR_ROW_INCOMPLETE = _("Dòng này còn thiếu: {fields}.")


def year_field(label) -> forms.IntegerField:
    """A year typed on a phone's number pad, between YEAR_MIN and YEAR_MAX."""
    return forms.IntegerField(
        label=label,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        localize=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": "4"}),
        error_messages={
            "required": ERROR_REQUIRED,
            "invalid": ERROR_YEAR,
            "min_value": ERROR_YEAR,
            "max_value": ERROR_YEAR,
        },
    )


def _decimal(value: str, *, message, positive: bool) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(message) from None
    if not number.is_finite() or number < 0 or (positive and number == 0) or number >= 1000:
        raise ValidationError(message)
    return number


class PeriodField(forms.CharField):
    """The period within the year: empty for the whole year, Q1…Q4 for a quarter,
    T2030 for the term ending in 2030 (evaluations.periods)."""

    def __init__(self, **kwargs):
        super().__init__(
            label=_("Kỳ"),
            required=False,
            max_length=6,
            help_text=_("Để trống: cả năm; Q1…Q4: quý; T2030: nhiệm kỳ kết thúc năm 2030."),
            **kwargs,
        )

    def clean(self, value):
        value = (super().clean(value) or YEAR).strip().upper()
        if not is_period_code(value):
            raise forms.ValidationError(_("Kỳ không hợp lệ (để trống, Q1…Q4 hoặc T2030)."))
        return value


class CriteriaSetForm(ServiceForm):
    """A set's heading: province, year, subject (fixed once created), title, quota."""

    province = forms.ModelChoiceField(
        label=_("Tỉnh, thành phố"),
        queryset=None,
        empty_label=None,
        error_messages={"required": ERROR_REQUIRED, "invalid_choice": _("Lựa chọn không hợp lệ.")},
    )
    year = year_field(_("Năm"))
    period = PeriodField()
    subject = forms.ChoiceField(label=_("Đối tượng"), choices=Subject.choices)
    title = forms.CharField(
        label=_("Tên bộ tiêu chí"), max_length=250, error_messages={"required": ERROR_REQUIRED}
    )
    quota_percent = forms.IntegerField(
        label=_("Tỷ lệ tối đa đơn vị xếp mức 1 (%)"),
        required=False,
        min_value=1,
        max_value=100,
        localize=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": "3"}),
        help_text=_("Để trống nếu không giới hạn."),
        error_messages={
            "invalid": _("Tỷ lệ phải từ 1 đến 100."),
            "min_value": _("Tỷ lệ phải từ 1 đến 100."),
            "max_value": _("Tỷ lệ phải từ 1 đến 100."),
        },
    )
    service_error_fields = {"quota_percent": "quota_percent", "title": "title"}

    def __init__(self, *args, provinces=None, fixed=False, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed:
            for name in ("province", "year", "period", "subject"):
                del self.fields[name]
        else:
            self.fields["province"].queryset = provinces


class RowForm(forms.Form):
    """A row of a formset whose fields are all optional: a blank row is skipped, a row
    partly filled must be complete (``required_fields``)."""

    required_fields: tuple[str, ...] = ()

    def is_blank(self) -> bool:
        return not any(str(self.cleaned_data.get(f) or "").strip() for f in self.fields)

    def clean(self):
        cleaned = super().clean()
        if not self.is_blank():
            missing = [
                str(self.fields[f].label)
                for f in self.required_fields
                if not str(cleaned.get(f) or "").strip() and f not in self.errors
            ]
            if missing:
                raise ValidationError(ERROR_ROW_INCOMPLETE.format(fields=", ".join(missing)))
        return cleaned


class GroupForm(RowForm):
    required_fields = ("code", "title")
    code = forms.CharField(label=_("Mã nhóm"), max_length=10, required=False)
    title = forms.CharField(label=_("Tên nhóm"), max_length=250, required=False)


class ItemForm(RowForm):
    required_fields = ("group", "code", "text", "max_score")
    group = forms.CharField(label=_("Mã nhóm"), max_length=10, required=False)
    code = forms.CharField(label=_("Mã tiêu chí"), max_length=10, required=False)
    text = forms.CharField(
        label=_("Nội dung"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    max_score = forms.CharField(
        label=_("Điểm tối đa"), max_length=8, required=False, widget=ScoreInput()
    )
    guidance = forms.CharField(
        label=_("Hướng dẫn chấm"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    measure = forms.ChoiceField(
        label=_("Tính từ sổ theo dõi"),
        required=False,
        choices=[("", _("Không: người chấm")), *Measure.choices],
    )
    activity_kind = forms.ChoiceField(
        label=_("Loại hoạt động được tính"),
        required=False,
        choices=[("", _("Mọi loại")), *ActivityKind.choices],
    )
    thresholds = forms.CharField(
        label=_("Ngưỡng điểm"),
        max_length=200,
        required=False,
        help_text=CriterionItem._meta.get_field("thresholds").help_text,
    )

    def clean_max_score(self):
        value = self.cleaned_data["max_score"].strip()
        if not value:
            return ""
        return number_text(_decimal(value, message=ERROR_MAX_SCORE, positive=True))

    def clean(self):
        cleaned = super().clean()
        if self.is_blank() or self.errors:
            return cleaned
        # The model's rule (evaluations.thresholds), its messages beside the fields.
        item = CriterionItem(
            max_score=Decimal(cleaned["max_score"].replace(",", ".")),
            **{f: cleaned.get(f, "") for f in QUANTITATIVE_FIELDS},
        )
        try:
            item.clean()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(field, message)
        else:
            cleaned["thresholds"] = item.thresholds
        return cleaned


class GateForm(RowForm):
    required_fields = ("code", "question", "cap_level")
    code = forms.CharField(label=_("Mã"), max_length=10, required=False)
    question = forms.CharField(
        label=_("Điều kiện"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    cap_level = forms.ChoiceField(
        label=_("Khi có, xếp cao nhất"), choices=LEVEL_SELECT, required=False
    )
    automatic = forms.ChoiceField(
        label=_("Cách trả lời"),
        required=False,
        choices=[("", _("Người chấm trả lời")), *GateRule.choices],
    )


class RowFormSet(forms.BaseFormSet):
    """Every row is validated, even one left as it was shown: rows start filled (the
    default groups, a stored set), and an unchanged row still counts."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "empty_permitted": False}


GroupFormSet = forms.formset_factory(GroupForm, formset=RowFormSet, extra=2)
ItemFormSet = forms.formset_factory(ItemForm, formset=RowFormSet, extra=3)
GateFormSet = forms.formset_factory(GateForm, formset=RowFormSet, extra=2)


class ScaleForm(forms.Form):
    """The rating scale: a label and a minimum total for each of the four levels."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for level in LEVELS:
            self.fields[f"label_{level}"] = forms.CharField(
                label=_("Tên mức %(level)s") % {"level": level},
                max_length=100,
                error_messages={"required": ERROR_REQUIRED},
            )
            self.fields[f"min_{level}"] = forms.CharField(
                label=_("Điểm tối thiểu mức %(level)s") % {"level": level},
                max_length=8,
                widget=ScoreInput(),
                error_messages={"required": ERROR_REQUIRED},
            )

    def clean(self):
        cleaned = super().clean()
        for level in LEVELS:
            name = f"min_{level}"
            if cleaned.get(name):
                try:
                    cleaned[name] = _decimal(cleaned[name], message=ERROR_MIN_SCORE, positive=False)
                except ValidationError as exc:
                    self.add_error(name, exc)
        return cleaned

    def scale(self) -> list[tuple]:
        return [
            (
                level,
                normalize(self.cleaned_data[f"label_{level}"]),
                self.cleaned_data[f"min_{level}"],
            )
            for level in LEVELS
        ]

    @staticmethod
    def initial_for(levels=None) -> dict:
        steps = levels or DEFAULT_SCALE
        initial = {}
        for level, label, minimum in steps:
            initial[f"label_{level}"] = label
            initial[f"min_{level}"] = number_text(minimum)
        return initial


class CriteriaEditor:
    """The whole set on one page: heading, groups, items, gates and scale, validated
    together; ``data()`` gives the services' arguments (``criteria_set_create`` /
    ``criteria_set_update``)."""

    def __init__(self, data=None, *, provinces=None, criteria_set=None, initial=None):
        fixed = criteria_set is not None
        initial = initial or {}
        self.heading = CriteriaSetForm(
            data, provinces=provinces, fixed=fixed, initial=initial.get("heading")
        )
        self.groups = GroupFormSet(data, prefix="groups", initial=initial.get("groups"))
        self.items = ItemFormSet(data, prefix="items", initial=initial.get("items"))
        self.gates = GateFormSet(data, prefix="gates", initial=initial.get("gates"))
        self.scale = ScaleForm(data, prefix="scale", initial=initial.get("scale"))
        self._errors: list[str] = []

    @classmethod
    def initial_from(cls, criteria_set) -> dict:
        """Initial values of the editor from a stored set (with its contents loaded by
        ``selectors.criteria_set_contents``)."""
        return {
            "heading": {"title": criteria_set.title, "quota_percent": criteria_set.quota_percent},
            "groups": [{"code": g.code, "title": g.title} for g in criteria_set.group_list],
            "items": [
                {
                    "group": g.code,
                    "code": i.code,
                    "text": i.text,
                    "max_score": number_text(i.max_score),
                    "guidance": i.guidance,
                    **{f: getattr(i, f) for f in QUANTITATIVE_FIELDS},
                }
                for g in criteria_set.group_list
                for i in g.items.all()
            ],
            "gates": [
                {
                    "code": c.code,
                    "question": c.question,
                    "cap_level": str(c.cap_level),
                    "automatic": c.automatic,
                }
                for c in criteria_set.gate_list
            ],
            "scale": ScaleForm.initial_for(
                [(lv.level, lv.label, lv.min_score) for lv in criteria_set.level_list]
            ),
        }

    @property
    def top_errors(self):
        return [*self.heading.top_errors, *self._errors]

    def add_error(self, message) -> None:
        self._errors.append(message)

    def add_service_error(self, exc: ValidationError) -> None:
        # The heading's fields on the heading form, the rest above the whole editor.
        add_service_error(self.heading, exc, top=self._errors.append)

    def is_valid(self) -> bool:
        valid = all(
            [
                self.heading.is_valid(),
                self.groups.is_valid(),
                self.items.is_valid(),
                self.gates.is_valid(),
                self.scale.is_valid(),
            ]
        )
        if not valid:
            return False
        group_codes = self._unique(self.groups, "code")
        self._unique(self.items, "code")
        self._unique(self.gates, "code")
        for form in self.items:
            code = form.cleaned_data.get("group", "").strip()
            if not form.is_blank() and code and code not in group_codes:
                form.add_error("group", ERROR_GROUP_UNKNOWN.format(code=code))
        return not (
            any(f.errors for f in self.groups)
            or any(f.errors for f in self.items)
            or any(f.errors for f in self.gates)
        )

    @staticmethod
    def _unique(formset, field) -> set[str]:
        seen = set()
        for form in formset:
            if form.is_blank():
                continue
            code = form.cleaned_data.get(field, "").strip()
            if code in seen:
                form.add_error(field, ERROR_DUPLICATE_CODE.format(code=code))
            seen.add(code)
        return seen

    def data(self) -> dict:
        rows = [f.cleaned_data for f in self.items if not f.is_blank()]
        groups = [
            {
                "code": f.cleaned_data["code"].strip(),
                "title": f.cleaned_data["title"],
                "items": [
                    {
                        "code": r["code"].strip(),
                        "text": r["text"],
                        "max_score": Decimal(r["max_score"].replace(",", ".")),
                        "guidance": r["guidance"],
                        **{f: r.get(f, "") for f in QUANTITATIVE_FIELDS},
                    }
                    for r in rows
                    if r["group"].strip() == f.cleaned_data["code"].strip()
                ],
            }
            for f in self.groups
            if not f.is_blank()
        ]
        gates = [
            {
                "code": f.cleaned_data["code"].strip(),
                "question": f.cleaned_data["question"],
                "cap_level": int(f.cleaned_data["cap_level"]),
                "automatic": f.cleaned_data.get("automatic", ""),
            }
            for f in self.gates
            if not f.is_blank()
        ]
        heading = self.heading.cleaned_data
        return {
            **{k: heading[k] for k in ("title", "quota_percent")},
            **{k: heading[k] for k in ("province", "year", "period", "subject") if k in heading},
            "groups": groups,
            "gates": gates,
            "scale": self.scale.scale(),
        }


class CopyForm(ServiceForm):
    """The period a set is copied to (a year, and within it the whole year, a quarter
    or a term), and the province when the set's province was merged
    into a 2025 one (copy to the successor)."""

    year = year_field(_("Sao chép sang năm"))
    period = PeriodField()
    province = forms.TypedChoiceField(label=_("Sang tỉnh"), coerce=int, required=False)

    def __init__(self, *args, provinces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.provinces = {p.pk: p for p in provinces}
        if len(self.provinces) > 1:
            self.fields["province"].choices = [(p.pk, p.name) for p in provinces]
            self.fields["province"].initial = provinces[-1].pk
        else:
            del self.fields["province"]

    def clean_province(self):
        return self.provinces.get(self.cleaned_data.get("province"))


class RoundForm(ServiceForm):
    """A set's rating round: the opening day and each step's deadline (all optional)."""

    opens_on = DayField(label=_("Ngày mở đợt đánh giá"), required=False)
    self_due = DayField(label=_("Hạn tự đánh giá"), required=False)
    proposal_due = DayField(label=_("Hạn đề xuất"), required=False)
    decision_due = DayField(label=_("Hạn quyết định"), required=False)
