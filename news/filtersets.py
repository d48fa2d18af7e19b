"""Filters of the news desk's article list."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from news.choices import ArticleStatus
from news.models import Article, Category
from news.selectors import search_condition

CHOICE_ERRORS = {"invalid_choice": _("Lựa chọn không hợp lệ.")}


class ArticleFilterSet(django_filters.FilterSet):
    """Status, category, and a search in the title, summary and body that ignores
    diacritics."""

    q = django_filters.CharFilter(
        label=_("Tìm trong bài"),
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("gõ có dấu hoặc không")}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"),
        choices=ArticleStatus.choices,
        empty_label=_("Tất cả"),
        error_messages=CHOICE_ERRORS,
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Chuyên mục"),
        queryset=Category.objects.all(),
        empty_label=_("Tất cả"),
        error_messages=CHOICE_ERRORS,
    )

    class Meta:
        model = Article
        fields = ["q", "status", "category"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(search_condition(value)) if value.strip() else queryset
