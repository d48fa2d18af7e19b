"""Django admin of the daily work. Activities and opinions are read-only here, scoped to
the user's area like every staff list (they are recorded and followed on the staff
pages, through the services); nothing is deleted here. A province's number of days to
answer is set through ``overdue_days_set`` (provincial staff of the province, system
administrators)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.access import scope_of
from portal.forms import ServiceAdminMixin, ServiceModelForm
from portal.text import fold
from work import selectors
from work.models import Activity, Opinion, ProvinceWorkSettings
from work.services_opinions import overdue_days_set


class ReadOnlyScopedAdmin(admin.ModelAdmin):
    """Shown to roster roles within their area, never written here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))


@admin.register(Activity)
class ActivityAdmin(ReadOnlyScopedAdmin):
    list_display = ["date", "kind", "unit", "place", "participants", "people_reached"]
    list_filter = ["kind", "date"]
    list_select_related = ["unit"]
    search_fields = ["unit__search_name"]
    date_hierarchy = "date"
    fields = [
        "unit", "kind", "date", "place", "participants", "people_reached", "work_days",
        "description", "recorded_by", "created_at", "updated_at",
    ]  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return selectors.activities_visible_to(request.user).select_related("unit", "recorded_by")


@admin.register(Opinion)
class OpinionAdmin(ReadOnlyScopedAdmin):
    """Opinions of the user's area; the citizen's name and phone are shown to those
    whose area covers the unit, which every row here is."""

    list_display = ["received_on", "topic", "unit", "status", "due_on", "hot_spot_severity"]
    list_filter = ["status", "topic", "channel", "hot_spot_severity"]
    list_select_related = ["unit"]
    search_fields = ["unit__search_name"]
    date_hierarchy = "received_on"
    fields = [
        "unit", "received_on", "channel", "topic", "summary", "citizen_name", "citizen_phone",
        "status", "due_on", "forwarded_to", "forwarded_on", "answer", "answered_by",
        "answered_on", "returned_on", "returned_how", "closed_on", "hot_spot_severity",
        "hot_spot_since", "hot_spot_note", "hot_spot_resolved_on", "recorded_by",
        "created_at", "updated_at",
    ]  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return selectors.opinions_visible_to(request.user).select_related("unit", "recorded_by")


class SettingsAdminForm(ServiceModelForm):
    class Meta:
        model = ProvinceWorkSettings
        fields = ["province", "overdue_days"]

    def call_service(self, data):
        province = self.instance.province if self.instance.pk else data["province"]
        return overdue_days_set(
            province=province, days=data["overdue_days"], acting_user=self.acting_user
        )


@admin.register(ProvinceWorkSettings)
class ProvinceWorkSettingsAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """The provinces' numbers of days to answer, within the user's area."""

    form = SettingsAdminForm
    list_display = ["province", "overdue_days", "updated_by", "updated_at"]
    list_select_related = ["province", "updated_by"]
    readonly_fields = ["updated_by", "updated_at"]

    def get_queryset(self, request):
        rows = super().get_queryset(request).select_related("province")
        return scope_of(request.user).apply(rows, "province__path")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "province"] if obj is not None else readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "province":
            kwargs["queryset"] = selectors.provinces_for_settings(request.user)
            kwargs["help_text"] = _("Tỉnh, thành phố theo danh mục từ 01/07/2025.")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False  # back to the default: set 15
