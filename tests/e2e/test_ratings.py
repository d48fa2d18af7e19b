"""Ratings in a real Chromium: a commune officer fills a score sheet on a 375 px phone;
provincial staff approve proposals in bulk past the quota warning and return one with a
comment, which the officer then reads; district staff return one member's rating with a
comment on a phone, which the officer then reads on that member's page."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from playwright.sync_api import expect

from accounts.choices import StaffRole
from evaluations.choices import Stage
from evaluations.models import Evaluation, MemberRating
from evaluations.services.criteria import criteria_set_create, criteria_set_issue
from evaluations.services.member_ratings import member_rating_start, member_rating_step
from evaluations.services.ratings import (
    evaluation_propose,
    evaluation_self_assess,
    evaluation_start,
)
from members.services import membership_add
from tests.evaluations.conftest import FULL, GATES, GROUPS
from tests.factories import AreaFactory, make_staff
from units.choices import Level
from units.services import unit_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMENT = "Tiêu chí 2.1 chưa có biên bản họp dân, đề nghị bổ sung."
#: A comment with a long link, which must wrap rather than widen a phone's page.
MEMBER_COMMENT = (
    "Chưa có biên bản họp tổ bình xét, xem "
    "https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_BienBan/view"
)


def _no_sideways_scroll(page, width=375):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def _log_in(page, client, live_server, user):
    """The session cookie of a forced login (the login form has its own test, and
    django-axes counts attempts)."""
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.fixture
def province():
    """A province with three communes, each with its bloc, and the bloc criteria of
    2026 (quota: 20 % at level 1)."""
    province = AreaFactory(level=Level.PROVINCE, code="06", name="Tỉnh Bắc Kạn")
    district = AreaFactory(level=Level.DISTRICT, code="061", name="Huyện Pác Nặm", parent=province)
    communes = [
        AreaFactory(level=Level.COMMUNE, code=code, name=name, parent=district)
        for code, name in [
            ("01849", "Xã Bằng Thành"),
            ("01852", "Xã Nhạn Môn"),
            ("01855", "Xã Bộc Bố"),
        ]
    ]
    staff = make_staff(StaffRole.PROVINCE_STAFF, [province], username="tinh")
    groups = [
        {**g, "items": [{**i, "guidance": "Đủ hồ sơ: đủ điểm."} for i in g["items"]]}
        for g in GROUPS
    ]
    criteria = criteria_set_create(
        acting_user=staff,
        province=province,
        year=2026,
        subject="bloc",
        title="Tiêu chí đánh giá Khối dân vận năm 2026",
        groups=groups,
        gates=GATES,
        quota_percent=20,
    )
    criteria_set_issue(acting_user=staff, criteria_set=criteria)
    blocs = [unit_create(kind="bloc", area=c) for c in communes]
    return {"province": province, "communes": communes, "blocs": blocs, "staff": staff}


def test_officer_fills_a_score_sheet_on_a_phone(live_server, phone_page, client, province):
    """Start the sheet, type scores with a decimal comma (the total follows as they are
    typed), answer the gate, save a draft, submit: the page shows the total and level,
    read-only, and never scrolls sideways."""
    bloc = province["blocs"][0]
    officer = make_staff(StaffRole.COMMUNE_OFFICER, [province["communes"][0]], username="xa")
    page = phone_page
    _log_in(page, client, live_server, officer)

    page.goto(live_server.url + reverse("members:unit_detail", args=[bloc.pk]))
    page.get_by_role("link", name="Đánh giá, xếp loại").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tự đánh giá năm 2026")
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Bắt đầu tự đánh giá").click()
    expect(page.get_by_text("Đã mở phiếu tự đánh giá năm 2026")).to_be_visible()
    _no_sideways_scroll(page)

    page.get_by_text("Hướng dẫn chấm").first.click()
    expect(page.get_by_text("Đủ hồ sơ: đủ điểm.").first).to_be_visible()
    score_11 = page.get_by_label("Điểm tiêu chí 1.1")
    expect(score_11).to_have_attribute("inputmode", "decimal")
    score_11.fill("7,5")
    page.get_by_label("Điểm tiêu chí 1.2").fill("20")
    # The running total follows the typing (static/js/evaluations.js).
    expect(page.get_by_test_id("self-result")).to_contain_text("27,5/100")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_text("Đã lưu nháp.")).to_be_visible()
    expect(page.get_by_label("Điểm tiêu chí 1.1")).to_have_value("7,5")
    expect(page.get_by_test_id("self-result")).to_contain_text("27,5/100")

    page.get_by_label("Điểm tiêu chí 2.1").fill("40")
    page.get_by_label("Điểm tiêu chí 2.2").fill("30")
    page.get_by_role("group", name="K1. Để xảy ra điểm nóng").get_by_label("Không").check()
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Gửi", exact=True).click()

    expect(page.get_by_text("Đã gửi tự đánh giá")).to_be_visible()
    result = page.get_by_test_id("self-result")
    expect(result).to_contain_text("97,5/100 điểm")
    expect(result).to_contain_text("Mức 1 · Hoàn thành xuất sắc nhiệm vụ")
    expect(page.get_by_test_id("stage")).to_contain_text("Đảng ủy xã đề xuất")
    expect(page.get_by_role("button", name="Lưu nháp")).to_have_count(0)
    _no_sideways_scroll(page)

    evaluation = Evaluation.objects.get(unit=bloc, year=2026)
    assert (evaluation.stage, str(evaluation.self_total), evaluation.self_level) == (
        Stage.PROPOSAL,
        "97.50",
        1,
    )


def test_bulk_approval_with_quota_warning_and_a_return_with_comment(
    live_server, browser, client, province
):
    """Provincial staff tick two of three proposals (all at level 1, quota 20 %), see
    the quota warning, confirm; return the third to the commune with a comment; the
    commune officer finds the comment on the rating's pages."""
    staff = province["staff"]
    officer = make_staff(StaffRole.COMMUNE_OFFICER, province["communes"], username="xa")
    evaluations = []
    for bloc in province["blocs"]:
        evaluation = evaluation_start(acting_user=officer, unit=bloc, year=2026)
        evaluation_self_assess(
            acting_user=officer,
            evaluation=evaluation,
            scores=FULL,
            gates={"K1": False},
            submit=True,
        )
        evaluations.append(
            evaluation_propose(acting_user=officer, evaluation=evaluation, submit=True)
        )

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    _log_in(page, client, live_server, staff)
    page.goto(live_server.url + reverse("evaluations:decision_list") + "?year=2026")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quyết định xếp loại năm 2026")
    rows = page.get_by_test_id("rating-list").locator("tbody tr")
    expect(rows).to_have_count(3)
    page.get_by_label("Chọn Khối dân vận Xã Bằng Thành").check()
    page.get_by_label("Chọn Khối dân vận Xã Nhạn Môn").check()
    page.get_by_role("button", name="Phê duyệt các đơn vị đã chọn").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Xác nhận phê duyệt")
    expect(page.get_by_test_id("quota-warning")).to_contain_text(
        "Mức 1 vượt tỷ lệ 20%: 2/3 đơn vị được xếp mức 1 (tối đa 0)."
    )
    expect(page.get_by_test_id("bulk-chosen").locator("tbody tr")).to_have_count(2)
    assert not Evaluation.objects.filter(stage=Stage.DECIDED).exists()
    page.get_by_role("button", name="Xác nhận phê duyệt").click()
    expect(page.get_by_text("Đã phê duyệt 2 đơn vị.")).to_be_visible()
    assert Evaluation.objects.filter(stage=Stage.DECIDED, decided_level=1).count() == 2

    # Return the third one to the commune.
    page.get_by_role("link", name="Khối dân vận Xã Bộc Bố").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quyết định xếp loại năm 2026")
    page.get_by_role("button", name="Trả lại", exact=True).click()  # empty: refused
    expect(page.get_by_text("Khi trả lại phải ghi ý kiến.")).to_be_visible()
    page.get_by_label("Ý kiến khi trả lại").fill(COMMENT)
    page.get_by_role("button", name="Trả lại", exact=True).click()
    expect(page.get_by_text("Đã trả lại Khối dân vận Xã Bộc Bố kèm ý kiến.")).to_be_visible()
    context.close()

    returned = Evaluation.objects.get(pk=evaluations[2].pk)
    assert (returned.stage, returned.return_comment) == (Stage.PROPOSAL, COMMENT)

    # The officer, on a phone, sees the comment on the rating's pages.
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True, locale="vi-VN"
    )
    page = context.new_page()
    _log_in(page, client, live_server, officer)
    page.goto(live_server.url + reverse("evaluations:overview") + "?year=2026")
    row = page.get_by_test_id("rating-list").locator("tbody tr", has_text="Xã Bộc Bố")
    expect(row).to_contain_text("bị trả lại")
    row.get_by_role("link", name="Khối dân vận Xã Bộc Bố", exact=True).click()
    expect(page.get_by_test_id("return-comment")).to_contain_text(COMMENT)
    page.get_by_role("link", name="Nhập đề xuất của Đảng ủy xã").click()
    expect(page.get_by_test_id("return-comment")).to_contain_text(COMMENT)
    _no_sideways_scroll(page)
    context.close()


def test_district_staff_return_a_members_rating_with_a_comment_on_a_phone(
    live_server, browser, client, province
):
    """A member's rating waits for the district's decision. District staff open it from
    the roster's member ratings on a 375 px phone; "Trả lại" with an empty comment shows
    the Vietnamese error and changes nothing; with a comment it goes back to the commune's
    proposal, the page shows the comment and the change in its history. The commune
    officer then reads the comment on the member's page. No page scrolls sideways."""
    bloc = province["blocs"][0]
    officer = make_staff(StaffRole.COMMUNE_OFFICER, [province["communes"][0]], username="xa")
    district = province["communes"][0].parent
    district_staff = make_staff(StaffRole.DISTRICT_STAFF, [district], username="huyen")
    membership = membership_add(unit=bloc, full_name="Lò Văn Pọm", birth_year=1970)
    rating = member_rating_start(acting_user=officer, membership=membership, year=2026)
    rating = member_rating_step(acting_user=officer, rating=rating, level=2)  # self
    rating = member_rating_step(acting_user=officer, rating=rating, level=2)  # proposal
    assert rating.stage == Stage.DECISION
    changes_before = rating.history.count()
    roster_url = live_server.url + reverse("evaluations:member_ratings", args=[bloc.pk, 2026])
    phone = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}

    context = browser.new_context(**phone, locale="vi-VN")
    page = context.new_page()
    _log_in(page, client, live_server, district_staff)
    page.goto(roster_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Xếp loại thành viên năm 2026")
    _no_sideways_scroll(page)
    page.get_by_test_id("member-rating-link").filter(has_text="Lò Văn Pọm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xếp loại năm 2026: Lò Văn Pọm")
    expect(page.get_by_test_id("stage")).to_contain_text("Chờ cấp trên quyết định")
    steps = page.get_by_test_id("member-steps")
    expect(steps.locator("tbody tr")).to_have_count(3)
    expect(steps.locator("tbody tr").nth(1)).to_contain_text("Mức 2")
    _no_sideways_scroll(page)

    card = page.get_by_test_id("return")
    card.get_by_role("button", name="Trả lại", exact=True).click()  # empty: refused
    # The same page again, the error beside the field (issue 17).
    expect(page.get_by_role("heading", level=1)).to_have_text("Xếp loại năm 2026: Lò Văn Pọm")
    expect(
        page.get_by_test_id("return").get_by_text("Khi trả lại phải ghi ý kiến.")
    ).to_be_visible()
    _no_sideways_scroll(page)
    rating.refresh_from_db()
    assert (rating.stage, rating.return_comment) == (Stage.DECISION, "")
    assert rating.history.count() == changes_before

    card = page.get_by_test_id("return")
    card.get_by_label("Ý kiến khi trả lại").fill(MEMBER_COMMENT)
    card.get_by_role("button", name="Trả lại", exact=True).click()
    expect(page.get_by_text("Đã trả lại Lò Văn Pọm kèm ý kiến.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xếp loại năm 2026: Lò Văn Pọm")
    expect(page.get_by_test_id("return-comment")).to_contain_text(MEMBER_COMMENT)
    expect(page.get_by_test_id("stage")).to_contain_text("Đảng ủy xã đề xuất")
    changes = page.get_by_test_id("member-changes").locator("tbody tr")
    expect(changes.first).to_contain_text(MEMBER_COMMENT)
    _no_sideways_scroll(page)
    context.close()

    rating.refresh_from_db()
    assert (rating.stage, rating.return_comment) == (Stage.PROPOSAL, MEMBER_COMMENT)
    assert (rating.self_level, rating.proposed_level) == (2, 2)
    assert rating.history.count() == changes_before + 1
    assert MemberRating.objects.count() == 1

    # The commune officer, on a phone, finds the comment on the member's page.
    context = browser.new_context(**phone, locale="vi-VN")
    page = context.new_page()
    _log_in(page, client, live_server, officer)
    page.goto(roster_url)
    page.get_by_test_id("member-rating-link").filter(has_text="Lò Văn Pọm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xếp loại năm 2026: Lò Văn Pọm")
    expect(page.get_by_test_id("return-comment")).to_contain_text(MEMBER_COMMENT)
    expect(page.get_by_test_id("return")).to_be_visible()  # the commune's own step now
    _no_sideways_scroll(page)
    context.close()
