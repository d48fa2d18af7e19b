"""URL configuration: the apps' URLs, the admin, the public pages composed here."""

from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from accounts.views import OwnPasswordChangeView
from accounts.views_password import PortalPasswordResetView
from danvan import views
from documents.sitemaps import DOCUMENT_SITEMAPS
from exemplars.sitemaps import EXEMPLAR_SITEMAPS
from news.sitemaps import SITEMAPS

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("", include("reports.urls")),
    # News: the public pages /tin-tuc/... and the news desk /can-bo/tin-tuc/... (full
    # paths in news/urls.py), before members' /can-bo/; the site map of public pages.
    path("", include("news.urls")),
    # Documents: /van-ban/... and /can-bo/van-ban/... (full paths in documents/urls.py).
    path("", include("documents.urls")),
    # "Dân vận khéo" models: /mo-hinh/... and /can-bo/mo-hinh/... (exemplars/urls.py).
    path("", include("exemplars.urls")),
    path(
        "sitemap.xml",
        sitemap_views.sitemap,
        {"sitemaps": {**SITEMAPS, **DOCUMENT_SITEMAPS, **EXEMPLAR_SITEMAPS}},
        name="sitemap",
    ),
    path("ngon-ngu/", views.choose_language, name="choose_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before the admin's own shortcut of the same path, which is not scoped.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        views.admin_view_on_site,
        name="admin_view_on_site",
    ),
    path("admin/", admin.site.urls),
    # The owner's own password change clears "must change the password" (before
    # Django's pattern of the same path and name).
    path(
        "tai-khoan/password_change/",
        OwnPasswordChangeView.as_view(),
        name="password_change",
    ),
    # "Quên mật khẩu": honest without e-mail, rate-limited with it (before Django's).
    path(
        "tai-khoan/password_reset/",
        PortalPasswordResetView.as_view(),
        name="password_reset",
    ),
    path("tai-khoan/", include("django.contrib.auth.urls")),
    # Staff interface: rosters of blocs and teams, imports and exports.
    path("can-bo/tai-khoan/", include("accounts.urls")),
    path("can-bo/lich-su/", include("audit.urls")),
    path("can-bo/thong-bao/", include("notifications.urls")),
    path("can-bo/danh-gia/", include("evaluations.urls")),
    # The daily work: activities /can-bo/hoat-dong/..., opinions /can-bo/y-kien/...
    path("can-bo/", include("work.urls")),
    path("can-bo/", include("members.urls")),
]
