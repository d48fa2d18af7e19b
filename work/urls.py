"""Staff URLs of the daily work (namespace "work"), mounted at /can-bo/ before the
rosters: activities under /can-bo/hoat-dong/, citizens' opinions under /can-bo/y-kien/.
Nothing here is public."""

from django.urls import path

from work import views, views_imports
from work import views_opinions as opinions

app_name = "work"

urlpatterns = [
    path("hoat-dong/", views.WorkHomeView.as_view(), name="home"),
    # Activities.
    path("hoat-dong/danh-sach/", views.ActivityListView.as_view(), name="activity_list"),
    path("hoat-dong/xuat-excel/", views.ActivityExportView.as_view(), name="activity_export"),
    path(
        "hoat-dong/don-vi/<int:pk>/ghi/",
        views.ActivityCreateView.as_view(),
        name="activity_create",
    ),
    path("hoat-dong/<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("hoat-dong/<int:pk>/sua/", views.ActivityUpdateView.as_view(), name="activity_update"),
    path("hoat-dong/<int:pk>/xoa/", views.ActivityDeleteView.as_view(), name="activity_delete"),
    path("hoat-dong/anh/<int:pk>/", views.PhotoView.as_view(), name="photo"),
    path("hoat-dong/anh/<int:pk>/xoa/", views.PhotoDeleteView.as_view(), name="photo_delete"),
    # The activities workbook.
    path(
        "hoat-dong/nhap-excel/",
        views_imports.ActivityImportView.as_view(),
        name="activity_import",
    ),
    path(
        "hoat-dong/nhap-excel/bao-loi/",
        views_imports.ActivityImportErrorsView.as_view(),
        name="activity_import_errors",
    ),
    path(
        "hoat-dong/nhap-excel/tep-mau/",
        views_imports.ActivityTemplateView.as_view(),
        name="activity_template",
    ),
    # Citizens' opinions.
    path("y-kien/", opinions.OpinionListView.as_view(), name="opinion_list"),
    path(
        "y-kien/hang-doi/<slug:queue>/",
        opinions.OpinionListView.as_view(),
        name="opinion_queue",
    ),
    path(
        "y-kien/don-vi/<int:pk>/ghi/",
        opinions.OpinionCreateView.as_view(),
        name="opinion_create",
    ),
    path(
        "y-kien/yeu-cau-nguoi-dan/",
        opinions.CitizenRequestView.as_view(),
        name="citizen_request",
    ),
    path("y-kien/<int:pk>/", opinions.OpinionDetailView.as_view(), name="opinion_detail"),
    path("y-kien/<int:pk>/sua/", opinions.OpinionUpdateView.as_view(), name="opinion_update"),
    path("y-kien/<int:pk>/chuyen/", opinions.OpinionForwardView.as_view(), name="opinion_forward"),
    path("y-kien/<int:pk>/tra-loi/", opinions.OpinionAnswerView.as_view(), name="opinion_answer"),
    path(
        "y-kien/<int:pk>/thong-tin-lai/",
        opinions.OpinionReturnView.as_view(),
        name="opinion_return",
    ),
    path(
        "y-kien/<int:pk>/sua-thong-tin-lien-he/",
        opinions.OpinionContactCorrectView.as_view(),
        name="opinion_contact_correct",
    ),
    path(
        "y-kien/<int:pk>/xoa-thong-tin-lien-he/",
        opinions.OpinionContactEraseView.as_view(),
        name="opinion_contact_erase",
    ),
    path("y-kien/<int:pk>/ket-thuc/", opinions.OpinionCloseView.as_view(), name="opinion_close"),
    path("y-kien/<int:pk>/diem-nong/", opinions.HotSpotFlagView.as_view(), name="hot_spot_flag"),
    path(
        "y-kien/<int:pk>/diem-nong/da-giai-quyet/",
        opinions.HotSpotResolveView.as_view(),
        name="hot_spot_resolve",
    ),
    # The provinces' number of days to answer.
    path("y-kien/thoi-han/", opinions.SettingsView.as_view(), name="settings"),
    path(
        "y-kien/thoi-han/<int:pk>/",
        opinions.SettingsUpdateView.as_view(),
        name="settings_update",
    ),
]
