"""Audit trail URLs (namespace "audit"), mounted at /can-bo/lich-su/."""

from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("", views.AreaHistoryView.as_view(), name="history"),
    path("xuat-du-lieu/", views.ExportListView.as_view(), name="exports"),
    path("<slug:kind>/<int:pk>/", views.ObjectHistoryView.as_view(), name="object_history"),
]
