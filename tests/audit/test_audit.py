"""The audit trail (portal.audit): the context, what a change through each door records,
the export record, and the history pages with their scope and query counts."""

import datetime
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.choices import EXPORT_ROSTER, EXPORT_ROSTER_SELECTED
from audit.models import ExportRecord
from audit.selectors import HistoryFilters, history_page
from audit.services import record_export
from members.models import Membership, Person
from members.services import membership_add, membership_end, person_merge, person_update
from portal import audit
from portal.audit import Door, audit_context
from tests.factories import UserFactory, make_staff
from units.models import Area, Unit
from units.services import divisions_load, unit_create, unit_update

pytestmark = pytest.mark.django_db

HistoricalMembership = Membership.history.model
HistoricalPerson = Person.history.model
HistoricalUnit = Unit.history.model
HistoricalArea = Area.history.model


def _member(unit, name, *, phone="", birth_year=1975, **extra):
    return membership_add(
        unit=unit, full_name=name, birth_year=birth_year, phone=phone, role="member", **extra
    )


@pytest.fixture
def officer(area_tree):
    """A commune officer of commune A (area_tree["commune"])."""
    return make_staff("commune_officer", [area_tree["commune"]], username="canbo_xa_a")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def bloc_b(area_tree):
    """The bloc of sibling commune B, same district as A."""
    return unit_create(kind="bloc", area=area_tree["sibling_commune"])


# --- The context -----------------------------------------------------------------------------


def test_audit_context_nests_and_inherits_what_is_not_given():
    """An inner block overrides what it names and keeps the rest; leaving restores."""
    user = UserFactory()
    assert audit.current_door() == Door.SYSTEM
    with audit_context(door=Door.WEB, user=user, reason="Lý do ngoài"):
        with audit_context(reason="Lý do trong", batch_id=audit.new_batch_id()) as inner:
            assert (inner.door, inner.user, inner.reason) == (Door.WEB, user, "Lý do trong")
        with audit_context(reason=""):
            assert audit.current_reason() == "Lý do ngoài"  # an empty reason adds nothing
        assert audit.current_batch_id() is None
    assert audit.current() == audit.AuditContext()


def test_a_save_records_user_door_reason_and_batch_from_the_context(area_tree):
    user = UserFactory()
    batch = audit.new_batch_id()
    with audit_context(door=Door.WEB, user=user, reason="Sửa tên", batch_id=batch):
        unit = unit_create(kind="bloc", area=area_tree["commune"])
    row = unit.history.get()
    assert (row.history_type, row.history_user, row.door) == ("+", user, Door.WEB)
    assert (row.history_change_reason, row.batch_id) == ("Sửa tên", batch)
    assert row.area_path == area_tree["commune"].path  # the scoping column is kept


def test_anonymous_users_are_not_recorded_as_the_actor(area_tree):
    from django.contrib.auth.models import AnonymousUser

    with audit_context(door=Door.WEB, user=AnonymousUser()):
        unit = unit_create(kind="bloc", area=area_tree["commune"])
    assert unit.history.get().history_user is None


def test_management_commands_record_door_command():
    """createsuperuser (any command) runs in door "command"."""
    call_command(
        "createsuperuser",
        "--noinput",
        username="quantri",
        email="qt@example.org",
        stdout=io.StringIO(),
    )
    from django.contrib.auth import get_user_model

    row = get_user_model().objects.get(username="quantri").history.get()
    assert (row.history_type, row.door, row.history_user) == ("+", Door.COMMAND, None)


def test_divisions_load_records_its_areas_with_door_command(monkeypatch):
    """The bulk loader writes a history row per area it creates or renames."""
    from units import services
    from units.choices import Level

    official = [
        services.OfficialArea(Level.PROVINCE, "06", "Tỉnh Bắc Kạn", "Bắc Kạn", "tỉnh", None, "06"),
        services.OfficialArea(
            Level.COMMUNE, "01834", "Phường A", "A", "phường", (Level.PROVINCE, "06"), "06"
        ),
    ]
    monkeypatch.setattr(services, "official_areas", lambda edition: official)
    divisions_load(edition="2025")
    assert sorted(HistoricalArea.objects.values_list("code", "history_type", "door")) == [
        ("01834", "+", Door.COMMAND),
        ("06", "+", Door.COMMAND),
    ]
    divisions_load(edition="2025")  # nothing changed: nothing recorded
    assert HistoricalArea.objects.count() == 2
    official[1] = official[1].__class__(**{**official[1].__dict__, "name": "Phường A Mới"})
    divisions_load(edition="2025")
    renamed = HistoricalArea.objects.filter(code="01834").order_by("history_id").last()
    assert (renamed.history_type, renamed.name) == ("~", "Phường A Mới")


def test_logins_write_no_account_history_but_password_changes_do():
    """last_login is not recorded; a password change is, as a fingerprint, never the hash."""
    from django.contrib.auth import get_user_model

    user = UserFactory(username="canbo_mk")
    HistoricalUser = get_user_model().history.model
    before = HistoricalUser.objects.filter(id=user.pk).count()
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    assert HistoricalUser.objects.filter(id=user.pk).count() == before
    old_hash = user.password
    user.set_password("mot-mat-khau-moi-2026")
    user.save(update_fields=["password"])
    rows = list(HistoricalUser.objects.filter(id=user.pk).order_by("history_id"))
    assert len(rows) == before + 1
    stored = {row.password for row in rows}
    assert old_hash not in stored and user.password not in stored
    assert rows[-1].password != rows[-2].password and rows[-1].password.startswith("fp:")


# --- Changes through the web page and the admin ---------------------------------------------


def test_ending_a_membership_on_the_staff_page_records_who_door_and_old_new(
    officer_client, officer, area_tree, bloc
):
    """A commune officer ends a seat through the roster page: the history row has the
    officer, door "web", end date and reason old -> new, and the history page says so."""
    member = _member(bloc, "Đinh Thị Hoa")
    response = officer_client.post(
        reverse("members:membership_end", args=[member.pk]),
        {"end_date": "01/05/2025", "end_reason": "Chuyển công tác"},
    )
    assert response.status_code == 302
    row = member.history.order_by("history_id").last()
    assert (row.history_type, row.history_user, row.door) == ("~", officer, Door.WEB)
    assert (row.end_date, row.end_reason) == (datetime.date(2025, 5, 1), "Chuyển công tác")

    page = history_page(user=officer, filters=HistoryFilters(kind="membership"))
    entry = page.entries[0]
    assert (entry.user_label, entry.door_label, entry.action_label) == (
        "canbo_xa_a",
        "Trang cán bộ",
        "Cập nhật",
    )
    assert [(c.label, c.old, c.new) for c in entry.changes] == [
        ("Ngày thôi", "—", "01/05/2025"),
        ("Lý do thôi", "—", "Chuyển công tác"),
    ]

    html = officer_client.get(reverse("audit:object_history", args=["membership", member.pk]))
    text = html.content.decode()
    assert html.status_code == 200
    assert "Đinh Thị Hoa" in text and "Chuyển công tác" in text and "Trang cán bộ" in text


def test_a_reason_given_by_the_caller_is_recorded(area_tree, bloc):
    member = _member(bloc, "Đinh Thị Hoa")
    with audit_context(reason="Sai ngày theo quyết định"):
        membership_end(membership=member, end_date=datetime.date(2025, 1, 2), end_reason="Nghỉ")
    assert member.history.order_by("history_id").last().history_change_reason == (
        "Sai ngày theo quyết định"
    )


def test_changing_a_unit_in_the_admin_records_door_admin(client, bloc):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    response = client.post(
        reverse("admin:units_unit_change", args=[bloc.pk]),
        {
            "kind": "bloc",
            "name": "Khối dân vận phường",
            "decision_number": "12/QĐ-ĐU",
            "decision_date": "05/03/2024",
            "rules_adopted_on": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    row = bloc.history.order_by("history_id").last()
    assert (row.history_type, row.history_user, row.door) == ("~", root, Door.ADMIN)
    assert (row.name, row.decision_number) == ("Khối dân vận phường", "12/QĐ-ĐU")


def test_merging_people_records_the_delete_and_the_moved_seat(area_tree, bloc, team):
    keep = _member(bloc, "Lý Văn Tám", phone="0912000001").person
    seat = _member(team, "Lý Văn Tám", phone="0912000002")
    duplicate = seat.person
    person_merge(keep=keep, duplicate=duplicate)
    assert duplicate.history.order_by("history_id").last().history_type == "-"
    staff = make_staff("commune_officer", [area_tree["commune"]])
    entries = history_page(user=staff, filters=HistoryFilters(kind="membership")).entries
    moved = next(e for e in entries if e.object_id == seat.pk and e.action == "~")
    assert [(c.label, c.old, c.new) for c in moved.changes] == [
        ("Người", "Lý Văn Tám (1975) (đã xóa)", "Lý Văn Tám (1975)")
    ]


# --- Exports ----------------------------------------------------------------------------------


def test_a_roster_export_is_recorded_with_who_and_what_filter(officer_client, officer, bloc):
    _member(bloc, "Đinh Thị Hoa", phone="0912000009")
    _member(bloc, "Mã Văn Bình")
    response = officer_client.get(
        reverse("members:roster_export", args=["csv"]), {"q": "hoa", "status": "active"}
    )
    assert response.status_code == 200
    record = ExportRecord.objects.get()
    assert (record.user, record.username, record.door, record.fmt) == (
        officer,
        "canbo_xa_a",
        Door.WEB,
        "csv",
    )
    assert record.filters == {"q": "hoa", "status": "active"}
    assert record.rows == 1 and record.what == EXPORT_ROSTER

    page = officer_client.get(reverse("audit:exports"))
    assert "canbo_xa_a" in page.content.decode() and "q = hoa" in page.content.decode()


def test_an_admin_export_of_selected_rows_is_recorded(client, bloc):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    members = [_member(bloc, "Đinh Thị Hoa"), _member(bloc, "Mã Văn Bình")]
    response = client.post(
        reverse("admin:members_membership_changelist") + "?tinh_trang=dang",
        {"action": "export_selected_xlsx", ACTION_CHECKBOX_NAME: [members[0].pk]},
    )
    assert response.status_code == 200
    record = ExportRecord.objects.get()
    assert (record.user, record.door, record.fmt, record.rows) == (root, Door.ADMIN, "xlsx", 1)
    assert (record.what, record.filters) == (EXPORT_ROSTER_SELECTED, {"tinh_trang": "dang"})


def test_exports_page_shows_own_and_area_exports_not_a_sibling_communes(
    officer_client, officer, area_tree
):
    colleague = make_staff("commune_officer", [area_tree["commune"]], username="dong_nghiep")
    sibling = make_staff("commune_officer", [area_tree["sibling_commune"]], username="xa_ben")
    for user in (officer, colleague, sibling):
        record_export(user=user, filters={"q": user.username}, rows=3, fmt="xlsx")
    assert set(ExportRecord.objects.visible_to(officer).values_list("username", flat=True)) == {
        "canbo_xa_a",
        "dong_nghiep",
    }
    assert ExportRecord.objects.visible_to(make_staff()).count() == 3
    assert "xa_ben" not in officer_client.get(reverse("audit:exports")).content.decode()


# --- History pages: scope ---------------------------------------------------------------------


def test_officer_sees_their_communes_history_and_not_the_sibling_communes(
    officer_client, officer, area_tree, bloc, bloc_b
):
    """Officer of commune A: A's units, people and seats are listed and open; B's answer
    404 exactly like an object that does not exist."""
    mine = _member(bloc, "Đinh Thị Hoa", phone="0912000003")
    theirs = _member(bloc_b, "Hà Văn Khách", phone="0987000004")
    unit_update(unit=bloc_b, name="Khối dân vận phường Sông Cầu")

    response = officer_client.get(reverse("audit:history"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Đinh Thị Hoa" in text and "0912000003" in text
    assert "Hà Văn Khách" not in text and "0987000004" not in text
    assert "Sông Cầu" not in text

    for kind, pk in (("unit", bloc.pk), ("membership", mine.pk), ("person", mine.person_id)):
        assert (
            officer_client.get(reverse("audit:object_history", args=[kind, pk])).status_code == 200
        )
    for kind, pk in (
        ("unit", bloc_b.pk),
        ("membership", theirs.pk),
        ("person", theirs.person_id),
        ("area", area_tree["sibling_commune"].pk),
        ("unit", 999999),
        ("nothing", bloc.pk),
    ):
        response = officer_client.get(reverse("audit:object_history", args=[kind, pk]))
        assert response.status_code == 404, (kind, pk)


def test_a_person_seated_in_the_commune_shows_changes_made_elsewhere(
    officer, area_tree, bloc, bloc_b
):
    """A person sitting in A and B: A's officer sees the person's history (a phone
    changed through B) but not B's seat."""
    seat_a = _member(bloc, "Hà Văn Hai", phone="0912000005")
    seat_b = membership_add(unit=bloc_b, person=seat_a.person)
    person_update(person=seat_a.person, phone="0912000006")
    entries = history_page(user=officer).entries
    kinds = {(e.kind.key, e.object_id) for e in entries}
    assert ("person", seat_a.person_id) in kinds and ("membership", seat_a.pk) in kinds
    assert ("membership", seat_b.pk) not in kinds


def test_the_provinces_staff_see_both_communes_and_the_public_nothing(
    client, area_tree, bloc, bloc_b
):
    _member(bloc, "Đinh Thị Hoa")
    _member(bloc_b, "Hà Văn Khách")
    province_staff = make_staff("province_staff", [area_tree["province"]])
    labels = {e.object_label for e in history_page(user=province_staff).entries}
    assert {"Đinh Thị Hoa (1975)", "Hà Văn Khách (1975)"} <= labels

    response = client.get(reverse("audit:history"))
    assert response.status_code == 302  # to the login page
    client.force_login(UserFactory(username="khach"))
    assert client.get(reverse("audit:history")).status_code == 403
    assert client.get(reverse("audit:exports")).status_code == 403


def test_area_filter_narrows_to_a_village_and_refuses_areas_outside_scope(
    officer_client, area_tree, bloc, team
):
    _member(bloc, "Người Khối")
    _member(team, "Người Tổ")
    village = area_tree["village"]
    text = officer_client.get(reverse("audit:history"), {"area": village.pk}).content.decode()
    assert "Người Tổ" in text and "Người Khối" not in text
    response = officer_client.get(
        reverse("audit:history"), {"area": area_tree["sibling_commune"].pk}
    )
    assert response.context["page"] is None
    assert "Lựa chọn không hợp lệ." in response.content.decode()


def test_filters_by_door_user_dates_and_batch(officer, area_tree, bloc):
    web_user = UserFactory(username="nguoi_web")
    with audit_context(door=Door.WEB, user=web_user):
        _member(bloc, "Qua Web")
    batch = audit.new_batch_id()
    with audit_context(door=Door.IMPORT, batch_id=batch):
        _member(bloc, "Qua Nhap")

    def labels(**filters):
        entries = history_page(user=officer, filters=HistoryFilters(**filters)).entries
        return {e.object_label for e in entries if e.kind.key == "person"}

    assert labels(door=Door.WEB) == {"Qua Web (1975)"}
    assert labels(username="nguoi_w") == {"Qua Web (1975)"}
    assert labels(batch_id=batch) == {"Qua Nhap (1975)"}
    today = timezone.localdate()
    assert len(labels(date_from=today, date_to=today)) == 2
    assert labels(date_to=today - datetime.timedelta(days=1)) == set()


def test_object_history_of_a_unit_lists_its_memberships_changes(officer_client, bloc):
    member = _member(bloc, "Đinh Thị Hoa")
    membership_end(membership=member, end_date=timezone.localdate(), end_reason="Nghỉ hưu")
    response = officer_client.get(reverse("audit:object_history", args=["unit", bloc.pk]))
    entries = response.context["page"].entries
    assert [(e.kind.key, e.action) for e in entries] == [
        ("membership", "~"),
        ("membership", "+"),
        ("unit", "+"),
    ]
    assert response.context["target"].detail_url == reverse("members:unit_detail", args=[bloc.pk])


def test_objects_older_than_the_trail_still_open_with_an_empty_history(officer_client, bloc):
    bloc.history.all().delete()
    response = officer_client.get(reverse("audit:object_history", args=["unit", bloc.pk]))
    assert response.status_code == 200
    assert "Chưa có thay đổi nào được ghi lại" in response.content.decode()


def test_account_history_is_for_system_administrators_only(officer, area_tree):
    admin = make_staff()
    kinds = {e.kind.key for e in history_page(user=admin).entries}
    assert {"account", "staff_profile"} <= kinds
    assert not {"account", "staff_profile"} & {
        e.kind.key for e in history_page(user=officer).entries
    }


def test_staff_profile_area_changes_are_shown_by_name(area_tree):
    staff = make_staff("commune_officer", [area_tree["commune"]])
    staff.staff_profile.areas.set([area_tree["sibling_commune"]])
    entries = history_page(user=make_staff(), filters=HistoryFilters(kind="staff_profile")).entries
    changes = [
        (c.label, c.old, c.new) for e in entries for c in e.changes if c.label.startswith("Địa bàn")
    ]
    assert ("Địa bàn phụ trách", "Phường Nguyễn Thị Minh Khai", "—") in changes
    assert ("Địa bàn phụ trách", "—", "Phường Sông Cầu") in changes


# --- History pages: queries and pages -------------------------------------------------------


def _seats(unit, count, start=0):
    for i in range(start, start + count):
        member = _member(unit, f"Thành Viên Số {i}", phone=f"09120{i:05d}")
        person_update(person=member.person, position="Trưởng thôn")


@pytest.mark.parametrize("url_name", ["audit:history", "audit:object_history"])
def test_history_pages_run_a_constant_number_of_queries(officer_client, bloc, url_name):
    """3 or 10 members (created, then changed): the same number of queries. The unit's
    own page lists its seats (10 created); the area's page the people's changes too."""
    args = ["unit", bloc.pk] if url_name == "audit:object_history" else []
    counts = []
    for start, count in ((0, 3), (3, 7)):
        _seats(bloc, count, start)
        with CaptureQueriesContext(connection) as queries:
            response = officer_client.get(reverse(url_name, args=args))
        assert response.status_code == 200
        counts.append(len(queries))
    entries = response.context["page"].entries
    # The area page: commune and village created (2), 10 people created and changed
    # (20), 10 seats (10), the unit (1).
    assert len(entries) == (11 if args else 33)
    assert counts[0] == counts[1]


def test_exports_page_runs_a_constant_number_of_queries(officer_client, officer):
    counts = []
    for n in (3, 7):
        for _ in range(n):
            record_export(user=officer, filters={}, rows=1, fmt="csv")
        with CaptureQueriesContext(connection) as queries:
            assert officer_client.get(reverse("audit:exports")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_pages_go_back_in_time_without_counting_every_row(officer, bloc):
    """Newest first, page after page, each row once; "next" known without a count."""
    _seats(bloc, 3)  # 3 people + 3 seats created, 3 people changed, the unit, 2 areas
    first = history_page(user=officer, page_size=5)
    second = history_page(user=officer, page=2, page_size=5)
    last = history_page(user=officer, page=3, page_size=5)
    assert (first.has_previous, first.has_next, last.has_next) == (False, True, False)
    seen = [(e.kind.key, e.history_id) for p in (first, second, last) for e in p.entries]
    assert len(set(seen)) == 12 and len(last.entries) == 2
    dates = [e.when for p in (first, second, last) for e in p.entries]
    assert dates == sorted(dates, reverse=True)


def test_staff_pages_link_to_the_history(officer_client, area_tree, bloc):
    member = _member(bloc, "Đinh Thị Hoa")
    pages = {
        reverse("members:unit_detail", args=[bloc.pk]): reverse(
            "audit:object_history", args=["unit", bloc.pk]
        ),
        reverse("members:person_detail", args=[member.person_id]): reverse(
            "audit:object_history", args=["person", member.person_id]
        ),
        reverse("members:commune_detail", args=[area_tree["commune"].pk]): reverse("audit:history")
        + f"?area={area_tree['commune'].pk}",
    }
    for page, link in pages.items():
        assert link in officer_client.get(page).content.decode(), page
