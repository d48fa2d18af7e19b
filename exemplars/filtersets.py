"""Filters of the staff list of models and of the public gallery."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from exemplars.choices import ExemplarField, ExemplarStatus
from exemplars.selectors import exemplar_get_queryset, exemplars_public
from units.choices import Level
from units.models import Area
from units.selectors import edition_default
from work.filtersets import CHOICE_ERRORS, PlaceFilterSet

#: Years a model may be registered in (the filter refuses others).
YEAR_MIN, YEAR_MAX = 1900, 2100

ERROR_YEAR = _("Năm không hợp lệ: ghi bốn chữ số, ví dụ 2025.")


def _year_filter():
    return django_filters.NumberFilter(
        label=_("Năm đăng ký"),
        field_name="registered_on__year",
        # A year out of range is a form error, never a query (year 0 is no date).
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        error_messages={"invalid": ERROR_YEAR, "min_value": ERROR_YEAR, "max_value": ERROR_YEAR},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 2000, "max": 2100}),
    )


def _field_filter():
    return django_filters.ChoiceFilter(
        error_messages=CHOICE_ERRORS,
        label=_("Lĩnh vực"),
        choices=ExemplarField.choices,
        empty_label=_("Tất cả"),
    )


class ExemplarFilterSet(PlaceFilterSet):
    """Staff list: place (an area and everything under it), step, field, year."""

    status = django_filters.ChoiceFilter(
        error_messages=CHOICE_ERRORS,
        label=_("Trạng thái"),
        choices=ExemplarStatus.choices,
        empty_label=_("Tất cả"),
    )
    field = _field_filter()
    year = _year_filter()

    class Meta:
        model = None
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.filters["unit"]  # models belong to areas, not to units


class GalleryFilterSet(django_filters.FilterSet):
    """Public gallery: province (of the default map), field, year registered."""

    province = django_filters.ModelChoiceFilter(
        label=_("Tỉnh, thành phố"),
        queryset=None,
        method="filter_province",
        to_field_name="code",
        empty_label=_("Tất cả"),
        error_messages=CHOICE_ERRORS,
    )
    field = _field_filter()
    year = _year_filter()

    class Meta:
        model = None
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["province"].queryset = Area.objects.filter(
            edition=edition_default(), level=Level.PROVINCE
        ).order_by("code")

    def filter_province(self, queryset, name, value):
        return queryset.filter(area_path__descendant_of=value.path)


def exemplar_filter(user, params) -> ExemplarFilterSet:
    return ExemplarFilterSet(params or {}, queryset=exemplar_get_queryset(user), user=user)


def gallery_filter(params) -> GalleryFilterSet:
    models = exemplars_public().select_related("area__parent").prefetch_related("photos")
    return GalleryFilterSet(params or {}, queryset=models.order_by("-decision_date", "-pk"))
