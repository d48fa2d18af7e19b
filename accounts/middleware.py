"""Account middleware: the second factor, then a password someone else set, before
anything else.

1. An account with a confirmed TOTP device (django-otp) logs in with its password,
   then must enter a code: until the session is verified (``request.user.is_verified()``,
   from ``django_otp.middleware.OTPMiddleware``), every request is sent to the code page
   (``accounts:otp_verify``), on the portal and in the Django admin alike, whichever
   login page was used.
2. A new account's password and a password reset by a manager were chosen by someone
   else (``StaffProfile.must_change_password``). Until the owner changes it on "Đổi mật
   khẩu", every request is sent there.

Left through in both cases: static and media files, logging out, the language switch,
the health check, and the page that lifts the block (the code page; the password change
pages).

Both flags are read from the session (set at login by ``accounts.models``), so this costs
no query per request.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from accounts.models import MUST_CHANGE_PASSWORD_SESSION_KEY, OTP_REQUIRED_SESSION_KEY

#: URL names always reachable while a block is on.
ALWAYS_ALLOWED = frozenset(
    {"logout", "admin:logout", "set_language", "choose_language", "healthz", "admin:jsi18n"}
)
#: ... and while the second factor is due.
OTP_ALLOWED = ALWAYS_ALLOWED | {"accounts:otp_verify"}
#: ... and while the password must be changed.
PASSWORD_ALLOWED = ALWAYS_ALLOWED | {"password_change", "password_change_done", "login"}


class AccountSecurityMiddleware:
    """Send a session that owes a second factor to the code page, and one whose password
    must be changed to the password change page."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.file_prefixes = tuple(
            prefix for prefix in (settings.STATIC_URL, settings.MEDIA_URL) if prefix
        )

    def __call__(self, request):
        # No session cookie, no session to look at: public visitors' responses are not
        # marked as depending on the cookie (``Vary: Cookie``) by this middleware.
        session = getattr(request, "session", None)
        if (
            session is not None
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and (
                session.get(OTP_REQUIRED_SESSION_KEY)
                or session.get(MUST_CHANGE_PASSWORD_SESSION_KEY)
            )
        ):
            blocked = self._blocked(request, session)
            if blocked is not None:
                return blocked
        return self.get_response(request)

    def _blocked(self, request, session):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.path_info.startswith(self.file_prefixes):
            return None
        try:
            view_name = resolve(request.path_info).view_name
        except Resolver404:
            return None
        if session.get(OTP_REQUIRED_SESSION_KEY) and not _verified(user):
            if view_name in OTP_ALLOWED:
                return None
            url = reverse("accounts:otp_verify")
            if request.method == "GET":
                url += "?" + urlencode({"next": request.get_full_path()})
            return redirect(url)
        if session.get(MUST_CHANGE_PASSWORD_SESSION_KEY) and view_name not in PASSWORD_ALLOWED:
            return redirect("password_change")
        return None


def _verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())
