"""Forms of the staff account pages.

The forms only parse what the manager types; the rules live in ``accounts.services``,
whose ``ValidationError`` the views put back on the form with ``add_service_error``
(``portal.forms.ServiceForm``).

The area picker works without JavaScript: the form's "Tìm địa bàn" button sends the whole
form back, and the page shows it again with the matching areas (within the manager's
scope, by name ignoring diacritics or by official code) as checkboxes next to the areas
already ticked. Only those are rendered, so a system administrator's form does not list
the country's 13,000 areas; what may be submitted is still checked against the whole
assignable set.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import StaffRole
from accounts.selectors import assignable_area_search, assignable_areas
from accounts.services import grantable_roles
from portal.forms import ERROR_CHOICE, ERROR_REQUIRED, ServiceForm
from units.choices import Edition
from units.models import Area

ERROR_PASSWORDS_DIFFER = _("Hai lần nhập mật khẩu không giống nhau.")

#: Name of the submit button that searches areas instead of saving.
SEARCH_BUTTON = "_search"

_ERRORS = {"required": ERROR_REQUIRED, "invalid_choice": ERROR_CHOICE}


def area_label(area: Area) -> str:
    """ "Xã Bằng Thành — Huyện Pác Nặm, Tỉnh Bắc Kạn · mã 01849 · trước 01/07/2025",
    from the joined parents."""
    parents, node = [], area.parent
    while node is not None:
        parents.append(node.name)
        node = node.parent if node.parent_id else None
    label = area.name
    if parents:
        label += " — " + ", ".join(parents)
    if area.code:
        label += " · " + _("mã {code}").format(code=area.code)
    return f"{label} · {Edition(area.edition).label.lower()}"


class AccountFilterForm(forms.Form):
    """Filters of the account list (GET)."""

    q = forms.CharField(
        label=_("Tìm"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Tên đăng nhập, họ tên, thư điện tử")}
        ),
    )
    role = forms.ChoiceField(
        label=_("Vai trò"), required=False, choices=[("", _("Mọi vai trò")), *StaffRole.choices]
    )
    active = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), ("1", _("Đang hoạt động")), ("0", _("Đã khóa"))],
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        active = self.cleaned_data["active"]
        return {
            "query": self.cleaned_data["q"],
            "role": self.cleaned_data["role"],
            "active": None if active == "" else active == "1",
        }


class AccountRoleAreasForm(ServiceForm):
    """Role and areas, with the area picker (see the module docstring)."""

    role = forms.ChoiceField(label=_("Vai trò"), error_messages=_ERRORS)
    areas = forms.ModelMultipleChoiceField(
        label=_("Địa bàn phụ trách"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": ERROR_CHOICE, "invalid_pk_value": ERROR_CHOICE},
    )
    area_q = forms.CharField(
        label=_("Tìm địa bàn"),
        required=False,
        max_length=100,
        help_text=_("Tên tỉnh, huyện, xã (gõ không dấu cũng được) hoặc mã số."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def __init__(self, *args, acting_user, **kwargs):
        super().__init__(*args, **kwargs)
        self.acting_user = acting_user
        roles = grantable_roles(acting_user)
        self.fields["role"].choices = [("", _("— Chọn vai trò —"))] + [
            (value, label) for value, label in StaffRole.choices if value in roles
        ]
        self.fields["areas"].queryset = assignable_areas(acting_user)
        self.area_results = self._picker_choices()

    def _value(self, name: str):
        if self.is_bound:
            return self.data.get(self.add_prefix(name), "")
        return self.initial.get(name, "")

    def _selected_pks(self) -> list[int]:
        if self.is_bound:
            raw = self.data.getlist(self.add_prefix("areas"))
        else:
            raw = self.initial.get("areas") or []
        pks = []
        for value in raw:
            value = getattr(value, "pk", value)
            try:
                pks.append(int(value))
            except (TypeError, ValueError):
                continue
        return pks

    def _picker_choices(self) -> list[Area]:
        """Render the ticked areas, then the search results; remember the results so
        the page can say when nothing matched."""
        role = self._value("role") or None
        if role not in StaffRole.values:
            role = None
        selected = list(
            assignable_areas(self.acting_user)
            .filter(pk__in=self._selected_pks())
            .select_related("parent__parent")
            .order_by("edition", "path")
        )
        query = (self._value("area_q") or "").strip()
        results = []
        if query:
            results = list(assignable_area_search(user=self.acting_user, query=query, role=role))
        shown = selected + [a for a in results if a not in selected]
        self.fields["areas"].widget.choices = [(a.pk, area_label(a)) for a in shown]
        self.area_query = query
        return results


class AccountCreateForm(AccountRoleAreasForm):
    """A new staff account. The password may be left empty: a random one is generated
    and shown once."""

    service_error_fields = {"password": "password1"}

    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        error_messages=_ERRORS,
        help_text=_("Chữ không dấu, chữ số, dấu . _ - ; ví dụ: nguyenvanan.bangthanh"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150, error_messages=_ERRORS)
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )
    position = forms.CharField(label=_("Chức vụ"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    password1 = forms.CharField(
        label=_("Mật khẩu"),
        required=False,
        strip=False,
        help_text=_(
            "Để trống: hệ thống tạo mật khẩu ngẫu nhiên và hiển thị một lần để bạn "
            "trao cho người dùng."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = [
        "username", "full_name", "email", "position", "phone", "role", "areas", "area_q",
        "password1", "password2",
    ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1", "") != cleaned.get("password2", ""):
            self.add_error("password2", ERROR_PASSWORDS_DIFFER)
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "username": data["username"],
            "full_name": data["full_name"],
            "email": data["email"],
            "role": data["role"],
            "areas": list(data["areas"]),
            "position": data["position"],
            "phone": data["phone"],
            "password": data["password1"] or None,
        }


class AccountUpdateForm(AccountRoleAreasForm):
    """Role, areas and contact details of an existing account."""

    full_name = forms.CharField(label=_("Họ và tên"), max_length=150, error_messages=_ERRORS)
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )
    position = forms.CharField(label=_("Chức vụ"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )

    field_order = ["full_name", "email", "position", "phone", "role", "areas", "area_q"]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "full_name": data["full_name"],
            "email": data["email"],
            "role": data["role"],
            "areas": list(data["areas"]),
            "position": data["position"],
            "phone": data["phone"],
        }


class AccountStatusForm(ServiceForm):
    """Deactivate or reactivate, with the reason kept in the audit trail."""

    reason = forms.CharField(
        label=_("Lý do"),
        max_length=500,
        error_messages=_ERRORS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AccountPasswordForm(ServiceForm):
    """A new password for someone else's account; empty: a random one, shown once."""

    service_error_fields = {"password": "password1"}

    password1 = forms.CharField(
        label=_("Mật khẩu mới"),
        required=False,
        strip=False,
        help_text=_("Để trống: hệ thống tạo mật khẩu ngẫu nhiên và hiển thị một lần."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu mới"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1", "") != cleaned.get("password2", ""):
            self.add_error("password2", ERROR_PASSWORDS_DIFFER)
        return cleaned


class TotpCodeForm(forms.Form):
    """A six-digit code of the authenticator app (second factor)."""

    code = forms.CharField(
        label=_("Mã xác thực"),
        max_length=12,
        error_messages={"required": ERROR_REQUIRED},
        help_text=_("6 chữ số đang hiện trong ứng dụng xác thực trên điện thoại."),
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
    )
