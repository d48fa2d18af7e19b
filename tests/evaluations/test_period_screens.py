"""The screens take the period: the overview and decision list of a quarter, the
sheet of a quarter's rating, and the dashboard's late units equal to the list behind."""

import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.models import CriteriaSet, Evaluation
from evaluations.services.criteria import (
    criteria_set_create,
    criteria_set_issue,
    criteria_set_schedule,
)
from evaluations.services.ratings import evaluation_self_assess, evaluation_start
from evaluations.sheets.upload import score_sheet_import
from tests.evaluations.conftest import FULL, GATES, GROUPS
from tests.evaluations.test_criteria_editor import page_fields
from tests.evaluations.test_sheets import _fill, _full_row
from tests.reports.test_pages import parse_tables, vn_int
from units.services import unit_create

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 7, 15)


@pytest.fixture
def quarter(area_tree, province_staff):
    criteria = criteria_set_create(
        acting_user=province_staff,
        province=area_tree["province"],
        year=2026,
        period="Q2",
        subject="bloc",
        title="Tiêu chí Khối dân vận quý 2/2026",
        groups=GROUPS,
        gates=GATES,
    )
    criteria_set_schedule(
        acting_user=province_staff,
        criteria_set=criteria,
        opens_on=datetime.date(2026, 7, 1),
        self_due=datetime.date(2026, 7, 10),
        proposal_due=datetime.date(2026, 7, 20),
    )
    return criteria_set_issue(acting_user=province_staff, criteria_set=criteria)


@pytest.fixture
def today(monkeypatch):
    """The pages' day (``timezone.localdate``) fixed: no test reads the wall clock."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: DAY)
    return DAY


def _count(html: str) -> int:
    return int(re.search(r'data-testid="result-count">(\d+)', html).group(1))


def test_the_overview_of_a_quarter_lists_its_ratings_not_the_years(
    client, area_tree, bloc, bloc_criteria, quarter, officer
):
    evaluation_start(acting_user=officer, unit=bloc, year=2026)
    rating = evaluation_start(acting_user=officer, unit=bloc, year=2026, period="Q2")
    evaluation_self_assess(
        acting_user=officer, evaluation=rating, scores=FULL, gates={"K1": False}, submit=True
    )
    client.force_login(officer)
    url = reverse("evaluations:overview")
    html = client.get(url, {"year": 2026, "period": "Q2"}).content.decode()
    assert "Đánh giá, xếp loại quý 2/2026" in html
    assert f"/can-bo/danh-gia/don-vi/{bloc.pk}/2026/?period=Q2" in html
    assert "Đảng ủy xã đề xuất" in html  # the quarter's rating waits for the proposal
    yearly = client.get(url, {"year": 2026}).content.decode()
    assert "Đánh giá, xếp loại năm 2026" in yearly and "?period=" not in yearly
    # One row per unit whatever the number of periods rated.
    assert _count(yearly) == _count(html) == 1


def test_the_sheet_of_a_quarter_starts_and_shows_its_round(
    client, area_tree, bloc, quarter, officer, today
):
    client.force_login(officer)
    sheet = reverse("evaluations:sheet", args=[bloc.pk, 2026])
    html = client.get(sheet, {"period": "Q2"}).content.decode()
    assert "Tự đánh giá quý 2/2026" in html and 'name="period" value="Q2"' in html
    response = client.post(reverse("evaluations:start", args=[bloc.pk, 2026]), {"period": "Q2"})
    assert response.url == f"{sheet}?period=Q2"
    assert Evaluation.objects.get().period == "Q2"
    html = client.get(response.url).content.decode()
    assert 'data-testid="round-dates"' in html and "10/07/2026" in html
    assert 'data-testid="late-notice"' in html  # 15/07: the self-assessment is late


def test_the_dashboards_late_units_equal_the_list_behind(
    client, area_tree, bloc, quarter, province_staff, today
):
    other = unit_create(kind="bloc", area=area_tree["sibling_commune"])
    on_time = evaluation_start(acting_user=province_staff, unit=bloc, year=2026, period="Q2")
    evaluation_self_assess(
        acting_user=province_staff,
        evaluation=on_time,
        scores=FULL,
        gates={"K1": False},
        submit=True,
    )
    evaluation_start(acting_user=province_staff, unit=other, year=2026, period="Q2")
    client.force_login(province_staff)
    response = client.get(reverse("reports:dashboard"), {"year": 2026, "period": "Q2"})
    parsed = parse_tables(response.content.decode())
    rows = parsed.tables["table-danh-gia"]
    (late_row,) = [r for r in rows if r[0] == "Quá hạn bước đang chờ"]
    (href,) = [h for h in parsed.links["table-danh-gia"][rows.index(late_row)] if h]
    assert "late=1" in href and "period=Q2" in href
    href = href.replace("&amp;", "&")
    listed = client.get(href).content.decode()
    # On 15/07 only the unit still at its self-assessment (due 10/07) is late.
    assert vn_int(late_row[1]) == _count(listed) == 1
    assert other.name in listed


def test_the_excel_score_sheet_of_a_quarter_writes_the_quarters_rating(
    client, area_tree, bloc, bloc_criteria, quarter, officer
):
    """Downloaded with ``period=Q2`` the sheet is the quarter's (its title and file
    name say so); imported with it, the quarter's rating is written, the year's
    untouched."""
    yearly = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    client.force_login(officer)
    response = client.get(
        reverse("evaluations:sheet_download"),
        {"area": area_tree["commune"].code, "year": 2026, "period": "q2", "subject": "bloc"},
    )
    assert response.status_code == 200
    assert "cham-diem-bloc-" in response["Content-Disposition"]
    assert "-2026-Q2.xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    titles = [workbook.active.cell(n, 1).value for n in range(1, 5)]
    assert "Kỳ đánh giá: quý 2/2026" in titles
    data = _fill(workbook, {bloc.name: _full_row()})
    result = score_sheet_import(
        data, filename="q2.xlsx", user=officer, year=2026, subject="bloc", period="Q2"
    )
    assert not result.errors and result.submitted == 1
    rating = Evaluation.objects.get(unit=bloc, period="Q2")
    assert (rating.criteria_set, rating.self_total) == (quarter, 100)
    yearly.refresh_from_db()
    assert yearly.stage == "self" and yearly.self_total is None
    # A period that is none is a message on the form, not a 500.
    response = client.get(
        reverse("evaluations:sheet_download"),
        {"year": 2026, "period": "Q9", "subject": "bloc"},
    )
    assert response.status_code == 400 and "Kỳ không hợp lệ" in response.content.decode()


def test_provincial_staff_create_a_quarterly_set_and_set_its_round(
    client, area_tree, bloc_criteria, province_staff
):
    """The editor's heading takes the period; the set's page sets its round, refusing
    dates out of order with the message; copying names the target period."""
    client.force_login(province_staff)
    url = reverse("evaluations:criteria_create")
    data = page_fields(client, url)
    prefix = next(k for k in data if k.endswith("title")).removesuffix("title")
    data.update(
        {
            f"{prefix}province": str(area_tree["province"].pk),
            f"{prefix}year": "2026",
            f"{prefix}period": "q3",
            f"{prefix}subject": "bloc",
            f"{prefix}title": "Tiêu chí Khối dân vận quý 3/2026",
            "groups-0-code": "1",
            "groups-0-title": "Kết quả",
            "items-0-group": "1",
            "items-0-code": "1.1",
            "items-0-text": "Họp định kỳ",
            "items-0-max_score": "100",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    created = CriteriaSet.objects.get(period="Q3")
    assert (created.year, created.period_label) == (2026, "quý 3/2026")
    round_url = reverse("evaluations:criteria_round", args=[created.pk])
    bad = {"round-self_due": "20/10/2026", "round-proposal_due": "10/10/2026"}
    page = client.post(round_url, bad, follow=True).content.decode()
    assert "phải theo thứ tự" in page
    created.refresh_from_db()
    assert created.self_due is None
    good = {"round-opens_on": "01/10/2026", "round-self_due": "10/10/2026"}
    page = client.post(round_url, good, follow=True).content.decode()
    created.refresh_from_db()
    assert created.self_due == datetime.date(2026, 10, 10)
    assert 'data-testid="round-dates"' in page and "quý 3/2026" in page
    # Copy to the fourth quarter.
    copy_url = reverse("evaluations:criteria_copy", args=[created.pk])
    assert client.post(copy_url, {"year": "2026", "period": "Q4"}).status_code == 302
    assert CriteriaSet.objects.get(period="Q4").title == "Tiêu chí Khối dân vận quý 4/2026"


def test_a_quarters_rating_pages_name_the_quarter_not_the_year(
    client, area_tree, bloc, quarter, officer, province_staff
):
    rating = evaluation_start(acting_user=officer, unit=bloc, year=2026, period="Q2")
    evaluation_self_assess(
        acting_user=officer, evaluation=rating, scores=FULL, gates={"K1": False}, submit=True
    )
    client.force_login(province_staff)
    headings = {
        "proposal": "Đề xuất xếp loại quý 2/2026",
        "decision": "Quyết định xếp loại quý 2/2026",
        "history": "Lịch sử đánh giá quý 2/2026",
        "return": "quý 2/2026",
    }
    for name, heading in headings.items():
        html = client.get(reverse(f"evaluations:{name}", args=[rating.pk])).content.decode()
        assert heading in html, name
        assert "năm 2026" not in re.sub(r"<nav.*?</nav>", "", html, flags=re.S), name
