"""A quarter's rating through a province's own approval chain, in a real Chromium on
a 375 px phone (issue 14): provincial staff set the chain where the commune Party
committee decides teams; a team self-assesses a quarterly set whose first item is
computed from its activities and whose second, computed from its answered opinions,
it overrides with a reason; the commune approver sees the reason and decides; the
officer finds the notification in the portal, and the day's digest e-mail reached the
(real, in-process) SMTP server. Every date is fixed (the second quarter of 2026)."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from accounts.choices import StaffRole
from evaluations.chain_models import ApprovalChain
from evaluations.choices import Measure, Stage
from evaluations.models import Evaluation, EvaluationScore
from evaluations.services.criteria import criteria_set_create, criteria_set_issue
from tests.e2e.test_ratings import _log_in, _no_sideways_scroll
from tests.factories import AreaFactory, make_staff
from tests.notifications.conftest import smtp  # noqa: F401 (the fixture)
from units.choices import Edition, Level
from units.services import team_create_for_village
from work.choices import ActivityKind, OpinionStatus
from work.models import Activity, Opinion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = datetime.date
IN_QUARTER = (D(2026, 4, 12), D(2026, 5, 10), D(2026, 6, 20))
REASON = "Một ý kiến được trả lời ngay tại buổi họp tổ, chưa kịp nhập sổ theo dõi"
GROUPS = [
    {
        "code": "1",
        "title": "Kết quả công tác dân vận trong quý",
        "items": [
            {
                "code": "1.1",
                "text": "Số buổi tuyên truyền, vận động",
                "max_score": 40,
                "measure": Measure.ACTIVITIES,
                "activity_kind": ActivityKind.PROPAGANDA,
                "thresholds": "3: 40; 2: 20",
            },
            {
                "code": "1.2",
                "text": "Ý kiến của nhân dân được trả lời trong hạn",
                "max_score": 30,
                "measure": Measure.OPINIONS_ON_TIME,
                "thresholds": "2: 30; 1: 15",
            },
            {"code": "1.3", "text": "Phối hợp với các đoàn thể ở thôn", "max_score": 30},
        ],
    }
]
GATES = [{"code": "K1", "question": "Để xảy ra điểm nóng", "cap_level": 3, "automatic": "hot_spot"}]


@pytest.fixture
def commune_2025():
    """A 2025 province, one of its communes with a team, the commune's officer and
    Party committee approver, the province's staff, and the team's record of the
    quarter: three propaganda sessions and one opinion answered in time."""
    province = AreaFactory(
        level=Level.PROVINCE,
        edition=Edition.V2025,
        code="19",
        name="Tỉnh Thái Nguyên",
        valid_from=D(2025, 7, 1),
    )
    commune = AreaFactory(
        level=Level.COMMUNE,
        edition=Edition.V2025,
        code="01843",
        name="Phường Bắc Kạn",
        parent=province,
        valid_from=D(2025, 7, 1),
    )
    staff = make_staff(StaffRole.PROVINCE_STAFF, [province], username="tinh")
    officer = make_staff(
        StaffRole.COMMUNE_OFFICER,
        [commune],
        username="xa",
        first_name="An",
        last_name="Nguyễn Văn",
        email="an.nguyen@example.vn",
    )
    approver = make_staff(StaffRole.COMMUNE_APPROVER, [commune], username="capuy")
    team = team_create_for_village(commune=commune, village_name="Tổ dân phố 7")
    Activity.objects.bulk_create(
        Activity(unit=team, area_path=team.area_path, kind=ActivityKind.PROPAGANDA, date=day,
                 participants=6, people_reached=40)
        for day in IN_QUARTER
    )  # fmt: skip
    Opinion.objects.create(
        unit=team,
        received_on=D(2026, 5, 2),
        channel="phone",
        topic="land",
        summary="Kiến nghị sửa đường ngõ 3",
        status=OpinionStatus.ANSWERED,
        answered_on=D(2026, 5, 9),
        due_on=D(2026, 5, 17),
    )
    criteria = criteria_set_create(
        acting_user=staff,
        province=province,
        year=2026,
        period="Q2",
        subject="team",
        title="Tiêu chí đánh giá Tổ dân vận quý 2/2026",
        groups=GROUPS,
        gates=GATES,
    )
    criteria_set_issue(acting_user=staff, criteria_set=criteria)
    return {"province": province, "team": team, "staff": staff, "officer": officer,
            "approver": approver}  # fmt: skip


def test_a_quarter_through_the_provinces_chain(
    phone_page,
    live_server,
    client,
    smtp,  # noqa: F811 (the fixture imported above)
    commune_2025,
):
    page = phone_page
    team = commune_2025["team"]

    # 1. Provincial staff: teams are self-assessed by the commune and decided by the
    #    commune Party committee, with no proposal step.
    _log_in(page, client, live_server, commune_2025["staff"])
    page.goto(live_server.url + reverse("evaluations:chain_list"))
    form = page.get_by_test_id("chain-form-team")
    form.get_by_label("Tỉnh tự đặt các bước dưới đây").check()
    form.get_by_label("Tự đánh giá do").select_option(StaffRole.COMMUNE_OFFICER)
    form.get_by_label("Đề xuất do").select_option("")
    form.get_by_label("Quyết định do").select_option(StaffRole.COMMUNE_APPROVER)
    _no_sideways_scroll(page)
    form.get_by_role("button").click()
    expect(page.locator(".messages, [role=status]").first).to_be_visible()
    chain = ApprovalChain.objects.get(province=commune_2025["province"], kind="team")
    assert (chain.self_role, chain.proposal_role, chain.decision_role) == (
        StaffRole.COMMUNE_OFFICER,
        "",
        StaffRole.COMMUNE_APPROVER,
    )

    # 2. The commune officer: the quarter's sheet, item 1.1 from the record (3
    #    sessions: 40 points), item 1.2 overridden with a reason (1 answer: 15 → 30).
    page.context.clear_cookies()
    _log_in(page, client, live_server, commune_2025["officer"])
    page.goto(live_server.url + reverse("evaluations:sheet", args=[team.pk, 2026]) + "?period=Q2")
    page.get_by_role("button", name="Bắt đầu tự đánh giá").click()
    expect(page.get_by_label("Điểm tiêu chí 1.1")).to_have_value("40")
    expect(page.get_by_test_id("record-count").first).to_have_text("3")
    expect(page.get_by_label("Điểm tiêu chí 1.2")).to_have_value("15")
    page.get_by_label("Điểm tiêu chí 1.2").fill("30")
    page.get_by_label("Điểm tiêu chí 1.3").fill("25")
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Gửi", exact=True).click()
    # Without a reason the override is refused beside the field; nothing is kept.
    expect(page.get_by_text("hãy ghi lý do").first).to_be_visible()
    assert not EvaluationScore.objects.exists()
    page.get_by_label("Lý do chấm khác điểm tính từ sổ (tiêu chí 1.2)").fill(REASON)
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(page.get_by_text("Đã gửi tự đánh giá")).to_be_visible()
    _no_sideways_scroll(page)
    rating = Evaluation.objects.get(unit=team, year=2026, period="Q2")
    assert (rating.stage, str(rating.self_total)) == (Stage.DECISION, "95.00")

    # 3. The commune approver: the decision list opens on what waits for them; the
    #    decision page shows the reason; approving as self-assessed.
    page.context.clear_cookies()
    _log_in(page, client, live_server, commune_2025["approver"])
    page.goto(live_server.url + reverse("evaluations:decision_list") + "?year=2026&period=Q2")
    rows = page.get_by_test_id("rating-list").locator("tbody tr")
    expect(rows).to_have_count(1)
    _no_sideways_scroll(page)
    page.goto(live_server.url + reverse("evaluations:decision", args=[rating.pk]))
    expect(page.get_by_test_id("override-reason").first).to_contain_text(REASON)
    expect(page.get_by_role("heading", name="Phê duyệt theo tự đánh giá")).to_be_visible()
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Phê duyệt", exact=True).click()
    rating.refresh_from_db()
    assert (rating.stage, rating.decided_by) == (Stage.DECIDED, commune_2025["approver"])

    # 4. The day's digest reaches the officer by e-mail (a fixed day: the label of the
    #    digest, not the clock), then the officer reads the notification in the portal.
    call_command("send_notifications", "--day", "2026-07-20")  # nothing else is due then
    (message,) = [m for m in smtp.messages if m["To"] == "an.nguyen@example.vn"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert body.startswith("Kính gửi Nguyễn Văn An,")
    assert "Tổ dân phố 7" in body
    page.context.clear_cookies()
    _log_in(page, client, live_server, commune_2025["officer"])
    page.goto(live_server.url + reverse("notifications:list"))
    item = page.get_by_test_id("notification-list").get_by_role("link")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Đánh giá đã được quyết định")
    _no_sideways_scroll(page)
    item.click()
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
