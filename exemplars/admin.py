"""Django admin of the "Dân vận khéo" models: read-only and scoped to the user's area
like the staff list (models are registered and followed on the staff pages, through
the services); nothing is deleted here."""

from django.contrib import admin

from exemplars import selectors
from exemplars.models import Exemplar
from work.admin import ReadOnlyScopedAdmin


@admin.register(Exemplar)
class ExemplarAdmin(ReadOnlyScopedAdmin):
    list_display = ["title", "field", "area", "owner_name", "status", "registered_on"]
    list_filter = ["status", "field", "decision_level"]
    list_select_related = ["area"]
    search_fields = ["title", "owner_name"]
    date_hierarchy = "registered_on"
    fields = [
        "area", "title", "field", "owner_kind", "owner_name", "registered_on", "description",
        "results", "status", "started_on", "reviewed_on", "review_note", "decision_number",
        "decision_date", "decision_level", "typical_on", "rejected_on", "rejection_reason",
        "recorded_by", "created_at", "updated_at",
    ]  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return selectors.exemplars_visible_to(request.user).select_related("area", "recorded_by")

    def get_search_results(self, request, queryset, search_term):
        # Titles keep their diacritics: search as typed (ReadOnlyScopedAdmin folds).
        return admin.ModelAdmin.get_search_results(self, request, queryset, search_term)
