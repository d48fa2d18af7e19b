"""Every write to staff accounts goes through here: create, change role and areas,
deactivate, reactivate, set a password.

The rules (issue 4: "provincial staff create and deactivate accounts for their
province's districts and communes; nobody grants rights beyond their own area"):

- Only an account with ``accounts.manage_accounts`` (provincial staff) or a system
  administrator manages accounts, and only the accounts visible to it
  (``accounts.selectors.accounts_visible_to``: every area of the account within the
  manager's scope).
- Every area given to an account lies within the manager's scope, and fits the role:
  provincial staff on a province, district staff on a legacy district, commune officers
  on a commune. So a provincial staffer may create another provincial staffer for their
  own province (their own rights, no more), never one for another province.
- Only a system administrator creates system administrators and news editors: both
  reach the whole portal, beyond any province.
- Nobody deactivates themselves, changes their own role or areas, or resets their own
  password here (Django's password change page asks for the old one).
- Accounts are never deleted: ``is_active=False`` keeps the history and who did what.

``acting_user=None`` means an operator at the command line on the server (demo data,
management commands): the manager checks are skipped, the data rules are not.

Audit trail: every write runs inside ``portal.audit.audit_context`` with the acting user
and the reason (a lock's or an unlock's), so the history rows of the account and its
profile carry who, through which door and why.
"""

import logging
import secrets
from collections.abc import Iterable

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from accounts.access import role_group, scope_of
from accounts.choices import ROLE_AREA_LEVEL, StaffRole
from accounts.models import StaffProfile
from accounts.names import full_name_of, split_full_name  # noqa: F401 (full_name_of: callers)
from accounts.selectors import accounts_visible_to, can_manage_accounts
from portal import audit
from portal.text import normalize
from units.choices import Edition, Level
from units.models import Area

logger = logging.getLogger(__name__)

User = get_user_model()

ERROR_NOT_MANAGER = _("Tài khoản của bạn không có quyền quản lý tài khoản cán bộ.")
ERROR_ACCOUNT_OUTSIDE = _("Tài khoản này không thuộc địa bàn bạn quản lý.")
ERROR_USERNAME_FORMAT = _(
    "Tên đăng nhập dài 3–150 ký tự, gồm chữ cái không dấu, chữ số và các dấu . _ -, "
    "bắt đầu bằng chữ cái hoặc chữ số."
)
ERROR_USERNAME_TAKEN = _("Tên đăng nhập “{username}” đã có người dùng.")
ERROR_FULL_NAME_REQUIRED = _("Chưa nhập họ và tên.")
ERROR_FULL_NAME_TOO_LONG = _("Họ và tên quá dài.")
ERROR_PHONE = _("Số điện thoại không hợp lệ: 10 chữ số, bắt đầu bằng 0, ví dụ 0912345678.")
ERROR_ROLE_UNKNOWN = _("Chọn một vai trò.")
ERROR_ROLE_NOT_GRANTABLE = _("Bạn không thể cấp vai trò “{role}”.")
ERROR_AREAS_REQUIRED = _("Chọn ít nhất một địa bàn phụ trách cho vai trò “{role}”.")
ERROR_ROLE_WITHOUT_AREAS = _("Vai trò “{role}” không gắn với địa bàn: bỏ chọn các địa bàn.")
ERROR_AREA_OUTSIDE = _("{area} nằm ngoài địa bàn bạn phụ trách.")
ERROR_AREA_LEVEL = _("{area} không phải địa bàn cấp {level}: vai trò “{role}” gắn với cấp {level}.")
ERROR_DISTRICT_NOT_LEGACY = _(
    "Cán bộ cấp huyện chỉ gắn với huyện trong danh mục trước 01/07/2025; "
    "{area} không thuộc danh mục đó."
)
ERROR_SELF_CHANGE = _(
    "Không thể tự đổi vai trò, địa bàn của chính mình: nhờ cấp trên hoặc quản trị hệ thống."
)
ERROR_SELF_DEACTIVATE = _("Không thể tự khóa tài khoản của chính mình.")
ERROR_SELF_PASSWORD = _("Đổi mật khẩu của chính mình ở trang “Đổi mật khẩu” (cần mật khẩu cũ).")
ERROR_ALREADY_INACTIVE = _("Tài khoản {username} đã bị khóa từ trước.")
ERROR_ALREADY_ACTIVE = _("Tài khoản {username} đang hoạt động.")
ERROR_TOTP_CODE = _(
    "Mã xác thực không đúng hoặc đã hết hạn: nhập mã 6 chữ số đang hiện trong ứng dụng xác thực."
)
ERROR_TOTP_ALREADY_ON = _("Xác thực hai bước đã bật cho tài khoản này.")
ERROR_TOTP_NOT_ON = _("Xác thực hai bước chưa bật cho tài khoản này.")
#: The device's name, shown in the admin's list of devices.
TOTP_DEVICE_NAME = "Ứng dụng xác thực"

#: Characters of generated passwords: no 0/o, 1/l/i, easy to read out over the phone.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105
#: Three groups of four (about 59 bits): "k7mq-3xha-tp2e".
PASSWORD_GROUPS = 3

_USERNAME_CHARACTERS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")


# --- Helpers ---------------------------------------------------------------------------


def password_generate() -> str:
    """A random password to be shown once and read out or handed over."""
    return "-".join(
        "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(PASSWORD_GROUPS)
    )


def grantable_roles(acting_user) -> list[str]:
    """Roles ``acting_user`` may give: every role for a system administrator (and the
    command line); the area-bound roles for other account managers."""
    if acting_user is None or acting_user.is_superuser:
        return list(StaffRole.values)
    if not can_manage_accounts(acting_user):
        return []
    return [role for role in StaffRole.values if role in ROLE_AREA_LEVEL]


def _normalize_phone(phone: str) -> str:
    digits = "".join(ch for ch in (phone or "") if ch not in " .-()")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    return digits


def _audit(acting_user, reason: str = ""):
    """The audit trail's context for one account write: the acting user and the
    reason; the door is the request's ("web" on the staff pages, "admin" in the admin,
    set by ``AuditMiddleware``) or the command's, else "web" for a user and "command"
    for the command line."""
    door = None
    if audit.current().door is None:
        door = audit.Door.WEB if acting_user is not None else audit.Door.COMMAND
    return audit.audit_context(door=door, user=acting_user, reason=reason or None)


def _require_manager(acting_user) -> None:
    if acting_user is not None and not can_manage_accounts(acting_user):
        raise PermissionDenied(ERROR_NOT_MANAGER)


def _require_visible(acting_user, user) -> None:
    """The account must be one the manager may see; otherwise it does not exist for
    them (the views answer 404 before getting here)."""
    if acting_user is None:
        return
    if not accounts_visible_to(acting_user).filter(pk=user.pk).exists():
        raise PermissionDenied(ERROR_ACCOUNT_OUTSIDE)


def _role_area_errors(acting_user, role: str, areas: list[Area]) -> dict[str, list[str]]:
    """What is wrong with giving ``role`` on ``areas``: one message per refused area,
    in the order given."""
    if role not in StaffRole.values:
        return {"role": [ERROR_ROLE_UNKNOWN]}
    label = StaffRole(role).label
    if role not in grantable_roles(acting_user):
        return {"role": [ERROR_ROLE_NOT_GRANTABLE.format(role=label)]}
    level = ROLE_AREA_LEVEL.get(role)
    if level is None:
        return {"areas": [ERROR_ROLE_WITHOUT_AREAS.format(role=label)]} if areas else {}
    if not areas:
        return {"areas": [ERROR_AREAS_REQUIRED.format(role=label)]}
    scope = scope_of(acting_user) if acting_user is not None else None
    messages = []
    for area in areas:
        if scope is not None and not scope.covers(area.path):
            messages.append(ERROR_AREA_OUTSIDE.format(area=area.name))
        elif area.level != level:
            level_label = Level(level).label.lower()
            messages.append(ERROR_AREA_LEVEL.format(area=area.name, level=level_label, role=label))
        elif role == StaffRole.DISTRICT_STAFF and area.edition != Edition.LEGACY:
            messages.append(ERROR_DISTRICT_NOT_LEGACY.format(area=area.name))
    return {"areas": messages} if messages else {}


def _contact_errors(*, full_name: str | None, phone: str | None) -> dict[str, list[str]]:
    """Checks of the name and phone given (None: not being changed)."""
    errors: dict[str, list[str]] = {}
    if full_name is not None and not full_name:
        errors["full_name"] = [ERROR_FULL_NAME_REQUIRED]
    elif full_name is not None and len(full_name) > 150:
        errors["full_name"] = [ERROR_FULL_NAME_TOO_LONG]
    if phone and not (phone.isdigit() and len(phone) == 10 and phone.startswith("0")):
        errors["phone"] = [ERROR_PHONE]
    return errors


def _password_errors(password: str, user) -> list[str]:
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


def _set_role_group(user, role: str) -> None:
    """The account is in its role's group and in no other role's group (other groups,
    given by hand in the admin, stay)."""
    role_groups = Group.objects.filter(name__in=[r.label for r in StaffRole])
    user.groups.remove(*role_groups)
    user.groups.add(role_group(role))


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# --- Services ----------------------------------------------------------------------------


@transaction.atomic
def account_create(
    *,
    acting_user,
    username: str,
    full_name: str,
    email: str = "",
    role: str,
    areas: Iterable[Area] = (),
    password: str | None = None,
    position: str = "",
    phone: str = "",
    must_change_password: bool = True,
):
    """Create a staff account: the user (staff, so that scoped staff can use the admin;
    superuser only for a system administrator), its profile, its role's group.

    Without ``password`` a random one is generated; either way it is returned on the
    user as ``generated_password`` (None when one was given), to be shown once.
    Every problem of the data is reported at once, by field.

    The password was chosen by someone else, so the owner must change it at their first
    login (``must_change_password``; only the demo accounts pass False).
    """
    _require_manager(acting_user)
    username = (username or "").strip().lower()
    full_name = normalize(full_name)
    email = (email or "").strip().lower()
    phone = _normalize_phone(phone)
    areas = list(areas)

    errors = _contact_errors(full_name=full_name, phone=phone)
    if not (3 <= len(username) <= 150 and set(username) <= _USERNAME_CHARACTERS) or (
        username[:1] in {".", "_", "-"}
    ):
        errors["username"] = [ERROR_USERNAME_FORMAT]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [ERROR_USERNAME_TAKEN.format(username=username)]
    errors.update(_role_area_errors(acting_user, role, areas))

    last_name, first_name = split_full_name(full_name) if full_name else ("", "")
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=True,
        is_superuser=role == StaffRole.SYSTEM_ADMIN,
        is_active=True,
    )
    generated = None
    if password:
        password_errors = _password_errors(password, user)
        if password_errors:
            errors["password"] = password_errors
    else:
        generated = password = _password_that_validates(user)
    _raise(errors)

    with _audit(acting_user):
        user.set_password(password)
        user.full_clean()
        user.save()
        profile = StaffProfile(
            user=user,
            role=role,
            position=normalize(position),
            phone=phone,
            created_by=acting_user,
            must_change_password=must_change_password,
        )
        profile.full_clean()
        profile.save()
        profile.areas.set(areas)
        _set_role_group(user, role)
    logger.info(
        "account created: %s (%s) by %s", username, role, getattr(acting_user, "username", "-")
    )
    user.generated_password = generated
    return user


def _password_that_validates(user) -> str:
    while True:
        password = password_generate()
        if not _password_errors(password, user):
            return password


@transaction.atomic
def account_update(
    *,
    acting_user,
    user,
    role: str | None = None,
    areas: Iterable[Area] | None = None,
    full_name: str | None = None,
    email: str | None = None,
    position: str | None = None,
    phone: str | None = None,
):
    """Change an account's role, areas or contact details (None: unchanged).

    The new role and areas obey the same rules as at creation; the account must be
    visible to the manager before and stay within their scope after. A system
    administrator's account is a superuser; changing the role away from it removes that.
    """
    _require_manager(acting_user)
    _require_visible(acting_user, user)
    profile = StaffProfile.objects.filter(user=user).first() or StaffProfile(
        user=user, role="", created_by=acting_user
    )
    current_areas = list(profile.areas.all()) if profile.pk else []
    new_role = profile.role if role is None else role
    new_areas = current_areas if areas is None else list(areas)
    role_changed = new_role != profile.role
    areas_changed = {a.pk for a in new_areas} != {a.pk for a in current_areas}

    errors: dict[str, list[str]] = {}
    if (role_changed or areas_changed) and acting_user is not None and acting_user.pk == user.pk:
        raise ValidationError(ERROR_SELF_CHANGE)
    if role_changed or areas_changed:
        errors.update(_role_area_errors(acting_user, new_role, new_areas))
    if not new_role:
        errors["role"] = [ERROR_ROLE_UNKNOWN]
    if full_name is not None:
        full_name = normalize(full_name)
    if phone is not None:
        phone = _normalize_phone(phone)
    errors.update(_contact_errors(full_name=full_name, phone=phone))
    _raise(errors)

    with _audit(acting_user):
        if full_name is not None:
            user.last_name, user.first_name = split_full_name(full_name)
        if email is not None:
            user.email = email.strip().lower()
        if role_changed:
            user.is_superuser = new_role == StaffRole.SYSTEM_ADMIN
            user.is_staff = True
        user.full_clean()
        user.save()
        profile.role = new_role
        if position is not None:
            profile.position = normalize(position)
        if phone is not None:
            profile.phone = phone
        profile.full_clean()
        profile.save()
        if areas_changed:
            profile.areas.set(new_areas)
        if role_changed:
            _set_role_group(user, new_role)
    return user


@transaction.atomic
def account_deactivate(*, acting_user, user, reason: str = ""):
    """Lock an account (``is_active=False``): it can no longer log in and its open
    sessions end at their next request. Accounts are never deleted."""
    _require_manager(acting_user)
    _require_visible(acting_user, user)
    if acting_user is not None and acting_user.pk == user.pk:
        raise ValidationError(ERROR_SELF_DEACTIVATE)
    if not user.is_active:
        raise ValidationError(ERROR_ALREADY_INACTIVE.format(username=user.get_username()))
    with _audit(acting_user, reason=reason):
        user.is_active = False
        user.save(update_fields=["is_active"])
    logger.info(
        "account deactivated: %s by %s (%s)",
        user.get_username(),
        getattr(acting_user, "username", "-"),
        reason,
    )
    return user


@transaction.atomic
def account_reactivate(*, acting_user, user, reason: str = ""):
    """Unlock an account locked by ``account_deactivate``; also clears its login
    lockout (django-axes), if any."""
    _require_manager(acting_user)
    _require_visible(acting_user, user)
    if user.is_active:
        raise ValidationError(ERROR_ALREADY_ACTIVE.format(username=user.get_username()))
    with _audit(acting_user, reason=reason):
        user.is_active = True
        user.save(update_fields=["is_active"])
    _lockout_clear(user)
    logger.info(
        "account reactivated: %s by %s (%s)",
        user.get_username(),
        getattr(acting_user, "username", "-"),
        reason,
    )
    return user


@transaction.atomic
def account_set_password(
    *, acting_user, user, password: str | None = None, must_change_password: bool = True
):
    """Set a new password for someone else's account (a forgotten password), checked by
    Django's password validators; without one a random password is generated and
    returned on the user as ``generated_password``, to be shown once. The account's
    open sessions end (Django ties sessions to the password) and a login lockout of
    the account is lifted.

    The owner must change the password at their next login (``must_change_password``;
    only the demo accounts pass False). An account without a staff profile (made by
    ``createsuperuser``) gets one when it is a superuser, to hold the flag; a plain user
    without a profile cannot hold it."""
    _require_manager(acting_user)
    _require_visible(acting_user, user)
    if acting_user is not None and acting_user.pk == user.pk:
        raise ValidationError(ERROR_SELF_PASSWORD)
    generated = None
    if password:
        errors = _password_errors(password, user)
        _raise({"password": errors} if errors else {})
    else:
        generated = password = _password_that_validates(user)
    with _audit(acting_user):
        user.set_password(password)
        user.save(update_fields=["password"])
        _flag_set(acting_user, user, must_change_password)
    _lockout_clear(user)
    user.generated_password = generated
    return user


def _flag_set(acting_user, user, value: bool) -> None:
    """Set the account's "must change the password" flag (a history row when it
    changes, in the caller's audit context)."""
    profile = StaffProfile.objects.filter(user=user).first()
    if profile is None:
        if not (value and user.is_superuser):
            return
        profile = StaffProfile(user=user, role=StaffRole.SYSTEM_ADMIN, created_by=acting_user)
    elif profile.must_change_password == value:
        return
    profile.must_change_password = value
    profile.save()


def must_change_password(user) -> bool:
    """Whether ``user`` must change a password someone else set before using the portal."""
    if user is None or not user.is_authenticated:
        return False
    return StaffProfile.objects.filter(user=user, must_change_password=True).exists()


@transaction.atomic
def own_password_changed(*, user) -> None:
    """The owner changed their own password (Django's "Đổi mật khẩu", which asks for the
    old one): the flag set by ``account_create`` / ``account_set_password`` is cleared,
    recorded in the audit trail as the owner's change."""
    with _audit(user):
        _flag_set(user, user, False)
    logger.info("own password changed: %s", user.get_username())


def _lockout_clear(user) -> None:
    axes_reset(username=user.get_username())


# --- Second factor (TOTP, django-otp) --------------------------------------------------------


def totp_device(user):
    """The account's confirmed TOTP device, or None (second factor off)."""

    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def totp_new_key() -> str:
    """A new TOTP secret (20 random bytes, hex), kept in the session until confirmed."""

    return random_hex(20)


def totp_config_url(user, key: str) -> str:
    """The otpauth:// URL the authenticator app reads from the QR code."""

    return TOTPDevice(user=user, key=key, name=TOTP_DEVICE_NAME).config_url


def _token(token: str) -> str:
    return "".join(ch for ch in (token or "") if not ch.isspace())


@transaction.atomic
def totp_enable(*, user, key: str, token: str):
    """Turn the second factor on: the code must come from the authenticator app that
    scanned ``key``. Only the owner does it (on their own "Bảo mật tài khoản" page)."""

    if totp_device(user) is not None:
        raise ValidationError(ERROR_TOTP_ALREADY_ON)
    # A wrong code raises, which rolls the unconfirmed device back with it.
    device = TOTPDevice.objects.create(user=user, key=key, name=TOTP_DEVICE_NAME, confirmed=False)
    if not device.verify_token(_token(token)):
        raise ValidationError(ERROR_TOTP_CODE)
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    logger.info("second factor enabled: %s", user.get_username())
    return device


@transaction.atomic
def totp_disable(*, user, token: str) -> None:
    """Turn the second factor off, with a valid code of the device (so a stolen open
    session cannot do it). A lost phone: a system administrator deletes the device in
    the admin ("OTP_TOTP")."""

    device = totp_device(user)
    if device is None:
        raise ValidationError(ERROR_TOTP_NOT_ON)
    if not device.verify_token(_token(token)):
        raise ValidationError(ERROR_TOTP_CODE)
    TOTPDevice.objects.filter(user=user).delete()
    logger.info("second factor disabled: %s", user.get_username())


def totp_verify(*, user, token: str):
    """The confirmed device whose current code is ``token``, or None (a wrong, replayed
    or throttled code: django-otp slows down repeated failures)."""

    token = _token(token)
    if not token:
        return None
    return match_token(user, token)
