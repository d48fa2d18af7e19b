"""The staff detail pages on a 1280 px office screen and on a 375 px phone: a unit's
page, a person's, an activity's, an opinion's and a member's rating. At 1280 px each
lays its two blocks side by side (the facts beside the related lists: their boxes are
next to each other, the second to the right of the first, at the same height), and
still at 960 px, the narrowest two-column width, without horizontal scroll; at 375 px
they are one column in the page's order, with no horizontal scroll. axe finds no
serious or critical violation at 1280 or 375 px. Every record is dated in 2025 (fixed
days on the 2025 map), so nothing depends on the day the test runs.

Screenshots go to $DANVAN_SCREENSHOTS when it is set (to look at them)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.choices import StaffRole
from evaluations.services.member_ratings import member_rating_start, member_rating_step
from members.services import membership_add, membership_end
from tests.e2e.test_accessibility import (  # axe_source: a fixture
    _check,
    _log_in_as,
    axe_source,  # noqa: F401
)
from tests.e2e.test_staff_ux import no_sideways_scroll, shot
from tests.factories import make_staff
from tests.work.conftest import photo_bytes, province_2025  # noqa: F401  (fixture)
from units.services import team_create_for_village
from work.services import activity_create
from work.services_opinions import hot_spot_flag, opinion_receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = datetime.date


@pytest.fixture
def pages(settings, tmp_path, province_2025):  # noqa: F811
    """Provincial staff and the five detail pages, each with both of its blocks filled:
    a bloc with a current and a past member, the person, an activity with a photo, an
    opinion that is a hot spot, a member's rating waiting for the province's decision;
    and an activity without photos (one block only)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    bloc, commune = province_2025["bloc"], province_2025["commune"]
    team_create_for_village(commune=commune, village_name="Tổ 3")
    staff = make_staff(StaffRole.PROVINCE_STAFF, [province_2025["province"]], username="tinh")
    officer = make_staff(StaffRole.COMMUNE_OFFICER, [commune], username="xa")
    head = membership_add(
        unit=bloc, full_name="Hoàng Văn Thụ", birth_year=1972, role="head",
        start_date=D(2025, 7, 15),
    )  # fmt: skip
    past = membership_add(
        unit=bloc, full_name="Lò Thị Hoa", birth_year=1980, start_date=D(2025, 7, 15)
    )
    membership_end(membership=past, end_date=D(2025, 10, 1), end_reason="Chuyển công tác")
    photo = SimpleUploadedFile("hop-dan.jpg", photo_bytes(), "image/jpeg")
    activity = activity_create(
        unit=bloc, kind="propaganda", date=D(2025, 10, 5), participants=8, people_reached=1265,
        description="Tuyên truyền phòng cháy rừng mùa khô", photos=[photo],
    )  # fmt: skip
    plain = activity_create(
        unit=bloc, kind="meeting", date=D(2025, 10, 6), participants=5, people_reached=40
    )
    opinion = opinion_receive(
        unit=bloc,
        received_on=D(2025, 10, 2),
        channel="meeting",
        topic="security",
        summary="Hai dòng họ xô xát vì lối đi chung",
        citizen_name="Hoàng Văn Dân",
    )
    hot_spot_flag(opinion=opinion, severity="high", since=D(2025, 10, 3))
    rating = member_rating_start(acting_user=officer, membership=head, year=2025)
    for _step in range(2):  # the self-assessment, then the commune's proposal
        rating = member_rating_step(acting_user=officer, rating=rating, level=2)
    return {
        "staff": staff,
        "without_photos": reverse("work:activity_detail", args=[plain.pk]),
        "urls": {
            "đơn vị": reverse("members:unit_detail", args=[bloc.pk]),
            "người": reverse("members:person_detail", args=[head.person_id]),
            "hoạt động": reverse("work:activity_detail", args=[activity.pk]),
            "ý kiến": reverse("work:opinion_detail", args=[opinion.pk]),
            "xếp loại thành viên": reverse("evaluations:member_rating", args=[rating.pk]),
        },
    }


def _blocks(page, name):
    aside = page.get_by_test_id("detail-aside").bounding_box()
    main = page.get_by_test_id("detail-main").bounding_box()
    assert aside and main, f"{name}: both blocks are shown"
    return aside, main


def test_detail_pages_lay_two_columns_on_a_1280_px_screen(
    live_server,
    browser,
    client,
    pages,
    axe_source,  # noqa: F811 - the accessibility tests' fixture, imported above
):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    try:
        _log_in_as(page, client, live_server, pages["staff"])
        for name, url in pages["urls"].items():
            _check(page, live_server.url + url, axe_source, f"1280 px, {name}:")
            shot(page, f"detail-1280-{url.strip('/').replace('/', '-')}")
            aside, main = _blocks(page, name)
            # Side by side: the related lists start to the right of the facts, at
            # the same height, and each block is a real column (not a sliver).
            assert main["x"] >= aside["x"] + aside["width"], (name, aside, main)
            assert abs(main["y"] - aside["y"]) < 2, (name, aside, main)
            assert min(aside["width"], main["width"]) > 300, (name, aside, main)
            no_sideways_scroll(page, 1280)
        # The narrowest screen with two columns: still side by side, nothing overflows.
        page.set_viewport_size({"width": 960, "height": 900})
        for name, url in pages["urls"].items():
            page.goto(live_server.url + url)
            aside, main = _blocks(page, name)
            assert main["x"] >= aside["x"] + aside["width"], (name, aside, main)
            no_sideways_scroll(page, 960)
        page.set_viewport_size({"width": 1280, "height": 900})
        # An activity without photos has one block: it takes the whole width.
        _check(page, live_server.url + pages["without_photos"], axe_source, "1280 px, no photo:")
        assert page.get_by_test_id("detail-main").count() == 0
        assert page.get_by_test_id("detail-aside").bounding_box()["width"] > 1000
    finally:
        context.close()


def test_detail_pages_stay_one_column_on_a_phone(
    live_server,
    phone_page,
    client,
    pages,
    axe_source,  # noqa: F811 - the accessibility tests' fixture, imported above
):
    page = phone_page
    _log_in_as(page, client, live_server, pages["staff"])
    for name, url in pages["urls"].items():
        _check(page, live_server.url + url, axe_source, f"375 px, {name}:")
        shot(page, f"detail-375-{url.strip('/').replace('/', '-')}")
        aside, main = _blocks(page, name)
        # One column: the related lists below the facts, the same width.
        assert main["y"] >= aside["y"] + aside["height"] - 1, (name, aside, main)
        assert abs(main["x"] - aside["x"]) < 2 and abs(main["width"] - aside["width"]) < 2
        no_sideways_scroll(page, 375)
