"""Staff account pages: list, create, edit, deactivate, reactivate, set a password.

Open to accounts with ``accounts.manage_accounts`` (provincial staff) and system
administrators: anonymous visitors go to the login page, other logged-in users get 403.
Every account is read through ``accounts_visible_to`` (an account outside the manager's
area answers 404, like one that does not exist); every write is a service call whose
``ValidationError`` goes back on the form.

A generated password is shown once, in the answer to the POST that made it (never
stored, never put in a URL or in the session), with caching forbidden.

Every logged-in account's own pages are here too: "Đổi mật khẩu" (Django's, clearing
"must change the password"), "Bảo mật tài khoản" (the optional second factor, TOTP) and
the code page after the password (docs/SECURITY.md).
"""

from base64 import b32encode
from binascii import unhexlify

import django_otp
import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import PasswordChangeView, redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.decorators import method_decorator
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView, ListView, TemplateView

from accounts import services
from accounts.forms import (
    SEARCH_BUTTON,
    AccountCreateForm,
    AccountFilterForm,
    AccountPasswordForm,
    AccountStatusForm,
    AccountUpdateForm,
    TotpCodeForm,
    area_label,
)
from accounts.models import (
    MUST_CHANGE_PASSWORD_SESSION_KEY,
    OTP_REQUIRED_SESSION_KEY,
    StaffProfile,
)
from accounts.selectors import account_list, accounts_visible_to, can_manage_accounts
from units.models import Area

ACCOUNT_LIST_PAGE_SIZE = 50

MESSAGE_CREATED = _("Đã tạo tài khoản {username}.")
MESSAGE_UPDATED = _("Đã cập nhật tài khoản {username}.")
MESSAGE_DEACTIVATED = _("Đã khóa tài khoản {username}: tài khoản này không đăng nhập được nữa.")
MESSAGE_REACTIVATED = _("Đã mở khóa tài khoản {username}.")
MESSAGE_PASSWORD_SET = _("Đã đặt mật khẩu mới cho {username}.")
MESSAGE_TOTP_ENABLED = _(
    "Đã bật xác thực hai bước: từ lần đăng nhập sau, nhập thêm mã trong ứng dụng xác thực."
)
MESSAGE_TOTP_DISABLED = _("Đã tắt xác thực hai bước.")
MESSAGE_MUST_CHANGE_PASSWORD = _(
    "Mật khẩu hiện tại của bạn do người khác đặt. Hãy đổi sang mật khẩu của riêng bạn "
    "trước khi tiếp tục làm việc."
)


class AccountManagerRequiredMixin(UserPassesTestMixin):
    """Account managers only (see the module docstring)."""

    def test_func(self):
        return can_manage_accounts(self.request.user)


class AccountObjectMixin(AccountManagerRequiredMixin):
    """One account of the manager's visible set (``self.object``); 404 outside it, once
    the user is known to be a manager (others get the login page or 403 first)."""

    context_object_name = "account"

    def dispatch(self, request, *args, **kwargs):
        if not self.test_func():
            return self.handle_no_permission()
        accounts = accounts_visible_to(request.user).select_related("staff_profile")
        self.object = get_object_or_404(accounts, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(account=self.object, is_self=self.object.pk == self.request.user.pk)
        return context


def _profile(user) -> StaffProfile | None:
    try:
        return user.staff_profile
    except StaffProfile.DoesNotExist:
        return None


def _password_page(request, *, account, password, created: bool):
    """The one page that shows a generated password."""
    response = render(
        request,
        "accounts/password_shown.html",
        {"account": account, "password": password, "created": created},
    )
    response["Cache-Control"] = "no-store"
    return response


class AccountListView(AccountManagerRequiredMixin, ListView):
    """Accounts in the manager's area, searchable, filtered by role and status."""

    template_name = "accounts/list.html"
    context_object_name = "accounts"
    paginate_by = ACCOUNT_LIST_PAGE_SIZE

    def get_queryset(self):
        self.filter_form = AccountFilterForm(self.request.GET or None)
        return account_list(user=self.request.user, **self.filter_form.filters())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        return context


class AccountRoleAreasFormMixin:
    """The area picker's search button sends the form back to be shown again with
    the matching areas: as an unbound form (nothing is validated, nothing is saved)."""

    def post(self, request, *args, **kwargs):
        if SEARCH_BUTTON in request.POST:
            initial = {key: request.POST.get(key) for key in request.POST}
            initial["areas"] = request.POST.getlist("areas")
            form = self.get_form_class()(initial=initial, **self.form_arguments())
            return self.render_to_response(self.get_context_data(form=form, searching=True))
        return super().post(request, *args, **kwargs)

    def form_arguments(self) -> dict:
        return {"acting_user": self.request.user}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **self.form_arguments()}


@method_decorator(never_cache, name="dispatch")
class AccountCreateView(AccountManagerRequiredMixin, AccountRoleAreasFormMixin, FormView):
    """Create an account; a generated password is shown once."""

    template_name = "accounts/create.html"
    form_class = AccountCreateForm

    def form_valid(self, form):
        try:
            account = services.account_create(
                acting_user=self.request.user, **form.service_arguments()
            )
        except ValidationError as exc:
            form.add_service_error(exc)
            return self.form_invalid(form)
        messages.success(self.request, str(MESSAGE_CREATED).format(username=account.username))
        if account.generated_password:
            return _password_page(
                self.request, account=account, password=account.generated_password, created=True
            )
        return redirect("accounts:detail", pk=account.pk)


class AccountDetailView(AccountObjectMixin, DetailView):
    """One account: who, role, areas, status, and the actions on it."""

    template_name = "accounts/detail.html"

    def get_object(self, queryset=None):
        return self.object

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        profile = _profile(self.object)
        areas = (
            profile.areas.select_related("parent__parent").order_by("edition", "path")
            if profile
            else Area.objects.none()
        )
        context.update(profile=profile, area_labels=[area_label(a) for a in areas])
        return context


@method_decorator(never_cache, name="dispatch")
class AccountUpdateView(AccountObjectMixin, AccountRoleAreasFormMixin, FormView):
    """Change role, areas and contact details."""

    template_name = "accounts/update.html"
    form_class = AccountUpdateForm

    def get_initial(self):
        account = self.object
        profile = _profile(account)
        return {
            "full_name": services.full_name_of(account),
            "email": account.email,
            "position": profile.position if profile else "",
            "phone": profile.phone if profile else "",
            "role": profile.role if profile else "",
            "areas": [a.pk for a in profile.areas.all()] if profile else [],
        }

    def form_valid(self, form):
        try:
            services.account_update(
                acting_user=self.request.user, user=self.object, **form.service_arguments()
            )
        except ValidationError as exc:
            form.add_service_error(exc)
            return self.form_invalid(form)
        messages.success(self.request, str(MESSAGE_UPDATED).format(username=self.object.username))
        return redirect("accounts:detail", pk=self.object.pk)


class AccountStatusView(AccountObjectMixin, FormView):
    """Deactivate or reactivate with a reason."""

    form_class = AccountStatusForm
    template_name = "accounts/status.html"
    deactivate = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["deactivate"] = self.deactivate
        return context

    def form_valid(self, form):
        service = services.account_deactivate if self.deactivate else services.account_reactivate
        message = MESSAGE_DEACTIVATED if self.deactivate else MESSAGE_REACTIVATED
        try:
            service(
                acting_user=self.request.user,
                user=self.object,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_service_error(exc)
            return self.form_invalid(form)
        messages.success(self.request, str(message).format(username=self.object.username))
        return redirect("accounts:detail", pk=self.object.pk)


@method_decorator(never_cache, name="dispatch")
class AccountPasswordView(AccountObjectMixin, FormView):
    """Set a new password for someone who forgot theirs; a generated one is shown once."""

    form_class = AccountPasswordForm
    template_name = "accounts/password.html"

    def form_valid(self, form):
        try:
            account = services.account_set_password(
                acting_user=self.request.user,
                user=self.object,
                password=form.cleaned_data["password1"] or None,
            )
        except ValidationError as exc:
            form.add_service_error(exc)
            return self.form_invalid(form)
        if account.generated_password:
            return _password_page(
                self.request, account=account, password=account.generated_password, created=False
            )
        messages.success(self.request, str(MESSAGE_PASSWORD_SET).format(username=account.username))
        return redirect("accounts:detail", pk=account.pk)


class OwnPasswordChangeView(PasswordChangeView):
    """Django's "Đổi mật khẩu" (the old password, then the new one twice), which also
    clears "must change the password" (``services.own_password_changed``). While it is
    set, ``accounts.middleware`` sends every page here and this page says why."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.session.get(MUST_CHANGE_PASSWORD_SESSION_KEY):
            context["must_change_message"] = MESSAGE_MUST_CHANGE_PASSWORD
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        services.own_password_changed(user=self.request.user)
        self.request.session.pop(MUST_CHANGE_PASSWORD_SESSION_KEY, None)
        return response


#: Session key of the TOTP secret being set up (shown as a QR code until confirmed).
TOTP_SETUP_SESSION_KEY = "danvan_totp_setup_key"
ENABLE_BUTTON = "_enable"
DISABLE_BUTTON = "_disable"


def qr_code_svg(data: str) -> str:
    """``data`` as an inline SVG QR code drawn on the server (no script, no CDN, no
    inline style: CSP-clean), 220 px wide to fit a 375 px screen."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    # Millimetre sizes from the library -> pixels; the viewBox keeps it sharp.
    head, rest = svg.split(">", 1)
    head = " ".join(part for part in head.split(" ") if not part.startswith(("width=", "height=")))
    return (
        f'{head} width="220" height="220" role="img" class="qr-code" '
        f'aria-label="{escape(_("Mã QR"))}">{rest}'
    )


def _grouped(text: str, size: int = 4) -> str:
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


@method_decorator(never_cache, name="dispatch")
class AccountSecurityView(LoginRequiredMixin, TemplateView):
    """ "Bảo mật tài khoản": the owner turns the second factor (TOTP) on by scanning a QR
    code and confirming one code, or off by entering a code. The secret stays in the
    session until confirmed; the page is never cached."""

    template_name = "accounts/security.html"

    def _setup_key(self) -> str:
        key = self.request.session.get(TOTP_SETUP_SESSION_KEY)
        if not key:
            key = services.totp_new_key()
            self.request.session[TOTP_SETUP_SESSION_KEY] = key
        return key

    def get_context_data(self, **kwargs):

        context = super().get_context_data(**kwargs)
        device = services.totp_device(self.request.user)
        context["device"] = device
        context.setdefault("form", TotpCodeForm())
        if device is None:
            key = self._setup_key()
            context["qr_svg"] = mark_safe(  # noqa: S308 - drawn by qrcode, no user text
                qr_code_svg(services.totp_config_url(self.request.user, key))
            )
            context["secret"] = _grouped(b32encode(unhexlify(key)).decode())
        return context

    def post(self, request, *args, **kwargs):
        form = TotpCodeForm(request.POST)
        enabling = DISABLE_BUTTON not in request.POST
        if form.is_valid():
            try:
                if enabling:
                    device = services.totp_enable(
                        user=request.user,
                        key=self._setup_key(),
                        token=form.cleaned_data["code"],
                    )
                    django_otp.login(request, device)
                    request.session[OTP_REQUIRED_SESSION_KEY] = True
                    request.session.pop(TOTP_SETUP_SESSION_KEY, None)
                    messages.success(request, str(MESSAGE_TOTP_ENABLED))
                else:
                    services.totp_disable(user=request.user, token=form.cleaned_data["code"])
                    request.session.pop(OTP_REQUIRED_SESSION_KEY, None)
                    messages.success(request, str(MESSAGE_TOTP_DISABLED))
                return redirect("accounts:security")
            except ValidationError as exc:
                form.add_error("code", exc)
        return self.render_to_response(self.get_context_data(form=form))


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@method_decorator(never_cache, name="dispatch")
class OtpVerifyView(FormView):
    """The second step of logging in for an account with a second factor: its password
    was right (the session is logged in but not verified; ``AccountSecurityMiddleware``
    lets it open nothing else), now a code. A wrong code counts as a failed login for
    django-axes: after ``AXES_FAILURE_LIMIT`` of them the session is logged out and the
    user name is locked out from this address, like wrong passwords."""

    template_name = "registration/otp_verify.html"
    form_class = TotpCodeForm

    def dispatch(self, request, *args, **kwargs):

        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.session.get(OTP_REQUIRED_SESSION_KEY) or user.is_verified():
            return redirect(_safe_next(request))
        if AxesProxyHandler.is_locked(request, self._credentials()):
            logout(request)
            return lockout_response(request)
        return super().dispatch(request, *args, **kwargs)

    def _credentials(self) -> dict:
        return {settings.AXES_USERNAME_FORM_FIELD: self.request.user.get_username()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = _safe_next(self.request)
        return context

    def form_valid(self, form):
        request = self.request
        device = services.totp_verify(user=request.user, token=form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            return redirect(_safe_next(request))
        user_login_failed.send(
            sender=OtpVerifyView, credentials=self._credentials(), request=request
        )
        if getattr(request, "axes_locked_out", False):
            logout(request)
            return lockout_response(request)
        form.add_error("code", services.ERROR_TOTP_CODE)
        return self.form_invalid(form)


LOCKOUT_TEMPLATE = "registration/lockout.html"


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login (``AXES_LOCKOUT_CALLABLE``), on the
    staff login page and the admin's alike: the Vietnamese lockout page with how many
    failures locked it and for how many minutes, status 429 (Too Many Requests)."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    response = render(request, LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)
    response["Cache-Control"] = "no-store"
    return response
