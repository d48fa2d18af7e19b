"""The periodic reports in a real Chromium at 375 px: provincial staff choose the year
2025, see which communes have submitted, open the province's report, write its
sections, save, read the figures counted from the records the test created (in the
1.265 format) and download the Word document; a commune officer sees only their own
commune's report, and the province's or another commune's is a 404. No horizontal
scroll, no serious axe violation. Every record is dated in 2025 (fixed days), so
nothing depends on the day the test runs."""

import datetime

import pytest
from django.urls import reverse
from docx import Document
from playwright.sync_api import expect

from accounts.choices import StaffRole
from reports.periodic.models import PeriodicReport
from tests.e2e.test_accessibility import (  # axe_source: a fixture
    _check_current,
    axe_source,  # noqa: F401
)
from tests.e2e.test_ratings import _log_in, _no_sideways_scroll
from tests.factories import AreaFactory, make_staff
from tests.work.conftest import province_2025  # noqa: F401  (fixture)
from units.choices import Level
from units.services import team_create_for_village, unit_create
from work import services_opinions as steps
from work.services import activity_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = datetime.date
YEAR = "2025"
SECTIONS = {
    "I. Tình hình nhân dân": "Nhân dân phấn khởi, tin tưởng vào chủ trương sáp nhập.",
    "II. Kết quả công tác dân vận (nhận xét thêm)": "Hai xã làm tốt việc tiếp nhận ý kiến.",
    "III. Hạn chế, nguyên nhân": "Một số ý kiến trả lời còn chậm.",
    "IV. Phương hướng, đề xuất, kiến nghị": "Đề nghị tập huấn kỹ năng dân vận cho tổ trưởng.",
}


@pytest.fixture
def records(province_2025):  # noqa: F811
    """Two communes of a 2025 province. Phường Bắc Kạn: 2 activities reaching 1.200 and
    65 people (1.265) and one opinion answered; Xã Nghiên Loan: 1 activity reaching 300.
    The province: 3 activities, 1.565 people."""
    province, commune, bloc = (province_2025[k] for k in ("province", "commune", "bloc"))
    other = AreaFactory(
        level=Level.COMMUNE,
        code="01849",
        name="Xã Nghiên Loan",
        parent=province,
        valid_from=D(2025, 7, 1),
    )
    other_bloc = unit_create(kind="bloc", area=other)
    team = team_create_for_village(commune=commune, village_name="Tổ 3")
    for unit, day, reached in (
        (bloc, D(2025, 8, 5), 1200),
        (team, D(2025, 11, 9), 65),
        (other_bloc, D(2025, 9, 1), 300),
    ):
        activity_create(
            unit=unit, kind="propaganda", date=day, participants=6, people_reached=reached
        )
    opinion = steps.opinion_receive(
        unit=bloc, received_on=D(2025, 10, 2), channel="phone", topic="land", summary="Đất"
    )
    steps.opinion_answer(
        opinion=opinion, answer="Đã đo lại", answered_by="UBND xã", answered_on=D(2025, 10, 10)
    )
    return {"province": province, "commune": commune, "other": other}


def _fact(page, label):
    """The value of the figure ``label`` on a report's page."""
    figures = page.get_by_test_id("periodic-figures")
    return (
        figures.locator("dl.facts > div")
        .filter(has=page.locator("dt", has_text=label))
        .locator("dd")
    )


def test_provincial_staff_write_the_yearly_report_and_download_it(
    live_server,
    phone_page,
    client,
    records,
    axe_source,  # noqa: F811 - the accessibility tests' fixture, imported above
):
    page = phone_page
    staff = make_staff(StaffRole.PROVINCE_STAFF, [records["province"]], username="tinh")
    _log_in(page, client, live_server, staff)

    # The list: the year 2025, the province's communes, none submitted.
    page.goto(live_server.url + reverse("reports:periodic_list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo định kỳ")
    page.get_by_label("Kỳ báo cáo").fill(YEAR)
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_text("Kỳ: năm 2025")).to_be_visible()
    card = page.get_by_test_id("periodic-19")
    expect(card).to_contain_text("0/2 xã, phường đã gửi báo cáo.")
    rows = card.get_by_test_id("submissions").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Phường Bắc Kạn")
    expect(rows.nth(0).locator("td").nth(2)).to_have_text("2")
    expect(rows.nth(0).locator("td").nth(3)).to_have_text("1")
    expect(rows.nth(1)).to_contain_text("Xã Nghiên Loan")
    expect(rows.nth(1).locator("td").nth(2)).to_have_text("1")
    _no_sideways_scroll(page)
    _check_current(page, axe_source, "375 px, báo cáo định kỳ:")

    # The province's report: the figures of the whole province.
    card.get_by_role("link", name="Lập báo cáo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo năm 2025 · Tỉnh Thái Nguyên")
    expect(_fact(page, "Hoạt động")).to_have_text("3")
    expect(_fact(page, "Lượt người dân được tiếp cận")).to_have_text("1.565")
    expect(_fact(page, "Ý kiến tiếp nhận")).to_have_text("1")
    expect(_fact(page, "Đã trả lời")).to_have_text("1")
    # A province saves; submitting to the province is a commune's button.
    expect(page.get_by_role("button", name="Lưu và gửi lên tỉnh")).to_have_count(0)
    for label, text in SECTIONS.items():
        page.get_by_label(label).fill(text)
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu báo cáo.")
    for label, text in SECTIONS.items():
        expect(page.get_by_label(label)).to_have_value(text)
    expect(_fact(page, "Lượt người dân được tiếp cận")).to_have_text("1.565")
    _no_sideways_scroll(page)
    _check_current(page, axe_source, "375 px, báo cáo năm 2025:")
    report = PeriodicReport.objects.get()
    assert (report.area, report.period, report.submitted_at) == (records["province"], YEAR, None)
    assert report.proposals == SECTIONS["IV. Phương hướng, đề xuất, kiến nghị"]

    # The Word document: the written sections and the figures.
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải báo cáo (Word)").click()
    download = info.value
    assert download.suggested_filename == "bao-cao-19-2025.docx"
    document = Document(download.path())
    texts = [p.text for p in document.paragraphs]
    for text in SECTIONS.values():
        assert text in texts
    activity_total = [
        [cell.text for cell in row.cells]
        for table in document.tables
        for row in table.rows
        if row.cells[0].text == "Tổng cộng" and len(row.cells) == 5
    ]
    assert activity_total == [["Tổng cộng", "3", "18", "1.565", "0"]]


def test_a_commune_officer_sees_only_their_commune(live_server, phone_page, client, records):
    page = phone_page
    officer = make_staff(StaffRole.COMMUNE_OFFICER, [records["commune"]], username="xa")
    _log_in(page, client, live_server, officer)

    page.goto(live_server.url + reverse("reports:periodic_list") + f"?period={YEAR}")
    cards = page.locator("section.card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_have_attribute("data-testid", "periodic-01843")
    expect(cards.first.get_by_role("heading", level=2)).to_have_text("Phường Bắc Kạn")
    expect(page.get_by_test_id("submissions")).to_have_count(0)
    _no_sideways_scroll(page)

    cards.first.get_by_role("link", name="Lập báo cáo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo năm 2025 · Phường Bắc Kạn")
    expect(_fact(page, "Hoạt động")).to_have_text("2")
    expect(_fact(page, "Lượt người dân được tiếp cận")).to_have_text("1.265")
    expect(page.get_by_role("button", name="Lưu và gửi lên tỉnh")).to_be_visible()
    _no_sideways_scroll(page)

    for code in ("19", "01849"):
        response = page.goto(live_server.url + reverse("reports:periodic_edit", args=[code, YEAR]))
        assert response.status == 404, code
        response = page.goto(
            live_server.url + reverse("reports:periodic_download", args=[code, YEAR, "docx"])
        )
        assert response.status == 404, code
