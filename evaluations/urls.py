"""Ratings URLs (namespace "evaluations"), mounted at /can-bo/danh-gia/."""

from django.urls import path

from evaluations.views import (
    chains,
    criteria,
    history,
    member_ratings,
    overview,
    steps,
    unit_ratings,
    workbook,
)

app_name = "evaluations"

urlpatterns = [
    # The units of the user's area for a year; the deciders' list and bulk approval.
    path("", overview.OverviewView.as_view(), name="overview"),
    path("quyet-dinh/", overview.DecisionListView.as_view(), name="decision_list"),
    path("quyet-dinh/phe-duyet/", overview.BulkApproveView.as_view(), name="bulk_approve"),
    # The score sheet of an area as a workbook: download, import, the last error report.
    path("excel/", workbook.SheetUploadView.as_view(), name="sheet_upload"),
    path("excel/tai-ve/", workbook.SheetDownloadView.as_view(), name="sheet_download"),
    path("excel/bao-loi/", workbook.SheetErrorReportView.as_view(), name="sheet_errors"),
    # A unit's rating of a year: the self-assessment sheet.
    path("don-vi/<int:unit_pk>/", unit_ratings.UnitRatingView.as_view(), name="unit_rating"),
    path("don-vi/<int:unit_pk>/<int:year>/", unit_ratings.SheetView.as_view(), name="sheet"),
    path(
        "don-vi/<int:unit_pk>/<int:year>/bat-dau/", unit_ratings.StartView.as_view(), name="start"
    ),
    # One rating: the commune's proposal, the decision and its steps.
    path("<int:pk>/de-xuat/", unit_ratings.ProposalView.as_view(), name="proposal"),
    path("<int:pk>/quyet-dinh/", unit_ratings.DecisionView.as_view(), name="decision"),
    path("<int:pk>/phe-duyet/", unit_ratings.ApproveView.as_view(), name="approve"),
    path("<int:pk>/tra-lai/", steps.ReturnView.as_view(), name="return"),
    path("<int:pk>/khong-xep-loai/", steps.NotRatedView.as_view(), name="not_rated"),
    path("<int:pk>/mo-lai/", steps.ReopenView.as_view(), name="reopen"),
    path("<int:pk>/lich-su/", history.HistoryView.as_view(), name="history"),
    path("minh-chung/<int:pk>/", unit_ratings.EvidenceView.as_view(), name="evidence"),
    # Member ratings of a roster.
    path(
        "thanh-vien/<int:unit_pk>/<int:year>/",
        member_ratings.MemberRatingsView.as_view(),
        name="member_ratings",
    ),
    # One member's rating: its steps, and the steps that need a written reason.
    path(
        "thanh-vien/xep-loai/<int:pk>/",
        member_ratings.MemberRatingView.as_view(),
        name="member_rating",
    ),
    path(
        "thanh-vien/xep-loai/<int:pk>/tra-lai/",
        member_ratings.MemberReturnView.as_view(),
        name="member_return",
    ),
    path(
        "thanh-vien/xep-loai/<int:pk>/khong-xep-loai/",
        member_ratings.MemberNotRatedView.as_view(),
        name="member_not_rated",
    ),
    path(
        "thanh-vien/xep-loai/<int:pk>/mo-lai/",
        member_ratings.MemberReopenView.as_view(),
        name="member_reopen",
    ),
    # Criteria sets.
    path("bo-tieu-chi/", criteria.CriteriaListView.as_view(), name="criteria_list"),
    # Approval chains of a province (provincial staff who manage its criteria).
    path("quy-trinh/", chains.ChainListView.as_view(), name="chain_list"),
    path("quy-trinh/<int:pk>/", chains.ChainView.as_view(), name="chains"),
    path("bo-tieu-chi/them/", criteria.CriteriaCreateView.as_view(), name="criteria_create"),
    path("bo-tieu-chi/<int:pk>/", criteria.CriteriaDetailView.as_view(), name="criteria_detail"),
    path("bo-tieu-chi/<int:pk>/sua/", criteria.CriteriaEditView.as_view(), name="criteria_update"),
    path(
        "bo-tieu-chi/<int:pk>/ban-hanh/",
        criteria.CriteriaIssueView.as_view(),
        name="criteria_issue",
    ),
    path(
        "bo-tieu-chi/<int:pk>/dot-danh-gia/",
        criteria.CriteriaRoundView.as_view(),
        name="criteria_round",
    ),
    path(
        "bo-tieu-chi/<int:pk>/sao-chep/", criteria.CriteriaCopyView.as_view(), name="criteria_copy"
    ),
    path(
        "bo-tieu-chi/<int:pk>/phien-ban-moi/",
        criteria.CriteriaNewVersionView.as_view(),
        name="criteria_new_version",
    ),
]
