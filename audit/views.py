"""The audit trail in the staff interface: the history of the user's area, of one object,
and the record of personal-data exports. Reads go through audit.selectors, scoped
like everything else: an object outside the user's area answers 404 like a missing one."""

from django.contrib.auth.mixins import UserPassesTestMixin
from django.views.generic import ListView, TemplateView

from audit.forms import HistoryFilterForm
from audit.models import ExportRecord
from audit.selectors import (
    HistoryFilters,
    can_view_audit,
    history_page,
    object_history_target,
)
from audit.subject_requests import subject_requests

EXPORT_PAGE_SIZE = 50
#: Pages past this are empty anyway; a larger number would overflow the SQL OFFSET.
PAGE_MAX = 100_000


def _page_number(request) -> int:
    try:
        return min(max(1, int(request.GET.get("page", 1))), PAGE_MAX)
    except ValueError:
        return 1


class AuditAccessMixin(UserPassesTestMixin):
    """Staff with a roster role and the "view audit" permission; anonymous visitors go
    to the login page, other users get 403."""

    def test_func(self):
        return can_view_audit(self.request.user)


class AreaHistoryView(AuditAccessMixin, TemplateView):
    """Recent changes of areas, units, people and memberships within the user's area
    (accounts too, for system administrators), newest first, filtered by kind, door,
    user, dates, import batch and area."""

    template_name = "audit/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = HistoryFilterForm(self.request.GET or None, user=user)
        if form.is_bound and not form.is_valid():
            page = None
        else:
            filters = form.filters() if form.is_bound else HistoryFilters()
            page = history_page(user=user, filters=filters, page=_page_number(self.request))
        context.update(
            form=form,
            page=page,
            area=form.cleaned_data.get("area") if form.is_bound and form.is_valid() else None,
            batch=form.cleaned_data.get("batch") if form.is_bound and form.is_valid() else None,
        )
        return context


class ObjectHistoryView(AuditAccessMixin, TemplateView):
    """Every recorded change of one unit, person, membership or area (a unit's and a
    person's page include their memberships' changes)."""

    template_name = "audit/object_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        target = object_history_target(user=user, kind_key=kwargs["kind"], pk=kwargs["pk"])
        context.update(
            target=target,
            page=history_page(user=user, target=target, page=_page_number(self.request)),
        )
        return context


class ExportListView(AuditAccessMixin, ListView):
    """Exports of personal data: all of them for a system administrator, else the
    user's own and those of accounts bound to areas within the user's scope."""

    template_name = "audit/exports.html"
    context_object_name = "exports"
    paginate_by = EXPORT_PAGE_SIZE

    def get_queryset(self):
        return ExportRecord.objects.visible_to(self.request.user).select_related("user")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        requests = subject_requests(user=self.request.user, exports=context["exports"])
        for export in context["exports"]:
            export.subject_request = requests.get(export.pk)
        return context
