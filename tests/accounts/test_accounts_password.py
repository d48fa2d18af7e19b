"""Staff accounts: "must change the password" after someone else set it, and the account
list's search ignoring case and diacritics (accounts.services,
accounts.middleware, accounts.views)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.choices import StaffRole
from accounts.demo import DEMO_PASSWORD, demo_accounts_ensure
from accounts.models import StaffProfile
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

User = get_user_model()

GIVEN_PASSWORD = "mat-khau-quan-ly-dat-2026"
OWN_PASSWORD = "mat-khau-rieng-cua-toi-2026"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def manager(area_tree):
    return make_staff(StaffRole.PROVINCE_STAFF, [area_tree["province"]], username="tinh_bac_kan")


def _create(manager, area_tree, username="canbo_moi", full_name="Nguyễn Văn An", **extra):
    return services.account_create(
        acting_user=manager,
        username=username,
        full_name=full_name,
        role=StaffRole.COMMUNE_OFFICER,
        areas=[area_tree["commune"]],
        **extra,
    )


def _flag(user) -> bool:
    return StaffProfile.objects.get(user=user).must_change_password


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def _change_own_password(client, old, new=OWN_PASSWORD):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


# --- Must change the password ------------------------------------------------------------


def test_passwords_set_by_someone_else_must_be_changed(area_tree, manager):
    """A generated or a typed password at creation, and a reset by a manager, flag the
    account; factory and demo accounts are not flagged."""
    generated = _create(manager, area_tree)
    typed = _create(manager, area_tree, username="canbo_hai", password=GIVEN_PASSWORD)
    assert _flag(generated) and _flag(typed)
    plain = make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]])
    assert not _flag(plain)
    services.account_set_password(acting_user=manager, user=plain)
    assert _flag(plain)


def test_the_flag_sends_every_page_to_the_password_change_until_changed(client, area_tree, manager):
    """Logged in with the manager's password: every staff page (and the public home)
    redirects to "Đổi mật khẩu", which says why in Vietnamese; the password pages,
    logout, the language switch and static files stay reachable. Changing the password
    clears the flag and the portal opens."""
    user = _create(manager, area_tree, password=GIVEN_PASSWORD)
    response = _login(client, "canbo_moi", GIVEN_PASSWORD)
    assert response.status_code == 302
    change_url = reverse("password_change")
    for url in (
        reverse("members:home"),
        reverse("members:commune_detail", args=[area_tree["commune"].pk]),
        reverse("home"),
        reverse("admin:index"),
        reverse("audit:history"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == change_url, url
    assert client.post(reverse("members:home")).status_code == 302

    response = client.get(change_url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mật khẩu hiện tại của bạn do người khác đặt." in body
    assert 'data-testid="must-change-password"' in body
    response = client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/static/css/portal.css").status_code == 200

    # A wrong old password changes nothing.
    response = _change_own_password(client, "sai-mat-khau")
    assert response.status_code == 200
    assert _flag(user)
    response = _change_own_password(client, GIVEN_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    assert not _flag(user)
    assert client.get(reverse("members:home")).status_code == 200
    response = client.get(change_url)
    assert "Mật khẩu hiện tại của bạn do người khác đặt." not in response.content.decode()

    # Next login: straight in.
    client.post(reverse("logout"))
    assert _login(client, "canbo_moi", OWN_PASSWORD).status_code == 302
    assert client.get(reverse("members:home")).status_code == 200


def test_logging_out_is_allowed_while_flagged(client, area_tree, manager):
    _create(manager, area_tree, password=GIVEN_PASSWORD)
    _login(client, "canbo_moi", GIVEN_PASSWORD)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_admin_password_change_redirects_to_the_portal_one(client, area_tree, manager):
    """The admin's own password page is not a way around: it redirects too."""
    _create(manager, area_tree, password=GIVEN_PASSWORD)
    _login(client, "canbo_moi", GIVEN_PASSWORD)
    response = client.get(reverse("admin:password_change"))
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change")


def test_the_flag_and_its_clearing_are_in_the_audit_trail(client, area_tree, manager):
    """The manager's reset sets the flag (history row by the manager); the owner's own
    change clears it (history row by the owner)."""
    officer = make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]], username="canbo")
    services.account_set_password(acting_user=manager, user=officer, password=GIVEN_PASSWORD)
    profile = StaffProfile.objects.get(user=officer)
    latest = profile.history.order_by("-history_id").first()
    assert latest.must_change_password is True
    assert latest.history_user == manager

    _login(client, "canbo", GIVEN_PASSWORD)
    _change_own_password(client, GIVEN_PASSWORD)
    latest = profile.history.order_by("-history_id").first()
    assert latest.must_change_password is False
    assert latest.history_user == officer
    assert latest.door == "web"


def test_a_superuser_without_profile_reset_by_an_administrator_is_flagged(area_tree):
    admin = make_staff(StaffRole.SYSTEM_ADMIN, username="quantri")
    bare = User.objects.create_superuser("goc", "goc@example.org", GIVEN_PASSWORD)
    services.account_set_password(acting_user=admin, user=bare)
    assert _flag(bare)
    assert StaffProfile.objects.get(user=bare).role == StaffRole.SYSTEM_ADMIN


def test_a_session_opened_before_the_reset_ends_and_the_next_one_is_flagged(area_tree, manager):
    """force_login (the tests' login) goes through the same login signal."""
    officer = make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]], username="canbo")
    session = Client()
    session.force_login(officer)
    assert session.get(reverse("members:home")).status_code == 200
    services.account_set_password(acting_user=manager, user=officer)
    officer.refresh_from_db()
    assert session.get(reverse("members:home"))["Location"].startswith(reverse("login"))
    session.force_login(officer)
    assert session.get(reverse("members:home"))["Location"] == reverse("password_change")


def test_demo_accounts_are_never_flagged(area_tree):
    """generate_demo's accounts (docs/ROLES.md) log in straight away, even after a
    manager reset one of them."""
    demo_accounts_ensure(province=area_tree["province"])
    users = User.objects.filter(username__in=["quantri", "bientap", "canbo_tinh", "canbo_xa"])
    assert users.count() == 4
    assert not StaffProfile.objects.filter(user__in=users, must_change_password=True).exists()
    canbo_xa = users.get(username="canbo_xa")
    services.account_set_password(acting_user=None, user=canbo_xa)
    assert _flag(canbo_xa)
    demo_accounts_ensure(province=area_tree["province"])
    assert not _flag(canbo_xa)
    client = Client()
    assert _login(client, "canbo_xa", DEMO_PASSWORD).status_code == 302
    assert client.get(reverse("members:home")).status_code == 200


def test_the_demo_news_editor_writes_news_and_sees_no_roster(area_tree):
    """``bientap`` (docs/ROLES.md) opens the news desk straight away; rosters are not
    theirs."""
    demo_accounts_ensure(province=area_tree["province"])
    client = Client()
    assert _login(client, "bientap", DEMO_PASSWORD).status_code == 302
    assert client.get(reverse("news:desk")).status_code == 200
    assert client.get(reverse("members:home")).status_code == 403


def test_the_detail_page_tells_the_manager_the_password_state(client, area_tree, manager):
    user = _create(manager, area_tree, password=GIVEN_PASSWORD)
    client.force_login(manager)
    body = client.get(reverse("accounts:detail", args=[user.pk])).content.decode()
    assert "Do người quản lý đặt: phải đổi ở lần đăng nhập tới" in body


# --- Account list search -------------------------------------------------------------------


def _search(client, query):
    response = client.get(reverse("accounts:list"), {"q": query})
    assert response.status_code == 200
    return sorted(a.username for a in response.context["accounts"])


def test_account_search_ignores_diacritics_and_case(client, area_tree, manager):
    """ "nguyen van" finds "Nguyễn Văn An", "dang" finds "Đặng", the other way round too;
    the user name and e-mail are searched as before."""
    _create(manager, area_tree, username="an.nguyen")
    _create(manager, area_tree, username="hoa.dang", full_name="Đặng Thị Hoa")
    _create(manager, area_tree, username="xuan.le", full_name="Lê Văn Xuân", email="x@vd.vn")
    client.force_login(manager)
    assert _search(client, "nguyen van") == ["an.nguyen"]
    assert _search(client, "NGUYỄN văn an") == ["an.nguyen"]
    assert _search(client, "dang") == ["hoa.dang"]
    assert _search(client, "ĐẶNG") == ["hoa.dang"]
    assert _search(client, "van") == ["an.nguyen", "xuan.le"]
    assert _search(client, "xuan") == ["xuan.le"]
    assert _search(client, "x@vd") == ["xuan.le"]
    assert _search(client, "HOA.D") == ["hoa.dang"]
    assert _search(client, "nguyen hoa") == []


def test_a_renamed_account_is_found_by_its_new_name(client, area_tree, manager):
    """The folded column follows the name, changed on the account pages or anywhere
    else the user is saved (the admin)."""
    user = _create(manager, area_tree)
    services.account_update(acting_user=manager, user=user, full_name="Trần Văn Đức")
    client.force_login(manager)
    assert _search(client, "duc") == ["canbo_moi"]
    assert _search(client, "nguyen van") == []
    user.refresh_from_db()
    user.first_name = "Bình"
    user.save()
    assert _search(client, "binh") == ["canbo_moi"]
