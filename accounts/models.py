"""Staff accounts: the profile of each account (role, areas, forced password change),
the history of Django's user accounts, and what a login records in its session.

The app sits on the area tree (``units``) and under everything that reads by user:
``accounts.access.scope_of`` turns a profile into the scope every scoped read filters
with (docs/ROLES.md).
"""

import hashlib
import hmac

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db import models
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history import register
from simple_history.signals import pre_create_historical_record

from accounts.choices import StaffRole
from portal.audit import AuditedHistory
from portal.text import fold
from units.models import Area


class StaffProfile(models.Model):
    """A staff account's role and the areas it is bound to.

    The role (also the account's Django group) says which actions the account has; the
    areas say on which objects: each area and everything under it. Every read that
    depends on the user goes through ``accounts.access.scope_of``, which reads this row.

    Moved from the units app with its tables (``units_staffprofile``, its areas and its
    history keep their names: docs/DECISIONS.md).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="staff_profile",
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=StaffRole.choices)
    areas = models.ManyToManyField(
        Area, verbose_name=_("địa bàn phụ trách"), blank=True, related_name="staff_profiles"
    )
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    #: Set when someone else set or generated the password (a new account, a reset by a
    #: manager); cleared when the owner changes it on "Đổi mật khẩu". While set,
    #: ``accounts.middleware`` sends every page to the password change page.
    must_change_password = models.BooleanField(_("phải đổi mật khẩu"), default=False)
    #: Full name and user name folded (no diacritics, lower case) for the account list's
    #: search (``portal.text.fold``), like ``Area.search_name``; kept by ``save`` and by
    #: ``_staff_profile_search_name`` when the account's name changes.
    search_name = models.CharField(
        _("tên không dấu"), max_length=400, blank=True, default="", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    # The audit trail, with the areas the account is bound to (the rights it grants).
    history = AuditedHistory(
        kind="staff_profile",
        m2m_fields=["areas"],
        related=("user",),
        table_name="units_historicalstaffprofile",
    )

    class Meta:
        # The table of the units app, where the model was first written.
        db_table = "units_staffprofile"
        verbose_name = _("hồ sơ cán bộ")
        verbose_name_plural = _("hồ sơ cán bộ")
        permissions = [
            ("manage_accounts", _("Tạo, khóa tài khoản cán bộ trong địa bàn")),
        ]

    def __str__(self):
        return f"{self.user.get_username()} — {self.get_role_display()}"

    def save(self, *args, **kwargs):
        self.search_name = staff_search_name(self.user)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_name" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_name"]
        super().save(*args, **kwargs)


#: Session keys set at login (read by ``accounts.middleware``: no query per
#: request): the account must change its password; the account has a confirmed second
#: factor (TOTP device) that this session must pass.
MUST_CHANGE_PASSWORD_SESSION_KEY = "danvan_must_change_password"  # noqa: S105
OTP_REQUIRED_SESSION_KEY = "danvan_otp_required"


@receiver(user_logged_in, dispatch_uid="accounts.session_at_login")
def _account_session_at_login(sender, request, user, **kwargs):
    """Remember in the new session whether the password must be changed first and
    whether a second factor is due. The password flag is only ever set together with a
    new password, which ends the account's sessions, so no session misses it; a device
    enabled on another session applies from the next login there."""
    session = getattr(request, "session", None)
    if session is None or user is None:
        return
    flags = {
        MUST_CHANGE_PASSWORD_SESSION_KEY: StaffProfile.objects.filter(
            user_id=user.pk, must_change_password=True
        ).exists(),
        OTP_REQUIRED_SESSION_KEY: TOTPDevice.objects.filter(
            user_id=user.pk, confirmed=True
        ).exists(),
    }
    for key, value in flags.items():
        if value:
            session[key] = True
        else:
            session.pop(key, None)


def staff_search_name(user) -> str:
    """ "Nguyễn Văn An", user name "an.nguyen" -> "nguyen van an an.nguyen"."""
    return fold(f"{user.last_name} {user.first_name} {user.get_username()}")[:400]


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts.staff_search_name")
def _staff_profile_search_name(sender, instance, raw=False, **kwargs):
    """An account renamed anywhere (the account pages, the admin's user form) keeps its
    profile's search column right; ``update()`` writes no history (the column is not
    recorded anyway)."""
    update_fields = kwargs.get("update_fields")
    if raw or (
        update_fields is not None
        and not {"first_name", "last_name", "username"} & set(update_fields)
    ):
        return
    StaffProfile.objects.filter(user_id=instance.pk).exclude(
        search_name=staff_search_name(instance)
    ).update(search_name=staff_search_name(instance))


# --- The history of user accounts ----------------------------------------------------------
# django.contrib.auth's User is not ours to edit: its history is registered here, in the
# accounts app; its table keeps the name it had under the units app. The last login is
# left out (every login would be a "change"), and the password hash is replaced by a
# keyed fingerprint (``password_fingerprint``): the trail shows that it changed, never
# the hash.


def password_fingerprint(value: str) -> str:
    """What an account's history keeps of its password: a keyed fingerprint of the hash,
    enough to show "the password changed" and useless to anyone who reads the table
    (old hashes are never stored)."""
    if not value:
        return ""
    digest = hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256)
    return "fp:" + digest.hexdigest()[:16]


def fingerprint_password(sender, history_instance, **kwargs) -> None:
    """``pre_create_historical_record`` receiver for the account history (connected
    below): replace the password hash by its fingerprint."""
    if getattr(history_instance, "password", ""):
        history_instance.password = password_fingerprint(history_instance.password)


User = get_user_model()
register(
    User,
    app="accounts",
    records_class=AuditedHistory,
    table_name="units_historicaluser",
    kind="account",
    excluded_fields=["last_login"],
    skip_update_fields=["last_login"],
)
pre_create_historical_record.connect(
    fingerprint_password,
    sender=User.history.model,
    dispatch_uid="accounts.fingerprint_password",
)
