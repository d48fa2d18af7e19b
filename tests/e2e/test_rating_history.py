"""Issue 17 in a real Chromium at 375 px: evidence kept across an error, a rating's
history step by step, the lists showing the step a rating stands at with the return
comment, the decider choosing where a return goes with errors beside the field, the
decisions list opening on what waits (issue 15, item 8), issuing criteria after a
confirmation, a wide gate question box. axe-core on every page touched: no serious or
critical violation."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.choices import StaffRole
from evaluations.choices import Stage
from evaluations.models import CriteriaSet, Evaluation, EvidenceFile
from evaluations.services.criteria import criteria_set_create
from evaluations.services.ratings import (
    evaluation_propose,
    evaluation_self_assess,
    evaluation_start,
)
from tests.e2e import test_accessibility, test_ratings
from tests.e2e.test_accessibility import _check_current
from tests.e2e.test_ratings import _log_in, _no_sideways_scroll
from tests.evaluations.conftest import FULL, GATES, GROUPS
from tests.factories import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The fixtures of those modules, reused here.
province = test_ratings.province
axe_source = test_accessibility.axe_source

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
COMMENT = (
    "Tiêu chí 2.1 chưa có biên bản họp dân của thôn Nà Cà; đề nghị đơn vị bổ sung minh "
    "chứng rồi gửi lại, Đảng ủy xã đề xuất lại sau khi đã kiểm tra đủ."
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_evidence_survives_an_error_and_the_history_says_what_changed(
    live_server, phone_page, client, province, axe_source, tmp_path
):
    """A score out of range and a PDF: the page keeps the file (stored with the draft,
    and says so); the history lists the file and, after a correct save, each score with
    the officer's name in written order."""
    bloc = province["blocs"][0]
    officer = make_staff(
        StaffRole.COMMUNE_OFFICER,
        [province["communes"][0]],
        username="xa",
        first_name="Tỉnh",
        last_name="Nguyễn Văn",
    )
    evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    page = phone_page
    _log_in(page, client, live_server, officer)
    page.goto(live_server.url + reverse("evaluations:sheet", args=[bloc.pk, 2026]))
    page.get_by_label("Điểm tiêu chí 1.1").fill("12")
    pdf = tmp_path / "bien-ban-hop-dan.pdf"
    pdf.write_bytes(PDF)
    page.get_by_label("Thêm minh chứng cho tiêu chí 1.1").set_input_files(str(pdf))
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_text("Điểm tiêu chí 1.1 phải từ 0 đến 10.").first).to_be_visible()
    expect(
        page.get_by_text("Đã lưu tệp minh chứng bien-ban-hop-dan.pdf cùng bản nháp")
    ).to_be_visible()
    expect(page.get_by_role("link", name="bien-ban-hop-dan.pdf")).to_be_visible()
    assert EvidenceFile.objects.filter(evaluation=evaluation).count() == 1
    _no_sideways_scroll(page)
    _check_current(page, axe_source, "375 px, sheet after an error:")

    page.get_by_label("Điểm tiêu chí 1.1").fill("7,5")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_text("Đã lưu nháp.")).to_be_visible()
    page.get_by_test_id("rating-links").get_by_role("link", name="Lịch sử").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lịch sử đánh giá năm 2026")
    steps = page.get_by_test_id("history-step")
    expect(steps).to_have_count(3)  # opened, the file, the scores
    newest = steps.nth(0)
    expect(newest).to_contain_text("Lưu nháp tự đánh giá")
    expect(newest).to_contain_text("Nguyễn Văn Tỉnh, qua Trang cán bộ")
    expect(newest).to_contain_text("1.1. Có quyết định thành lập, quy chế hoạt động: — → 7,5")
    expect(steps.nth(1)).to_contain_text("Minh chứng thêm")
    expect(steps.nth(1)).to_contain_text("1.1: bien-ban-hop-dan.pdf")
    _no_sideways_scroll(page)
    _check_current(page, axe_source, "375 px, rating history:")


def test_a_decider_returns_to_the_unit_and_the_list_shows_why(
    live_server, browser, client, province, axe_source
):
    """On a phone, the decision page: an empty comment comes back on the same page with
    the error beside the field; the decider sends the rating straight back to the unit.
    The officer's list shows the step (the unit's sheet, sent before), the comment's
    beginning and a link to it. The decisions list opens on what waits."""
    staff = province["staff"]
    officer = make_staff(StaffRole.COMMUNE_OFFICER, province["communes"], username="xa")
    waiting = []
    for bloc in province["blocs"][:2]:
        evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
        evaluation_self_assess(
            acting_user=officer,
            evaluation=evaluation,
            scores=FULL,
            gates={"K1": False},
            submit=True,
        )
        waiting.append(evaluation_propose(acting_user=officer, evaluation=evaluation, submit=True))
    evaluation_start(acting_user=officer, unit=province["blocs"][2], year=2026)

    phone = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
    context = browser.new_context(**phone, locale="vi-VN")
    page = context.new_page()
    _log_in(page, client, live_server, staff)
    page.goto(live_server.url + reverse("evaluations:decision_list") + "?year=2026")
    rows = page.get_by_test_id("rating-list").locator("tbody tr")
    expect(rows).to_have_count(2)  # only what waits for a decision
    expect(rows.first).to_contain_text("Đề xuất đã gửi: 100 · mức 1")
    _no_sideways_scroll(page)
    _check_current(page, axe_source, "375 px, decisions list:")
    page.get_by_test_id("all-stages").click()
    expect(rows).to_have_count(3)

    page.goto(live_server.url + reverse("evaluations:decision", args=[waiting[0].pk]))
    card = page.get_by_test_id("return")
    card.get_by_role("button", name="Trả lại", exact=True).click()  # empty: refused
    expect(page.get_by_role("heading", level=1)).to_have_text("Quyết định xếp loại năm 2026")
    expect(
        page.get_by_test_id("return").get_by_text("Khi trả lại phải ghi ý kiến.")
    ).to_be_visible()
    _no_sideways_scroll(page)
    _check_current(page, axe_source, "375 px, decision page with an error:")
    card = page.get_by_test_id("return")
    card.get_by_label("Ý kiến khi trả lại").fill(COMMENT)
    card.get_by_label("Đơn vị tự đánh giá").check()
    card.get_by_role("button", name="Trả lại", exact=True).click()
    expect(page.get_by_text("Đã trả lại Khối dân vận Xã Bằng Thành kèm ý kiến.")).to_be_visible()
    context.close()
    returned = Evaluation.objects.get(pk=waiting[0].pk)
    assert (returned.stage, returned.return_comment) == (Stage.SELF, COMMENT)

    context = browser.new_context(**phone, locale="vi-VN")
    page = context.new_page()
    _log_in(page, client, live_server, officer)
    page.goto(live_server.url + reverse("evaluations:overview") + "?year=2026")
    row = page.get_by_test_id("rating-list").locator("tbody tr", has_text="Xã Bằng Thành")
    expect(row).to_contain_text("bị trả lại")
    expect(row.get_by_test_id("return-note")).to_contain_text("Tiêu chí 2.1 chưa có biên bản")
    expect(row.get_by_test_id("step-result")).to_contain_text("Bản nháp tự đánh giá: 100")
    _no_sideways_scroll(page)
    _check_current(page, axe_source, "375 px, overview:")
    row.get_by_role("link", name="Xem ý kiến").click()
    expect(page.get_by_test_id("return-comment")).to_contain_text(COMMENT)
    _check_current(page, axe_source, "375 px, returned sheet:")
    page.goto(live_server.url + reverse("evaluations:proposal", args=[waiting[1].pk]))
    expect(page.get_by_test_id("rating-links").get_by_role("link", name="Lịch sử")).to_be_visible()
    _no_sideways_scroll(page)
    _check_current(page, axe_source, "375 px, proposal page:")
    context.close()


def test_issuing_criteria_asks_first_and_the_gate_box_is_wide(
    live_server, browser, client, province, axe_source
):
    staff = province["staff"]
    draft = criteria_set_create(
        acting_user=staff,
        province=province["province"],
        year=2026,
        subject="team",
        title="Tiêu chí Tổ dân vận năm 2026",
        groups=GROUPS,
        gates=GATES,
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    _log_in(page, client, live_server, staff)
    page.goto(live_server.url + reverse("evaluations:criteria_update", args=[draft.pk]))
    question = page.locator('textarea[name="gates-0-question"]')
    expect(question).to_have_value("Để xảy ra điểm nóng")
    assert question.bounding_box()["width"] >= 400
    _check_current(page, axe_source, "1280 px, criteria editor:")
    context.close()

    context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True, locale="vi-VN"
    )
    page = context.new_page()
    _log_in(page, client, live_server, staff)
    page.goto(live_server.url + reverse("evaluations:criteria_update", args=[draft.pk]))
    question = page.locator('textarea[name="gates-0-question"]')
    assert question.bounding_box()["width"] >= 280
    page.goto(live_server.url + reverse("evaluations:criteria_detail", args=[draft.pk]))
    page.get_by_role("link", name="Ban hành…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ban hành bộ tiêu chí?")
    _no_sideways_scroll(page)
    _check_current(page, axe_source, "375 px, issue confirmation:")
    assert not CriteriaSet.objects.get(pk=draft.pk).issued
    page.get_by_role("button", name="Xác nhận ban hành").click()
    expect(page.get_by_text("Đã ban hành bộ tiêu chí")).to_be_visible()
    assert CriteriaSet.objects.get(pk=draft.pk).issued
    context.close()
