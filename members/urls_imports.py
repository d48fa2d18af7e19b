"""Import, export and template URLs, inside the "members" namespace."""

from django.urls import path

from members import views_imports as views
from members import views_villages

urlpatterns = [
    path("nhap-danh-sach/", views.ImportUploadView.as_view(), name="import_upload"),
    path("nhap-danh-sach/<int:pk>/", views.ImportJobView.as_view(), name="import_job"),
    path(
        "nhap-danh-sach/<int:pk>/trang-thai/",
        views.ImportJobStatusView.as_view(),
        name="import_job_status",
    ),
    path(
        "nhap-danh-sach/<int:pk>/xac-nhan/",
        views.ImportJobConfirmView.as_view(),
        name="import_job_confirm",
    ),
    path(
        "nhap-danh-sach/<int:pk>/bao-cao-loi/",
        views.ImportJobReportView.as_view(),
        name="import_job_report",
    ),
    path("xuat-danh-sach/<str:fmt>/", views.RosterExportView.as_view(), name="roster_export"),
    path("mau-danh-sach/", views.RosterTemplateView.as_view(), name="roster_template"),
    path(
        "nap-danh-sach-thon/",
        views_villages.VillageListUploadView.as_view(),
        name="village_list_upload",
    ),
]
