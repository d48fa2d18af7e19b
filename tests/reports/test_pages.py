"""The public statistics pages /thong-ke/ and /thong-ke/<code>/ (CONTRACTS section 4):
the API's figures in the Vietnamese format, drill-down, downloads, no personal data,
a bounded number of queries."""

import csv
import datetime
import io
import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.choices import Stage
from evaluations.models import CriteriaSet, Evaluation
from members.models import Person
from reports.reports.base import Column, CSVFormatter, Report, XLSXFormatter
from reports.reports.public import PUBLIC_REPORTS
from reports.stats import Place, units_active_on
from tests.reports.conftest import BEFORE_REFORM as TODAY
from tests.reports.conftest import DEMO_PROVINCES
from units.choices import Edition, Level
from units.models import Area, Unit

pytestmark = pytest.mark.django_db

FIELDS = (
    "blocs", "bloc_members", "teams", "team_members", "people",
    "communes", "communes_with_bloc", "villages", "villages_with_team",
)  # fmt: skip


def places(edition=Edition.LEGACY) -> list[Place]:
    """The installation and three areas with units at each level."""
    communes = list(
        Area.objects.filter(edition=edition, level=Level.COMMUNE, units__isnull=False)
        .distinct()
        .select_related("parent__parent")
        .order_by("code")
    )
    districts = sorted({c.parent for c in communes}, key=lambda a: a.code)
    provinces = sorted({d.parent for d in districts}, key=lambda a: a.code)
    result = [Place(edition=edition)]
    for group in (provinces, districts, communes):
        assert len(group) >= 3
        result += [Place(edition=edition, area=a) for a in group[:3]]
    return result


def page_url(place: Place, **params) -> str:
    if place.area:
        url = reverse("reports:stats_page_area", args=[place.area.code])
    else:
        url = reverse("reports:stats_page")
    return url, {"edition": place.edition, **params}


def api_url(place: Place) -> str:
    if place.area:
        return reverse("reports:stats_api_area", args=[place.area.code])
    return reverse("reports:stats_api")


def vn_int(text: str) -> int:
    """ "1.265" -> 1265 (the Vietnamese thousands separator is a dot)."""
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*", text), text
    return int(text.replace(".", ""))


def vn(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class TableParser(HTMLParser):
    """The text of every cell of every table of a page, by table id."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: dict[str, list[list[str | None]]] = {}
        self._table = None
        self._row = None
        self._cell = None
        self._href = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = attrs.get("id")
            self.tables[self._table] = []
            self.links[self._table] = []
        elif tag == "tr" and self._table:
            self._row, self._row_links = [], []
        elif tag in ("td", "th") and self._row is not None:
            self._cell, self._href = "", None
        elif tag == "a" and self._cell is not None:
            self._href = attrs.get("href")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell.strip())
            self._row_links.append(self._href)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._table].append(self._row)
            self.links[self._table].append(self._row_links)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def parse_tables(html: str) -> TableParser:
    parser = TableParser()
    parser.feed(html)
    return parser


def key_figures(html: str) -> dict[str, int]:
    return {
        field: vn_int(value) for field, value in re.findall(r'data-field="(\w+)">([\d.]+)<', html)
    }


@pytest.fixture(autouse=True, scope="module")
def _today():
    """A fixed "today" so that the page (default day) and the API agree on dates (and
    the module's demo data is made on that day): before the reform, while the legacy
    demo's units are in force. The cache is emptied before every test
    (tests/reports/conftest.py)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
        yield


def test_figures_on_the_page_equal_the_api(client, rated):
    """At the installation and three areas per level: the key figures, the coverage,
    members, composition, ratings and children tables print exactly the API's numbers
    in the Vietnamese format."""
    for place in places():
        url, params = page_url(place)
        response = client.get(url, params)
        assert response.status_code == 200
        html = response.content.decode()
        api = client.get(api_url(place), {"edition": place.edition}).json()
        figures = key_figures(html)
        assert figures == {f: api[f] for f in FIELDS}, place.path

        tables = parse_tables(html).tables
        coverage = tables["table-do-phu"][1:]
        assert [vn_int(c) for c in coverage[0][1:3]] == [api["communes_with_bloc"], api["communes"]]
        assert [vn_int(c) for c in coverage[1][1:3]] == [api["villages_with_team"], api["villages"]]
        members = tables["table-thanh-vien"][1:]
        assert [vn_int(c) for c in members[0][1:]] == [api["blocs"], api["bloc_members"]]
        assert [vn_int(c) for c in members[1][1:]] == [api["teams"], api["team_members"]]
        composition = tables["table-thanh-phan"][1:]
        assert [vn_int(r[1]) for r in composition] == [
            api["people"], api["women"], api["party_members"], api["ethnic_minority"],
        ]  # fmt: skip
        ratings = tables.get("table-xep-loai", [[]])[1:]
        assert [r[0] for r in ratings] == sorted(api["ratings"], reverse=True)
        for row in ratings:
            year = api["ratings"][row[0]]
            assert [vn_int(c) for c in row[1:6]] == [
                year["1"], year["2"], year["3"], year["4"], year["unrated"],
            ]  # fmt: skip
        children = tables.get("table-dia-ban", [[]])[1:]
        assert [r[0] for r in children] == [c["name"] for c in api["children"]]
        assert [[vn_int(x) for x in r[2:]] for r in children] == [
            [c["blocs"], c["bloc_members"], c["teams"], c["team_members"]] for c in api["children"]
        ]


def test_ratings_match_a_straight_count(client, rated):
    """Approved ratings by year and level, and the units of the year without one,
    equal a count done one rating and one unit at a time."""
    for place in places():
        api = client.get(api_url(place), {"edition": place.edition}).json()
        evaluations = [e for e in Evaluation.objects.all() if e.area_path.startswith(place.path)]
        province_paths = {"/".join(p.split("/")[:2]) + "/" for p in [place.path] if place.area} or {
            a.path for a in Area.objects.filter(level=Level.PROVINCE, edition=place.edition)
        }
        years = {e.year for e in evaluations} | {
            s.year
            for s in CriteriaSet.objects.filter(issued=True).select_related("province")
            if s.province.path in province_paths
        }
        assert sorted(api["ratings"]) == sorted(str(y) for y in years)
        units = [u for u in Unit.objects.all() if u.area_path.startswith(place.path)]
        for year in years:
            decided = [e for e in evaluations if e.year == year and e.stage == Stage.DECIDED]
            ref = min(datetime.date(year, 12, 31), TODAY)
            active = Unit.objects.filter(units_active_on(ref), pk__in=[u.pk for u in units])
            expected = {str(lv): sum(e.decided_level == lv for e in decided) for lv in (1, 2, 3, 4)}
            expected["unrated"] = active.exclude(pk__in=[e.unit_id for e in decided]).count()
            assert api["ratings"][str(year)] == expected, (place.path, year)
    whole = client.get(reverse("reports:stats_api"), {"edition": "legacy"}).json()
    assert whole["ratings"]["2025"]["2"] >= 2
    assert whole["ratings"]["2027"] == {
        "1": 0,
        "2": 0,
        "3": 0,
        "4": 0,
        "unrated": whole["blocs"] + whole["teams"],
    }


def test_vietnamese_number_format(client, demo, monkeypatch):
    """A figure of 1265 prints "1.265" (the Bắc Kạn example of CONTRACTS section 3);
    years and codes are never grouped ("2024", not "2.024")."""
    from reports.openapi import EXAMPLE

    monkeypatch.setattr("reports.views.area_stats_cached", lambda place, day, version=None: EXAMPLE)
    response = client.get(reverse("reports:stats_page_area", args=["06"]), {"edition": "legacy"})
    html = response.content.decode()
    assert key_figures(html)["bloc_members"] == 1265
    assert 'data-field="bloc_members">1.265<' in html
    assert "1265" not in html
    tables = parse_tables(html).tables
    assert tables["table-xep-loai"][1][0] == "2024"
    assert tables["table-dia-ban"][1][:2] == ["Thành phố Bắc Kạn", "058"]
    assert "2.024" not in html
    assert "100,0" in html  # 108/108 communes: one decimal, decimal comma


def test_breadcrumbs_and_drill_down_links(client, demo):
    """Installation → province → district → commune: each page links every child to
    its own page (keeping the edition), and the breadcrumbs link back up."""
    whole = client.get(reverse("reports:stats_page"), {"edition": "legacy"})
    links = parse_tables(whole.content.decode()).links["table-dia-ban"][1:]
    province = Area.objects.get(edition="legacy", code=DEMO_PROVINCES[0])
    expected = reverse("reports:stats_page_area", args=[province.code]) + "?edition=legacy"
    assert expected in [row[0] for row in links]
    assert all(row[0] for row in links)  # every province is a link

    district = (
        Area.objects.filter(level=Level.DISTRICT, parent=province, children__units__isnull=False)
        .distinct()
        .first()
    )
    commune = Area.objects.filter(parent=district, units__isnull=False).distinct().first()
    page = client.get(
        reverse("reports:stats_page_area", args=[province.code]), {"edition": "legacy"}
    )
    html = page.content.decode()
    district_url = reverse("reports:stats_page_area", args=[district.code]) + "?edition=legacy"
    assert f'href="{district_url}"' in html
    page = client.get(district_url)
    html = page.content.decode()
    commune_url = reverse("reports:stats_page_area", args=[commune.code]) + "?edition=legacy"
    assert f'href="{commune_url}"' in html
    page = client.get(commune_url)
    html = page.content.decode()
    crumbs = re.search(r'data-testid="breadcrumbs">(.*?)</nav>', html, re.S).group(1)
    assert reverse("reports:stats_page") + "?edition=legacy" in crumbs
    for ancestor in (province, district):
        url = reverse("reports:stats_page_area", args=[ancestor.code]) + "?edition=legacy"
        assert f'href="{url}"' in crumbs and ancestor.name in crumbs
    assert f'<span aria-current="page">{commune.name}</span>' in crumbs
    # Villages have no code and no page: listed without links.
    villages = parse_tables(html).links["table-dia-ban"][1:]
    assert villages and all(row[0] is None for row in villages)


def _csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_and_xlsx_downloads_equal_the_figures(client, rated):
    """Every table downloads as CSV and XLSX; both parse, hold the API's figures, and
    the workbook's numbers are number cells."""
    province = places()[1]
    url, params = page_url(province)
    api = client.get(api_url(province), {"edition": "legacy"}).json()
    html = client.get(url, params).content.decode()
    for report in PUBLIC_REPORTS:
        assert f"format=csv&amp;table={report.slug}" in html
        assert f"format=xlsx&amp;table={report.slug}" in html
    response = client.get(url, {**params, "format": "csv", "table": "thanh-vien"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(response.content)
    assert rows[0] == ["Loại đơn vị", "Số đơn vị", "Số lượt thành viên"]
    assert rows[1][1:] == [str(api["blocs"]), str(api["bloc_members"])]
    assert rows[2][1:] == [str(api["teams"]), str(api["team_members"])]
    rows = _csv_rows(client.get(url, {**params, "format": "csv", "table": "dia-ban"}).content)
    assert [r[1] for r in rows[1:]] == [c["code"] for c in api["children"]]
    assert [[int(x) for x in r[2:]] for r in rows[1:]] == [
        [c["blocs"], c["bloc_members"], c["teams"], c["team_members"]] for c in api["children"]
    ]
    rows = _csv_rows(client.get(url, {**params, "format": "csv", "table": "thanh-phan"}).content)
    women = rows[2]
    assert int(women[1]) == api["women"]
    assert float(women[2]) == round(100 * api["women"] / api["people"], 1)

    response = client.get(url, {**params, "format": "xlsx", "table": "xep-loai"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [str(r[0]) for r in values] == sorted(api["ratings"], reverse=True)
    for row in values:
        year = api["ratings"][str(row[0])]
        assert list(row[1:6]) == [year["1"], year["2"], year["3"], year["4"], year["unrated"]]
        assert all(isinstance(v, int) for v in row)

    workbook = load_workbook(io.BytesIO(client.get(url, {**params, "format": "xlsx"}).content))
    assert workbook.sheetnames == [r.slug for r in PUBLIC_REPORTS]
    coverage = list(workbook["do-phu"].iter_rows(min_row=3, values_only=True))
    assert coverage[0][1:3] == (api["communes_with_bloc"], api["communes"])
    assert workbook["do-phu"].cell(row=3, column=4).number_format == "0.0%"
    assert client.get(url, {**params, "format": "csv"}).status_code == 404  # which table?
    assert client.get(url, {**params, "format": "csv", "table": "x"}).status_code == 404


class _Dangerous(Report):
    slug = "thu"
    title = "=thử"
    columns = (Column("name", "Tên", "text"), Column("n", "Số", "int"))

    @classmethod
    def is_available_to(cls, user):
        return True

    def rows(self):
        return [{"name": '=HYPERLINK("http://x")', "n": 1265}, {"name": "+1", "n": 0}]


def test_formula_like_text_is_neutralised():
    """A cell that a spreadsheet would run (starting = + - @) is written as text: a
    leading apostrophe in CSV, a string cell with the quote prefix in XLSX; numbers
    stay numbers."""
    rows = _csv_rows(CSVFormatter().format(_Dangerous()))
    assert rows[1] == ['\'=HYPERLINK("http://x")', "1265"]
    assert rows[2] == ["'+1", "0"]
    sheet = load_workbook(io.BytesIO(XLSXFormatter().format([_Dangerous()]))).active
    assert sheet["A1"].data_type == "s" and sheet["A1"].value == "=thử"
    assert sheet["A3"].data_type == "s" and sheet["A3"].quotePrefix
    assert sheet["B3"].value == 1265


def test_unknown_code_is_the_vietnamese_404_page(client, demo):
    """A code that names no area (or a code of the wrong length) answers the portal's
    404 page in Vietnamese, like any missing page."""
    for code in ("99999", "99", "1234", "abc", "06x"):
        response = client.get(reverse("reports:stats_page_area", args=[code]))
        assert response.status_code == 404
        assert "Không tìm thấy trang" in response.content.decode()
    # The code of another edition is another area: not found in this one.
    response = client.get(
        reverse("reports:stats_page_area", args=[DEMO_PROVINCES[0]]), {"edition": "2025"}
    )
    assert response.status_code == 404


def test_date_parameter(client, demo):
    """?date= takes the picker's YYYY-MM-DD or a typed dd/mm/yyyy and shows the day as
    dd/mm/yyyy; the figures are the API's for that day. A bad date says so and shows
    today's figures."""
    place = places()[1]
    url, params = page_url(place)
    api = client.get(api_url(place), {"edition": "legacy", "date": "2025-04-01"}).json()
    for value in ("2025-04-01", "01/04/2025"):
        html = client.get(url, {**params, "date": value}).content.decode()
        assert key_figures(html) == {f: api[f] for f in FIELDS}
        assert "Số liệu ngày 01/04/2025" in html
        assert 'value="01/04/2025"' in html
        assert "date=2025-04-01" in html  # kept in the drill-down and download links
    html = client.get(url, {**params, "date": "31/02/2026"}).content.decode()
    assert "Ngày không hợp lệ" in html
    assert "Số liệu ngày 20/05/2025" in html


def test_edition_switch_when_both_editions_are_loaded(client, demo):
    """With both editions loaded, the page offers both (2025 by default, as the API)
    and the legacy figures stay one click away."""
    from units.services import divisions_load

    divisions_load(edition=Edition.V2025, provinces=["01"])
    html = client.get(reverse("reports:stats_page")).content.decode()
    assert 'data-testid="edition-switch"' in html
    assert "Danh mục từ 01/07/2025" in html
    assert "/thong-ke/?edition=legacy" in html
    legacy = client.get(reverse("reports:stats_page"), {"edition": "legacy"}).content.decode()
    api = client.get(reverse("reports:stats_api"), {"edition": "legacy"}).json()
    assert key_figures(legacy) == {f: api[f] for f in FIELDS}
    # Without both editions there is nothing to switch.
    Area.objects.filter(edition=Edition.V2025, level=Level.COMMUNE).delete()
    Area.objects.filter(edition=Edition.V2025).delete()
    cache.clear()
    html = client.get(reverse("reports:stats_page")).content.decode()
    assert 'data-testid="edition-switch"' not in html


def test_no_personal_data_on_the_pages_or_in_the_files(client, rated):
    """No name, phone or birth year of a person on any page or in any file: only
    aggregates and public area names."""
    people = list(Person.objects.exclude(phone="")[:50])
    assert people
    for place in places()[:5]:
        url, params = page_url(place)
        answers = [client.get(url, params).content.decode("utf-8")]
        for report in PUBLIC_REPORTS:
            answers.append(
                client.get(url, {**params, "format": "csv", "table": report.slug}).content.decode(
                    "utf-8-sig"
                )
            )
        for text in answers:
            for person in people:
                assert person.phone not in text
                assert person.full_name not in text


def test_charts_are_svg_with_a_text_alternative(client, rated):
    """Coverage, members by kind, composition and ratings are drawn as inline SVG
    images with a title and a description that name the figures; no inline script and
    no inline style anywhere on the page."""
    url, params = page_url(places()[1])
    html = client.get(url, params).content.decode()
    for chart in ("chart-coverage", "chart-members", "chart-composition", "chart-ratings"):
        match = re.search(rf'<svg class="chart" id="{chart}"[^>]*role="img"[^>]*>', html)
        assert match, chart
        assert f'<title id="{chart}-title">' in html and f'<desc id="{chart}-desc">' in html
    desc = re.search(r'<desc id="chart-members-desc">(.*?)</desc>', html).group(1)
    assert "Khối dân vận" in desc and "lượt" in desc
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script
    assert "<caption>" in html and 'scope="col"' in html and 'scope="row"' in html


def test_query_count_is_bounded_through_the_views(client, rated):
    """Page, downloads and API: at most 10 queries with nothing cached, at the
    installation and three areas at every level, and 3 once cached."""
    for place in places():
        url, params = page_url(place)
        for target, query in (
            (url, params),
            (url, {**params, "format": "xlsx"}),
            (url, {"format": "csv", "table": "dia-ban"}),
            (api_url(place), {}),
            (api_url(place), {"edition": "legacy"}),
        ):
            cache.clear()
            with CaptureQueriesContext(connection) as cold:
                assert client.get(target, query).status_code == 200
            with CaptureQueriesContext(connection) as warm:
                client.get(target, query)
            assert len(cold) <= 10, (target, query, len(cold))
            assert len(warm) <= 3, (target, query, len(warm))


def test_warm_stats_fills_the_cache(client, demo):
    """After ``manage.py warm_stats`` the installation and every province answer from
    the cache (no figure computed on the request) with the exact figures."""
    from django.core.management import call_command

    from reports.stats import area_stats

    call_command("warm_stats", verbosity=0)
    for place in places()[:4]:
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(api_url(place), {"edition": "legacy"}).json()
        assert len(queries) <= 2, place.path
        assert answer == area_stats(place, TODAY)
