"""News URLs (namespace "news"), with their full paths: mounted at the root by
danvan/urls.py, so that the public pages are exactly /tin-tuc/ and /tin-tuc/<slug>/
(CONTRACTS section 4) and the news desk lives under /can-bo/tin-tuc/."""

from django.conf import settings
from django.urls import path

from news import feeds, views

app_name = "news"

urlpatterns = [
    # Public pages. Feeds end in ".xml": a slug never holds a dot, so no article can
    # shadow them.
    path("tin-tuc/", views.ArticleListView.as_view(), name="list"),
    path("tin-tuc/rss.xml", feeds.LatestRssFeed(), name="rss"),
    path("tin-tuc/atom.xml", feeds.LatestAtomFeed(), name="atom"),
    path("tin-tuc/chuyen-muc/<slug:slug>/", views.ArticleListView.as_view(), name="category"),
    path("tin-tuc/chuyen-muc/<slug:slug>/rss.xml", feeds.CategoryRssFeed(), name="category_rss"),
    path(
        "tin-tuc/chuyen-muc/<slug:slug>/atom.xml",
        feeds.CategoryAtomFeed(),
        name="category_atom",
    ),
    path("tin-tuc/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    # The news desk.
    path("can-bo/tin-tuc/", views.DeskListView.as_view(), name="desk"),
    path("can-bo/tin-tuc/viet-bai/", views.ArticleFormView.as_view(), name="create"),
    path("can-bo/tin-tuc/anh/", views.image_upload, name="image_upload"),
    path("can-bo/tin-tuc/<int:pk>/sua/", views.ArticleFormView.as_view(), name="edit"),
    path("can-bo/tin-tuc/<int:pk>/xem-truoc/", views.ArticlePreviewView.as_view(), name="preview"),
    path(
        "can-bo/tin-tuc/<int:pk>/dang/",
        views.ArticleActionView.as_view(action="publish"),
        name="publish",
    ),
    path(
        "can-bo/tin-tuc/<int:pk>/hen-gio/",
        views.ArticleActionView.as_view(action="schedule"),
        name="schedule",
    ),
    path(
        "can-bo/tin-tuc/<int:pk>/huy-hen-gio/",
        views.ArticleActionView.as_view(action="unschedule"),
        name="unschedule",
    ),
    path(
        "can-bo/tin-tuc/<int:pk>/luu-tru/",
        views.ArticleActionView.as_view(action="archive"),
        name="archive",
    ),
    path("can-bo/tin-tuc/<int:pk>/lich-su/", views.RevisionListView.as_view(), name="revisions"),
    path(
        "can-bo/tin-tuc/<int:pk>/lich-su/<int:history_id>/",
        views.RevisionDetailView.as_view(),
        name="revision",
    ),
]

# The pictures of the news, served by the portal itself (the Docker image has no other
# web server); a reverse proxy may serve MEDIA_ROOT/news/ directly instead (docs/NEWS.md).
if settings.MEDIA_URL.startswith("/"):
    urlpatterns.append(
        path(f"{settings.MEDIA_URL.lstrip('/')}news/<path:path>", views.media, name="media")
    )
