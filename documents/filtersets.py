"""Filters of the documents: the public list (/van-ban/) and the staff list."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from documents import selectors
from documents.choices import DocumentStatus, DocumentType
from documents.models import Document

CHOICE_ERRORS = {"invalid_choice": _("Lựa chọn không hợp lệ.")}


class _Search(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Tìm văn bản"),
        method="filter_q",
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Ví dụ: huong dan 267"),
                "maxlength": selectors.MAX_QUERY_LENGTH,
            }
        ),
    )
    doc_type = django_filters.ChoiceFilter(
        label=_("Loại văn bản"),
        field_name="doc_type",
        choices=DocumentType.choices,
        empty_label=_("Tất cả"),
        error_messages=CHOICE_ERRORS,
    )

    def filter_q(self, queryset, name, value):
        return queryset.filter(selectors.search_condition(value)) if value.strip() else queryset


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        """An area under its parent's name (two communes of two maps may share one)."""
        return f"{obj.name} — {obj.parent.name}" if obj.parent_id else obj.name


class AreaFilter(django_filters.ModelChoiceFilter):
    field_class = AreaChoiceField


class PublicDocumentFilterSet(_Search):
    """The public list: a search ignoring diacritics (number, title, summary), the type,
    the issuing body, the year issued and the related area (with everything under it).
    The choices of issuer, year and area are those of published documents."""

    issuer = django_filters.ChoiceFilter(
        label=_("Cơ quan ban hành"), empty_label=_("Tất cả"), error_messages=CHOICE_ERRORS
    )
    year = django_filters.ChoiceFilter(
        label=_("Năm ban hành"),
        field_name="issued_on__year",
        empty_label=_("Tất cả"),
        error_messages=CHOICE_ERRORS,
    )
    area = AreaFilter(
        label=_("Địa bàn"),
        method="filter_area",
        queryset=None,
        empty_label=_("Tất cả"),
        error_messages=CHOICE_ERRORS,
    )

    class Meta:
        model = Document
        fields = ["q", "doc_type", "issuer", "year", "area"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["issuer"].extra["choices"] = [(i, i) for i in selectors.issuer_choices()]
        self.filters["year"].extra["choices"] = [(y, str(y)) for y in selectors.year_choices()]
        self.filters["area"].extra["queryset"] = selectors.area_choices()

    def filter_area(self, queryset, name, value):
        return queryset.filter(selectors.area_condition(value)) if value else queryset


class StaffDocumentFilterSet(_Search):
    """The staff list: search, type, status and published or not."""

    status = django_filters.ChoiceFilter(
        label=_("Hiệu lực"),
        choices=DocumentStatus.choices,
        empty_label=_("Tất cả"),
        error_messages=CHOICE_ERRORS,
    )
    is_published = django_filters.BooleanFilter(
        label=_("Đăng công khai"),
        widget=forms.Select(
            choices=[("", _("Tất cả")), ("true", _("Đã đăng")), ("false", _("Chưa đăng"))]
        ),
    )

    class Meta:
        model = Document
        fields = ["q", "doc_type", "status", "is_published"]
