"""Staff account pages: list, create, edit, deactivate, reactivate, set a password.

Open to accounts with ``units.manage_accounts`` (provincial staff) and system
administrators: anonymous visitors go to the login page, other logged-in users get 403.
Every account is read through ``accounts_visible_to`` (an account outside the manager's
area answers 404, like one that does not exist); every write is a service call whose
``ValidationError`` goes back on the form.

A generated password is shown once, in the answer to the POST that made it (never
stored, never put in a URL or in the session), with caching forbidden.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView, ListView

from units import services_accounts as services
from units.forms_accounts import (
    SEARCH_BUTTON,
    AccountCreateForm,
    AccountFilterForm,
    AccountPasswordForm,
    AccountStatusForm,
    AccountUpdateForm,
    area_label,
)
from units.models import Area, StaffProfile
from units.selectors_accounts import account_list, accounts_visible_to, can_manage_accounts

ACCOUNT_LIST_PAGE_SIZE = 50

MESSAGE_CREATED = _("Đã tạo tài khoản {username}.")
MESSAGE_UPDATED = _("Đã cập nhật tài khoản {username}.")
MESSAGE_DEACTIVATED = _("Đã khóa tài khoản {username}: tài khoản này không đăng nhập được nữa.")
MESSAGE_REACTIVATED = _("Đã mở khóa tài khoản {username}.")
MESSAGE_PASSWORD_SET = _("Đã đặt mật khẩu mới cho {username}.")


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
        "units/accounts/password_shown.html",
        {"account": account, "password": password, "created": created},
    )
    response["Cache-Control"] = "no-store"
    return response


class AccountListView(AccountManagerRequiredMixin, ListView):
    """Accounts in the manager's area, searchable, filtered by role and status."""

    template_name = "units/accounts/list.html"
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

    template_name = "units/accounts/create.html"
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

    template_name = "units/accounts/detail.html"

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

    template_name = "units/accounts/update.html"
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
    template_name = "units/accounts/status.html"
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
    template_name = "units/accounts/password.html"

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


LOCKOUT_TEMPLATE = "registration/lockout.html"


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login (``AXES_LOCKOUT_CALLABLE``), on the
    staff login page and the admin's alike: the Vietnamese lockout page with how many
    failures locked it and for how many minutes, status 429 (Too Many Requests)."""
    from axes.helpers import get_cool_off, get_failure_limit

    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    response = render(request, LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)
    response["Cache-Control"] = "no-store"
    return response
