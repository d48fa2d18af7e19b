"""Django admin for units, people, memberships and import jobs."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members import admin as members_admin
from members.models import Membership, Person
from members.models_imports import ImportJob
from members.services import (
    ERROR_ALREADY_ENDED,
    ERROR_ALREADY_MEMBER,
    ERROR_END_IN_FUTURE,
    membership_add,
    membership_end,
)
from members.validation import ERROR_PHONE
from tests.factories import AreaFactory, UserFactory
from units.choices import Level, UnitKind
from units.models import Unit
from units.services import ERROR_UNIT_EXISTS, unit_create

pytestmark = pytest.mark.django_db

NAMES = [
    "Nguyễn Văn An", "Lò Thị Bình", "Hoàng Văn Cường", "Đặng Thị Dung", "Lường Văn Én",
    "Triệu Thị Gấm", "Ma Văn Hùng", "Bế Thị Hoa", "Nông Văn Khánh", "Vi Thị Liên",
]  # fmt: skip


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, root):
    client.force_login(root)
    return client


def add_members(unit, names, *, start=1):
    return [
        membership_add(
            unit=unit,
            full_name=name,
            birth_year=1960 + i,
            phone=f"09123456{i:02d}",
            start_date=datetime.date(2024, 1, 1),
            party_member=i % 2 == 0,
        )
        for i, name in enumerate(names, start=start)
    ]


def rows(response):
    return list(response.context["cl"].result_list)


# --- Change lists ---------------------------------------------------------------------------


def test_unit_change_list_shows_kind_area_commune_status_and_current_members(
    admin_client, bloc, team
):
    """Each unit with its current member count (ended seats not counted)."""
    add_members(bloc, NAMES[:4])
    ended = add_members(team, NAMES[4:6])[0]
    membership_end(membership=ended, end_date=timezone.localdate())
    response = admin_client.get(reverse("admin:units_unit_changelist"))
    assert response.status_code == 200
    counts = {u.name: u.active_member_count for u in rows(response)}
    assert counts == {
        "Khối dân vận Phường Nguyễn Thị Minh Khai": 4,
        "Tổ dân vận Tổ 1": 1,
    }
    html = response.content.decode()
    assert "Đang hoạt động" in html and "Phường Nguyễn Thị Minh Khai" in html


def test_unit_filters_by_kind_status_and_edition(admin_client, bloc, team):
    url = reverse("admin:units_unit_changelist")
    assert [u.pk for u in rows(admin_client.get(url, {"kind__exact": "team"}))] == [team.pk]
    assert rows(admin_client.get(url, {"area__edition__exact": "2025"})) == []
    assert len(rows(admin_client.get(url, {"status__exact": "active"}))) == 2


def test_unit_search_ignores_diacritics(admin_client, bloc, team):
    """ "khoi dan van nguyen thi minh khai" finds the bloc; a commune code finds both."""
    url = reverse("admin:units_unit_changelist")
    assert [u.pk for u in rows(admin_client.get(url, {"q": "KHOI DAN VAN minh khai"}))] == [bloc.pk]
    assert {u.pk for u in rows(admin_client.get(url, {"q": "01834"}))} == {bloc.pk, team.pk}


def test_person_search_by_folded_name_and_phone(admin_client, bloc):
    add_members(bloc, NAMES[:3])
    url = reverse("admin:members_person_changelist")
    found = rows(admin_client.get(url, {"q": "dang thi dung"}))
    assert found == []
    found = rows(admin_client.get(url, {"q": "hoang van cuong"}))
    assert [p.full_name for p in found] == ["Hoàng Văn Cường"]
    found = rows(admin_client.get(url, {"q": "0912345602"}))
    assert [p.full_name for p in found] == ["Lò Thị Bình"]


def test_person_filters(admin_client, bloc):
    add_members(bloc, NAMES[:4])
    url = reverse("admin:members_person_changelist")
    party = rows(admin_client.get(url, {"party_member__exact": "1"}))
    assert {p.full_name for p in party} == {"Lò Thị Bình", "Đặng Thị Dung"}
    assert rows(admin_client.get(url, {"ethnicity__exact": "Tày"})) == []
    assert len(rows(admin_client.get(url, {"gender__exact": ""}))) == 4


def test_membership_filters_and_search(admin_client, bloc, team):
    add_members(bloc, NAMES[:3])
    ended = add_members(team, NAMES[3:5])[1]
    membership_end(membership=ended, end_date=timezone.localdate())
    url = reverse("admin:members_membership_changelist")
    current = rows(admin_client.get(url, {"tinh_trang": "dang"}))
    assert len(current) == 4
    assert [m.pk for m in rows(admin_client.get(url, {"tinh_trang": "thoi"}))] == [ended.pk]
    assert len(rows(admin_client.get(url, {"unit__kind__exact": "team"}))) == 2
    assert rows(admin_client.get(url, {"role__exact": "head"})) == []
    found = rows(admin_client.get(url, {"q": "luong van en"}))
    assert [m.person.full_name for m in found] == ["Lường Văn Én"]


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:units_unit_changelist",
        "admin:members_person_changelist",
        "admin:members_membership_changelist",
        "admin:members_importjob_changelist",
    ],
)
def test_change_lists_run_a_constant_number_of_queries(admin_client, root, bloc, team, url_name):
    """3 rows or 10 rows: the same number of queries on every change list."""

    def grow(names):
        add_members(bloc, names, start=len(Membership.objects.all()) + 1)
        for name in names:
            ImportJob.objects.create(created_by=root, filename=f"{name}.xlsx", data=b"x")

    grow(NAMES[:3])
    unit_create(kind=UnitKind.TEAM, area=AreaFactory(level=Level.VILLAGE, name="Tổ 2",
                                                     parent=bloc.area))  # fmt: skip
    with CaptureQueriesContext(connection) as three:
        assert admin_client.get(reverse(url_name)).status_code == 200
    grow(NAMES[3:])
    for n in range(3, 10):
        unit_create(
            kind=UnitKind.TEAM,
            area=AreaFactory(level=Level.VILLAGE, name=f"Tổ {n}", parent=bloc.area),
        )
    with CaptureQueriesContext(connection) as ten:
        assert admin_client.get(reverse(url_name)).status_code == 200
    assert len(ten) == len(three), [q["sql"] for q in ten.captured_queries]


# --- Inlines -------------------------------------------------------------------------------


def test_unit_change_page_shows_its_roster_read_only(admin_client, bloc):
    """The roster inline lists the seats with links to each membership; no field of
    it can be edited here and nothing can be deleted."""
    memberships = add_members(bloc, NAMES[:2])
    membership_add(unit=bloc, full_name="Ma Văn Hùng", birth_year=1970, role="head")
    response = admin_client.get(reverse("admin:units_unit_change", args=[bloc.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nguyễn Văn An (1961)" in html and "Lò Thị Bình (1962)" in html
    assert "Trưởng khối" in html  # the role as the unit's kind names it
    assert reverse("admin:members_membership_change", args=[memberships[0].pk]) in html
    assert 'name="memberships-0-role"' not in html
    assert "memberships-0-DELETE" not in html


def test_person_change_page_shows_their_seats(admin_client, bloc, team):
    person = add_members(bloc, NAMES[:1])[0].person
    membership_add(unit=team, person=person)
    response = admin_client.get(reverse("admin:members_person_change", args=[person.pk]))
    html = response.content.decode()
    assert "Khối dân vận Phường Nguyễn Thị Minh Khai" in html
    assert "Tổ dân vận Tổ 1" in html


def test_saving_a_unit_with_its_roster_inline_changes_nothing_in_the_roster(admin_client, bloc):
    """Posting the unit's change form (the read-only roster inline included) updates the
    unit through unit_update and leaves the memberships alone."""
    add_members(bloc, NAMES[:2])
    url = reverse("admin:units_unit_change", args=[bloc.pk])
    response = admin_client.post(
        url,
        {
            "kind": "bloc",
            "name": "Khối dân vận phường",
            "decision_number": "12/QĐ-ĐU",
            "decision_date": "05/03/2024",
            "rules_adopted_on": "",
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "2",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-id": str(bloc.memberships.order_by("pk")[0].pk),
            "memberships-0-unit": str(bloc.pk),
            "memberships-1-id": str(bloc.memberships.order_by("pk")[1].pk),
            "memberships-1-unit": str(bloc.pk),
        },
    )
    assert response.status_code == 302, response.context["errors"]
    bloc.refresh_from_db()
    assert bloc.name == "Khối dân vận phường"
    assert bloc.decision_date == datetime.date(2024, 3, 5)
    assert bloc.memberships.filter(end_date__isnull=True).count() == 2


# --- Writes through the services ---------------------------------------------------------


def test_action_ends_selected_memberships_through_the_service(admin_client, bloc, monkeypatch):
    """The action asks for a date and reason, then calls membership_end for each seat;
    a seat already ended is named with the service's message, the others end."""
    calls = []
    real = members_admin.membership_end

    def spy(**kwargs):
        calls.append(kwargs["membership"].pk)
        return real(**kwargs)

    monkeypatch.setattr(members_admin, "membership_end", spy)
    memberships = add_members(bloc, NAMES[:3])
    earlier = datetime.date(2025, 1, 10)
    membership_end(membership=memberships[2], end_date=earlier)
    url = reverse("admin:members_membership_changelist")
    selected = [m.pk for m in memberships]

    page = admin_client.post(url, {"action": "end_selected", ACTION_CHECKBOX_NAME: selected})
    assert page.status_code == 200
    assert "Kết thúc các thành viên này" in page.content.decode()
    assert Membership.objects.filter(end_date__isnull=True).count() == 2

    today = timezone.localdate()
    response = admin_client.post(
        url,
        {
            "action": "end_selected",
            ACTION_CHECKBOX_NAME: selected,
            "apply": "1",
            "end_date": today.strftime("%d/%m/%Y"),
            "end_reason": "Chuyển công tác",
        },
        follow=True,
    )
    texts = [str(m) for m in response.context["messages"]]
    assert "Đã kết thúc 2 thành viên." in texts
    assert any(ERROR_ALREADY_ENDED.format(date="10/01/2025") in t for t in texts)
    assert sorted(calls) == sorted(selected)
    for membership in memberships[:2]:
        membership.refresh_from_db()
        assert (membership.end_date, membership.end_reason) == (today, "Chuyển công tác")
    assert Membership.objects.count() == 3  # history kept


def test_memberships_cannot_be_deleted_in_the_admin(admin_client, bloc):
    membership = add_members(bloc, NAMES[:1])[0]
    url = reverse("admin:members_membership_delete", args=[membership.pk])
    assert admin_client.get(url).status_code == 403
    response = admin_client.get(reverse("admin:members_membership_changelist"))
    assert "delete_selected" not in response.content.decode()


def test_adding_a_membership_goes_through_the_service(admin_client, bloc, monkeypatch):
    """membership_add seats the person; a second open seat gets the service's message
    as a form error, not a 500."""
    person = add_members(bloc, NAMES[:1])[0].person
    team = unit_create(
        kind=UnitKind.TEAM,
        area=AreaFactory(level=Level.VILLAGE, name="Tổ 7", parent=bloc.area),
    )
    calls = []
    real = members_admin.membership_add
    monkeypatch.setattr(
        members_admin, "membership_add", lambda **kw: calls.append(kw) or real(**kw)
    )
    url = reverse("admin:members_membership_add")
    data = {"unit": team.pk, "person": person.pk, "role": "head", "start_date": "01/03/2024"}
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert len(calls) == 1
    seat = Membership.objects.get(unit=team)
    assert (seat.role, seat.start_date) == ("head", datetime.date(2024, 3, 1))
    assert seat.area_path == team.area_path

    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert ERROR_ALREADY_MEMBER.format(person=person) in response.context["errors"][0]
    assert Membership.objects.filter(unit=team).count() == 1


def test_changing_a_membership_can_end_it_through_the_service(admin_client, bloc):
    """A date in the end field ends the seat (membership_end); a future date is the
    service's error on that field."""
    membership = add_members(bloc, NAMES[:1])[0]
    url = reverse("admin:members_membership_change", args=[membership.pk])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = {"role": "deputy", "start_date": "01/01/2024", "end_reason": "Nghỉ hưu"}
    response = admin_client.post(url, {**data, "end_date": tomorrow.strftime("%d/%m/%Y")})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["end_date"] == [ERROR_END_IN_FUTURE]
    membership.refresh_from_db()
    assert membership.end_date is None and membership.role == "member"

    today = timezone.localdate()
    response = admin_client.post(url, {**data, "end_date": today.strftime("%d/%m/%Y")})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.role, membership.end_date, membership.end_reason) == (
        "deputy",
        today,
        "Nghỉ hưu",
    )
    # An ended seat is history: its end can no longer be edited here.
    page = admin_client.get(url)
    assert "end_date" not in page.context["adminform"].form.fields


def test_person_form_uses_the_services(admin_client, area_tree):
    """person_create normalises the phone; an invalid phone is the service's message."""
    url = reverse("admin:members_person_add")
    data = {
        "full_name": "  Hà   Thị Mai ",
        "gender": "female",
        "birth_year": "1988",
        "ethnicity": "Tày",
        "phone": "912 345 678",
        "position": "Chi hội trưởng",
        "province": area_tree["province"].pk,
    }
    assert admin_client.post(url, data).status_code == 302
    person = Person.objects.get()
    assert (person.full_name, person.phone, person.search_name) == (
        "Hà Thị Mai",
        "0912345678",
        "ha thi mai",
    )
    response = admin_client.post(
        reverse("admin:members_person_change", args=[person.pk]), {**data, "phone": "12ab"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["phone"] == [ERROR_PHONE.format(value="12ab")]


def test_unit_form_uses_the_services(admin_client, area_tree, bloc):
    """A second active bloc in a commune is refused with unit_create's message."""
    response = admin_client.post(
        reverse("admin:units_unit_add"),
        {"kind": "bloc", "area": area_tree["commune"].pk, "name": ""},
    )
    assert response.status_code == 200
    assert ERROR_UNIT_EXISTS.format(area="Phường Nguyễn Thị Minh Khai", kind="khối dân vận") in str(
        response.context["adminform"].form.errors
    )
    response = admin_client.post(
        reverse("admin:units_unit_add"),
        {"kind": "bloc", "area": area_tree["commune_b"].pk, "name": ""},
    )
    assert response.status_code == 302
    assert Unit.objects.get(area=area_tree["commune_b"]).name == "Khối dân vận Xã Bằng Thành"


# --- Import and export doors -------------------------------------------------------------


def test_change_lists_link_to_the_import(admin_client, bloc):
    import_url = reverse("admin:members_membership_import")
    for name in ("admin:members_membership_changelist", "admin:units_unit_changelist"):
        html = admin_client.get(reverse(name)).content.decode()
        assert f'href="{import_url}"' in html
        assert "Nhập danh sách từ Excel" in html
    page = admin_client.get(import_url)
    assert page.status_code == 200
    assert "admin/base_site.html" in [t.name for t in page.templates]


def test_the_admin_import_is_for_users_who_may_add_memberships(client, area_tree):
    client.force_login(UserFactory(username="chi_xem", is_staff=True))
    assert client.get(reverse("admin:members_membership_import")).status_code == 403


def test_export_action_writes_the_selected_rows(admin_client, bloc):
    """ "Xuất danh sách đã chọn (Excel)" uses the roster export on the selected seats."""
    memberships = add_members(bloc, NAMES[:3])
    response = admin_client.post(
        reverse("admin:members_membership_changelist"),
        {"action": "export_selected_xlsx", ACTION_CHECKBOX_NAME: [memberships[0].pk]},
    )
    assert response.status_code == 200
    assert (
        "filename*=utf-8''Danh%20s%C3%A1ch%20th%C3%A0nh%20vi%C3%AAn"
        in (response["Content-Disposition"])
    )
    values = [
        v
        for row in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(
            values_only=True
        )
        for v in row
    ]
    assert "Nguyễn Văn An" in values and "Lò Thị Bình" not in values


def test_import_jobs_are_listed_for_their_owner(client, root, area_tree):
    """Staff see their own uploads in the admin; a superuser sees everyone's."""
    staff = UserFactory(username="can_bo", is_staff=True)
    ImportJob.objects.create(created_by=staff, filename="cua-toi.xlsx", data=b"x")
    ImportJob.objects.create(created_by=root, filename="cua-quan-tri.xlsx", data=b"x")
    staff.user_permissions.add(*_view_import_job_permissions())
    client.force_login(staff)
    response = client.get(reverse("admin:members_importjob_changelist"))
    assert [j.filename for j in rows(response)] == ["cua-toi.xlsx"]
    client.force_login(root)
    response = client.get(reverse("admin:members_importjob_changelist"))
    assert {j.filename for j in rows(response)} == {"cua-toi.xlsx", "cua-quan-tri.xlsx"}


def _view_import_job_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename="view_importjob")
