"""Notifications URLs (namespace "notifications"), mounted at /can-bo/thong-bao/: every
logged-in account's own list, each notification opened (marked read, then its link),
"mark all read" and the e-mail preference."""

from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("<int:pk>/", views.NotificationOpenView.as_view(), name="open"),
    path("doc-het/", views.MarkAllReadView.as_view(), name="mark_all_read"),
    path("thu-dien-tu/", views.EmailPreferenceView.as_view(), name="email_preference"),
]
