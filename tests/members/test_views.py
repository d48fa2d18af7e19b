"""The staff interface over HTTP: who gets in, what each page shows, what each form
writes (through the services), and constant query counts on every list."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.forms import ERROR_VILLAGE_REQUIRED
from members.health import WARNING_HEAD_NOT_PARTY, WARNING_TEAM_SIZE
from members.models import Membership, Person
from members.services import (
    END_REASON_DISSOLVED,
    ERROR_ALREADY_ENDED,
    ERROR_END_IN_FUTURE,
    ERROR_NAME_REQUIRED,
    membership_add,
    membership_end,
)
from members.validation import ERROR_PHONE
from portal.forms import ERROR_DATE
from tests.factories import AreaFactory, UserFactory, make_staff
from units.choices import Level, UnitStatus
from units.models import Area, Unit
from units.services import ERROR_UNIT_EXISTS, team_create_for_village, unit_create

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu-nghiem-2026"


@pytest.fixture
def staff():
    return make_staff(username="canbo")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def member(team):
    return membership_add(
        unit=team,
        full_name="Đặng Văn Đức",
        birth_year=1980,
        role="head",
        party_member=True,
        phone="0912345678",
        position="Bí thư chi bộ",
        start_date=datetime.date(2024, 3, 5),
    )


def _pages(area_tree, bloc, member):
    """Every staff page with an object, as (url name, argument)."""
    return [
        ("members:home", None),
        ("members:membership_list", None),
        ("members:commune_detail", area_tree["commune"].pk),
        ("members:bloc_create", area_tree["commune"].pk),
        ("members:team_create", area_tree["commune"].pk),
        ("members:unit_detail", bloc.pk),
        ("members:unit_update", bloc.pk),
        ("members:unit_dissolve", bloc.pk),
        ("members:membership_create", bloc.pk),
        ("members:membership_update", member.pk),
        ("members:membership_end", member.pk),
        ("members:person_detail", member.person_id),
        ("members:person_merge", member.person_id),
        ("members:person_split", member.person_id),
    ]


def _url(name, arg):
    return reverse(name, args=[arg] if arg is not None else [])


def _text(response) -> str:
    return response.content.decode()


def _errors(response, field=None):
    form = response.context["form"]
    if field is None:
        return form.non_field_errors()
    return form.errors.get(field, [])


# --- access ---------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client, area_tree, bloc, member):
    """Every staff page, GET or POST, redirects an anonymous visitor to the login page
    and writes nothing."""
    login = reverse("login")
    for name, arg in _pages(area_tree, bloc, member):
        url = _url(name, arg)
        for response in (client.get(url), client.post(url, {"full_name": "X"})):
            assert response.status_code == 302, url
            assert response["Location"] == f"{login}?next={url}"
    assert Membership.objects.count() == 1


def test_logged_in_users_without_staff_rights_get_403(client, area_tree, bloc, member):
    """A citizen account, or a deactivated staff account, is refused; writes too."""
    for user in (
        UserFactory(username="dan"),
        UserFactory(username="cu", is_staff=True, is_active=False),
    ):
        client.force_login(user)
        for name, arg in _pages(area_tree, bloc, member):
            url = _url(name, arg)
            assert client.get(url).status_code in (403, 302), url
            if user.is_active:
                assert client.get(url).status_code == 403, url
        response = client.post(
            reverse("members:membership_end", args=[member.pk]), {"end_date": "01/05/2024"}
        )
        assert response.status_code in (403, 302)
    member.refresh_from_db()
    assert member.end_date is None


def test_staff_open_every_page(staff_client, area_tree, bloc, member):
    for name, arg in _pages(area_tree, bloc, member):
        response = staff_client.get(_url(name, arg))
        assert response.status_code == 200, name
        assert response["Content-Language"] == "vi"


def test_missing_ids_answer_404(staff_client, area_tree, bloc, member):
    """An id that does not exist (or is outside the user's set) is a 404, and so is a
    village or district id given as a commune."""
    for name, arg in _pages(area_tree, bloc, member):
        if arg is not None:
            assert staff_client.get(_url(name, 999999)).status_code == 404, name
    for not_a_commune in (area_tree["village"], area_tree["district"]):
        url = _url("members:commune_detail", not_a_commune.pk)
        assert staff_client.get(url).status_code == 404


def test_login_page_is_vietnamese_and_leads_to_the_staff_home(client, staff):
    """The login form speaks Vietnamese, refuses a wrong password in Vietnamese, and a
    staff user lands on the staff home."""
    response = client.get(reverse("login"))
    body = _text(response)
    assert "Đăng nhập" in body and "Tên đăng nhập" in body and "Mật khẩu" in body
    assert "csrfmiddlewaretoken" in body
    response = client.post(reverse("login"), {"username": "canbo", "password": "sai"})
    assert "Vui lòng điền vào" in _text(response)
    response = client.post(reverse("login"), {"username": "canbo", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("members:home")
    body = _text(client.get(reverse("members:home")))
    assert "Đăng xuất" in body
    assert reverse("members:membership_list") in body


def test_posts_need_the_csrf_token(staff, bloc):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post(
        reverse("members:membership_create", args=[bloc.pk]), {"full_name": "Lò Văn A"}
    )
    assert response.status_code == 403
    assert not Membership.objects.exists()


# --- home and commune -----------------------------------------------------------------


def test_home_finds_communes_by_name_or_code_with_their_edition(staff_client, area_tree):
    response = staff_client.get(reverse("members:home"), {"q": "bang thanh"})
    body = _text(response)
    assert [c.name for c in response.context["communes"]] == ["Xã Bằng Thành"]
    assert reverse("members:commune_detail", args=[area_tree["commune_b"].pk]) in body
    assert "Danh mục trước 01/07/2025" in body
    response = staff_client.get(reverse("members:home"), {"q": "01834"})
    assert [c.name for c in response.context["communes"]] == ["Phường Nguyễn Thị Minh Khai"]
    response = staff_client.get(reverse("members:home"), {"q": "khong co dau"})
    assert "Không có xã, phường nào khớp" in _text(response)


def test_home_search_query_count_does_not_grow(staff_client, area_tree):
    """Three matching communes or eight: the same number of queries."""
    district = area_tree["sibling_district"]

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = staff_client.get(reverse("members:home"), {"q": "xa tim"})
        return len(ctx), len(response.context["communes"])

    for i in range(3):
        AreaFactory(level=Level.COMMUNE, code=f"0500{i}", name=f"Xã Tìm {i}", parent=district)
    small = count()
    for i in range(3, 8):
        AreaFactory(level=Level.COMMUNE, code=f"0500{i}", name=f"Xã Tìm {i}", parent=district)
    large = count()
    assert (small[1], large[1]) == (3, 8)
    assert small[0] == large[0]


def test_commune_page_shows_bloc_teams_villages_and_warnings(staff_client, area_tree, member):
    """The bloc button when there is none, each village with its team (count and
    warnings) or a "Lập tổ" action."""
    commune = area_tree["commune"]
    Area.objects.create(
        edition=commune.edition, level=Level.VILLAGE, parent=commune, name="Tổ 2",
        short_name="Tổ 2", type_word="tổ",
    )  # fmt: skip
    response = staff_client.get(reverse("members:commune_detail", args=[commune.pk]))
    body = _text(response)
    assert "Xã chưa có Khối dân vận đang hoạt động." in body
    assert reverse("members:bloc_create", args=[commune.pk]) in body
    assert "Tổ dân vận Tổ 1" in body
    assert "1 thành viên đang tham gia" in body
    assert str(WARNING_TEAM_SIZE).format(count=1, low=7, high=10) in body
    assert f"{reverse('members:team_create', args=[commune.pk])}?thon=T%E1%BB%95%202" in body
    assert "Lập Tổ dân vận cho thôn" in body
    assert "01834" in body


def test_commune_page_query_count_does_not_grow(staff_client, area_tree):
    """Three teams with members or seven: the same number of queries."""
    commune = area_tree["commune"]
    unit_create(kind="bloc", area=commune)

    def add_teams(start, stop):
        for i in range(start, stop):
            team = team_create_for_village(commune=commune, village_name=f"Thôn {i}")
            membership_add(unit=team, full_name=f"Người {i}", role="head")

    def count():
        url = reverse("members:commune_detail", args=[commune.pk])
        with CaptureQueriesContext(connection) as ctx:
            response = staff_client.get(url)
        return len(ctx), len(response.context["overview"].villages)

    add_teams(0, 3)
    small = count()
    add_teams(3, 7)
    large = count()
    assert small[1] + 4 == large[1]
    assert small[0] == large[0]


def test_found_a_bloc(staff_client, area_tree):
    """The bloc form founds the bloc with its decision typed day first; a second one is
    refused with the service's message."""
    commune = area_tree["commune"]
    url = reverse("members:bloc_create", args=[commune.pk])
    data = {"decision_number": "125-QĐ/ĐU", "decision_date": "05/03/2023", "rules_adopted_on": ""}
    response = staff_client.post(url, data)
    bloc = Unit.objects.get(kind="bloc", area=commune)
    assert response.status_code == 302
    assert response["Location"] == reverse("members:unit_detail", args=[bloc.pk])
    assert bloc.decision_date == datetime.date(2023, 3, 5)
    assert not bloc.rules_adopted
    response = staff_client.post(url, data)
    assert response.status_code == 200
    expected = ERROR_UNIT_EXISTS.format(area=commune.name, kind="khối dân vận")
    assert _errors(response) == [expected]
    assert Unit.objects.filter(kind="bloc").count() == 1


def test_found_a_team_for_a_new_village(staff_client, area_tree):
    """An unknown village name creates the village, then its team."""
    commune = area_tree["commune"]
    response = staff_client.post(
        reverse("members:team_create", args=[commune.pk]),
        {"village_name": "Thôn  Nà Pục ", "kind": "community_team", "decision_number": "",
         "decision_date": "", "rules_adopted_on": "10/01/2024"},
    )  # fmt: skip
    village = Area.objects.get(parent=commune, name="Thôn Nà Pục")
    team = Unit.objects.get(area=village)
    assert response["Location"] == reverse("members:unit_detail", args=[team.pk])
    assert (team.kind, team.rules_adopted, team.rules_adopted_on) == (
        "community_team",
        True,
        datetime.date(2024, 1, 10),
    )


def test_found_a_team_errors_write_nothing(staff_client, area_tree, team):
    """A village that already has a team, an empty name or a bad date: a Vietnamese
    error on the field, nothing written."""
    commune = area_tree["commune"]
    url = reverse("members:team_create", args=[commune.pk])
    base = {"kind": "team", "decision_number": "", "decision_date": "", "rules_adopted_on": ""}
    response = staff_client.post(url, {**base, "village_name": "to 1"})
    assert _errors(response, "village_name") == [
        ERROR_UNIT_EXISTS.format(area="Tổ 1", kind="tổ dân vận")
    ]
    response = staff_client.post(url, {**base, "village_name": "   "})
    assert _errors(response, "village_name") == [str(ERROR_VILLAGE_REQUIRED)]
    response = staff_client.post(
        url, {**base, "village_name": "Tổ 9", "decision_date": "13/13/2024"}
    )
    assert _errors(response, "decision_date") == [str(ERROR_DATE)]
    assert Unit.objects.count() == 1
    assert not Area.objects.filter(name="Tổ 9").exists()


# --- unit roster ----------------------------------------------------------------------


def test_roster_shows_current_and_past_members(staff_client, team, member):
    """Role labels of a team, position, Party membership, phone; past members with
    date and reason under "Đã thôi"; the birth year printed without a separator."""
    left = membership_add(
        unit=team, full_name="Triệu Thị Mai", start_date=datetime.date(2023, 1, 1)
    )
    membership_end(membership=left, end_date=datetime.date(2024, 3, 31), end_reason="Chuyển đi")
    response = staff_client.get(reverse("members:unit_detail", args=[team.pk]))
    body = _text(response)
    assert [m.person.full_name for m in response.context["roster"].current] == ["Đặng Văn Đức"]
    assert "Tổ trưởng" in body and "Bí thư chi bộ" in body and "0912345678" in body
    assert "(1980)" in body and "1.980" not in body
    assert "Đã thôi (1)" in body
    assert "31/03/2024" in body and "Chuyển đi" in body
    assert str(WARNING_TEAM_SIZE).format(count=1, low=7, high=10) in body
    assert str(WARNING_HEAD_NOT_PARTY) not in body
    assert reverse("members:membership_end", args=[member.pk]) in body


def test_roster_query_count_does_not_grow(staff_client, team):
    """Three members or twelve (current and past): the same number of queries."""

    def add(start, stop):
        for i in range(start, stop):
            seat = membership_add(unit=team, full_name=f"Người {i}", birth_year=1960 + i)
            if i % 3 == 0:
                membership_end(membership=seat, end_date=timezone.localdate())

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = staff_client.get(reverse("members:unit_detail", args=[team.pk]))
        roster = response.context["roster"]
        return len(ctx), len(roster.current) + len(roster.past)

    add(0, 3)
    small = count()
    add(3, 12)
    large = count()
    assert (small[1], large[1]) == (3, 12)
    assert small[0] == large[0]


def test_add_member_through_the_form(staff_client, team):
    """The add form creates the person and the seat; the start date is read day first."""
    response = staff_client.post(
        reverse("members:membership_create", args=[team.pk]),
        {"full_name": "Lò Thị Xuân", "gender": "female", "birth_year": "1985",
         "ethnicity": "Thái", "party_member": "on", "phone": "0987 654 321",
         "position": "Chi hội trưởng Phụ nữ", "role": "deputy", "start_date": "05/03/2024"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == reverse("members:unit_detail", args=[team.pk])
    seat = Membership.objects.get(unit=team)
    person = seat.person
    assert (seat.role, seat.start_date) == ("deputy", datetime.date(2024, 3, 5))
    assert (person.gender, person.birth_year, person.ethnicity) == ("female", 1985, "Thái")
    assert (person.party_member, person.phone) == (True, "0987654321")
    page = _text(staff_client.get(response["Location"]))
    assert "Đã thêm Lò Thị Xuân (1985) vào Tổ dân vận Tổ 1." in page


def test_add_member_recognises_a_known_person_without_wiping_details(
    staff_client, bloc, team, member
):
    """The same name and birth year in the province is the same person: a second seat,
    no new record, and blank fields of the form leave stored details alone."""
    response = staff_client.post(
        reverse("members:membership_create", args=[bloc.pk]),
        {"full_name": "dang van duc", "birth_year": "1980", "role": "member", "gender": "",
         "ethnicity": "", "phone": "", "position": "", "start_date": ""},
    )  # fmt: skip
    assert response.status_code == 302
    assert Person.objects.count() == 1
    person = Person.objects.get()
    assert person.memberships.count() == 2
    assert (person.phone, person.position) == ("0912345678", "Bí thư chi bộ")
    assert person.party_member
    page = _text(staff_client.get(response["Location"]))
    assert "đã có hồ sơ trong tỉnh" in page


def test_add_member_errors_are_vietnamese_and_write_nothing(staff_client, team, member):
    """Missing name, bad phone, bad year, bad date, and a person already seated."""
    url = reverse("members:membership_create", args=[team.pk])
    base = {"full_name": "Lò Văn Nam", "role": "member", "birth_year": "", "phone": "",
            "start_date": "", "gender": "", "ethnicity": "", "position": ""}  # fmt: skip
    response = staff_client.post(url, {**base, "full_name": "  "})
    assert _errors(response, "full_name") == [ERROR_NAME_REQUIRED]
    response = staff_client.post(url, {**base, "phone": "12345"})
    assert _errors(response, "phone") == [ERROR_PHONE.format(value="12345")]
    response = staff_client.post(url, {**base, "birth_year": "1850"})
    assert "Năm sinh “1850” không hợp lệ" in _errors(response, "birth_year")[0]
    response = staff_client.post(url, {**base, "start_date": "31/02/2024"})
    assert _errors(response, "start_date") == [str(ERROR_DATE)]
    response = staff_client.post(url, {**base, "ethnicity": "Kinh Tày"})
    assert _errors(response, "ethnicity") == ["Lựa chọn không hợp lệ."]
    response = staff_client.post(url, {**base, "full_name": "Đặng Văn Đức", "birth_year": "1980"})
    assert _errors(response) == ["Đặng Văn Đức (1980) đang là thành viên của đơn vị này."]
    assert response.status_code == 200
    assert Membership.objects.count() == 1
    assert Person.objects.count() == 1


def test_edit_membership(staff_client, team, member):
    """Role, start date and the person's details change together."""
    url = reverse("members:membership_update", args=[member.pk])
    response = staff_client.get(url)
    body = _text(response)
    assert 'value="05/03/2024"' in body
    assert 'value="1980"' in body
    response = staff_client.post(
        url,
        {"full_name": "Đặng Văn Đức", "role": "deputy", "start_date": "01/02/2024",
         "birth_year": "1981", "gender": "male", "ethnicity": "Dao", "phone": "0912345679",
         "position": "Trưởng thôn"},
    )  # fmt: skip
    assert response.status_code == 302
    member.refresh_from_db()
    member.person.refresh_from_db()
    assert (member.role, member.start_date) == ("deputy", datetime.date(2024, 2, 1))
    assert (member.person.birth_year, member.person.party_member) == (1981, False)
    assert (member.person.ethnicity, member.person.position) == ("Dao", "Trưởng thôn")


def test_edit_membership_invalid_input_changes_nothing(staff_client, member):
    url = reverse("members:membership_update", args=[member.pk])
    response = staff_client.post(
        url, {"full_name": "", "role": "boss", "start_date": "", "phone": "abc"}
    )
    assert response.status_code == 200
    assert _errors(response, "full_name") == [ERROR_NAME_REQUIRED]
    assert _errors(response, "role") == ["Lựa chọn không hợp lệ."]
    assert _errors(response, "start_date") == ["Chưa nhập mục này."]
    member.refresh_from_db()
    assert (member.role, member.person.full_name) == ("head", "Đặng Văn Đức")


def test_end_membership(staff_client, team, member):
    """The end form proposes today; ending keeps the seat as history with its reason."""
    url = reverse("members:membership_end", args=[member.pk])
    today = timezone.localdate()
    assert f'value="{today:%d/%m/%Y}"' in _text(staff_client.get(url))
    response = staff_client.post(url, {"end_date": "01/05/2024", "end_reason": "Nghỉ hưu"})
    assert response["Location"] == reverse("members:unit_detail", args=[team.pk])
    member.refresh_from_db()
    assert (member.end_date, member.end_reason) == (datetime.date(2024, 5, 1), "Nghỉ hưu")
    page = _text(staff_client.get(response["Location"]))
    assert "Đặng Văn Đức (1980) thôi tham gia Tổ dân vận Tổ 1 từ ngày 01/05/2024." in page
    response = staff_client.post(url, {"end_date": "02/05/2024"})
    assert _errors(response) == [ERROR_ALREADY_ENDED.format(date="01/05/2024")]


def test_end_membership_in_the_future_is_refused(staff_client, member):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = staff_client.post(
        reverse("members:membership_end", args=[member.pk]), {"end_date": f"{tomorrow:%d/%m/%Y}"}
    )
    assert _errors(response, "end_date") == [ERROR_END_IN_FUTURE]
    member.refresh_from_db()
    assert member.end_date is None


def test_edit_unit_details(staff_client, team):
    url = reverse("members:unit_update", args=[team.pk])
    response = staff_client.post(
        url,
        {"name": "", "kind": "community_team", "decision_number": "12-QĐ/ĐU",
         "decision_date": "02/01/2024", "rules_adopted": "on", "rules_adopted_on": ""},
    )  # fmt: skip
    assert response.status_code == 302
    team.refresh_from_db()
    assert (team.kind, team.name) == ("community_team", "Tổ dân vận cộng đồng Tổ 1")
    assert team.decision_date == datetime.date(2024, 1, 2)
    response = staff_client.post(url, {"kind": "bloc", "rules_adopted_on": "01/01/2024"})
    assert _errors(response, "kind") == ["Lựa chọn không hợp lệ."]
    response = staff_client.post(url, {"kind": "team", "rules_adopted_on": "01/01/2024"})
    team.refresh_from_db()
    assert (team.kind, team.rules_adopted, team.decision_number) == ("team", True, "")


def test_dissolve_unit_ends_its_seats(staff_client, team, member):
    url = reverse("members:unit_dissolve", args=[team.pk])
    response = staff_client.post(url, {"dissolved_on": "01/06/2024"})
    assert response.status_code == 302
    team.refresh_from_db()
    member.refresh_from_db()
    assert (team.status, team.dissolved_on) == (UnitStatus.DISSOLVED, datetime.date(2024, 6, 1))
    assert (member.end_date, member.end_reason) == (datetime.date(2024, 6, 1), END_REASON_DISSOLVED)
    body = _text(staff_client.get(reverse("members:unit_detail", args=[team.pk])))
    assert "Đã giải thể ngày 01/06/2024" in body
    assert reverse("members:membership_create", args=[team.pk]) not in body


# --- member list ----------------------------------------------------------------------


def test_member_list_filters_and_searches(staff_client, area_tree, bloc, member):
    membership_add(unit=bloc, full_name="Nông Thị Hoa", gender="female")
    url = reverse("members:membership_list")
    response = staff_client.get(url)
    assert response.status_code == 200
    assert len(response.context["memberships"]) == 2
    response = staff_client.get(url, {"q": "dang van", "area_code": "01834"})
    assert [m.person.full_name for m in response.context["memberships"]] == ["Đặng Văn Đức"]
    body = _text(response)
    assert "Tổ trưởng" in body and "(1980)" in body
    response = staff_client.get(url, {"area": area_tree["commune"].pk, "gender": "female"})
    assert [m.person.full_name for m in response.context["memberships"]] == ["Nông Thị Hoa"]
    assert "Địa bàn: Phường Nguyễn Thị Minh Khai" in _text(response)
    response = staff_client.get(url, {"active_on": "32/01/2024"})
    assert response.status_code == 200
    assert str(ERROR_DATE) in _text(response)
    assert list(response.context["memberships"]) == []


def test_member_list_is_paginated_by_50(staff_client, team):
    for i in range(51):
        membership_add(unit=team, full_name=f"Người {i:02d}")
    url = reverse("members:membership_list")
    response = staff_client.get(url)
    assert len(response.context["memberships"]) == 50
    assert "Trang 1/2" in _text(response)
    response = staff_client.get(url, {"page": 2, "q": "nguoi"})
    assert len(response.context["memberships"]) == 1
    assert staff_client.get(url, {"page": 9}).status_code == 404


def test_member_list_query_count_does_not_grow(staff_client, area_tree):
    """Three rows in one unit or nine rows across three units and two communes: the
    same number of queries (filters by code included)."""
    units = [
        team_create_for_village(commune=area_tree["commune"], village_name="Tổ 1"),
        unit_create(kind="bloc", area=area_tree["commune"]),
        unit_create(kind="bloc", area=area_tree["sibling_commune"]),
    ]

    def count(params):
        with CaptureQueriesContext(connection) as ctx:
            response = staff_client.get(reverse("members:membership_list"), params)
        return len(ctx), len(response.context["memberships"])

    for i in range(3):
        membership_add(unit=units[0], full_name=f"Người {i}")
    small = count({}), count({"area_code": "058", "q": "nguoi"})
    for i in range(3, 9):
        membership_add(
            unit=units[i % 3], full_name=f"Người {i}", role="head" if i < 5 else "member"
        )
    large = count({}), count({"area_code": "058", "q": "nguoi"})
    assert [n for _q, n in small] == [3, 3]
    assert [n for _q, n in large] == [9, 9]
    assert [q for q, _n in small] == [q for q, _n in large]


# --- people ---------------------------------------------------------------------------


def test_person_page_lists_every_seat(staff_client, bloc, team, member):
    membership_add(unit=bloc, full_name="Đặng Văn Đức", birth_year=1980)
    response = staff_client.get(reverse("members:person_detail", args=[member.person_id]))
    body = _text(response)
    assert len(response.context["memberships"]) == 2
    assert "Khối dân vận Phường Nguyễn Thị Minh Khai" in body and "Tổ dân vận Tổ 1" in body
    assert "Trưởng khối" not in body and "Thành viên" in body


def test_person_page_query_count_does_not_grow(staff_client, area_tree, member):
    """Three seats or eight: the same number of queries."""
    person = member.person

    def add(start, stop):
        for i in range(start, stop):
            unit = team_create_for_village(commune=area_tree["commune"], village_name=f"Thôn {i}")
            membership_add(unit=unit, person=person)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = staff_client.get(reverse("members:person_detail", args=[person.pk]))
        return len(ctx), len(response.context["memberships"])

    add(0, 2)
    small = count()
    add(2, 7)
    large = count()
    assert (small[1], large[1]) == (3, 8)
    assert small[0] == large[0]


def test_merge_two_records(staff_client, bloc, member):
    """The merge page searches the province by name and merges the chosen record."""
    twin = membership_add(unit=bloc, full_name="Dang Van Duc", birth_year=None, gender="male")
    url = reverse("members:person_merge", args=[member.person_id])
    response = staff_client.get(url, {"q": "dang van duc"})
    assert [p.pk for p in response.context["candidates"]] == [twin.person_id]
    response = staff_client.post(url, {"duplicate": twin.person_id})
    assert response["Location"] == reverse("members:person_detail", args=[member.person_id])
    assert not Person.objects.filter(pk=twin.person_id).exists()
    assert member.person.memberships.count() == 2


def test_merge_candidates_query_count_does_not_grow(staff_client, bloc, member):
    """Three candidates or eight, each with a seat: the same number of queries."""
    url = reverse("members:person_merge", args=[member.person_id])

    def add(start, stop):
        for i in range(start, stop):
            membership_add(unit=bloc, full_name="Đặng Văn Đức", birth_year=1990 + i)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = staff_client.get(url, {"q": "dang van duc"})
        return len(ctx), len(response.context["candidates"])

    add(0, 3)
    small = count()
    add(3, 8)
    large = count()
    assert (small[1], large[1]) == (3, 8)
    assert small[0] == large[0]


def test_merge_refuses_a_record_of_another_province(staff_client, area_tree, member):
    far_bloc = unit_create(kind="bloc", area=area_tree["far_commune"])
    far = membership_add(unit=far_bloc, full_name="Đặng Văn Đức", birth_year=1980)
    url = reverse("members:person_merge", args=[member.person_id])
    response = staff_client.post(url, {"duplicate": far.person_id})
    assert response.status_code == 200
    assert _errors(response, "duplicate") == ["Lựa chọn không hợp lệ."]
    assert Person.objects.count() == 2


def test_split_a_record_of_two_people(staff_client, bloc, member):
    second = membership_add(unit=bloc, person=member.person)
    url = reverse("members:person_split", args=[member.person_id])
    response = staff_client.post(
        url, {"memberships": [second.pk], "full_name": "Đặng Văn Đức", "birth_year": "1995",
              "phone": "0987000111"},
    )  # fmt: skip
    second.refresh_from_db()
    assert second.person_id != member.person_id
    assert response["Location"] == reverse("members:person_detail", args=[second.person_id])
    assert (second.person.birth_year, second.person.phone) == (1995, "0987000111")


def test_split_errors_write_nothing(staff_client, bloc, member):
    membership_add(unit=bloc, person=member.person)
    url = reverse("members:person_split", args=[member.person_id])
    response = staff_client.post(url, {"full_name": "A", "birth_year": "1990"})
    assert _errors(response, "memberships") == [
        "Chọn ít nhất một lượt tham gia để tách sang hồ sơ mới."
    ]
    all_seats = list(member.person.memberships.values_list("pk", flat=True))
    response = staff_client.post(url, {"memberships": all_seats, "full_name": "A"})
    assert _errors(response) == ["Phải giữ lại ít nhất một lượt tham gia cho hồ sơ hiện tại."]
    assert Person.objects.count() == 1
