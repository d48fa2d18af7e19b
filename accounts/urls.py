"""Staff account URLs (namespace "accounts"), mounted at /can-bo/tai-khoan/: account
management (managers), and every account's own security page and login code page."""

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.AccountListView.as_view(), name="list"),
    # Every logged-in account's own pages: the second factor, and its code at login.
    path("bao-mat/", views.AccountSecurityView.as_view(), name="security"),
    path("xac-thuc/", views.OtpVerifyView.as_view(), name="otp_verify"),
    path("tao/", views.AccountCreateView.as_view(), name="create"),
    path("<int:pk>/", views.AccountDetailView.as_view(), name="detail"),
    path("<int:pk>/sua/", views.AccountUpdateView.as_view(), name="update"),
    path("<int:pk>/khoa/", views.AccountStatusView.as_view(deactivate=True), name="deactivate"),
    path(
        "<int:pk>/mo-khoa/",
        views.AccountStatusView.as_view(deactivate=False),
        name="reactivate",
    ),
    path("<int:pk>/mat-khau/", views.AccountPasswordView.as_view(), name="password"),
]
