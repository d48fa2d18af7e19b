"""Account security: login lockout (django-axes), Content-Security-Policy (django-csp),
clickjacking, cookies and sessions, the Vietnamese error pages."""

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from accounts import services as services_accounts
from accounts.choices import StaffRole
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu-nghiem-2026"  # tests.factories.UserFactory's
LOCKOUT_MESSAGE = "Đăng nhập bị tạm khóa vì nhập sai mật khẩu 5 lần liên tiếp."


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Hashing is not what these tests are about: a fast hasher keeps the many logins
    and accounts quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _csp(response) -> dict[str, list[str]]:
    policy = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, *sources = directive.split()
        policy[name] = sources
    return policy


def _login(client, username, password, url=None, **extra):
    return client.post(
        url or reverse("login"), {"username": username, "password": password}, **extra
    )


# --- Content-Security-Policy, clickjacking, headers ----------------------------------------


def test_every_page_sends_a_strict_content_security_policy(client, area_tree):
    """No inline script or style, nothing from elsewhere, never inside a frame."""
    staff = make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]])
    pages = [reverse("home"), reverse("login"), reverse("admin:login")]
    for url in pages:
        policy = _csp(client.get(url))
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["img-src"] == ["'self'", "data:"]
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]
        assert policy["form-action"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"]
    client.force_login(staff)
    policy = _csp(client.get(reverse("members:home")))
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]


def test_pages_refuse_frames_and_sniffing(client):
    """X-Frame-Options DENY (and frame-ancestors 'none'), nosniff, a same-origin referrer."""
    response = client.get(reverse("home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_cookies_and_sessions_are_hardened():
    """Sessions last a working day, cookies are out of scripts' reach and sent only on
    same-site navigation."""
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_HTTPONLY is True
    assert settings.X_FRAME_OPTIONS == "DENY"
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_the_login_session_cookie_is_http_only(client):
    """The session cookie set at login cannot be read by scripts and expires."""
    make_staff(username="canbo")
    response = _login(client, "canbo", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 8 * 60 * 60


# --- Brute-force login is throttled ----------------------------------------------------------


def test_brute_force_login_is_locked_out_after_five_failures(client, area_tree):
    """Four wrong passwords: the form says so. The fifth locks the user name from this
    address: the right password is then refused with the Vietnamese lockout page (429)
    and no session is opened."""
    make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]], username="canbo")
    for _attempt in range(4):
        response = _login(client, "canbo", "sai-mat-khau")
        assert response.status_code == 200
        assert "form" in response.context
    response = _login(client, "canbo", "sai-mat-khau")
    assert response.status_code == 429
    assert LOCKOUT_MESSAGE in response.content.decode()

    response = _login(client, "canbo", PASSWORD)
    body = response.content.decode()
    assert response.status_code == 429
    assert LOCKOUT_MESSAGE in body
    assert "Hãy thử lại sau 30 phút." in body
    assert "_auth_user_id" not in client.session
    assert "no-store" in response["Cache-Control"]


def test_lockout_is_per_user_name_and_address(client, area_tree):
    """A locked user name does not lock a colleague behind the same address, nor the
    same user name from another address."""
    make_staff(username="canbo")
    make_staff(username="dongnghiep")
    for _attempt in range(5):
        _login(client, "canbo", "sai-mat-khau")
    assert _login(client, "canbo", PASSWORD).status_code == 429
    assert _login(Client(), "dongnghiep", PASSWORD).status_code == 302
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    assert _login(elsewhere, "canbo", PASSWORD).status_code == 302


def test_the_admin_login_is_throttled_too(client):
    """The Django admin's login page shares the lockout."""
    make_staff(username="quantri")
    url = reverse("admin:login")
    for _attempt in range(5):
        _login(client, "quantri", "sai-mat-khau", url=url)
    response = _login(client, "quantri", PASSWORD, url=url)
    assert response.status_code == 429
    assert LOCKOUT_MESSAGE in response.content.decode()


def test_a_password_reset_by_a_manager_lifts_the_lockout(client, area_tree):
    """The provincial staffer sets a new password: the officer can log in at once."""
    manager = make_staff(StaffRole.PROVINCE_STAFF, [area_tree["province"]])
    officer = make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]], username="canbo")
    for _attempt in range(5):
        _login(client, "canbo", "sai-mat-khau")
    assert _login(client, "canbo", PASSWORD).status_code == 429
    user = services_accounts.account_set_password(acting_user=manager, user=officer)
    assert _login(client, "canbo", user.generated_password).status_code == 302


def test_a_successful_login_resets_the_failure_count(client):
    """Four failures, a success, four more failures: not locked."""
    make_staff(username="canbo")
    for _attempt in range(4):
        _login(client, "canbo", "sai-mat-khau")
    assert _login(client, "canbo", PASSWORD).status_code == 302
    client.logout()
    for _attempt in range(4):
        assert _login(client, "canbo", "sai-mat-khau").status_code == 200
    assert _login(client, "canbo", PASSWORD).status_code == 302


# --- Error pages -------------------------------------------------------------------------------


def test_error_pages_are_vietnamese(client, area_tree):
    """404 and 403 in the portal's layout; 500 renders without any context."""
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
    officer = make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]])
    client.force_login(officer)
    response = client.get(reverse("accounts:list"))
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()
    body = render_to_string("500.html")
    assert "Đã có lỗi xảy ra" in body
    assert "<script" not in body


def test_a_csrf_failure_is_explained_in_vietnamese(area_tree):
    """A form posted without its token: 403 with the Vietnamese explanation."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "Không gửi được biểu mẫu" in response.content.decode()
