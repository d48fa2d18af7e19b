"""Documents URLs (namespace "documents"), with their full paths: mounted at the root by
danvan/urls.py, so that the public list is exactly /van-ban/ (docs/CONTRACTS.md,
section 4) and the staff pages live under /can-bo/van-ban/."""

from django.urls import path

from documents import feeds, views

app_name = "documents"

urlpatterns = [
    # Public pages. The feed ends in ".xml": a slug never holds a dot.
    path("van-ban/", views.DocumentListView.as_view(), name="list"),
    path("van-ban/rss.xml", feeds.LatestDocumentsFeed(), name="rss"),
    path("van-ban/<slug:key>/", views.DocumentDetailView.as_view(), name="detail"),
    path("van-ban/<slug:key>/tep/<int:pk>/", views.attachment_download, name="file"),
    # Staff pages.
    path("can-bo/van-ban/", views.StaffListView.as_view(), name="desk"),
    path("can-bo/van-ban/them/", views.DocumentFormView.as_view(), name="create"),
    path("can-bo/van-ban/<int:pk>/sua/", views.DocumentFormView.as_view(), name="edit"),
    path("can-bo/van-ban/<int:pk>/tep/", views.AttachmentAddView.as_view(), name="file_add"),
    path(
        "can-bo/van-ban/<int:pk>/tep/<int:attachment_pk>/go/",
        views.AttachmentRemoveView.as_view(),
        name="file_remove",
    ),
]
