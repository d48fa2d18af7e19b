"""The staff dashboard /can-bo/thong-ke/ and the lists behind its figures: scoped to
the user's area (two actors: commune A's officer and sibling commune B's), every figure
exact and linked to a list that holds exactly that many rows, a bounded number of
queries whatever the size."""

import csv
import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.choices import StaffRole
from evaluations.choices import Stage
from evaluations.models import Evaluation
from members.choices import Role
from members.health import ROSTER_SIZE
from members.models import Membership
from members.services import membership_add, membership_end
from reports.reports.dashboard import DASHBOARD_REPORTS
from tests.factories import make_staff
from tests.reports.conftest import TODAY, criteria_issue, rate
from tests.reports.test_pages import parse_tables, vn_int
from units.choices import TEAM_KINDS, Edition, Level, UnitStatus
from units.models import Area, Unit
from units.services import team_create_for_village, unit_create, village_get_or_create

pytestmark = pytest.mark.django_db

DASHBOARD = "reports:dashboard"


@pytest.fixture(autouse=True, scope="module")
def _today():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
        yield


def _seat(unit, name, *, role=Role.MEMBER, party=True, start=None):
    return membership_add(
        unit=unit,
        full_name=name,
        birth_year=1970,
        role=role,
        party_member=party,
        start_date=start,
    )


@pytest.fixture
def world(area_tree):
    """Commune A: a healthy bloc (8 members, one head) rated level 2 for 2026, a team
    of 3 without a head waiting for the commune's proposal, one village without a team,
    a member who left in 2025. Sibling commune B: no bloc, a team of 7 whose head is not
    a Party member, still assessing itself, one village without a team."""
    a, b = area_tree["commune"], area_tree["sibling_commune"]
    admin = make_staff(StaffRole.SYSTEM_ADMIN, username="admin-dash")
    bloc_a = unit_create(kind="bloc", area=a, decision_date=datetime.date(2024, 1, 10))
    _seat(bloc_a, "Nông Văn Trưởng", role=Role.HEAD, start=datetime.date(2024, 1, 10))
    for i in range(7):
        _seat(bloc_a, f"Hoàng Thị Khối {i}", start=datetime.date(2024 + i % 2, 2, 1))
    left = _seat(bloc_a, "Lý Văn Đã Thôi", start=datetime.date(2024, 1, 10))
    membership_end(membership=left, end_date=datetime.date(2025, 6, 1))
    team_a = team_create_for_village(commune=a, village_name="Tổ 1")
    for i in range(3):
        _seat(team_a, f"Triệu Văn Tổ {i}")
    village_get_or_create(commune=a, name="Tổ 2")

    team_b = team_create_for_village(commune=b, village_name="Thôn B1")
    _seat(team_b, "Hà Văn Trưởng Bên", role=Role.HEAD, party=False)
    for i in range(6):
        _seat(team_b, f"Hà Thị Bên {i}")
    village_get_or_create(commune=b, name="Thôn B2")

    criteria_issue(admin=admin, province=area_tree["province"], year=2026)
    rate(bloc_a, admin=admin, year=2026, stage="decided", level=2)
    rate(team_a, admin=admin, year=2026, stage="proposal")
    rate(team_b, admin=admin, year=2026, stage="self")
    return {
        "officer_a": make_staff(StaffRole.COMMUNE_OFFICER, [a], username="xa-a"),
        "officer_b": make_staff(StaffRole.COMMUNE_OFFICER, [b], username="xa-b"),
        "district": make_staff(StaffRole.DISTRICT_STAFF, [area_tree["district"]], username="huyen"),
        "news": make_staff(StaffRole.NEWS_EDITOR, username="bientap"),
        "admin": admin,
        "a": a,
        "b": b,
        "bloc_a": bloc_a,
        "team_a": team_a,
        "team_b": team_b,
    }


def dashboard(client, user, **params):
    client.force_login(user)
    response = client.get(reverse(DASHBOARD), {"year": 2026, **params})
    assert response.status_code == 200
    return response


def figures(html: str) -> dict[str, list[list[str]]]:
    tables = parse_tables(html).tables
    return {key.removeprefix("table-"): rows[1:] for key, rows in tables.items()}


def test_officer_sees_their_commune_only(client, world):
    """A's officer counts A (one commune with its bloc, two villages, one without a
    team; two units, one of them a team of 3 without a head); B's officer counts B
    (no bloc, a team whose head is not a Party member). Neither page names the other
    commune or its units."""
    html_a = dashboard(client, world["officer_a"]).content.decode()
    a = figures(html_a)
    assert [r[1:4] for r in a["khoang-trong"]] == [["1", "1", "0"], ["2", "1", "1"]]
    assert [r[1] for r in a["danh-sach"]] == ["2", "1", "1", "0", "0"]
    assert world["a"].name in html_a and world["b"].name not in html_a

    html_b = dashboard(client, world["officer_b"]).content.decode()
    b = figures(html_b)
    assert [r[1:4] for r in b["khoang-trong"]] == [["1", "0", "1"], ["2", "1", "1"]]
    assert [r[1] for r in b["danh-sach"]] == ["1", "0", "0", "0", "1"]
    assert world["b"].name in html_b and world["a"].name not in html_b

    stages_a = {r[0]: r[1] for r in a["danh-gia"]}
    stages_b = {r[0]: r[1] for r in b["danh-gia"]}
    assert stages_a["Chờ Đảng ủy xã đề xuất"] == "1" and stages_a["Đã quyết định"] == "1"
    assert stages_a["Đang tự đánh giá, chưa gửi"] == "0"
    assert stages_b["Đang tự đánh giá, chưa gửi"] == "1" and stages_b["Đã quyết định"] == "0"
    assert [r[0] for r in a["xu-huong-xep-loai"]] == ["2026"]
    assert a["xu-huong-xep-loai"][0][1:] == ["0", "1", "0", "0", "1"]
    assert b["xu-huong-xep-loai"] == [["Chưa có số liệu."]]


def _reference(user_area_paths: list[str], edition: str) -> dict:
    """The dashboard's figures counted one object at a time."""

    def inside(path):
        return any(path.startswith(p) for p in user_area_paths)

    areas = [a for a in Area.objects.filter(edition=edition) if inside(a.path)]
    units = [u for u in Unit.objects.all() if inside(u.area_path)]
    active = [u for u in units if u.status == UnitStatus.ACTIVE]
    communes = [a for a in areas if a.level == Level.COMMUNE]
    villages = [a for a in areas if a.level == Level.VILLAGE]
    blocs = {u.area_id for u in active if u.kind == "bloc"}
    teams = {u.area_id for u in active if u.kind in TEAM_KINDS}
    seats = {u.pk: [] for u in active}
    for m in Membership.objects.filter(end_date__isnull=True).select_related("person"):
        if m.unit_id in seats:
            seats[m.unit_id].append(m)

    def out_of_size(unit):
        low, high = ROSTER_SIZE["team" if unit.kind in TEAM_KINDS else "bloc"]
        return not low <= len(seats[unit.pk]) <= high

    def heads(unit):
        return [m for m in seats[unit.pk] if m.role == Role.HEAD]

    memberships = [m for m in Membership.objects.all() if inside(m.area_path)]
    years = range(TODAY.year - 4, TODAY.year + 1)
    trend = {}
    for year in years:
        day = min(datetime.date(year, 12, 31), TODAY)
        trend[year] = sum(
            (m.start_date is None or m.start_date <= day)
            and (m.end_date is None or m.end_date >= day)
            for m in memberships
        )
    evaluations = [e for e in Evaluation.objects.filter(year=2026) if inside(e.area_path)]
    rated_units = {e.unit_id: e.stage for e in evaluations}
    stages = {"none": sum(u.pk not in rated_units for u in active)}
    for stage in Stage.values:
        stages[stage] = sum(s == stage for s in rated_units.values())
    return {
        "communes": [len(communes), sum(c.pk in blocs for c in communes)],
        "villages": [len(villages), sum(v.pk in teams for v in villages)],
        "roster": [
            len(active),
            sum(out_of_size(u) for u in active),
            sum(not heads(u) for u in active),
            sum(len(heads(u)) > 1 for u in active),
            sum(
                u.kind in TEAM_KINDS and any(not h.person.party_member for h in heads(u))
                for u in active
            ),
        ],
        "trend": [trend[y] for y in sorted(years, reverse=True)],
        "stages": stages,
    }


@pytest.mark.parametrize("actor", ["officer_a", "officer_b", "district", "admin"])
def test_counts_are_exact(client, world, actor):
    """Every figure of the dashboard equals a count done one object at a time over
    the actor's area (the whole legacy tree for the administrator)."""
    user = world[actor]
    paths = (
        ["legacy/"]
        if actor == "admin"
        else list(user.staff_profile.areas.values_list("path", flat=True))
    )
    expected = _reference(paths, Edition.LEGACY)
    got = figures(dashboard(client, user, edition="legacy").content.decode())
    coverage = got["khoang-trong"]
    assert [vn_int(coverage[0][1]), vn_int(coverage[0][2])] == expected["communes"]
    assert [vn_int(coverage[1][1]), vn_int(coverage[1][2])] == expected["villages"]
    assert [vn_int(r[1]) for r in got["danh-sach"]] == expected["roster"]
    assert [vn_int(r[2]) for r in got["xu-huong-thanh-vien"]] == expected["trend"]
    # The stages, the total, then the late units (no round has deadlines here).
    stage_rows = [vn_int(r[1]) for r in got["danh-gia"]]
    assert stage_rows[:6] == [
        expected["stages"][s]
        for s in ("none", "self", "proposal", "decision", "decided", "not_rated")
    ]
    assert stage_rows[6:] == [sum(stage_rows[:6]), 0]


def _figure_links(client, user) -> list[tuple[str, str, str]]:
    response = dashboard(client, user)
    parsed = parse_tables(response.content.decode())
    pairs = []
    for table, rows in parsed.tables.items():
        for cells, links in zip(rows, parsed.links[table], strict=True):
            for text, href in zip(cells, links, strict=True):
                if href:
                    pairs.append((table, text, href))
    return pairs


@pytest.mark.parametrize("actor", ["officer_a", "officer_b"])
def test_every_figure_links_to_a_list_of_that_many_rows(client, world, actor):
    """Each figure is a link; the list it opens (the dashboard's own lists, the member
    list, the ratings overview) holds exactly that many rows."""
    pairs = _figure_links(client, world[actor])
    tables = {t for t, _text, _href in pairs}
    assert tables == {
        "table-khoang-trong", "table-danh-sach", "table-danh-gia", "table-xu-huong-thanh-vien",
    } | ({"table-xu-huong-xep-loai"} if actor == "officer_a" else set())  # fmt: skip
    assert len(pairs) >= 20
    for _table, text, href in pairs:
        response = client.get(href)
        assert response.status_code == 200, href
        assert response.context["page_obj"].paginator.count == vn_int(text), (href, text)


def test_lists_behind_the_figures_are_scoped(client, world):
    """A's officer's list of villages without a team names A's village only; B's
    officer sees B's; an unknown list is a 404; each list links to the staff pages."""
    url = reverse("reports:dashboard_list", args=["thon-chua-co-to"])
    client.force_login(world["officer_a"])
    html = client.get(url, {"edition": "legacy"}).content.decode()
    assert "Tổ 2" in html and "Thôn B2" not in html
    assert reverse("members:commune_detail", args=[world["a"].pk]) in html
    client.force_login(world["officer_b"])
    html = client.get(url, {"edition": "legacy"}).content.decode()
    assert "Thôn B2" in html and "Tổ 2" not in html
    html = client.get(
        reverse("reports:dashboard_list", args=["to-truong-chua-dang-vien"])
    ).content.decode()
    assert reverse("members:unit_detail", args=[world["team_b"].pk]) in html
    assert client.get(reverse("reports:dashboard_list", args=["khong-co"])).status_code == 404
    rows = list(
        csv.reader(io.StringIO(client.get(url, {"format": "csv"}).content.decode("utf-8-sig")))
    )
    assert [r[0] for r in rows[1:]] == ["Thôn B2"]


def test_who_may_open_the_dashboard(client, world):
    """The public goes to the login page; a news editor (no roster role) gets 403;
    every roster role gets in."""
    for name in (DASHBOARD,):
        url = reverse(name)
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
        client.force_login(world["news"])
        assert client.get(url).status_code == 403
        assert client.get(reverse("reports:dashboard_list", args=["xa"])).status_code == 403
        client.logout()
    for actor in ("officer_a", "district", "admin"):
        dashboard(client, world[actor])


def test_downloads_hold_the_figures(client, world):
    """Each dashboard table downloads as CSV (the same figures) and the workbook holds
    one sheet per table."""
    from openpyxl import load_workbook

    client.force_login(world["officer_a"])
    url = reverse(DASHBOARD)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    url, {"year": 2026, "format": "csv", "table": "danh-sach"}
                ).content.decode("utf-8-sig")
            )
        )
    )
    assert [r[1] for r in rows[1:]] == ["2", "1", "1", "0", "0"]
    workbook = load_workbook(io.BytesIO(client.get(url, {"year": 2026, "format": "xlsx"}).content))
    assert len(workbook.sheetnames) == len(DASHBOARD_REPORTS)
    assert workbook["khoang-trong"].cell(row=4, column=4).value == 1  # one village missing


def test_no_personal_data_on_the_dashboard(client, world):
    """The dashboard counts; it never names a person (the lists behind it do, on
    their own scoped pages)."""
    html = dashboard(client, world["officer_a"]).content.decode()
    assert "Nông Văn Trưởng" not in html and "Triệu Văn Tổ" not in html


def test_trends_and_coverage_are_charts_with_a_text_alternative(client, world):
    """The same server-drawn SVG charts as the public pages, drawn from the rows the
    tables print: coverage, the membership trend, the rating trend."""
    html = dashboard(client, world["officer_a"]).content.decode()
    for slug, chart in (
        ("khoang-trong", "chart-dashboard-coverage"),
        ("xu-huong-thanh-vien", "chart-dashboard-members"),
    ):
        assert f'data-testid="chart-{slug}"' in html, slug
        assert f'<svg class="chart" id="{chart}"' in html and f'<desc id="{chart}-desc">' in html
    coverage = html.split('<desc id="chart-dashboard-coverage-desc">')[1].split("</desc>")[0]
    assert "Xã có Khối dân vận: 100,0 % (1/1)" in coverage
    assert "Thôn có Tổ dân vận: 50,0 % (1/2)" in coverage
    assert "<script" not in html.split('data-testid="chart-khoang-trong"')[1].split("</figure>")[0]


def _count_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(DASHBOARD), {"year": 2025})
    assert response.status_code == 200
    return len(queries)


def test_query_count_is_bounded_whatever_the_size(client, rated):
    """Three provinces, districts and communes (the demo) with ratings: at most 16
    queries (one of them the rating rounds' late steps) for an administrator,
    provincial, district and commune staff; the same counts again after a fourth and
    fifth province are added."""
    province = Area.objects.get(edition="legacy", code="06")
    district = Area.objects.filter(parent=province, children__units__isnull=False).first()
    commune = Area.objects.filter(parent=district, units__isnull=False).first()
    actors = [
        make_staff(StaffRole.SYSTEM_ADMIN, username="q-admin"),
        make_staff(StaffRole.PROVINCE_STAFF, [province], username="q-tinh"),
        make_staff(StaffRole.DISTRICT_STAFF, [district], username="q-huyen"),
        make_staff(StaffRole.COMMUNE_OFFICER, [commune], username="q-xa"),
    ]
    before = [_count_queries(client, user) for user in actors]
    assert max(before) <= 16, before
    call_command(
        "generate_demo", "--scale", "small", "--edition", "legacy",
        "--province", "19", "20", verbosity=0,
    )  # fmt: skip
    for user in actors:
        user.refresh_from_db()
    after = [_count_queries(client, user) for user in actors]
    assert after == before
    lists = reverse("reports:dashboard_list", args=["don-vi"])
    client.force_login(actors[1])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(lists).status_code == 200
    assert len(queries) <= 12
    assert re.search(r"\d+ dòng", client.get(lists).content.decode())
