"""Forms of the staff interface.

Forms parse what an officer types (day-first dates, phones, birth years) with the same
parsers as the Excel import, so a value accepted on one door is accepted on the other;
the rules themselves live in the services, whose ``ValidationError`` the views hand back
to the form with ``add_service_error``.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.choices import ETHNICITY_CHOICES, Gender, Role, role_label
from members.services import ERROR_NAME_REQUIRED, PERSON_FIELDS
from members.validation import parse_birth_year, parse_phone
from portal.forms import ERROR_CHOICE, ERROR_REQUIRED, DayField, ServiceForm
from portal.text import normalize
from units.choices import TEAM_KINDS, UnitKind

ERROR_VILLAGE_REQUIRED = _("Chưa nhập tên thôn, tổ dân phố.")
ERROR_SPLIT_NONE = _("Chọn ít nhất một lượt tham gia để tách sang hồ sơ mới.")

ROLE_HELP = _("Trưởng khối/Tổ trưởng, Phó khối/Tổ phó hoặc Thành viên.")


def _choice(label, choices, *, blank=None, **kwargs):
    if blank is not None:
        choices = [("", blank), *choices]
    return forms.ChoiceField(
        label=label,
        choices=choices,
        error_messages={"invalid_choice": ERROR_CHOICE, "required": ERROR_REQUIRED},
        **kwargs,
    )


def role_choices(unit_kind: str) -> list[tuple[str, str]]:
    """Roles as the unit calls them: "Trưởng khối" in a bloc, "Tổ trưởng" in a team."""
    return [(role.value, role_label(role, unit_kind)) for role in Role]


class PersonDetailsForm(ServiceForm):
    """A person's details as a roster holds them."""

    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=120,
        error_messages={"required": ERROR_NAME_REQUIRED},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "words"}),
    )
    gender = _choice(_("Giới tính"), Gender.choices, blank=_("— không ghi —"), required=False)
    birth_year = forms.CharField(
        label=_("Năm sinh"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": _("ví dụ 1978")}),
    )
    ethnicity = _choice(_("Dân tộc"), ETHNICITY_CHOICES, blank=_("— không ghi —"), required=False)
    party_member = forms.BooleanField(label=_("Đảng viên"), required=False)
    phone = forms.CharField(
        label=_("Số điện thoại"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    position = forms.CharField(
        label=_("Chức vụ"),
        required=False,
        max_length=200,
        help_text=_("Chức vụ đang giữ ở nơi khác, ví dụ Bí thư chi bộ."),
    )

    person_fields = PERSON_FIELDS

    def clean_full_name(self):
        name = normalize(self.cleaned_data["full_name"])
        if not name:
            raise ValidationError(ERROR_NAME_REQUIRED)
        return name

    def clean_birth_year(self):
        try:
            return parse_birth_year(self.cleaned_data["birth_year"])
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def clean_phone(self):
        try:
            return parse_phone(self.cleaned_data["phone"])
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def person_data(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.person_fields}


class MembershipAddForm(PersonDetailsForm):
    """A new seat in a unit. The person is recognised by the identity rule (same name,
    birth year and compatible phone in the province) or created."""

    field_order = ["full_name", "role", "gender", "birth_year", "ethnicity", "party_member"]

    role = _choice(_("Vai trò"), Role.choices, initial=Role.MEMBER, help_text=ROLE_HELP)
    start_date = DayField(label=_("Ngày tham gia"))

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(unit.kind)
        self.fields["role"].help_text = ""

    def clean_party_member(self):
        # A box cannot say "not stated": unticked on the add form is None, so adding a
        # recognised person keeps their record's value (membership_add's blank rule).
        return self.cleaned_data["party_member"] or None


class MembershipUpdateForm(MembershipAddForm):
    """A seat's role and start date, and its person's details (for every seat the
    person holds)."""

    def __init__(self, *args, membership, **kwargs):
        person = membership.person
        initial = {field: getattr(person, field) for field in self.person_fields}
        initial.update(role=membership.role, start_date=membership.start_date)
        kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
        super().__init__(*args, unit=membership.unit, **kwargs)
        self.fields["start_date"].required = bool(membership.start_date)

    def clean_party_member(self):
        # The edit form shows the stored value: unticked means "not a Party member".
        return self.cleaned_data["party_member"]


class MembershipEndForm(ServiceForm):
    """A departure: the last day and the reason; the seat stays as history."""

    service_error_fields = {"end_reason": "end_reason"}

    end_date = DayField(label=_("Ngày thôi"), required=True)
    end_reason = forms.CharField(
        label=_("Lý do"),
        required=False,
        max_length=200,
        help_text=_("Ví dụ: chuyển công tác, nghỉ hưu, theo nguyện vọng."),
    )

    def __init__(self, *args, **kwargs):
        kwargs["initial"] = {"end_date": timezone.localdate(), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)


class UnitFoundingForm(ServiceForm):
    """Founding decision and operating rules, shared by the bloc and team forms."""

    decision_number = forms.CharField(
        label=_("Số quyết định thành lập"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": _("ví dụ 125-QĐ/ĐU")}),
    )
    decision_date = DayField(label=_("Ngày quyết định"))
    rules_adopted_on = DayField(
        label=_("Ngày ban hành quy chế hoạt động"),
        help_text=_("Để trống nếu chưa ban hành quy chế."),
    )

    def unit_data(self) -> dict:
        data = {
            "decision_number": normalize(self.cleaned_data["decision_number"]),
            "decision_date": self.cleaned_data["decision_date"],
            "rules_adopted_on": self.cleaned_data["rules_adopted_on"],
        }
        if "rules_adopted" in self.fields:
            data["rules_adopted"] = self.cleaned_data["rules_adopted"]
        return data


class BlocCreateForm(UnitFoundingForm):
    """Found the commune's bloc."""


class TeamCreateForm(UnitFoundingForm):
    """Found a village team; an unknown village name creates the village."""

    service_error_fields = {"area": "village_name", "name": "village_name"}
    field_order = ["village_name", "kind"]

    village_name = forms.CharField(
        label=_("Tên thôn, tổ dân phố"),
        max_length=150,
        error_messages={"required": ERROR_VILLAGE_REQUIRED},
        help_text=_("Chọn thôn có sẵn hoặc gõ tên thôn mới: thôn mới được thêm vào xã."),
        widget=forms.TextInput(attrs={"list": "village-names", "autocomplete": "off"}),
    )
    kind = _choice(
        _("Loại tổ"),
        [(k.value, k.label) for k in TEAM_KINDS],
        initial=UnitKind.TEAM,
    )

    def clean_village_name(self):
        name = normalize(self.cleaned_data["village_name"])
        if not name:
            raise ValidationError(ERROR_VILLAGE_REQUIRED)
        return name


class UnitUpdateForm(UnitFoundingForm):
    """A unit's founding details. A bloc stays a bloc; a team may become a community
    team and back."""

    field_order = ["name", "kind"]

    name = forms.CharField(label=_("Tên đơn vị"), max_length=200, required=False)
    kind = _choice(_("Loại đơn vị"), [(k.value, k.label) for k in TEAM_KINDS])
    rules_adopted = forms.BooleanField(
        label=_("Đã ban hành quy chế hoạt động"),
        required=False,
        help_text=_("Nhập ngày ban hành thì mục này được đánh dấu theo."),
    )

    def __init__(self, *args, unit, **kwargs):
        initial = {
            field: getattr(unit, field)
            for field in (
                "name",
                "kind",
                "decision_number",
                "decision_date",
                "rules_adopted",
                "rules_adopted_on",
            )
        }
        kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["name"].help_text = _("Để trống để đặt tên theo địa bàn.")
        if not unit.is_team:
            del self.fields["kind"]

    def unit_data(self) -> dict:
        data = super().unit_data()
        data["name"] = normalize(self.cleaned_data["name"])
        data["kind"] = self.cleaned_data.get("kind", self.unit.kind)
        return data


class UnitDissolveForm(ServiceForm):
    """Dissolve a unit on a day; its current members' seats end that day."""

    dissolved_on = DayField(label=_("Ngày giải thể"), required=True)

    def __init__(self, *args, **kwargs):
        kwargs["initial"] = {"dissolved_on": timezone.localdate(), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)


class PersonMergeForm(ServiceForm):
    """The duplicate record to fold into the person of the page."""

    duplicate = forms.ModelChoiceField(
        queryset=None,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": ERROR_CHOICE, "required": ERROR_REQUIRED},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicate"].queryset = candidates


class PersonSplitForm(PersonDetailsForm):
    """The seats that belong to another person, and that person's name, birth year and
    phone; the other details are copied from the record being split."""

    field_order = ["memberships", "full_name", "birth_year", "phone"]

    memberships = forms.ModelMultipleChoiceField(
        label=_("Lượt tham gia của người kia"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": ERROR_SPLIT_NONE,
            "invalid_choice": ERROR_CHOICE,
            "invalid_pk_value": ERROR_CHOICE,
        },
    )

    person_fields = ("full_name", "birth_year", "phone")

    def __init__(self, *args, person, memberships, **kwargs):
        initial = {"full_name": person.full_name, "birth_year": person.birth_year}
        kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        for name in ("gender", "ethnicity", "party_member", "position"):
            del self.fields[name]
        field = self.fields["memberships"]
        field.queryset = memberships
        field.label_from_instance = self.membership_label

    @staticmethod
    def membership_label(membership) -> str:
        label = f"{membership.unit} — {membership.role_label}"
        if membership.end_date:
            label += " " + str(_("(đã thôi {date})")).format(
                date=membership.end_date.strftime("%d/%m/%Y")
            )
        return label


class CommuneSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm xã, phường theo tên hoặc mã 5 số"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("ví dụ: bang thanh hoặc 01849")}
        ),
    )
