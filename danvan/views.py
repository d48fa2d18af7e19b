"""Pages that belong to no single app: the home page and the health check."""

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.views.generic import TemplateView

from news.views import home_latest_html
from reports.disclosure import public_figures
from reports.stats import Place, area_stats_cached
from units.choices import Edition
from units.selectors import area_search, edition_default, editions_loaded, province_list

MAX_QUERY_LENGTH = 100


class HomeView(TemplateView):
    """The portal's front page: its name, the latest news, the headline figures of the
    installation (the statistics API's, CONTRACTS section 3) and the provinces,
    searchable without diacritics. A search shows its results only, right under the
    form (on a phone they would otherwise sit below the news and the figures)."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
        loaded = editions_loaded()
        edition = self.request.GET.get("edition")
        if edition not in loaded:
            edition = edition_default(loaded)
        context.update(
            query=query,
            edition=edition,
            editions=[(e, Edition(e).label) for e in loaded],
            provinces=province_list(edition=edition, query=query),
        )
        if query:
            # A province of the other edition (Bắc Kạn is legacy only) is still found.
            context["other_provinces"] = [
                (Edition(e).label, list(province_list(edition=e, query=query)))
                for e in loaded
                if e != edition
            ]
            context["areas"] = area_search(query=query, edition=edition)
        else:
            context["latest_news"] = home_latest_html()
            if loaded:
                # Same figures, same cache as /api/v1/stats/ (keyed by the data version).
                context["headline"] = public_figures(
                    area_stats_cached(Place(edition=edition_default(loaded)), timezone.localdate())
                )
        return context


def healthz(request):
    """200 when the app and its database answer, 503 otherwise (CONTRACTS section 4)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@staff_member_required
def admin_view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" shortcut, scoped: an object outside the user's area
    answers 404 exactly like a missing one (Django's own shortcut redirects for any
    existing object, which shows that it exists)."""
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type else None
    model_admin = admin.site._registry.get(model) if model else None
    if model_admin is None or not model_admin.has_view_or_change_permission(request):
        raise Http404
    try:
        visible = model_admin.get_queryset(request).filter(pk=object_id).exists()
    except (ValueError, ValidationError):
        visible = False
    if not visible:
        raise Http404
    return contenttype_views.shortcut(request, content_type_id, object_id)
