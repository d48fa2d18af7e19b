"""Notifications in a real Chromium on a 375 px phone: the officer whose rating was
returned sees the count in the header, opens the list (no serious axe violation),
follows the notification to the rating; the e-mail of the return reached the (real,
in-process) SMTP server."""

import pytest
from playwright.sync_api import expect

from accounts.choices import StaffRole
from evaluations.services.criteria import criteria_set_create, criteria_set_issue
from evaluations.services.ratings import (
    evaluation_propose,
    evaluation_self_assess,
    evaluation_start,
)
from evaluations.services.steps import rating_return
from tests.e2e.test_accessibility import _check, axe_source  # noqa: F401 (a fixture)
from tests.e2e.test_ratings import _log_in, _no_sideways_scroll
from tests.evaluations.conftest import FULL, GATES, GROUPS
from tests.factories import AreaFactory, make_staff
from tests.notifications.conftest import smtp  # noqa: F401 (the fixture)
from units.choices import Level
from units.services import unit_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMENT = "Tiêu chí 2.1 chưa có biên bản họp dân, đề nghị bổ sung."


def test_a_returned_rating_reaches_the_officer(
    phone_page,
    live_server,
    client,
    smtp,  # noqa: F811 (the fixture imported above)
    axe_source,  # noqa: F811
):
    province = AreaFactory(level=Level.PROVINCE, code="06", name="Tỉnh Bắc Kạn")
    district = AreaFactory(level=Level.DISTRICT, code="061", name="Huyện Pác Nặm", parent=province)
    commune = AreaFactory(level=Level.COMMUNE, code="01849", name="Xã Bằng Thành", parent=district)
    staff = make_staff(StaffRole.PROVINCE_STAFF, [province], username="tinh")
    officer = make_staff(
        StaffRole.COMMUNE_OFFICER,
        [commune],
        username="xa",
        first_name="An",
        last_name="Nguyễn Văn",
        email="an.nguyen@example.vn",
    )
    criteria = criteria_set_create(
        acting_user=staff, province=province, year=2026, subject="bloc",
        title="Tiêu chí đánh giá Khối dân vận năm 2026", groups=GROUPS, gates=GATES,
    )  # fmt: skip
    criteria_set_issue(acting_user=staff, criteria_set=criteria)
    bloc = unit_create(kind="bloc", area=commune)
    rating = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    evaluation_self_assess(
        acting_user=officer, evaluation=rating, scores=FULL, gates={"K1": False}, submit=True
    )
    evaluation_propose(acting_user=officer, evaluation=rating, submit=True)
    rating_return(acting_user=staff, rating=rating, comment=COMMENT)

    # The e-mail went out at once, in Vietnamese, to the officer by name.
    (message,) = smtp.messages
    assert message["To"] == "an.nguyen@example.vn"
    assert "Kính gửi Nguyễn Văn An," in message.get_content()

    page = phone_page
    _log_in(page, client, live_server, officer)
    page.goto(f"{live_server.url}/can-bo/")
    count = page.get_by_test_id("unread-count")
    expect(count).to_have_text("1 chưa đọc")
    page.get_by_test_id("menu-button").click()  # the phone menu is folded
    page.get_by_test_id("nav-notifications").click()
    expect(page).to_have_url(f"{live_server.url}/can-bo/thong-bao/")
    item = page.get_by_test_id("notification-list").get_by_role("link")
    expect(item).to_contain_text("Đánh giá bị trả lại")
    expect(item).to_contain_text(COMMENT)
    _no_sideways_scroll(page)
    # No serious or critical axe violation on the list (it reloads the same page).
    _check(page, page.url, axe_source, "375 px, thông báo:")
    item = page.get_by_test_id("notification-list").get_by_role("link")
    item.click()
    expect(page).to_have_url(f"{live_server.url}/can-bo/danh-gia/{rating.pk}/de-xuat/")
    expect(page.get_by_text(COMMENT).first).to_be_visible()
    _no_sideways_scroll(page)
    # Read now: the header has no count any more.
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
