"""The optional second factor (TOTP, django-otp): turning it on and off on "Bảo mật tài
khoản", the code after the password at login (portal and admin), the axes lockout.

Codes are computed as an authenticator app would, with ``django_otp.oath.TOTP`` from the
device's key.
"""

import time
from binascii import unhexlify

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.choices import StaffRole
from accounts.views import TOTP_SETUP_SESSION_KEY
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

User = get_user_model()

PASSWORD = "mat-khau-thu-nghiem-2026"  # tests.factories.UserFactory's
CODE_ERROR = "Mã xác thực không đúng hoặc đã hết hạn"


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # django-otp slows repeated failures down (1 s, 2 s, 4 s...): not what these tests
    # are about, except the one that checks it.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def code(key_hex: str, steps: int = 0) -> str:
    """The code an authenticator app shows for ``key_hex`` now (+ ``steps`` x 30 s)."""
    totp = TOTP(unhexlify(key_hex), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + steps * 30
    return f"{totp.token():06d}"


def device_code(device, steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps * device.step
    return f"{totp.token():06d}"


def _login(client, username="canbo", password=PASSWORD, url=None):
    return client.post(url or reverse("login"), {"username": username, "password": password})


def _with_device(user):
    key = services.totp_new_key()
    return services.totp_enable(user=user, key=key, token=code(key))


@pytest.fixture
def officer(area_tree):
    return make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]], username="canbo")


def test_security_page_turns_the_second_factor_on_with_a_scanned_code(client, officer):
    """The page shows a QR code drawn inline as SVG (no script, no style attribute) and
    the key; a wrong code is refused in Vietnamese; the right one confirms the device
    and verifies the session."""
    client.force_login(officer)
    url = reverse("accounts:security")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.content.decode()
    assert "<svg" in body and 'class="qr-code"' in body
    assert "<script" not in body.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert " style=" not in body
    key = client.session[TOTP_SETUP_SESSION_KEY]
    assert response.context["secret"].replace(" ", "")

    wrong = str((int(code(key)) + 1) % 1_000_000).zfill(6)
    response = client.post(url, {"code": wrong, "_enable": ""})
    assert response.status_code == 200
    assert CODE_ERROR in response.content.decode()
    assert not TOTPDevice.objects.filter(user=officer).exists()
    # The same key is kept until confirmed (the app already scanned it).
    assert client.session[TOTP_SETUP_SESSION_KEY] == key

    response = client.post(url, {"code": code(key), "_enable": ""})
    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=officer)
    assert device.confirmed and device.key == key
    body = client.get(url).content.decode()
    assert "Đang bật" in body
    # This session is verified: the portal opens without a second code.
    assert client.get(reverse("members:home")).status_code == 200


def test_login_asks_for_the_code_after_the_password(client, officer):
    """Password right: every page leads to the code page; a wrong code is refused; the
    right one opens the page asked for."""
    device = _with_device(officer)
    response = _login(client)
    assert response.status_code == 302
    home = reverse("members:home")
    response = client.get(home)
    assert response.status_code == 302
    verify = reverse("accounts:otp_verify")
    assert response["Location"] == f"{verify}?next=%2Fcan-bo%2F"
    for url in (reverse("accounts:security"), reverse("password_change"), reverse("home")):
        assert client.get(url)["Location"].startswith(verify), url
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert "Xác thực hai bước" in response.content.decode()

    response = client.post(verify, {"code": "000000" if device_code(device) != "000000" else "1"})
    assert response.status_code == 200
    assert CODE_ERROR in response.content.decode()
    response = client.post(verify, {"code": device_code(device, 1), "next": home})
    assert response.status_code == 302
    assert response["Location"] == home
    assert client.get(home).status_code == 200
    # Verified: the code page sends on.
    assert client.get(verify).status_code == 302


def test_a_code_is_not_accepted_twice(client, officer):
    device = _with_device(officer)  # used the current code
    _login(client)
    response = client.post(reverse("accounts:otp_verify"), {"code": device_code(device)})
    assert response.status_code == 200
    assert CODE_ERROR in response.content.decode()


def test_the_admin_requires_the_code_too(client, area_tree):
    """Logging in on the admin's own login page does not skip the second factor."""
    admin = make_staff(StaffRole.SYSTEM_ADMIN, username="quantri")
    device = _with_device(admin)
    response = _login(client, "quantri", url=reverse("admin:login"))
    assert response.status_code == 302
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 302
    response = client.post(
        reverse("accounts:otp_verify"), {"code": device_code(device, 1), "next": "/admin/"}
    )
    assert response["Location"] == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200


def test_wrong_codes_count_towards_the_lockout(client, officer):
    """Five wrong codes after a right password: the lockout page (429), the session is
    logged out and the right password is refused too until the cool-off."""
    device = _with_device(officer)
    _login(client)
    verify = reverse("accounts:otp_verify")
    wrong = str((int(device_code(device, 1)) + 1) % 1_000_000).zfill(6)
    for _attempt in range(4):
        response = client.post(verify, {"code": wrong})
        assert response.status_code == 200
    response = client.post(verify, {"code": wrong})
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert _login(client).status_code == 429


def test_the_owner_turns_it_off_with_a_code(client, officer):
    device = _with_device(officer)
    _login(client)
    client.post(reverse("accounts:otp_verify"), {"code": device_code(device, 1)})
    url = reverse("accounts:security")
    response = client.post(url, {"code": "", "_disable": ""})
    assert response.status_code == 200
    assert "Chưa nhập mục này." in response.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    response = client.post(url, {"code": device_code(device), "_disable": ""})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    client.post(reverse("logout"))
    _login(client)
    assert client.get(reverse("members:home")).status_code == 200


def test_accounts_without_a_device_log_in_with_the_password_only(client, officer):
    _login(client)
    assert client.get(reverse("members:home")).status_code == 200
    assert client.get(reverse("accounts:otp_verify")).status_code == 302


def test_repeated_failures_are_slowed_down(settings, officer):
    """django-otp's own throttling (production setting): right after a failure even the
    right code is refused for a moment."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 10
    device = _with_device(officer)
    assert services.totp_verify(user=officer, token="12") is None
    assert services.totp_verify(user=officer, token=device_code(device, 1)) is None


def test_the_must_change_flag_waits_for_the_code(client, area_tree, officer):
    """An account with both: the code first, then the password change."""
    manager = make_staff(StaffRole.PROVINCE_STAFF, [area_tree["province"]])
    device = _with_device(officer)
    services.account_set_password(acting_user=manager, user=officer, password=PASSWORD)
    _login(client)
    assert client.get(reverse("members:home"))["Location"].startswith(
        reverse("accounts:otp_verify")
    )
    client.post(reverse("accounts:otp_verify"), {"code": device_code(device, 1)})
    assert client.get(reverse("members:home"))["Location"] == reverse("password_change")
