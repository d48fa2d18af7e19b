"""The public "Quên mật khẩu" page (Django's password reset), made honest and bounded.

Without e-mail configured (``EMAIL_HOST`` empty, the default: most committees' servers
send no mail) the page does not pretend: it says that the administrator resets
passwords, and no form is offered. With e-mail, requests are limited per address and
per client (``DANVAN_PASSWORD_RESET_PER_ADDRESS`` / ``..._PER_CLIENT`` an hour), so the
page can neither flood a mailbox nor be used to probe many addresses; beyond the limit
it answers 429 with a message. docs/SECURITY.md ("Password reset").
"""

import hashlib

from django.conf import settings
from django.contrib.auth.views import PasswordResetView
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from portal.mail import email_configured

MESSAGE_NO_EMAIL = _(
    "Cổng thông tin không gửi thư điện tử nên không tự đặt lại mật khẩu được. Hãy nhờ cán "
    "bộ quản lý tài khoản của tỉnh hoặc quản trị hệ thống đặt lại mật khẩu cho bạn."
)
ERROR_TOO_MANY_RESETS = _(
    "Đã có quá nhiều yêu cầu đặt lại mật khẩu cho địa chỉ này hoặc từ máy này. Hãy thử lại "
    "sau một giờ, hoặc nhờ cán bộ quản lý tài khoản đặt lại."
)
WINDOW_SECONDS = 3600


def _client_ip(request) -> str:
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "")


def _spend(key: str, limit: int) -> bool:
    """Count one request under ``key`` for the window; False when over ``limit``."""
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= limit


class PortalPasswordResetView(PasswordResetView):
    template_name = "registration/password_reset_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["no_email_message"] = "" if email_configured() else MESSAGE_NO_EMAIL
        return context

    def post(self, request, *args, **kwargs):
        if not email_configured():
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        address = form.cleaned_data["email"].strip().lower()
        digest = hashlib.sha256(address.encode()).hexdigest()[:32]
        per_address = getattr(settings, "DANVAN_PASSWORD_RESET_PER_ADDRESS", 3)
        per_client = getattr(settings, "DANVAN_PASSWORD_RESET_PER_CLIENT", 10)
        client_ok = _spend(f"pwreset:client:{_client_ip(self.request)}", per_client)
        address_ok = _spend(f"pwreset:address:{digest}", per_address)
        if not (client_ok and address_ok):
            form.add_error(None, ERROR_TOO_MANY_RESETS)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)
