"""Statistics URLs (namespace "reports"), included at the site root: the open API
(CONTRACTS section 3) and its OpenAPI description, the public pages (section 4), and
the staff dashboard under the staff prefix /can-bo/."""

from django.urls import path

from reports import views
from reports.periodic import views as periodic

app_name = "reports"

urlpatterns = [
    path("api/v1/stats/", views.StatsAPIView.as_view(), name="stats_api"),
    path("api/v1/stats/<str:code>/", views.StatsAPIView.as_view(), name="stats_api_area"),
    path("api/v1/schema/", views.OpenAPISchemaView.as_view(), name="api_schema"),
    path("thong-ke/", views.StatsPageView.as_view(), name="stats_page"),
    path("thong-ke/<str:code>/", views.StatsPageView.as_view(), name="stats_page_area"),
    path("can-bo/thong-ke/", views.DashboardView.as_view(), name="dashboard"),
    path(
        "can-bo/thong-ke/danh-sach/<slug:kind>/",
        views.DashboardListView.as_view(),
        name="dashboard_list",
    ),
    # Periodic reports (reports/periodic/): staff, 2025 provinces and communes.
    path("can-bo/bao-cao-dinh-ky/", periodic.PeriodicListView.as_view(), name="periodic_list"),
    path(
        "can-bo/bao-cao-dinh-ky/<str:code>/<str:period>/",
        periodic.PeriodicEditView.as_view(),
        name="periodic_edit",
    ),
    path(
        "can-bo/bao-cao-dinh-ky/<str:code>/<str:period>/tai-ve.<str:fmt>",
        periodic.PeriodicDownloadView.as_view(),
        name="periodic_download",
    ),
]
