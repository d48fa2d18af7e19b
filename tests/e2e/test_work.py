"""The daily work in a real Chromium at 375 px: a team member (a commune officer's
account) records an activity with a photo and a citizen's opinion; the commune officer
forwards it, records the answer and closes it; provincial staff find an overdue opinion
and a hot spot through the queues. Dates come from the day the test runs."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from accounts.choices import StaffRole
from tests.e2e.test_accessibility import (  # axe_source: a fixture
    _check_current,
    _check_on_phone,
    axe_source,  # noqa: F401
)
from tests.e2e.test_ratings import _log_in, _no_sideways_scroll
from tests.factories import AreaFactory, make_staff
from units.choices import Level
from units.services import team_create_for_village, unit_create
from work.models import Activity, Opinion
from work.services_opinions import hot_spot_flag, opinion_receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


@pytest.fixture
def commune(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    province = AreaFactory(level=Level.PROVINCE, code="06", name="Tỉnh Bắc Kạn")
    district = AreaFactory(level=Level.DISTRICT, code="061", name="Huyện Pác Nặm", parent=province)
    commune = AreaFactory(level=Level.COMMUNE, code="01849", name="Xã Bằng Thành", parent=district)
    unit_create(kind="bloc", area=commune)
    team = team_create_for_village(commune=commune, village_name="Thôn Nà Pục")
    return {"province": province, "commune": commune, "team": team}


def _photo(tmp_path) -> str:
    path = tmp_path / "hop-dan.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (40, 120, 60)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_a_team_member_records_work_and_the_officer_follows_the_opinion(
    live_server, phone_page, client, commune, tmp_path
):
    page = phone_page
    officer = make_staff(StaffRole.COMMUNE_OFFICER, [commune["commune"]], username="canbo")
    _log_in(page, client, live_server, officer)
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    team = commune["team"]

    # An activity with a photo.
    page.goto(f"{live_server.url}/can-bo/hoat-dong/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hoạt động, ý kiến nhân dân")
    _no_sideways_scroll(page)
    page.get_by_role("link", name=f"Ghi hoạt động của {team.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ghi hoạt động")
    expect(page.get_by_role("textbox", name="Ngày", exact=True)).to_have_value(_day(today))
    page.get_by_label("Loại hoạt động").select_option(label="Buổi tuyên truyền")
    page.get_by_role("textbox", name="Ngày", exact=True).fill(_day(yesterday))
    page.get_by_label("Số người tham gia").fill("8")
    page.get_by_label("Số người dân tiếp cận").fill("65")
    page.get_by_label("Nội dung").fill("Tuyên truyền phòng cháy rừng mùa khô")
    page.get_by_label("Ảnh").set_input_files(_photo(tmp_path))
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Ghi hoạt động").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Buổi tuyên truyền")
    expect(page.get_by_test_id("activity-facts")).to_contain_text(_day(yesterday))
    expect(page.get_by_test_id("activity-photos").locator("img")).to_have_count(1)
    _no_sideways_scroll(page)
    activity = Activity.objects.get()
    assert (activity.unit, activity.people_reached, activity.photos.count()) == (team, 65, 1)

    # A citizen's opinion.
    page.goto(f"{live_server.url}/can-bo/hoat-dong/")
    page.get_by_role("link", name=f"Ghi ý kiến cho {team.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ghi ý kiến, kiến nghị")
    page.get_by_label("Ngày tiếp nhận").fill(_day(yesterday))
    page.get_by_label("Hình thức").select_option(label="Zalo")
    page.get_by_label("Lĩnh vực").select_option(label="Môi trường")
    page.get_by_label("Nội dung ý kiến").fill("Bãi rác đầu thôn bốc mùi, đề nghị thu gom.")
    page.get_by_label("Họ tên người dân").fill("Hoàng Văn Dân")
    page.get_by_label("Số điện thoại người dân").fill("0912 345 678")
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Ghi ý kiến").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ý kiến về Môi trường")
    expect(page.get_by_test_id("citizen")).to_contain_text("0912345678")
    _no_sideways_scroll(page)

    # The officer forwards it, records the answer, closes it.
    page.get_by_role("link", name="Chuyển ý kiến").click()
    page.get_by_label("Chuyển đến").fill("UBND xã Bằng Thành")
    page.get_by_role("button", name="Chuyển").click()
    expect(page.get_by_test_id("opinion-steps")).to_contain_text(
        f"Chuyển đến UBND xã Bằng Thành ngày {_day(today)}"
    )
    page.get_by_role("link", name="Ghi trả lời").click()
    page.get_by_label("Nội dung trả lời").fill("Xã đã bố trí xe thu gom hai lần mỗi tuần.")
    page.get_by_label("Người, cơ quan trả lời").fill("Chủ tịch UBND xã")
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Ghi trả lời").click()
    expect(page.get_by_test_id("opinion-status")).to_contain_text("Đã có trả lời")
    page.get_by_role("link", name="Kết thúc ý kiến").click()
    page.get_by_role("button", name="Kết thúc").click()
    expect(page.get_by_test_id("opinion-status")).to_contain_text("Đã kết thúc")
    expect(page.get_by_test_id("opinion-steps")).to_contain_text(f"Kết thúc ngày {_day(today)}")
    _no_sideways_scroll(page)
    opinion = Opinion.objects.get()
    assert (opinion.status, opinion.answered_on, opinion.closed_on) == ("closed", today, today)
    assert [r.history_user for r in opinion.history.all()] == [officer] * 4


def test_provincial_staff_find_an_overdue_opinion_and_a_hot_spot(
    live_server, phone_page, client, commune
):
    page = phone_page
    today = timezone.localdate()
    team = commune["team"]
    late = opinion_receive(
        unit=team,
        received_on=today - datetime.timedelta(days=30),
        channel="phone",
        topic="land",
        summary="Tranh chấp ranh giới đất chưa được giải quyết",
    )
    hot = opinion_receive(
        unit=team,
        received_on=today - datetime.timedelta(days=2),
        channel="meeting",
        topic="security",
        summary="Hai dòng họ xô xát vì lối đi chung",
    )
    hot_spot_flag(opinion=hot, severity="high", since=today)
    staff = make_staff(StaffRole.PROVINCE_STAFF, [commune["province"]], username="tinh")
    _log_in(page, client, live_server, staff)

    page.goto(f"{live_server.url}/can-bo/hoat-dong/")
    panel = page.get_by_test_id("work-panel")
    expect(panel.get_by_test_id("queue-qua-han")).to_contain_text("1 Quá hạn trả lời")
    expect(panel.get_by_test_id("queue-diem-nong")).to_contain_text("1 Điểm nóng đang theo dõi")
    _no_sideways_scroll(page)
    panel.get_by_role("link", name="1 Quá hạn trả lời").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quá hạn trả lời")
    rows = page.get_by_test_id("opinion-list").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Tranh chấp ranh giới đất")
    expect(rows.first).to_contain_text("quá hạn")
    _no_sideways_scroll(page)
    rows.first.get_by_role("link").click()
    expect(page.get_by_test_id("overdue")).to_have_text(
        f"Quá hạn {(today - late.due_on).days} ngày"
    )

    page.goto(f"{live_server.url}/can-bo/hoat-dong/")
    page.get_by_test_id("work-panel").get_by_role("link", name="1 Điểm nóng đang theo dõi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Điểm nóng đang theo dõi")
    rows = page.get_by_test_id("opinion-list").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Điểm nóng: Cao")
    _no_sideways_scroll(page)


def test_work_pages_on_a_phone_have_no_serious_axe_violation(
    live_server,
    phone_page,
    client,
    axe_source,  # noqa: F811 - the accessibility tests' fixture, imported above
    commune,
):
    """axe (tests/e2e/test_accessibility.py) on the work home with its panel, the entry
    forms, an opinion that is overdue and a hot spot, a queue, and the import page after
    a refused upload."""
    today = timezone.localdate()
    team = commune["team"]
    opinion = opinion_receive(
        unit=team,
        received_on=today - datetime.timedelta(days=40),
        channel="phone",
        topic="land",
        summary="Tranh chấp đất",
        citizen_name="Hoàng Văn Dân",
    )
    hot_spot_flag(opinion=opinion, severity="medium", since=today)
    officer = make_staff(StaffRole.COMMUNE_OFFICER, [commune["commune"]], username="xa")
    page = phone_page
    _log_in(page, client, live_server, officer)
    for name, url in (
        ("hoạt động", reverse("work:home")),
        ("ghi hoạt động", reverse("work:activity_create", args=[team.pk])),
        ("ghi ý kiến", reverse("work:opinion_create", args=[team.pk])),
        ("ý kiến", reverse("work:opinion_detail", args=[opinion.pk])),
        ("hàng chờ", reverse("work:opinion_queue", args=["qua-han"])),
        ("danh sách hoạt động", reverse("work:activity_list")),
        ("nhập hoạt động", reverse("work:activity_import")),
    ):
        _check_on_phone(page, live_server.url + url, axe_source, name)
    page.get_by_role("button", name="Tải lên và ghi").click()
    page.get_by_text("Chưa chọn tệp.").wait_for()
    _check_current(page, axe_source, "375 px, nhập hoạt động (lỗi):")
