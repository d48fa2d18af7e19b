"""Cross-cutting security: CSRF on every state-changing view, script payloads escaped
wherever names are shown, no personal data on public pages.

The URL patterns come from the permission matrix (``tests/permissions.py``), so a new view
is covered here as soon as it is declared there.
"""

import contextlib
import csv
import io
import logging
from urllib.parse import urlencode

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

from accounts.choices import StaffRole
from members.services import membership_add
from members.tasks import import_job_create
from tests.factories import AreaFactory, make_staff
from tests.permissions import (
    ACTORS,
    FAST_HASHER,
    ActorClients,
    build_checks,
    build_world,
    db_fingerprint,
    get_only,
    response_text,
    roster_csv,
    walk_urls,
)
from units.choices import Level
from units.services import unit_create, village_get_or_create

pytestmark = pytest.mark.django_db


# --- CSRF ----------------------------------------------------------------------------------


def accepts_post(access) -> bool:
    """Whether the matrix declares the pattern as more than a read-only page: somebody's
    POST gets further than a page that only reads would let it."""
    return access.post != get_only(access.get)


@pytest.mark.sweep
def test_every_state_changing_view_refuses_a_post_without_csrf_token(area_tree, caplog):
    """Every pattern that accepts POST (from the matrix), as every actor, with a client
    that enforces CSRF and sends no token: 403 from the CSRF check (logged as such), and
    nothing changes; the accounts stay logged in."""
    world = build_world(area_tree)
    clients = ActorClients(world.users, enforce_csrf_checks=True)
    checks = [c for c in build_checks(world, walk_urls()) if accepts_post(c.access)]
    keys = {c.key for c in checks}
    for key in ("logout", "set_language", "members:unit_dissolve", "admin:units_unit_change"):
        assert key in keys
    before = db_fingerprint()
    failures = []
    for check in checks:
        for actor in ACTORS:
            caplog.clear()
            with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
                response = clients.request(actor, "POST", check.url, rollback=False)
            refused_by_csrf = any(r.name == "django.security.csrf" for r in caplog.records)
            if response.status_code != 403 or not refused_by_csrf:
                failures.append(f"POST {check.url}, {actor}: {response.status_code}")
    assert not failures, "\n".join(failures)
    assert db_fingerprint() == before
    home = clients.request("officer_a", "GET", reverse("members:home"), rollback=False)
    assert home.status_code == 200


# --- Script payloads -----------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
RAW = ("<script>alert(1)", "<img src=x onerror")
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;")
FORMULA = '=HYPERLINK("http://x.example","bấm")'


@pytest.fixture
def payloads(area_tree):
    """A commune, a village, a bloc, a team and people whose names carry script payloads,
    and a person whose name would be a spreadsheet formula."""
    commune = AreaFactory(
        level=Level.COMMUNE, code="01840", name=f"Xã Thử {SCRIPT}", parent=area_tree["district"]
    )
    village, _ = village_get_or_create(commune=commune, name=f"Thôn {IMG}")
    bloc = unit_create(kind="bloc", area=commune, name=f"Khối {SCRIPT}")
    team = unit_create(kind="team", area=village)
    script_person = membership_add(
        unit=bloc, full_name=f"Nguyễn {SCRIPT}", birth_year=1970, position=IMG, role="head"
    ).person
    img_person = membership_add(unit=team, full_name=f"Trần {IMG}", birth_year=1971).person
    membership_add(unit=team, person=script_person)
    formula_person = membership_add(unit=team, full_name=FORMULA, birth_year=1972).person
    with override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        staff = make_staff(
            StaffRole.COMMUNE_OFFICER, [commune], username="can-bo-thu", first_name=SCRIPT
        )
    return {
        "staff": staff,
        "commune": commune,
        "village": village,
        "bloc": bloc,
        "team": team,
        "script_person": script_person,
        "img_person": img_person,
        "formula_person": formula_person,
    }


def _assert_escaped(label, response):
    assert response.status_code == 200, (label, response.status_code)
    text = response_text(response)
    for raw in RAW:
        assert raw not in text, f"{label}: raw {raw!r} in the page"
    assert any(e in text for e in ESCAPED), f"{label}: the payload is not shown at all"


def _staff_pages(p) -> list[tuple[str, str]]:
    membership = p["script_person"].memberships.order_by("pk").first()
    pages = [
        ("staff home search", reverse("members:home") + "?q=thu"),
        ("commune page", reverse("members:commune_detail", args=[p["commune"].pk])),
        ("bloc roster", reverse("members:unit_detail", args=[p["bloc"].pk])),
        ("team roster", reverse("members:unit_detail", args=[p["team"].pk])),
        ("member list", reverse("members:membership_list") + "?status=all"),
        ("person page", reverse("members:person_detail", args=[p["script_person"].pk])),
        ("person page (img)", reverse("members:person_detail", args=[p["img_person"].pk])),
        ("membership form", reverse("members:membership_update", args=[membership.pk])),
        ("unit form", reverse("members:unit_update", args=[p["bloc"].pk])),
        ("team form", reverse("members:team_create", args=[p["commune"].pk])),
        (
            "merge candidates",
            reverse("members:person_merge", args=[p["img_person"].pk]) + "?q=nguyen",
        ),
        ("split form", reverse("members:person_split", args=[p["script_person"].pk])),
        ("admin people", reverse("admin:members_person_changelist")),
        ("admin memberships", reverse("admin:members_membership_changelist")),
        ("admin units", reverse("admin:units_unit_changelist")),
        ("admin areas", reverse("admin:units_area_changelist") + "?q=thu"),
        ("admin person", reverse("admin:members_person_change", args=[p["script_person"].pk])),
        ("admin unit", reverse("admin:units_unit_change", args=[p["bloc"].pk])),
        ("admin membership", reverse("admin:members_membership_change", args=[membership.pk])),
        ("admin village", reverse("admin:units_area_change", args=[p["village"].pk])),
    ]
    # Issue 4's staff pages: the accounts and the audit trail (history of the area, of
    # the bloc and of the person), where names come back as old -> new values.
    optional = [
        ("staff accounts", "accounts:list", {}),
        ("staff account", "accounts:detail", {"pk": p["staff"].pk}),
        ("area history", "audit:history", {}),
        ("bloc history", "audit:object_history", {"kind": "unit", "pk": p["bloc"].pk}),
        (
            "person history",
            "audit:object_history",
            {"kind": "person", "pk": p["script_person"].pk},
        ),
    ]
    for label, name, kwargs in optional:
        with contextlib.suppress(NoReverseMatch):
            pages.append((label, reverse(name, kwargs=kwargs)))
    return pages


def test_script_payloads_are_escaped_on_every_staff_page(admin_client, payloads):
    """Names with <script> and "><img onerror> payloads: shown escaped, never raw, on the
    staff pages, the accounts and history pages, and in the admin (lists and change
    pages)."""
    for label, url in _staff_pages(payloads):
        _assert_escaped(label, admin_client.get(url))


def test_script_payloads_are_escaped_in_messages_and_import_previews(admin_client, payloads):
    """The "added X to Y" message after a form, and the preview of an uploaded file whose
    names carry payloads."""
    response = admin_client.post(
        reverse("members:membership_create", args=[payloads["bloc"].pk]),
        {"full_name": f"Lê {IMG}", "role": "member"},
        follow=True,
    )
    _assert_escaped("message after adding", response)
    data = roster_csv(
        [
            {
                "Mã xã": payloads["commune"].code,
                "Thôn/Tổ dân phố": f"Thôn {SCRIPT}",
                "Đơn vị": "Tổ dân vận",
                "Họ và tên": f"Vũ {SCRIPT}",
                "Vai trò": "Thành viên",
                "Dân tộc": IMG,  # an error whose message repeats the value
            }
        ]
    )
    file = SimpleUploadedFile("payload.csv", data, content_type="text/csv")
    response = admin_client.post(
        reverse("members:import_upload"), {"file": file, "edition": "legacy"}, follow=True
    )
    _assert_escaped("import preview", response)


def test_script_payloads_in_query_strings_are_escaped(admin_client, client, payloads):
    """Search boxes echo what was typed: escaped."""
    query = urlencode({"q": SCRIPT})
    for url in (
        f"{reverse('home')}?{query}",
        f"{reverse('members:home')}?{query}",
        f"{reverse('members:membership_list')}?{query}",
        f"{reverse('members:person_merge', args=[payloads['img_person'].pk])}?{query}",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200
        assert SCRIPT not in response_text(response), url
    assert SCRIPT not in response_text(client.get(f"{reverse('home')}?{query}"))


def test_area_names_with_payloads_are_escaped_in_public_search_results(client, payloads):
    """The home page's area search (public) lists the commune: escaped."""
    _assert_escaped("home search", client.get(reverse("home"), {"q": "xa thu"}))


def test_exports_keep_payloads_as_text_and_neutralise_formulas(admin_client, payloads):
    """Exports hold names as text (a CSV is not HTML: the payload is the stored value);
    a name that a spreadsheet would run as a formula is neutralised: a leading apostrophe
    in CSV, a text cell with the quote prefix in Excel."""
    url = reverse("members:roster_export", args=["csv"])
    text = admin_client.get(url, {"status": "all"}).content.decode("utf-8-sig")
    names = [row[4] for row in csv.reader(io.StringIO(text))][1:]
    assert f"Nguyễn {SCRIPT}" in names
    assert "'" + FORMULA in names
    assert FORMULA not in names
    url = reverse("members:roster_export", args=["xlsx"])
    book = openpyxl.load_workbook(io.BytesIO(admin_client.get(url, {"status": "all"}).content))
    cells = [row[4] for row in book.active.iter_rows(min_row=2)]
    (formula_cell,) = [c for c in cells if c.value == FORMULA]
    assert formula_cell.data_type == "s"
    assert formula_cell.quotePrefix
    assert f"Nguyễn {SCRIPT}" in [c.value for c in cells]


# News bodies and titles with script payloads: tests/news/test_views.py
# (test_script_payloads_are_escaped_or_removed_everywhere: list, article, home, desk,
# admin and feeds) and tests/news/test_sanitize.py.


# --- Personal data on public pages -----------------------------------------------------------

PRIVATE_PHONE = "0988765432"
PRIVATE_YEAR = "1931"
PRIVATE_NAME = "Phạm Thị Riêng Tư"


def test_public_pages_never_show_personal_data(client, area_tree):
    """Every public URL of the matrix (and the home page searched by the person's name,
    phone or commune): no phone, birth year or name of a person."""
    world = build_world(area_tree)
    membership_add(
        unit=world.bloc_a,
        full_name=PRIVATE_NAME,
        birth_year=int(PRIVATE_YEAR),
        phone=PRIVATE_PHONE,
        ethnicity="Tày",
        party_member=True,
    )
    import_job_create(
        data=roster_csv([{"Mã xã": world.commune_a.code, "Họ và tên": PRIVATE_NAME}]),
        filename="riêng-tư.csv",
        acting_user=world.users["officer_a"],
        edition="legacy",
    )
    public = [c for c in build_checks(world, walk_urls()) if c.access.get["anonymous"] == 200]
    assert {"home", "login", "password_reset"} <= {c.key for c in public}
    searches = (PRIVATE_NAME, PRIVATE_PHONE, PRIVATE_YEAR, world.commune_a.name, "rieng tu")
    urls = [(c.url, None) for c in public] + [
        (f"{reverse('home')}?{urlencode({'q': q})}", q) for q in searches
    ]
    for url, typed in urls:
        text = response_text(client.get(url))
        if typed:  # what was typed comes back (search box, message, language form's next)
            for echo in (f'value="{typed}"', f"“{typed}”", urlencode({"q": typed})):
                text = text.replace(echo, "")
        for private in (PRIVATE_PHONE, PRIVATE_NAME, PRIVATE_YEAR, world.person_a.phone):
            assert private not in text, f"{url} shows {private}"
