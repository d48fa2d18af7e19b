"""The notifications pages: an account sees and changes its own notifications only
(another account's answers 404, like one that does not exist)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView

from notifications import services
from notifications.forms import EmailPreferenceForm
from notifications.selectors import email_enabled, notifications_of
from portal.mail import email_configured

PAGE_SIZE = 30
MESSAGE_ALL_READ = _("Đã đánh dấu tất cả thông báo là đã đọc.")
MESSAGE_EMAIL_ON = _("Đã bật thư thông báo.")
MESSAGE_EMAIL_OFF = _("Đã tắt thư thông báo.")


class NotificationListView(LoginRequiredMixin, ListView):
    """The account's notifications, unread first; the e-mail preference."""

    template_name = "notifications/list.html"
    paginate_by = PAGE_SIZE
    context_object_name = "notifications"

    def get_queryset(self):
        return notifications_of(self.request.user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            email_configured=email_configured(),
            has_address=bool(user.email),
            form=EmailPreferenceForm(initial={"email_enabled": email_enabled(user)}),
            **kwargs,
        )


class NotificationOpenView(LoginRequiredMixin, View):
    """Open one of the account's notifications: marked read, then its link."""

    def get(self, request, pk):
        notification = get_object_or_404(notifications_of(request.user), pk=pk)
        services.notification_open(user=request.user, notification=notification)
        link = notification.link
        if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
            return redirect(link)
        return redirect("notifications:list")


class MarkAllReadView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        services.notifications_mark_all_read(user=request.user)
        messages.success(request, MESSAGE_ALL_READ)
        return redirect("notifications:list")


class EmailPreferenceView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        form = EmailPreferenceForm(request.POST)
        form.is_valid()
        enabled = bool(form.cleaned_data.get("email_enabled"))
        services.email_preference_set(user=request.user, email_enabled=enabled)
        messages.success(request, MESSAGE_EMAIL_ON if enabled else MESSAGE_EMAIL_OFF)
        return redirect("notifications:list")
