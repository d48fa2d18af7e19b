"""Filters of the activity and opinion lists, shared with the activities export.

``activity_filter(user, params)`` and ``opinion_filter(user, params, ...)`` are the
entry points: the list pages and the export call them over the user's visible rows, so a
file exported from a filtered list holds exactly the rows the page showed.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.selectors import areas_visible_to, units_visible_to
from units.choices import Level
from units.selectors import edition_default
from work.choices import ActivityKind, OpinionChannel, OpinionStatus, OpinionTopic, Queue
from work.selectors import activity_get_queryset, opinion_get_queryset, queue_condition

ERROR_DATE = _("Ngày không hợp lệ: ghi theo dạng ngày/tháng/năm, ví dụ 21/11/2026.")
ERROR_CHOICE = _("Lựa chọn không hợp lệ.")
CHOICE_ERRORS = {"invalid_choice": ERROR_CHOICE}
CODE_LEVELS = {2: Level.PROVINCE, 3: Level.DISTRICT, 5: Level.COMMUNE}


def _day_filter(label, lookup):
    return django_filters.DateFilter(
        label=label,
        field_name="",
        lookup_expr=lookup,
        error_messages={"invalid": ERROR_DATE},
        widget=forms.DateInput(attrs={"placeholder": _("ngày/tháng/năm"), "autocomplete": "off"}),
    )


class PlaceFilterSet(django_filters.FilterSet):
    """Where: an area (by id, as links pass it, or by its official code typed in the
    form, read in the default edition) and everything under it, or one unit."""

    area = django_filters.ModelChoiceFilter(
        error_messages=CHOICE_ERRORS,
        label=_("Địa bàn"),
        method="filter_area",
        queryset=None,
        widget=forms.HiddenInput,
    )
    area_code = django_filters.CharFilter(
        label=_("Mã xã, huyện hoặc tỉnh"),
        method="filter_area_code",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": _("ví dụ 01834")}),
    )
    unit = django_filters.ModelChoiceFilter(
        error_messages=CHOICE_ERRORS, label=_("Đơn vị"), queryset=None, widget=forms.HiddenInput
    )

    def __init__(self, data=None, queryset=None, *, user=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.user = user
        self.filters["area"].queryset = areas_visible_to(user)
        self.filters["unit"].queryset = units_visible_to(user)
        self.area_not_found = False

    def filter_area(self, queryset, name, value):
        return queryset.filter(area_path__descendant_of=value.path)

    def filter_area_code(self, queryset, name, value):
        """An official code of 2, 3 or 5 digits among the user's areas; when both maps
        have it, the default map's area (2025 when both are loaded)."""
        code = value.strip()
        level = CODE_LEVELS.get(len(code)) if code.isdigit() else None
        found = None
        if level is not None:
            default = edition_default()
            areas = areas_visible_to(self.user).filter(level=level, code=code)
            found = min(areas, key=lambda a: (a.edition != default, a.path), default=None)
        if found is None:
            self.area_not_found = True
            return queryset.none()
        return queryset.filter(area_path__descendant_of=found.path)


class ActivityFilterSet(PlaceFilterSet):
    """Activities by place, unit, kind and period (from–to, both days included)."""

    kind = django_filters.ChoiceFilter(
        error_messages=CHOICE_ERRORS,
        label=_("Loại hoạt động"),
        choices=ActivityKind.choices,
        empty_label=_("Tất cả"),
    )
    date_from = _day_filter(_("Từ ngày"), "gte")
    date_to = _day_filter(_("Đến ngày"), "lte")

    class Meta:
        model = None  # the queryset always comes from activity_filter's selector
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["date_from"].field_name = "date"
        self.filters["date_to"].field_name = "date"


class OpinionFilterSet(PlaceFilterSet):
    """Opinions by place, unit, step, topic, channel, period received, and queue."""

    status = django_filters.ChoiceFilter(
        error_messages=CHOICE_ERRORS,
        label=_("Trạng thái"),
        choices=OpinionStatus.choices,
        empty_label=_("Tất cả"),
    )
    topic = django_filters.ChoiceFilter(
        error_messages=CHOICE_ERRORS,
        label=_("Lĩnh vực"),
        choices=OpinionTopic.choices,
        empty_label=_("Tất cả"),
    )
    channel = django_filters.ChoiceFilter(
        error_messages=CHOICE_ERRORS,
        label=_("Hình thức"),
        choices=OpinionChannel.choices,
        empty_label=_("Tất cả"),
    )
    date_from = _day_filter(_("Tiếp nhận từ ngày"), "gte")
    date_to = _day_filter(_("Tiếp nhận đến ngày"), "lte")

    class Meta:
        model = None
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["date_from"].field_name = "received_on"
        self.filters["date_to"].field_name = "received_on"


def activity_filter(user, params) -> ActivityFilterSet:
    """The activity list's filterset over the activities ``user`` may see (unit,
    commune and who recorded them joined; newest first). Read ``.qs``; when
    ``.is_valid()`` is false, ``.errors`` says why in Vietnamese."""
    return ActivityFilterSet(params or {}, queryset=activity_get_queryset(user), user=user)


def opinion_filter(user, params, *, queue: str | None = None, today=None) -> OpinionFilterSet:
    """The opinion list's filterset over the opinions ``user`` may see, limited to one
    of the staff queues (``work.choices.Queue``) when ``queue`` is given."""
    opinions = opinion_get_queryset(user)
    if queue is not None:
        opinions = opinions.filter(queue_condition(Queue(queue), today))
        if queue == Queue.OVERDUE:
            opinions = opinions.order_by("due_on", "pk")
    return OpinionFilterSet(params or {}, queryset=opinions, user=user)
