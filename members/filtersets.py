"""Filters of the member list, shared with the roster export.

``membership_filter(user, params)`` is the one entry point: the member list page and the
export of "any filtered roster" both call it, so a file exported from a filtered list
holds exactly the rows the page showed.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import areas_visible_to, units_visible_to
from members.choices import ETHNICITY_CHOICES, Gender, Role
from members.selectors import membership_list
from portal.text import fold
from units.choices import Edition, UnitKind
from units.models import area_exists_q
from units.selectors import edition_default, editions_loaded

STATUS_ACTIVE = "active"
STATUS_ENDED = "ended"
STATUS_ALL = "all"
STATUS_CHOICES = [
    (STATUS_ACTIVE, _("Đang tham gia")),
    (STATUS_ENDED, _("Đã thôi")),
    (STATUS_ALL, _("Tất cả")),
]

ERROR_DATE = _("Ngày không hợp lệ: ghi theo dạng ngày/tháng/năm, ví dụ 21/11/2026.")
ERROR_CHOICE = _("Lựa chọn không hợp lệ.")
CHOICE_ERRORS = {"invalid_choice": ERROR_CHOICE}


class PartySelect(forms.NullBooleanSelect):
    """Yes / no / either, in the words of a roster."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (
            ("unknown", _("Tất cả")),
            ("true", _("Đảng viên")),
            ("false", _("Chưa là đảng viên")),
        )


class MembershipFilterSet(django_filters.FilterSet):
    """Filters of memberships: place, unit, kind, role, the person's attributes, a day
    on which the seat was held, current or past seats, and a name search.

    ``area`` (an id) and ``area_code`` (an official code, read in ``edition``) both keep
    the area and everything under it, through the path copied on each membership.
    """

    q = django_filters.CharFilter(
        label=_("Họ tên"),
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("gõ có dấu hoặc không")}),
    )
    area = django_filters.ModelChoiceFilter(
        error_messages=CHOICE_ERRORS,
        label=_("Địa bàn"),
        method="filter_area",
        queryset=None,
        widget=forms.HiddenInput,
    )
    area_code = django_filters.CharFilter(
        label=_("Mã địa bàn"),
        method="filter_area_code",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": _("ví dụ 01834")}),
    )
    edition = django_filters.ChoiceFilter(
        error_messages=CHOICE_ERRORS,
        label=_("Danh mục địa bàn"),
        choices=Edition.choices,
        method="filter_edition",
        empty_label=_("Cả hai"),
    )
    unit = django_filters.ModelChoiceFilter(
        error_messages=CHOICE_ERRORS, label=_("Đơn vị"), queryset=None, widget=forms.HiddenInput
    )
    kind = django_filters.ChoiceFilter(
        error_messages=CHOICE_ERRORS,
        label=_("Loại đơn vị"),
        field_name="unit__kind",
        choices=UnitKind.choices,
        empty_label=_("Tất cả"),
    )
    role = django_filters.ChoiceFilter(
        error_messages=CHOICE_ERRORS,
        label=_("Vai trò"),
        choices=Role.choices,
        empty_label=_("Tất cả"),
    )
    party_member = django_filters.BooleanFilter(
        label=_("Đảng viên"), field_name="person__party_member", widget=PartySelect
    )
    gender = django_filters.ChoiceFilter(
        error_messages=CHOICE_ERRORS,
        label=_("Giới tính"),
        field_name="person__gender",
        choices=Gender.choices,
        empty_label=_("Tất cả"),
    )
    ethnicity = django_filters.ChoiceFilter(
        error_messages=CHOICE_ERRORS,
        label=_("Dân tộc"),
        field_name="person__ethnicity",
        choices=ETHNICITY_CHOICES,
        empty_label=_("Tất cả"),
    )
    active_on = django_filters.DateFilter(
        label=_("Đang tham gia vào ngày"),
        method="filter_active_on",
        help_text=_("Khi nhập ngày, trạng thái bên dưới không được dùng."),
        error_messages={"invalid": ERROR_DATE},
        widget=forms.DateInput(attrs={"placeholder": _("ngày/tháng/năm")}),
    )
    status = django_filters.ChoiceFilter(
        error_messages=CHOICE_ERRORS,
        label=_("Trạng thái"),
        choices=STATUS_CHOICES,
        method="filter_status",
        empty_label=None,
    )

    class Meta:
        model = None  # the queryset always comes from membership_filter's selector
        fields = []

    def __init__(self, data=None, queryset=None, *, user=None, **kwargs):
        # Seats held now are what a roster means unless the reader asks otherwise.
        if data is not None and not data.get("status"):
            data = data.copy()
            data["status"] = STATUS_ACTIVE
        super().__init__(data, queryset, **kwargs)
        self.user = user
        self.filters["area"].queryset = areas_visible_to(user)
        self.filters["unit"].queryset = units_visible_to(user)
        self.area_not_found = False

    # Filters with a method get only non-empty values.

    def filter_q(self, queryset, name, value):
        for word in fold(value).split():
            queryset = queryset.filter(person__search_name__contains=word)
        return queryset

    def filter_area(self, queryset, name, value):
        return queryset.filter(area_path__descendant_of=value.path)

    def filter_area_code(self, queryset, name, value):
        code = value.strip()
        if not code.isdigit() or len(code) not in (2, 3, 5):
            self.area_not_found = True
            return queryset.none()
        edition = self.form.cleaned_data.get("edition") or edition_default(editions_loaded())
        area = areas_visible_to(self.user).filter(edition=edition, code=code).first()
        if area is None:
            self.area_not_found = True
            return queryset.none()
        return queryset.filter(area_path__descendant_of=area.path)

    def filter_edition(self, queryset, name, value):
        if self.form.cleaned_data.get("area_code"):
            return queryset  # the code is read in this edition; the area says the rest
        return queryset.filter(area_path__descendant_of=f"{value}/")

    def filter_active_on(self, queryset, name, value):
        return queryset.active_on(value)

    def filter_status(self, queryset, name, value):
        if self.form.cleaned_data.get("active_on"):
            return queryset
        # A seat in a unit whose area no longer exists (a legacy commune after
        # 30/06/2025) has ended with it, even when nobody wrote an end date.
        exists = area_exists_q(timezone.localdate(), "unit__")
        if value == STATUS_ACTIVE:
            return queryset.filter(exists, end_date__isnull=True)
        if value == STATUS_ENDED:
            return queryset.filter(~exists | Q(end_date__isnull=False))
        return queryset


def membership_filter(user, params) -> MembershipFilterSet:
    """The member list's filterset over the memberships ``user`` may see.

    ``params`` is a QueryDict (``request.GET``) or a dict. Read ``.qs`` for the rows
    (unit, commune and person already joined, in roster order); when ``.is_valid()`` is
    false, ``.errors`` says why in Vietnamese. Without ``status`` only current seats are
    kept.
    """
    return MembershipFilterSet(params or {}, queryset=membership_list(user), user=user)
