"""Ratings URLs (namespace "evaluations"), mounted at /can-bo/danh-gia/."""

from django.urls import path

from evaluations import views, views_sheets

app_name = "evaluations"

urlpatterns = [
    # The units of the user's area for a year; the deciders' list and bulk approval.
    path("", views.OverviewView.as_view(), name="overview"),
    path("quyet-dinh/", views.DecisionListView.as_view(), name="decision_list"),
    path("quyet-dinh/phe-duyet/", views.BulkApproveView.as_view(), name="bulk_approve"),
    # The score sheet of an area as a workbook: download, import, the last error report.
    path("excel/", views_sheets.SheetUploadView.as_view(), name="sheet_upload"),
    path("excel/tai-ve/", views_sheets.SheetDownloadView.as_view(), name="sheet_download"),
    path("excel/bao-loi/", views_sheets.SheetErrorReportView.as_view(), name="sheet_errors"),
    # A unit's rating of a year: the self-assessment sheet.
    path("don-vi/<int:unit_pk>/", views.UnitRatingView.as_view(), name="unit_rating"),
    path("don-vi/<int:unit_pk>/<int:year>/", views.SheetView.as_view(), name="sheet"),
    path("don-vi/<int:unit_pk>/<int:year>/bat-dau/", views.StartView.as_view(), name="start"),
    # One rating: the commune's proposal, the decision and its steps.
    path("<int:pk>/de-xuat/", views.ProposalView.as_view(), name="proposal"),
    path("<int:pk>/quyet-dinh/", views.DecisionView.as_view(), name="decision"),
    path("<int:pk>/phe-duyet/", views.ApproveView.as_view(), name="approve"),
    path("<int:pk>/tra-lai/", views.ReturnView.as_view(), name="return"),
    path("<int:pk>/khong-xep-loai/", views.NotRatedView.as_view(), name="not_rated"),
    path("<int:pk>/mo-lai/", views.ReopenView.as_view(), name="reopen"),
    path("minh-chung/<int:pk>/", views.EvidenceView.as_view(), name="evidence"),
    # Member ratings of a roster.
    path(
        "thanh-vien/<int:unit_pk>/<int:year>/",
        views.MemberRatingsView.as_view(),
        name="member_ratings",
    ),
    # One member's rating: its steps, and the steps that need a written reason.
    path("thanh-vien/xep-loai/<int:pk>/", views.MemberRatingView.as_view(), name="member_rating"),
    path(
        "thanh-vien/xep-loai/<int:pk>/tra-lai/",
        views.MemberReturnView.as_view(),
        name="member_return",
    ),
    path(
        "thanh-vien/xep-loai/<int:pk>/khong-xep-loai/",
        views.MemberNotRatedView.as_view(),
        name="member_not_rated",
    ),
    path(
        "thanh-vien/xep-loai/<int:pk>/mo-lai/",
        views.MemberReopenView.as_view(),
        name="member_reopen",
    ),
    # Criteria sets.
    path("bo-tieu-chi/", views.CriteriaListView.as_view(), name="criteria_list"),
    path("bo-tieu-chi/them/", views.CriteriaCreateView.as_view(), name="criteria_create"),
    path("bo-tieu-chi/<int:pk>/", views.CriteriaDetailView.as_view(), name="criteria_detail"),
    path("bo-tieu-chi/<int:pk>/sua/", views.CriteriaEditView.as_view(), name="criteria_update"),
    path(
        "bo-tieu-chi/<int:pk>/ban-hanh/", views.CriteriaIssueView.as_view(), name="criteria_issue"
    ),
    path("bo-tieu-chi/<int:pk>/sao-chep/", views.CriteriaCopyView.as_view(), name="criteria_copy"),
    path(
        "bo-tieu-chi/<int:pk>/phien-ban-moi/",
        views.CriteriaNewVersionView.as_view(),
        name="criteria_new_version",
    ),
]
