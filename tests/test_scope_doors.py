"""Doors: the commune officer of commune A changing an id in a URL, a form field or an import
row to reach sibling commune B gets 404, "not a valid choice" or a row error, and nothing
changes.

Every refused request is paired with the same request by an actor who may make it (B's
own officer, or A's officer on A's objects), so a test cannot pass because the request was
wrong in the first place.
"""

import datetime

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from members.imports import ERROR_OUT_OF_SCOPE
from members.models import Membership, Person
from members.models_imports import ImportJob, ImportJobStatus
from members.services import membership_add, membership_end
from members.tasks import ERROR_CANNOT_CONFIRM, import_job_create
from portal.forms import ERROR_CHOICE
from tests.factories import area_tree_build
from tests.permissions import (
    SECRET_CITIZEN,
    SECRET_CITIZEN_PHONE,
    SECRET_NAME,
    ActorClients,
    build_checks,
    build_world,
    db_fingerprint,
    fresh,
    roster_csv,
    walk_urls,
)
from units.models import Unit
from units.services import team_create_for_village, village_get_or_create

pytestmark = pytest.mark.django_db

B_NAME = "Hà Văn Bên Kia"


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


@pytest.fixture(scope="module")
def module_world(module_db, django_db_blocker):
    """The world and its clients, built once for the module (``world``); what a test
    writes is rolled back after it."""
    with django_db_blocker.unblock():
        w = _world(area_tree_build())
        return w, ActorClients(w.users)


@pytest.fixture
def world(module_world, db):
    """The matrix's world, plus what the doors need on both sides: in commune B a team
    with B's member seated in it too (so a split leaves a seat), a second record that may
    be merged, a village without a team, and B's officer's import jobs (one clean, one
    with an error); in commune A a second record that may be merged. Its objects are as
    they were built, whatever an earlier test read into them."""
    return fresh(module_world[0])


def _world(area_tree):
    w = build_world(area_tree)
    sibling = area_tree["sibling_commune"]
    w.team_b = team_create_for_village(commune=sibling, village_name="Tổ 9")
    membership_add(unit=w.team_b, person=w.person_b)
    w.person_b2 = _ended_member(w.bloc_b, "Hà Văn Bản Trùng", 1972)
    w.person_a2 = _ended_member(w.bloc_a, "Lò Văn Bản Trùng", 1968)
    w.village_b, _ = village_get_or_create(commune=sibling, name="Thôn Chưa Có Tổ")
    officer_b = w.users["officer_b"]
    w.job_b = import_job_create(
        data=roster_csv([_bloc_row(sibling.code, "Lý Thị Nhập Mới")]),
        filename="b.csv",
        edition=area_tree["edition"],
        acting_user=officer_b,
    )
    w.job_b_errors = import_job_create(
        data=roster_csv([{**_bloc_row(sibling.code, "Lý Văn Lỗi"), "Dân tộc": "Xyz"}]),
        filename="b-loi.csv",
        edition=area_tree["edition"],
        acting_user=officer_b,
    )
    assert w.job_b.status == ImportJobStatus.VALIDATED and not w.job_b.has_errors
    return w


def _ended_member(unit, name, year) -> Person:
    membership = membership_add(unit=unit, full_name=name, birth_year=year)
    membership_end(membership=membership, end_date=timezone.localdate())
    return membership.person


def _bloc_row(code: str, name: str) -> dict:
    return {"Mã xã": code, "Đơn vị": "Khối dân vận", "Họ và tên": name, "Vai trò": "Thành viên"}


@pytest.fixture
def clients(module_world, db):
    return module_world[1]


def _request(clients, actor, method, url, data=None):
    """A request that stays (no rollback): the test compares the database before and
    after. ``TODAY`` in a body becomes the local day of the request."""
    if isinstance(data, dict):
        data = {
            key: _day(timezone.localdate()) if value is TODAY else value
            for key, value in data.items()
        }
    return clients.request(actor, method, url, data, rollback=False)


# --- Ids in URLs ---------------------------------------------------------------------------

#: Stands for the local day when the request is sent, not when the module is collected:
#: a run that crosses midnight in Asia/Ho_Chi_Minh must not post yesterday.
TODAY = object()

#: (URL name, the object of commune B in its URL, a POST body the service accepts, whether
#: B's own officer's POST writes). GET doors are the same URLs with GET.
URL_DOORS = [
    ("members:commune_detail", lambda w: w.areas["sibling_commune"], None, False),
    ("members:unit_detail", lambda w: w.bloc_b, None, False),
    ("members:person_detail", lambda w: w.person_b, None, False),
    ("members:import_job", lambda w: w.job_b, None, False),
    ("members:import_job_status", lambda w: w.job_b, None, False),
    ("members:import_job_report", lambda w: w.job_b_errors, None, False),
    (
        "members:membership_update",
        lambda w: w.membership_b,
        {"full_name": "Tên Đã Đổi", "role": "deputy"},
        True,
    ),
    ("members:membership_end", lambda w: w.membership_b, {"end_date": TODAY}, True),
    ("members:unit_update", lambda w: w.bloc_b, {"name": "Khối Đã Đổi Tên"}, True),
    ("members:unit_dissolve", lambda w: w.bloc_b, {"dissolved_on": TODAY}, True),
    (
        "members:membership_create",
        lambda w: w.bloc_b,
        {"full_name": "Người Mới Thêm", "role": "member"},
        True,
    ),
    # B has its bloc already: B's officer gets the form back with the service's error.
    ("members:bloc_create", lambda w: w.areas["sibling_commune"], {}, False),
    (
        "members:team_create",
        lambda w: w.areas["sibling_commune"],
        {"village_name": "Thôn Mới Lập", "kind": "team"},
        True,
    ),
    ("members:person_merge", lambda w: w.person_b, lambda w: {"duplicate": w.person_b2.pk}, True),
    (
        "members:person_split",
        lambda w: w.person_b,
        lambda w: {"memberships": [w.membership_b.pk], "full_name": "Người Tách Ra"},
        True,
    ),
    ("members:import_job_confirm", lambda w: w.job_b, {}, True),
    ("admin:members_membership_import_job", lambda w: w.job_b, None, False),
    ("admin:members_membership_import_confirm", lambda w: w.job_b, {}, True),
]


@pytest.mark.parametrize(
    ("name", "target", "data", "writes"), URL_DOORS, ids=[d[0] for d in URL_DOORS]
)
def test_an_id_of_commune_b_in_the_url_answers_404_and_changes_nothing(
    world, clients, name, target, data, writes
):
    """Officer A with B's id: 404 like a missing id, nothing written; B's officer with the
    same request gets in (and writes, where the request is a valid write)."""
    url = reverse(name, args=[target(world).pk])
    method = "GET" if data is None else "POST"
    body = data(world) if callable(data) else data
    before = db_fingerprint()
    response = _request(clients, "officer_a", method, url, body)
    assert response.status_code == 404
    assert SECRET_NAME not in response.content.decode()
    assert B_NAME not in response.content.decode()
    assert db_fingerprint() == before
    # The same request by B's own officer.
    response = _request(clients, "officer_b", method, url, body)
    if method == "GET":
        assert response.status_code == 200
    else:
        assert response.status_code in (200, 302)
        assert (db_fingerprint() != before) is writes


def _roster_inline(fk: str, parent) -> dict:
    """The management data of a read-only roster inline (every seat of ``parent``)."""
    seats = list(Membership.objects.filter(**{fk: parent}).order_by("pk"))
    data = {
        "memberships-TOTAL_FORMS": str(len(seats)),
        "memberships-INITIAL_FORMS": str(len(seats)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for number, seat in enumerate(seats):
        data[f"memberships-{number}-id"] = str(seat.pk)
        data[f"memberships-{number}-{fk}"] = str(parent.pk)
    return data


ADMIN_DOORS = [
    ("admin:members_membership_change", lambda w: w.membership_b, lambda w: {"role": "deputy"}),
    (
        "admin:units_unit_change",
        lambda w: w.bloc_b,
        lambda w: {"kind": "bloc", "name": "Đổi Qua Admin", **_roster_inline("unit", w.bloc_b)},
    ),
    (
        "admin:members_person_change",
        lambda w: w.person_b,
        lambda w: {"full_name": "Đổi Qua Admin", **_roster_inline("person", w.person_b)},
    ),
]


@pytest.mark.parametrize(("name", "target", "data"), ADMIN_DOORS, ids=[d[0] for d in ADMIN_DOORS])
def test_an_id_of_commune_b_in_an_admin_url_does_not_exist_and_changes_nothing(
    world, clients, name, target, data
):
    """The admin's change page of B's object, posted by A's officer: the admin's "does not
    exist" redirect, nothing written; posted by B's officer: saved."""
    url = reverse(name, args=[target(world).pk])
    data = data(world)
    before = db_fingerprint()
    response = _request(clients, "officer_a", "POST", url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert db_fingerprint() == before
    response = _request(clients, "officer_b", "POST", url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert db_fingerprint() != before


# --- Ids in form fields --------------------------------------------------------------------


def _field_errors(response, field) -> list[str]:
    form = response.context["form"]
    return [str(e) for e in form.errors.get(field, [])]


def test_merge_with_a_person_of_commune_b_is_not_a_valid_choice(world, clients):
    """The duplicate's id is a hidden field: B's person there is refused like an unknown
    id; A's own duplicate merges."""
    url = reverse("members:person_merge", args=[world.person_a.pk])
    before = db_fingerprint()
    response = _request(clients, "officer_a", "POST", url, {"duplicate": world.person_b.pk})
    assert response.status_code == 200
    assert _field_errors(response, "duplicate") == [str(ERROR_CHOICE)]
    assert db_fingerprint() == before
    response = _request(clients, "officer_a", "POST", url, {"duplicate": world.person_a2.pk})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=world.person_a2.pk).exists()


def test_split_with_a_membership_of_commune_b_is_not_a_valid_choice(world, clients):
    url = reverse("members:person_split", args=[world.person_a.pk])
    before = db_fingerprint()
    response = _request(
        clients,
        "officer_a",
        "POST",
        url,
        {"memberships": [world.membership_b.pk], "full_name": "Người Tách Ra"},
    )
    assert response.status_code == 200
    assert _field_errors(response, "memberships") == [str(ERROR_CHOICE)]
    assert db_fingerprint() == before


def _b_filters(world) -> list[dict]:
    sibling = world.areas["sibling_commune"]
    return [
        {"area": sibling.pk},
        {"unit": world.bloc_b.pk},
        {"area_code": sibling.code, "edition": world.areas["edition"]},
        {"q": "ben kia"},
        {"status": "all"},
    ]


def test_member_list_filters_never_show_commune_b(world, clients):
    """B's area, unit, code or a B name in the member list's filter: nothing of B; the
    same filters show B's member to B's officer."""
    url = reverse("members:membership_list")
    for params in _b_filters(world):
        response = _request(clients, "officer_a", "GET", url, params)
        assert response.status_code == 200
        assert B_NAME not in response.content.decode(), params
        assert all(m.unit.commune_id == world.commune_a.pk for m in response.context["memberships"])
        if "status" not in params:
            assert B_NAME in _request(clients, "officer_b", "GET", url, params).content.decode()


def test_a_citizens_request_outside_commune_a_finds_nothing_of_a(world, clients):
    """A's citizen searched by phone or name from outside A: an empty list, and the
    download a 404 that records nothing; A's officer finds the opinion."""
    from audit.models import ExportRecord

    url = reverse("work:citizen_request")
    asks = ({"phone": SECRET_CITIZEN_PHONE}, {"name": SECRET_CITIZEN.lower()})
    for actor in ("officer_b", "other_province"):
        for data in asks:
            response = _request(clients, actor, "POST", url, data)
            assert response.status_code == 200
            assert list(response.context["opinions"]) == []
            assert SECRET_CITIZEN not in response.content.decode()
            download = _request(clients, actor, "POST", url, {**data, "download": "1"})
            assert download.status_code == 404
    assert not ExportRecord.objects.exists()
    for data in asks:
        found = _request(clients, "officer_a", "POST", url, data).context["opinions"]
        assert [o.pk for o in found] == [world.opinion_a.pk]


def test_export_with_a_filter_of_commune_b_exports_nothing_of_b(world, clients):
    """The export of a filter naming B: refused (400) when the id is not a valid choice,
    or an empty file; never a row of B."""
    url = reverse("members:roster_export", args=["csv"])
    for params in _b_filters(world):
        response = _request(clients, "officer_a", "GET", url, params)
        assert response.status_code in (200, 400), params
        assert B_NAME not in response.content.decode("utf-8-sig"), params
        if "status" not in params:
            own = _request(clients, "officer_b", "GET", url, params)
            assert B_NAME in own.content.decode("utf-8-sig")
    response = _request(
        clients, "officer_a", "GET", url, {"area": world.areas["sibling_commune"].pk}
    )
    assert response.status_code == 400
    whole = _request(clients, "officer_a", "GET", url).content.decode("utf-8-sig")
    assert SECRET_NAME in whole and B_NAME not in whole


def _admin_errors(response, field) -> list[str]:
    return [str(e) for e in response.context["adminform"].form.errors.get(field, [])]


def _invalid_choice() -> str:
    return str(forms.ModelChoiceField.default_error_messages["invalid_choice"])


def test_admin_membership_form_refuses_a_unit_or_person_of_commune_b(world, clients):
    """The admin's add form with a forged unit of B, or A's unit with a forged person of B:
    "not a valid choice", nothing written. B's officer adds to B."""
    url = reverse("admin:members_membership_add")
    before = db_fingerprint()
    forged = [
        ("unit", {"unit": world.bloc_b.pk, "person": world.person_a.pk, "role": "member"}),
        ("person", {"unit": world.bloc_a.pk, "person": world.person_b2.pk, "role": "member"}),
    ]
    for field, data in forged:
        response = _request(clients, "officer_a", "POST", url, data)
        assert response.status_code == 200
        with translation.override("vi"):
            assert _admin_errors(response, field) == [_invalid_choice()]
    assert db_fingerprint() == before
    data = {"unit": world.bloc_b.pk, "person": world.person_b2.pk, "role": "member"}
    assert _request(clients, "officer_b", "POST", url, data).status_code == 302
    assert Membership.objects.filter(unit=world.bloc_b, person=world.person_b2).count() == 2


def test_admin_unit_form_refuses_an_area_of_commune_b(world, clients):
    """Founding a team through the admin at B's village (a forged id, or "save as new" on
    A's unit): "not a valid choice"; B's officer founds it."""
    url = reverse("admin:units_unit_add")
    data = {"kind": "team", "area": world.village_b.pk}
    before = db_fingerprint()
    response = _request(clients, "officer_a", "POST", url, data)
    with translation.override("vi"):
        assert _admin_errors(response, "area") == [_invalid_choice()]
    save_as_new = reverse("admin:units_unit_change", args=[world.bloc_a.pk])
    response = _request(clients, "officer_a", "POST", save_as_new, {**data, "_saveasnew": "1"})
    assert response.status_code == 200
    assert db_fingerprint() == before
    assert _request(clients, "officer_b", "POST", url, data).status_code == 302
    assert Unit.objects.filter(area=world.village_b).exists()


def test_admin_person_form_offers_only_the_accounts_provinces(world, clients):
    """A person recorded by A's officer goes to A's province; another province's id is
    "not a valid choice"."""
    url = reverse("admin:members_person_add")
    other = world.areas["other_province"]
    before = db_fingerprint()
    response = _request(
        clients, "officer_a", "POST", url, {"full_name": "Người Tỉnh Khác", "province": other.pk}
    )
    with translation.override("vi"):
        assert _admin_errors(response, "province") == [_invalid_choice()]
    assert db_fingerprint() == before
    choices = list(response.context["adminform"].form.fields["province"].queryset)
    assert choices == [world.areas["province"]]
    data = {"full_name": "Người Tỉnh Nhà", "province": world.areas["province"].pk}
    assert _request(clients, "officer_a", "POST", url, data).status_code == 302


def test_admin_action_on_a_membership_of_commune_b_ends_nothing(world, clients):
    """The "end selected memberships" action with B's id among the selected: the admin
    selects within get_queryset, so nothing of B ends; A's own seat does."""
    url = reverse("admin:members_membership_changelist")

    day = timezone.localdate()

    def end(actor, membership):
        return _request(
            clients,
            actor,
            "POST",
            url,
            {
                "action": "end_selected",
                "_selected_action": [membership.pk],
                "apply": "1",
                "end_date": _day(day),
                "end_reason": "thử",
            },
        )

    before = db_fingerprint()
    end("officer_a", world.membership_b)
    assert db_fingerprint() == before
    end("officer_a", world.membership_a)
    world.membership_a.refresh_from_db()
    assert world.membership_a.end_date == day
    assert world.membership_a.end_reason == "thử"


def test_admin_autocompletes_offer_only_the_accounts_area(world, clients):
    """The unit, person and area autocompletes of A's officer: A's objects, nothing of B."""
    url = reverse("admin:autocomplete")
    for model, field in (("membership", "unit"), ("membership", "person"), ("unit", "area")):
        app = "units" if model == "unit" else "members"
        params = {"app_label": app, "model_name": model, "field_name": field, "term": ""}
        texts = [
            r["text"] for r in _request(clients, "officer_a", "GET", url, params).json()["results"]
        ]
        assert texts, (model, field)
        assert not any("Bên Kia" in t or "Sông Cầu" in t or "Tổ 9" in t for t in texts), texts
        own = _request(clients, "officer_b", "GET", url, params).json()["results"]
        assert not any(SECRET_NAME in r["text"] for r in own)


def test_admin_counts_only_the_seats_in_the_accounts_area(world, clients):
    """A person seated in A and in B: A's officer sees one current seat in the admin's
    list of people, not a number that reveals the seat in B."""
    membership_add(unit=world.bloc_b, person=world.person_a)
    url = reverse("admin:members_person_changelist")
    rows = _request(clients, "officer_a", "GET", url).context["cl"].result_list
    assert {p.full_name: p.active_seat_count for p in rows}[SECRET_NAME] == 1
    rows = _request(clients, "province", "GET", url).context["cl"].result_list
    assert {p.full_name: p.active_seat_count for p in rows}[SECRET_NAME] == 2


def test_history_pages_of_commune_b_answer_404_or_nothing(world, clients):
    """The audit trail: B's unit or person by id is a 404 (B's officer reads it); the area
    history filtered by B's area or a B name shows nothing of B."""
    for kind, obj in (("unit", world.bloc_b), ("person", world.person_b)):
        url = reverse("audit:object_history", kwargs={"kind": kind, "pk": obj.pk})
        assert _request(clients, "officer_a", "GET", url).status_code == 404
        assert _request(clients, "officer_b", "GET", url).status_code == 200
    url = reverse("audit:history")
    for params in ({"area": world.areas["sibling_commune"].pk}, {}, {"q": "ben kia"}):
        response = _request(clients, "officer_a", "GET", url, params)
        assert response.status_code == 200
        assert B_NAME not in response.content.decode(), params
    assert B_NAME in _request(clients, "officer_b", "GET", url).content.decode()


def test_an_account_cannot_be_bound_to_an_area_outside_the_managers_province(world, clients):
    """The other province's staff creating an account bound to commune A (a forged area
    id): "not a valid choice", no account; A's provincial staff create it."""
    from django.contrib.auth import get_user_model

    from portal.forms import ERROR_CHOICE as ERROR_AREA_CHOICE

    url = reverse("accounts:create")
    data = {
        "username": "can-bo-moi",
        "full_name": "Cán Bộ Mới",
        "role": "commune_officer",
        "areas": [world.commune_a.pk],
    }
    before = db_fingerprint()
    response = _request(clients, "other_province", "POST", url, data)
    assert response.status_code == 200
    assert _field_errors(response, "areas") == [str(ERROR_AREA_CHOICE)]
    assert db_fingerprint() == before
    response = _request(clients, "province", "POST", url, data)
    assert response.status_code in (200, 302)
    account = get_user_model().objects.get(username="can-bo-moi")
    assert list(account.staff_profile.areas.all()) == [world.commune_a]


# --- Rows of an import ----------------------------------------------------------------------


@pytest.mark.parametrize("door", ["members:import_upload", "admin:members_membership_import"])
def test_an_import_row_of_commune_b_is_a_row_error_and_nothing_is_written(world, clients, door):
    """A's officer uploads a file with a row of B's code (through the web page or the
    admin, which run the task with the uploader's import scope): the row is an error
    naming the commune, confirming is refused, nothing is written. B's officer imports
    the same file."""
    sibling = world.areas["sibling_commune"]
    data = roster_csv([_bloc_row(sibling.code, "Lý Thị Vượt Rào")])
    before = db_fingerprint()

    def upload(actor):
        file = SimpleUploadedFile("vuot-rao.csv", data, content_type="text/csv")
        _request(clients, actor, "POST", reverse(door), {"file": file})
        return ImportJob.objects.filter(created_by=world.users[actor]).latest("pk")

    job = upload("officer_a")
    assert job.status == ImportJobStatus.VALIDATED
    assert [(e["row"], e["message"]) for e in job.errors] == [
        (2, ERROR_OUT_OF_SCOPE.format(name=sibling.name, code=sibling.code))
    ]
    confirm = door.replace("import_upload", "import_job_confirm").replace(
        "membership_import", "membership_import_confirm"
    )
    response = _request(clients, "officer_a", "POST", reverse(confirm, args=[job.pk]), {})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [ERROR_CANNOT_CONFIRM]
    job.refresh_from_db()
    assert job.confirmed_at is None
    after = db_fingerprint()
    assert {k: v for k, v in after.items() if k != "jobs"} == {
        k: v for k, v in before.items() if k != "jobs"
    }
    assert not Person.objects.filter(full_name="Lý Thị Vượt Rào").exists()
    own = upload("officer_b")
    assert own.errors == []


# --- Roles ---------------------------------------------------------------------------------


def test_a_news_editor_gets_403_on_every_roster_post(world, clients):
    """No roster role, no roster write: every staff page and admin write that accepts a
    POST answers 403 to a news editor, and nothing changes."""
    writes = [
        check
        for check in build_checks(world, walk_urls())
        if check.access.post["officer_a"] != 405
        and (
            check.key.startswith("members:")
            or check.key.startswith("admin:members_")
            or check.key.startswith("admin:units_")
        )
        and not check.key.endswith("_history")
    ]
    assert len(writes) > 20
    before = db_fingerprint()
    refused = []
    for check in writes:
        response = _request(clients, "news_editor", "POST", check.url, {})
        if response.status_code != 403:
            refused.append(f"{check.url}: {response.status_code}")
    assert not refused, "\n".join(refused)
    assert db_fingerprint() == before
