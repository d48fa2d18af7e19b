"""Filters of the ratings overview and decision list.

The rows are units annotated with their rating of the year (``selectors.rating_rows``);
``RatingFilterSet`` narrows them by stage, level, kind, area (by official code: the
area and everything under it), and a name search that ignores diacritics.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.selectors import areas_visible_to
from evaluations.choices import LEVELS, Stage, level_label
from portal.text import fold
from units.choices import UnitKind

#: The stage of a unit that has no rating row for the year yet.
STAGE_NONE = "none"
STAGE_CHOICES = [(STAGE_NONE, _("Chưa tự đánh giá")), *Stage.choices]
LEVEL_CHOICES = [(str(level), level_label(level)) for level in LEVELS]

ERROR_CHOICE = _("Lựa chọn không hợp lệ.")
CHOICE_ERRORS = {"invalid_choice": ERROR_CHOICE}


class RatingFilterSet(django_filters.FilterSet):
    """Filters of the units of an area with their rating of a year."""

    q = django_filters.CharFilter(
        label=_("Tên đơn vị"),
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("gõ có dấu hoặc không")}),
    )
    stage = django_filters.ChoiceFilter(
        label=_("Bước"),
        choices=STAGE_CHOICES,
        field_name="stage_key",
        empty_label=_("Tất cả"),
        error_messages=CHOICE_ERRORS,
    )
    level = django_filters.ChoiceFilter(
        label=_("Mức xếp loại"),
        choices=LEVEL_CHOICES,
        field_name="current_level",
        empty_label=_("Tất cả"),
        error_messages=CHOICE_ERRORS,
        help_text=_(
            "Mức ở bước đánh giá đang đứng: đã quyết định, đề xuất đã gửi lên, hoặc tự đánh "
            "giá đã gửi lên Đảng ủy xã."
        ),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Loại đơn vị"),
        choices=UnitKind.choices,
        empty_label=_("Tất cả"),
        error_messages=CHOICE_ERRORS,
    )
    area_code = django_filters.CharFilter(
        label=_("Mã xã hoặc huyện"),
        method="filter_area_code",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": _("ví dụ 01834")}),
    )

    class Meta:
        model = None  # rows always come from selectors.rating_rows
        fields = []

    def __init__(self, data=None, queryset=None, *, user=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.user = user
        self.area_not_found = False

    def filter_q(self, queryset, name, value):
        for word in fold(value).split():
            queryset = queryset.filter(search_name__contains=word)
        return queryset

    def filter_area_code(self, queryset, name, value):
        """An official code of a province (2 digits), district (3) or commune (5), in
        either edition: the units of that area and everything under it."""
        code = value.strip()
        paths = []
        if code.isdigit() and len(code) in (2, 3, 5):
            paths = list(
                areas_visible_to(self.user).filter(code=code).values_list("path", flat=True)
            )
        if not paths:
            self.area_not_found = True
            return queryset.none()
        condition = Q()
        for path in paths:
            condition |= Q(area_path__descendant_of=path)
        return queryset.filter(condition)
