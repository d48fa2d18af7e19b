"""Staff accounts: services, scoping and pages (accounts.services, accounts.views).

Every permission test has two actors: the provincial staffer of Bắc Kạn (allowed) and the
one of Điện Biên, another province (not).
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from accounts.access import role_group
from accounts.choices import StaffRole
from accounts.demo import DEMO_PASSWORD
from accounts.models import StaffProfile
from accounts.selectors import accounts_visible_to
from tests.factories import AreaFactory, make_staff
from units.choices import Edition, Level

pytestmark = pytest.mark.django_db

User = get_user_model()

GOOD_PASSWORD = "mat-khau-moi-2026"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Hashing is not what these tests are about: a fast hasher keeps the many logins
    and accounts quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def manager(area_tree):
    """Provincial staff of Bắc Kạn (manage_accounts through the role's group)."""
    return make_staff(StaffRole.PROVINCE_STAFF, [area_tree["province"]], username="tinh_bac_kan")


@pytest.fixture
def other_manager(area_tree):
    """Provincial staff of Điện Biên: a manager, but not of Bắc Kạn."""
    return make_staff(
        StaffRole.PROVINCE_STAFF, [area_tree["other_province"]], username="tinh_dien_bien"
    )


@pytest.fixture
def officer(area_tree, manager):
    """A commune officer of commune A (Bắc Kạn), created through the service, who has
    since replaced the manager's password by their own (no "must change" flag)."""
    user = services.account_create(
        acting_user=manager,
        username="canbo_xa_a",
        full_name="Hoàng Thị Lan",
        role=StaffRole.COMMUNE_OFFICER,
        areas=[area_tree["commune"]],
        password=GOOD_PASSWORD,
    )
    services.own_password_changed(user=user)
    return user


def _create(acting_user, **overrides):
    arguments = {
        "acting_user": acting_user,
        "username": "moi",
        "full_name": "Nguyễn Văn An",
        "role": StaffRole.COMMUNE_OFFICER,
        "areas": [],
    }
    arguments.update(overrides)
    return services.account_create(**arguments)


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


# --- Creating accounts ---------------------------------------------------------------------


def test_provincial_staff_creates_a_commune_officer_of_their_province(area_tree, manager):
    """The account is staff (not superuser), has its profile, areas and role group, and
    a generated password that validates and logs in."""
    user = _create(
        manager,
        username="  NguyenVanAn.BangThanh ",
        role=StaffRole.COMMUNE_OFFICER,
        areas=[area_tree["commune_b"]],
        phone="0912 345 678",
        position="Phó Chủ tịch UBND xã",
    )
    user.refresh_from_db()
    assert user.username == "nguyenvanan.bangthanh"
    assert (user.last_name, user.first_name) == ("Nguyễn Văn", "An")
    assert services.full_name_of(user) == "Nguyễn Văn An"
    assert user.is_staff and user.is_active and not user.is_superuser
    profile = user.staff_profile
    assert profile.role == StaffRole.COMMUNE_OFFICER
    assert list(profile.areas.all()) == [area_tree["commune_b"]]
    assert profile.phone == "0912345678"
    assert profile.created_by == manager
    assert list(user.groups.all()) == [role_group(StaffRole.COMMUNE_OFFICER)]
    assert not user.has_perm("accounts.manage_accounts")
    assert user.has_perm("members.add_membership")


def test_a_generated_password_is_returned_once_and_works(client, area_tree, manager):
    """Without a password one is generated (three groups of four readable characters);
    with one, nothing is generated."""
    user = _create(manager, areas=[area_tree["commune"]])
    password = user.generated_password
    assert len(password) == 14 and password.count("-") == 2
    assert not set(password.replace("-", "")) - set(services.PASSWORD_ALPHABET)
    assert User.objects.get(pk=user.pk).check_password(password)
    response = _login(client, "moi", password)
    assert response.status_code == 302
    given = _create(manager, username="moi2", areas=[area_tree["commune"]], password=GOOD_PASSWORD)
    assert given.generated_password is None
    assert given.check_password(GOOD_PASSWORD)


def test_provincial_staff_cannot_create_an_account_outside_their_province(
    area_tree, manager, other_manager
):
    """Điện Biên's staffer cannot give Bắc Kạn's commune; Bắc Kạn's staffer gets one
    message per refused area, in the order given, and nothing is created."""
    with pytest.raises(ValidationError) as excinfo:
        _create(other_manager, areas=[area_tree["commune"]])
    assert _errors(excinfo) == {
        "areas": ["Phường Nguyễn Thị Minh Khai nằm ngoài địa bàn bạn phụ trách."]
    }

    with pytest.raises(ValidationError) as excinfo:
        _create(
            manager,
            areas=[area_tree["commune"], area_tree["far_commune"], area_tree["sibling_district"]],
        )
    assert _errors(excinfo) == {
        "areas": [
            "Xã Nà Hỳ nằm ngoài địa bàn bạn phụ trách.",
            "Huyện Pác Nặm không phải địa bàn cấp xã: vai trò “Cán bộ cấp xã” gắn với cấp xã.",
        ]
    }
    assert not User.objects.filter(username="moi").exists()
    assert not StaffProfile.objects.filter(user__username="moi").exists()


def test_provincial_staff_may_create_provincial_staff_for_their_own_province_only(
    area_tree, manager, other_manager
):
    """Their own rights, no more: Bắc Kạn's staffer may add a colleague for Bắc Kạn, not
    for Điện Biên; Điện Biên's staffer may not add one for Bắc Kạn."""
    colleague = _create(manager, role=StaffRole.PROVINCE_STAFF, areas=[area_tree["province"]])
    assert colleague.has_perm("accounts.manage_accounts")
    with pytest.raises(ValidationError) as excinfo:
        _create(
            manager,
            username="moi2",
            role=StaffRole.PROVINCE_STAFF,
            areas=[area_tree["other_province"]],
        )
    assert _errors(excinfo) == {"areas": ["Tỉnh Điện Biên nằm ngoài địa bàn bạn phụ trách."]}
    with pytest.raises(ValidationError) as excinfo:
        _create(
            other_manager,
            username="moi3",
            role=StaffRole.PROVINCE_STAFF,
            areas=[area_tree["province"]],
        )
    assert _errors(excinfo) == {"areas": ["Tỉnh Bắc Kạn nằm ngoài địa bàn bạn phụ trách."]}


@pytest.mark.parametrize(
    ("role", "label"),
    [
        (StaffRole.SYSTEM_ADMIN, "Quản trị hệ thống"),
        (StaffRole.NEWS_EDITOR, "Biên tập viên tin tức"),
    ],
)
def test_provincial_staff_cannot_create_system_administrators_or_news_editors(
    area_tree, manager, role, label
):
    """Both roles reach the whole portal, beyond any province: system administrators only."""
    with pytest.raises(ValidationError) as excinfo:
        _create(manager, role=role)
    assert _errors(excinfo) == {"role": [f"Bạn không thể cấp vai trò “{label}”."]}
    admin = make_staff(StaffRole.SYSTEM_ADMIN, username="quantri")
    user = _create(admin, role=role)
    assert user.is_superuser == (role == StaffRole.SYSTEM_ADMIN)
    assert user.staff_profile.areas.count() == 0


def test_role_and_area_level_must_match(area_tree):
    """Provincial staff on a province, district staff on a legacy district, commune
    officers on a commune; news editors and administrators without areas; the
    area-bound roles need at least one."""
    admin = make_staff(StaffRole.SYSTEM_ADMIN, username="quantri")
    cases = [
        (
            StaffRole.PROVINCE_STAFF,
            [area_tree["commune"]],
            "Phường Nguyễn Thị Minh Khai không phải địa bàn cấp tỉnh: vai trò “Cán bộ cấp tỉnh” "
            "gắn với cấp tỉnh.",
        ),
        (
            StaffRole.DISTRICT_STAFF,
            [area_tree["province"]],
            "Tỉnh Bắc Kạn không phải địa bàn cấp huyện: vai trò “Cán bộ cấp huyện” gắn với "
            "cấp huyện.",
        ),
        (
            StaffRole.COMMUNE_OFFICER,
            [area_tree["village"]],
            "Tổ 1 không phải địa bàn cấp xã: vai trò “Cán bộ cấp xã” gắn với cấp xã.",
        ),
        (
            StaffRole.COMMUNE_OFFICER,
            [],
            "Chọn ít nhất một địa bàn phụ trách cho vai trò “Cán bộ cấp xã”.",
        ),
        (
            StaffRole.NEWS_EDITOR,
            [area_tree["province"]],
            "Vai trò “Biên tập viên tin tức” không gắn với địa bàn: bỏ chọn các địa bàn.",
        ),
    ]
    for role, areas, message in cases:
        with pytest.raises(ValidationError) as excinfo:
            _create(admin, role=role, areas=areas)
        assert _errors(excinfo) == {"areas": [message]}, role


def test_district_staff_only_on_a_legacy_district(area_tree):
    """A district-level area outside the legacy edition is refused for district staff."""
    admin = make_staff(StaffRole.SYSTEM_ADMIN, username="quantri")
    province_2025 = AreaFactory(level=Level.PROVINCE, code="19", edition=Edition.V2025)
    odd = AreaFactory(level=Level.DISTRICT, code="999", name="Huyện Lạ", parent=province_2025)
    with pytest.raises(ValidationError) as excinfo:
        _create(admin, role=StaffRole.DISTRICT_STAFF, areas=[odd])
    assert _errors(excinfo) == {
        "areas": [
            "Cán bộ cấp huyện chỉ gắn với huyện trong danh mục trước 01/07/2025; Huyện Lạ "
            "không thuộc danh mục đó."
        ]
    }
    user = _create(admin, role=StaffRole.DISTRICT_STAFF, areas=[area_tree["district"]])
    assert user.staff_profile.role == StaffRole.DISTRICT_STAFF


def test_account_data_errors_are_reported_together(area_tree, manager, officer):
    """User name taken (whatever the case), bad phone, missing name, weak password:
    every field's message at once."""
    with pytest.raises(ValidationError) as excinfo:
        _create(
            manager,
            username="CanBo_Xa_A",
            full_name="  ",
            phone="12345",
            areas=[area_tree["commune"]],
            password="12345678",
        )
    errors = _errors(excinfo)
    assert errors["username"] == ["Tên đăng nhập “canbo_xa_a” đã có người dùng."]
    assert errors["full_name"] == [services.ERROR_FULL_NAME_REQUIRED]
    assert errors["phone"] == [services.ERROR_PHONE]
    assert len(errors["password"]) >= 2  # too short, too common, entirely numeric
    with pytest.raises(ValidationError) as excinfo:
        _create(manager, username="a b", areas=[area_tree["commune"]])
    assert _errors(excinfo) == {"username": [services.ERROR_USERNAME_FORMAT]}


def test_only_account_managers_call_the_services(area_tree, officer):
    """A commune officer has no manage_accounts: every service refuses."""
    with pytest.raises(PermissionDenied, match=str(services.ERROR_NOT_MANAGER)):
        _create(officer, areas=[area_tree["commune"]])
    colleague = make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]])
    with pytest.raises(PermissionDenied, match=str(services.ERROR_NOT_MANAGER)):
        services.account_deactivate(acting_user=officer, user=colleague)


# --- Visibility ------------------------------------------------------------------------------


def test_managers_see_only_accounts_wholly_within_their_area(area_tree, manager, other_manager):
    """Bắc Kạn's staffer sees Bắc Kạn's accounts (their own included), not Điện Biên's,
    not one that also reaches Điện Biên, not superusers or news editors; Điện Biên's
    staffer the reverse; a system administrator sees everyone."""
    admin = make_staff(StaffRole.SYSTEM_ADMIN, username="quantri")
    commune_a = make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]], username="xa_a")
    district = make_staff(StaffRole.DISTRICT_STAFF, [area_tree["district"]], username="huyen")
    far = make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["far_commune"]], username="xa_xa")
    both = make_staff(
        StaffRole.COMMUNE_OFFICER,
        [area_tree["commune"], area_tree["far_commune"]],
        username="hai_tinh",
    )
    editor = make_staff(StaffRole.NEWS_EDITOR, username="bientap")
    assert set(accounts_visible_to(manager)) == {manager, commune_a, district}
    assert set(accounts_visible_to(other_manager)) == {other_manager, far}
    assert set(accounts_visible_to(admin)) == {
        admin, manager, other_manager, commune_a, district, far, both, editor,
    }  # fmt: skip
    assert not accounts_visible_to(commune_a).exists()


def test_outside_accounts_cannot_be_changed_through_the_services(
    area_tree, manager, other_manager, officer
):
    """Điện Biên's staffer cannot change, lock, unlock or reset Bắc Kạn's officer."""
    calls = [
        lambda: services.account_update(
            acting_user=other_manager, user=officer, areas=[area_tree["far_commune"]]
        ),
        lambda: services.account_deactivate(acting_user=other_manager, user=officer),
        lambda: services.account_reactivate(acting_user=other_manager, user=officer),
        lambda: services.account_set_password(acting_user=other_manager, user=officer),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied, match=str(services.ERROR_ACCOUNT_OUTSIDE)):
            call()
    officer.refresh_from_db()
    assert officer.is_active
    assert officer.check_password(GOOD_PASSWORD)
    assert list(officer.staff_profile.areas.all()) == [area_tree["commune"]]


# --- Changing, locking, passwords -----------------------------------------------------------


def test_update_moves_an_officer_within_the_province_and_changes_the_role(
    area_tree, manager, officer
):
    """Areas and role change within the province; the role group follows; an area
    outside is refused and nothing changes."""
    services.account_update(
        acting_user=manager,
        user=officer,
        role=StaffRole.DISTRICT_STAFF,
        areas=[area_tree["sibling_district"]],
        full_name="Hoàng Thị Lan Anh",
    )
    officer.refresh_from_db()
    assert officer.staff_profile.role == StaffRole.DISTRICT_STAFF
    assert list(officer.staff_profile.areas.all()) == [area_tree["sibling_district"]]
    assert list(officer.groups.all()) == [role_group(StaffRole.DISTRICT_STAFF)]
    assert services.full_name_of(officer) == "Hoàng Thị Lan Anh"
    with pytest.raises(ValidationError) as excinfo:
        services.account_update(
            acting_user=manager, user=officer, areas=[area_tree["far_district"]]
        )
    assert _errors(excinfo) == {"areas": ["Huyện Nậm Pồ nằm ngoài địa bàn bạn phụ trách."]}
    assert list(officer.staff_profile.areas.all()) == [area_tree["sibling_district"]]


def test_nobody_changes_their_own_role_or_areas_or_locks_themselves(area_tree, manager):
    """Own contact details may change; own role, areas and status may not."""
    with pytest.raises(ValidationError) as excinfo:
        services.account_update(acting_user=manager, user=manager, role=StaffRole.SYSTEM_ADMIN)
    assert excinfo.value.messages == [services.ERROR_SELF_CHANGE]
    with pytest.raises(ValidationError) as excinfo:
        services.account_update(
            acting_user=manager, user=manager, areas=[area_tree["province"], area_tree["district"]]
        )
    assert excinfo.value.messages == [services.ERROR_SELF_CHANGE]
    with pytest.raises(ValidationError) as excinfo:
        services.account_deactivate(acting_user=manager, user=manager)
    assert excinfo.value.messages == ["Không thể tự khóa tài khoản của chính mình."]
    services.account_update(acting_user=manager, user=manager, phone="0987 654 321")
    assert StaffProfile.objects.get(user=manager).phone == "0987654321"


def test_deactivated_accounts_cannot_log_in_and_are_kept(client, area_tree, manager, officer):
    """A locked account is refused at the login page and its open session ends; it is
    still there, and unlocking lets it in again."""
    session_client = Client()
    session_client.force_login(officer)
    assert session_client.get(reverse("members:home")).status_code == 200

    services.account_deactivate(acting_user=manager, user=officer, reason="Nghỉ hưu")
    officer.refresh_from_db()
    assert not officer.is_active
    response = _login(client, "canbo_xa_a", GOOD_PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert session_client.get(reverse("members:home")).status_code == 302
    with pytest.raises(ValidationError) as excinfo:
        services.account_deactivate(acting_user=manager, user=officer)
    assert excinfo.value.messages == ["Tài khoản canbo_xa_a đã bị khóa từ trước."]

    services.account_reactivate(acting_user=manager, user=officer, reason="Trở lại công tác")
    assert _login(client, "canbo_xa_a", GOOD_PASSWORD).status_code == 302


def test_set_password_generates_or_checks_and_ends_the_old_one(client, area_tree, manager, officer):
    """A generated password replaces the old one; a weak one is refused with Django's
    validators; a manager does not reset their own password here."""
    user = services.account_set_password(acting_user=manager, user=officer)
    officer.refresh_from_db()
    assert not officer.check_password(GOOD_PASSWORD)
    assert officer.check_password(user.generated_password)
    with pytest.raises(ValidationError) as excinfo:
        services.account_set_password(acting_user=manager, user=officer, password="canbo_xa_a")
    assert "password" in _errors(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.account_set_password(acting_user=manager, user=manager, password=GOOD_PASSWORD)
    assert excinfo.value.messages == [services.ERROR_SELF_PASSWORD]


# --- Pages -------------------------------------------------------------------------------------


def _account_urls(account):
    return [
        reverse("accounts:detail", args=[account.pk]),
        reverse("accounts:update", args=[account.pk]),
        reverse("accounts:deactivate", args=[account.pk]),
        reverse("accounts:reactivate", args=[account.pk]),
        reverse("accounts:password", args=[account.pk]),
    ]


def test_commune_officers_and_news_editors_get_403_anonymous_visitors_the_login_page(
    client, area_tree, officer
):
    """The account pages are for account managers only."""
    editor = make_staff(StaffRole.NEWS_EDITOR, username="bientap")
    urls = [reverse("accounts:list"), reverse("accounts:create"), *_account_urls(officer)]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    for user in (officer, editor):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, url
            assert client.post(url, {"reason": "x"}).status_code == 403, url
    response = client.get(reverse("accounts:list"))
    assert "Không có quyền truy cập" in response.content.decode()


def test_an_outside_account_answers_404_on_every_page(
    client, area_tree, manager, other_manager, officer
):
    """Điện Biên's staffer gets 404 on Bắc Kạn's officer, GET and POST, and nothing
    changes; Bắc Kạn's staffer opens every page."""
    client.force_login(other_manager)
    for url in _account_urls(officer):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reason": "x", "role": "commune_officer"}).status_code == 404
    officer.refresh_from_db()
    assert officer.is_active and officer.check_password(GOOD_PASSWORD)
    assert client.get(reverse("accounts:detail", args=[999999])).status_code == 404

    client.force_login(manager)
    for url in _account_urls(officer):
        assert client.get(url).status_code == 200, url


def test_account_list_shows_the_managers_area_with_filters(
    client, area_tree, manager, other_manager, officer
):
    """Bắc Kạn's list: its accounts, with names, roles and areas; filters by role, status
    and a search; Điện Biên's list does not show them."""
    far = make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["far_commune"]], username="xa_xa")
    services.account_deactivate(acting_user=other_manager, user=far, reason="Chuyển công tác")
    client.force_login(manager)
    response = client.get(reverse("accounts:list"))
    assert response.status_code == 200
    # Sorted by given name: the manager has none, "Lan" comes after.
    assert [a.username for a in response.context["accounts"]] == ["tinh_bac_kan", "canbo_xa_a"]
    body = response.content.decode()
    assert "Hoàng Thị Lan" in body
    assert "Phường Nguyễn Thị Minh Khai" in body
    assert "xa_xa" not in body
    response = client.get(reverse("accounts:list"), {"role": "commune_officer"})
    assert [a.username for a in response.context["accounts"]] == ["canbo_xa_a"]
    response = client.get(reverse("accounts:list"), {"q": "LAN"})
    assert [a.username for a in response.context["accounts"]] == ["canbo_xa_a"]
    response = client.get(reverse("accounts:list"), {"active": "0"})
    assert list(response.context["accounts"]) == []

    client.force_login(other_manager)
    response = client.get(reverse("accounts:list"), {"active": "0"})
    assert [a.username for a in response.context["accounts"]] == ["xa_xa"]
    assert "canbo_xa_a" not in client.get(reverse("accounts:list")).content.decode()


def test_account_list_query_count_is_constant(client, area_tree, manager):
    """3 accounts or 10: the same number of queries (profiles and areas joined)."""
    communes = [area_tree["commune"], area_tree["sibling_commune"], area_tree["commune_b"]]
    for number in range(2):
        make_staff(StaffRole.COMMUNE_OFFICER, [communes[number]])
    client.force_login(manager)
    with CaptureQueriesContext(connection) as before:
        response = client.get(reverse("accounts:list"))
    assert len(response.context["accounts"]) == 3
    for number in range(7):
        make_staff(StaffRole.COMMUNE_OFFICER, [communes[number % 3], area_tree["village"]])
    with CaptureQueriesContext(connection) as after:
        response = client.get(reverse("accounts:list"))
    assert len(response.context["accounts"]) == 10
    assert len(after) == len(before)


def test_create_page_finds_areas_of_the_managers_province_and_creates(
    client, area_tree, manager, other_manager
):
    """The picker finds "bang thanh" (no diacritics) and code 01849 for Bắc Kạn's
    staffer only; the form keeps what was typed; saving shows the generated password
    once, and that password logs in."""
    url = reverse("accounts:create")
    data = {
        "username": "bangthanh",
        "full_name": "Lò Văn Páo",
        "role": "commune_officer",
        "area_q": "bang thanh",
        "_search": "1",
    }
    client.force_login(other_manager)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Xã Bằng Thành" not in response.content.decode()

    client.force_login(manager)
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Xã Bằng Thành — Huyện Pác Nặm, Tỉnh Bắc Kạn · mã 01849" in body
    assert 'value="bangthanh"' in body
    assert not User.objects.filter(username="bangthanh").exists()
    response = client.post(url, {**data, "area_q": "01849"})
    assert [a.name for a in response.context["form"].area_results] == ["Xã Bằng Thành"]

    data.pop("_search")
    response = client.post(url, {**data, "areas": [area_tree["commune_b"].pk]})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = response.context["password"]
    assert f'data-testid="generated-password">{password}<' in response.content.decode()
    user = User.objects.get(username="bangthanh")
    assert list(user.staff_profile.areas.all()) == [area_tree["commune_b"]]
    other = Client()
    assert _login(other, "bangthanh", password).status_code == 302


def test_create_page_refuses_a_forged_outside_area_and_shows_service_errors(
    client, area_tree, manager
):
    """An area id from another province typed into the form is not a valid choice; a
    role the manager cannot give is not offered; nothing is created."""
    client.force_login(manager)
    url = reverse("accounts:create")
    data = {
        "username": "gia_mao",
        "full_name": "Người Giả",
        "role": "commune_officer",
        "areas": [area_tree["far_commune"].pk],
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["areas"] == ["Lựa chọn không hợp lệ."]
    response = client.post(url, {**data, "role": "system_admin", "areas": []})
    assert response.context["form"].errors["role"] == ["Lựa chọn không hợp lệ."]
    response = client.post(
        url, {**data, "role": "province_staff", "areas": [area_tree["commune"].pk]}
    )
    assert response.context["form"].errors["areas"] == [
        "Phường Nguyễn Thị Minh Khai không phải địa bàn cấp tỉnh: vai trò “Cán bộ cấp tỉnh” "
        "gắn với cấp tỉnh."
    ]
    assert not User.objects.filter(username="gia_mao").exists()


def test_pages_deactivate_reactivate_reset_and_edit(client, area_tree, manager, officer):
    """The manager locks with a reason, unlocks, resets the password (shown once) and
    moves the officer to another commune of the province."""
    client.force_login(manager)
    url = reverse("accounts:deactivate", args=[officer.pk])
    response = client.post(url, {"reason": ""})
    assert response.context["form"].errors["reason"] == ["Chưa nhập mục này."]
    response = client.post(url, {"reason": "Nghỉ việc"})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert not officer.is_active
    response = client.get(reverse("accounts:detail", args=[officer.pk]))
    assert "Tài khoản đã bị khóa" in response.content.decode()
    client.post(reverse("accounts:reactivate", args=[officer.pk]), {"reason": "Quay lại"})
    officer.refresh_from_db()
    assert officer.is_active

    response = client.post(reverse("accounts:password", args=[officer.pk]), {})
    officer.refresh_from_db()
    assert officer.check_password(response.context["password"])

    response = client.post(
        reverse("accounts:update", args=[officer.pk]),
        {
            "full_name": "Hoàng Thị Lan",
            "role": "commune_officer",
            "areas": [area_tree["commune_b"].pk],
            "phone": "",
            "email": "lan@example.org",
        },
    )
    assert response.status_code == 302
    assert list(officer.staff_profile.areas.all()) == [area_tree["commune_b"]]


def test_the_managers_own_page_offers_no_lock_and_no_reset(client, area_tree, manager):
    """On their own account a manager sees "change my password", not lock or reset."""
    client.force_login(manager)
    body = client.get(reverse("accounts:detail", args=[manager.pk])).content.decode()
    assert reverse("password_change") in body
    assert reverse("accounts:deactivate", args=[manager.pk]) not in body
    response = client.post(reverse("accounts:deactivate", args=[manager.pk]), {"reason": "x"})
    assert response.context["form"].non_field_errors() == [services.ERROR_SELF_DEACTIVATE]


def test_account_pages_need_the_csrf_token(area_tree, manager, officer):
    """Every state-changing account page refuses a POST without the CSRF token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    posts = [
        (
            reverse("accounts:create"),
            {"username": "x", "full_name": "X Y", "role": "commune_officer"},
        ),
        (
            reverse("accounts:update", args=[officer.pk]),
            {"full_name": "X", "role": "commune_officer"},
        ),
        (reverse("accounts:deactivate", args=[officer.pk]), {"reason": "x"}),
        (reverse("accounts:reactivate", args=[officer.pk]), {"reason": "x"}),
        (reverse("accounts:password", args=[officer.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    officer.refresh_from_db()
    assert officer.is_active and officer.check_password(GOOD_PASSWORD)
    assert not User.objects.filter(username="x").exists()


def test_names_with_markup_are_escaped(client, area_tree, manager):
    """A full name holding a script is shown as text on the list and the detail page."""
    user = _create(
        manager,
        username="xss",
        full_name="<script>alert(1)</script> An",
        areas=[area_tree["commune"]],
    )
    client.force_login(manager)
    for url in (reverse("accounts:list"), reverse("accounts:detail", args=[user.pk])):
        body = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_the_accounts_link_shows_for_managers_only(client, area_tree, manager, officer):
    """The navigation's "Tài khoản" link: provincial staff yes, commune officers no."""
    link = f'href="{reverse("accounts:list")}"'
    client.force_login(manager)
    assert link in client.get(reverse("members:home")).content.decode()
    client.force_login(officer)
    assert link not in client.get(reverse("members:home")).content.decode()


def test_own_password_change_page_is_vietnamese(client, area_tree, manager):
    """The link on a manager's own page leads to Django's password change, in the
    portal's layout and language."""
    client.force_login(manager)
    response = client.get(reverse("password_change"))
    assert response.status_code == 200
    assert "Đổi mật khẩu" in response.content.decode()


# --- Demo accounts ---------------------------------------------------------------------------


def _generate_demo():
    out = io.StringIO()
    call_command("generate_demo", "--edition", "legacy", "--province", "06", stdout=out)
    return out.getvalue().splitlines()


def test_generate_demo_creates_the_demo_accounts_outside_production(client, area_tree, settings):
    """Three accounts with the development password, printed before the summary line;
    a second run puts them back (unlocked, same password); none in production."""
    settings.PRODUCTION = True
    _generate_demo()
    assert not User.objects.filter(username__in=["quantri", "canbo_tinh", "canbo_xa"]).exists()

    settings.PRODUCTION = False
    lines = _generate_demo()
    assert "  quantri / danvan-demo-2026 — Quản trị hệ thống (toàn bộ cổng thông tin)" in lines
    assert "  canbo_tinh / danvan-demo-2026 — Cán bộ cấp tỉnh (Tỉnh Bắc Kạn)" in lines
    assert lines[-1].startswith("scale=small ")
    officer = User.objects.get(username="canbo_xa")
    commune = officer.staff_profile.areas.get()
    assert commune.level == Level.COMMUNE
    assert commune.path.startswith(area_tree["province"].path)
    assert User.objects.get(username="quantri").is_superuser

    services.account_deactivate(acting_user=None, user=officer)
    services.account_set_password(acting_user=None, user=officer, password=GOOD_PASSWORD)
    _generate_demo()
    assert _login(client, "canbo_xa", DEMO_PASSWORD).status_code == 302


def test_a_system_administrator_manages_an_account_without_a_profile(client, area_tree):
    """A superuser made by createsuperuser has no staff profile: another administrator
    sees it, and saving it on the edit page gives it one."""
    admin = make_staff(StaffRole.SYSTEM_ADMIN, username="quantri")
    bare = User.objects.create_superuser("goc", "goc@example.org", GOOD_PASSWORD)
    client.force_login(admin)
    assert client.get(reverse("accounts:detail", args=[bare.pk])).status_code == 200
    url = reverse("accounts:update", args=[bare.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"full_name": "Người Gốc", "role": "system_admin"})
    assert response.status_code == 302
    bare.refresh_from_db()
    assert bare.staff_profile.role == StaffRole.SYSTEM_ADMIN
    assert bare.is_superuser
