"""Pages that belong to no single app: the home page, the language choice and the
health check."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from news.cache import pages_version
from news.views import home_latest_html
from portal.http_cache import LIST_MAX_AGE, Freshness, public_cache
from reports.disclosure import public_figures
from reports.stats import Place, area_stats_cached
from reports.views import editions_loaded_cached, stats_version, stats_versions
from units.choices import Edition
from units.selectors import area_search, edition_default, province_list

MAX_QUERY_LENGTH = 100


def home_version(request, *args, **kwargs) -> Freshness:
    """The home page shows the latest news and the statistics' headline figures: both
    versions (``portal.http_cache``)."""
    if request.GET.get("q", "").strip():  # a search shows areas only
        return stats_version(request)
    news = pages_version(request)
    if news.token is None:
        return news
    return Freshness(f"{stats_version(request)}:{news.token}", max_age=news.max_age)


@method_decorator(public_cache(LIST_MAX_AGE, home_version), name="dispatch")
class HomeView(TemplateView):
    """The portal's front page: its name, the latest news, the headline figures of the
    installation (the statistics API's, CONTRACTS section 3) and the provinces,
    searchable without diacritics. A search shows its results only, right under the
    form (on a phone they would otherwise sit below the news and the figures)."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
        loaded = editions_loaded_cached(stats_versions(self.request).token())
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
            context["latest_news"] = home_latest_html(request=self.request)
            if loaded:
                # Same figures, same cache as /api/v1/stats/ (keyed by the data version).
                context["headline"] = public_figures(
                    area_stats_cached(
                        Place(edition=edition_default(loaded)),
                        timezone.localdate(),
                        stats_versions(self.request),
                    )
                )
        return context


@require_safe
def choose_language(request):
    """GET /ngon-ngu/?language=en&next=/tin-tuc/: save the reader's language in the
    language cookie and go back. The footer's form sends it by GET and carries no CSRF
    token, so a public page sets no cookie and a proxy may keep it (docs/DEPLOYMENT.md);
    choosing a display language is not a change anybody needs to be protected from.
    Django's ``set_language`` (POST, with a token) stays for logged-in forms."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    language = request.GET.get("language")
    if language in {code for code, _name in settings.LANGUAGES}:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@require_safe
def favicon(request):
    """``/favicon.ico``, which browsers ask for where a page names no icon (a JSON answer,
    a download, the admin): a permanent redirect to the portal's icon, kept a day."""
    response = HttpResponsePermanentRedirect(static("img/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


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
