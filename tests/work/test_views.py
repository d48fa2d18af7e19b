"""The activities and opinions pages: who gets in, what they show, what a form writes
or refuses (a Vietnamese message, nothing written), and a bounded number of queries."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_staff
from tests.work.conftest import days_ago, photo_bytes
from units.services import team_create_for_village
from work import services_opinions as steps
from work.models import Activity, Opinion
from work.services import activity_create

pytestmark = pytest.mark.django_db

CITIZEN = "Đinh Thị Kín Tiếng"
CITIZEN_PHONE = "0988777666"


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _login(client, user):
    client.force_login(user)
    return client


def _activity(unit, n=0, **extra):
    return activity_create(
        unit=unit,
        kind=extra.pop("kind", "propaganda"),
        date=extra.pop("date", days_ago(n % 20)),
        participants=5,
        people_reached=40 + n,
        description=extra.pop("description", f"Buổi tuyên truyền số {n}"),
        **extra,
    )


def _opinion(unit, received=None, **extra):
    return steps.opinion_receive(
        unit=unit,
        received_on=received or days_ago(2),
        channel="zalo",
        topic="environment",
        summary="Bãi rác gây ô nhiễm",
        citizen_name=CITIZEN,
        citizen_phone=CITIZEN_PHONE,
        **extra,
    )


# --- Who gets in ------------------------------------------------------------------------------


def test_home_shows_the_panel_and_the_units_to_record_for(client, officer, bloc, team):
    _opinion(team, received=days_ago(40))
    response = _login(client, officer).get(reverse("work:home"))
    assert response.status_code == 200
    panel = response.context["panel"]
    counts = {q["slug"]: q["count"] for q in panel["queues"]}
    assert counts == {"moi": 1, "cho-tra-loi": 0, "qua-han": 1, "diem-nong": 0}
    assert [u.pk for u in response.context["units"]] == [bloc.pk, team.pk]
    html = response.content.decode()
    assert reverse("work:activity_create", args=[team.pk]) in html
    assert reverse("work:opinion_queue", args=["qua-han"]) in html


def test_news_editors_and_the_public_get_nothing(client, news_editor):
    assert client.get(reverse("work:home")).status_code == 302
    assert _login(client, news_editor).get(reverse("work:home")).status_code == 403
    assert client.get(reverse("work:opinion_list")).status_code == 403


def test_a_unit_outside_the_area_is_404_and_nothing_is_written(client, officer, sibling_bloc):
    """Recording an activity or an opinion for the sibling commune's bloc: 404 on the
    form and on the POST, as for a unit that does not exist."""
    _login(client, officer)
    for name in ("work:activity_create", "work:opinion_create"):
        url = reverse(name, args=[sibling_bloc.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"summary": "x", "kind": "other"}).status_code == 404
    assert not Activity.objects.exists() and not Opinion.objects.exists()


# --- Activities --------------------------------------------------------------------------------


def test_recording_an_activity_with_a_photo(client, officer, team, media):
    _login(client, officer)
    url = reverse("work:activity_create", args=[team.pk])
    form = client.get(url)
    assert form.context["form"].initial["date"] == days_ago(0)
    upload = io.BytesIO(photo_bytes())
    upload.name = "hop-dan.jpg"
    response = client.post(
        url,
        {
            "kind": "meeting",
            "date": _day(days_ago(1)),
            "place": "",
            "participants": "9",
            "people_reached": "1.200".replace(".", ""),
            "description": "Họp dân bàn làm đường",
            "photos": [upload],
        },
        follow=True,
    )
    activity = Activity.objects.get()
    assert response.redirect_chain[-1][0] == reverse("work:activity_detail", args=[activity.pk])
    assert (activity.place, activity.people_reached, activity.recorded_by) == (
        team.area.name,
        1200,
        officer,
    )
    message = (
        f"Đã ghi hoạt động “Gặp gỡ, đối thoại với nhân dân” của {team.name} ngày "
        f"{_day(days_ago(1))}."
    )
    assert message in response.content.decode()
    photo = activity.photos.get()
    picture = client.get(reverse("work:photo", args=[photo.pk]) + "?w=400")
    assert picture.status_code == 200 and picture["Content-Type"] == "image/jpeg"
    assert picture["Cache-Control"] == "private, max-age=86400"


def test_an_activity_in_the_future_gets_a_vietnamese_message(client, officer, bloc, today):
    tomorrow = today + datetime.timedelta(days=1)
    response = _login(client, officer).post(
        reverse("work:activity_create", args=[bloc.pk]),
        {"kind": "propaganda", "date": _day(tomorrow), "participants": 3, "people_reached": 9},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [
        f"Ngày không được sau hôm nay ({_day(today)})."
    ]
    assert not Activity.objects.exists()


def test_an_activity_recorded_without_an_account_shows_a_dash(client, officer, bloc):
    """An activity written by no account (a command, the demo) has no recorder: its page
    shows "—" where it once failed with a server error."""
    activity = _activity(bloc, date=datetime.date(2025, 3, 5))
    assert activity.recorded_by is None
    response = _login(client, officer).get(reverse("work:activity_detail", args=[activity.pk]))
    assert response.status_code == 200
    assert "<dt>Người ghi</dt><dd>—</dd>" in response.content.decode()


def test_photos_are_scoped_like_their_activity(client, sibling_officer, officer, bloc, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    activity = _activity(bloc, photos=[SimpleUploadedFile("a.jpg", photo_bytes(), "image/jpeg")])
    photo = activity.photos.get()
    assert (
        _login(client, sibling_officer).get(reverse("work:photo", args=[photo.pk])).status_code
        == 404
    )
    assert client.post(reverse("work:photo_delete", args=[photo.pk])).status_code == 404
    _login(client, officer)
    assert client.post(reverse("work:photo_delete", args=[photo.pk])).status_code == 302
    assert not activity.photos.exists()


def test_activity_list_filters_and_runs_a_constant_number_of_queries(client, officer, bloc, team):
    """Kind, period and unit filters; 3 or 10 rows: the same number of queries."""
    _login(client, officer)
    url = reverse("work:activity_list")
    counts = []
    for start, count in ((0, 3), (3, 7)):
        for n in range(start, start + count):
            _activity(team if n % 2 else bloc, n)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert response.context["page_obj"].paginator.count == 10
    _activity(bloc, 99, kind="mediation", date=days_ago(40))
    filtered = client.get(
        url, {"kind": "mediation", "date_from": _day(days_ago(45)), "date_to": _day(days_ago(30))}
    )
    assert [a.people_reached for a in filtered.context["activities"]] == [139]
    by_unit = client.get(url, {"unit": team.pk})
    assert {a.unit_id for a in by_unit.context["activities"]} == {team.pk}
    bad = client.get(url, {"date_from": "31/02/2026"})
    assert bad.context["filter"].errors["date_from"] == [
        "Ngày không hợp lệ: ghi theo dạng ngày/tháng/năm, ví dụ 21/11/2026."
    ]


def test_export_writes_the_filtered_rows_safely(client, officer, bloc, team):
    """The export holds the list's rows in the import layout; a cell that would run as a
    formula is written as text with a leading apostrophe; constant queries."""
    _login(client, officer)
    url = reverse("work:activity_export")
    counts = []
    for start, count in ((0, 3), (3, 7)):
        for n in range(start, start + count):
            _activity(team if n % 2 else bloc, n)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    _activity(bloc, 50, description='=HYPERLINK("http://x")')
    response = client.get(url, {"unit": bloc.pk})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Mã xã", "Xã", "Thôn/Tổ dân phố", "Đơn vị")
    assert len(rows) == 1 + Activity.objects.filter(unit=bloc).count()
    formula = next(c for c in sheet["K"] if str(c.value).startswith("=HYPER"))
    assert formula.data_type == "s" and formula.quotePrefix
    assert client.get(url, {"date_from": "hôm qua"}).status_code == 400


# --- Opinions ------------------------------------------------------------------------------


def test_the_citizen_is_shown_only_to_staff_whose_area_covers_the_unit(
    client, officer, province_staff, sibling_officer, other_province_staff, team
):
    opinion = _opinion(team)
    url = reverse("work:opinion_detail", args=[opinion.pk])
    for user in (officer, province_staff):
        html = _login(client, user).get(url).content.decode()
        assert CITIZEN in html and CITIZEN_PHONE in html
    for user in (sibling_officer, other_province_staff):
        response = _login(client, user).get(url)
        assert response.status_code == 404
        assert CITIZEN not in response.content.decode()
        listing = client.get(reverse("work:opinion_list")).content.decode()
        assert CITIZEN not in listing


def test_an_officer_forwards_answers_and_closes_an_opinion(client, officer, team, today):
    _login(client, officer)
    response = client.post(
        reverse("work:opinion_create", args=[team.pk]),
        {
            "received_on": _day(days_ago(4)),
            "channel": "in_person",
            "topic": "infrastructure",
            "summary": "Đường vào thôn bị sạt lở",
            "citizen_name": "",
            "citizen_phone": "",
        },
    )
    opinion = Opinion.objects.get()
    assert response.url == reverse("work:opinion_detail", args=[opinion.pk])
    client.post(
        reverse("work:opinion_forward", args=[opinion.pk]),
        {"forwarded_to": "UBND xã", "forwarded_on": _day(days_ago(3))},
    )
    refused = client.post(
        reverse("work:opinion_answer", args=[opinion.pk]),
        {"answer": "Sẽ sửa", "answered_by": "UBND xã", "answered_on": _day(days_ago(5))},
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors["answered_on"] == [
        f"Ngày trả lời không được trước ngày tiếp nhận ý kiến ({_day(days_ago(4))})."
    ]
    opinion.refresh_from_db()
    assert opinion.status == "forwarded" and opinion.answered_on is None
    client.post(
        reverse("work:opinion_answer", args=[opinion.pk]),
        {"answer": "Sẽ sửa", "answered_by": "UBND xã", "answered_on": _day(days_ago(1))},
    )
    client.post(reverse("work:opinion_close", args=[opinion.pk]), {"closed_on": _day(today)})
    opinion.refresh_from_db()
    assert (opinion.status, opinion.closed_on, opinion.answered_by) == ("closed", today, "UBND xã")
    page = client.get(reverse("work:opinion_detail", args=[opinion.pk])).content.decode()
    assert "Chuyển đến UBND xã ngày" in page and f"Kết thúc ngày {_day(today)}" in page
    step = client.get(reverse("work:opinion_forward", args=[opinion.pk]))
    assert step.context["notice"] == "Ý kiến đã có trả lời: không cần chuyển nữa."


def test_queues_list_what_waits_with_constant_queries(client, province_staff, team, bloc):
    """Overdue (oldest due first) and hot spots; 3 or 9 opinions, the same queries."""
    _login(client, province_staff)
    counts = []
    for start, count in ((0, 3), (3, 6)):
        for n in range(start, start + count):
            opinion = _opinion(team if n % 2 else bloc, received=days_ago(20 + n))
            if n % 3 == 0:
                steps.hot_spot_flag(opinion=opinion, severity="high", since=days_ago(1))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("work:opinion_queue", args=["qua-han"]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    overdue = list(response.context["opinions"])
    assert len(overdue) == 9
    assert [o.due_on for o in overdue] == sorted(o.due_on for o in overdue)
    hot = client.get(reverse("work:opinion_queue", args=["diem-nong"]))
    assert len(hot.context["opinions"]) == 3
    assert client.get(reverse("work:opinion_queue", args=["khong-co"])).status_code == 404


def test_hot_spot_pages(client, officer, team, today):
    opinion = _opinion(team, received=days_ago(5))
    _login(client, officer)
    resolve = client.get(reverse("work:hot_spot_resolve", args=[opinion.pk]))
    assert resolve.context["notice"] == "Ý kiến này không có điểm nóng đang theo dõi."
    client.post(
        reverse("work:hot_spot_flag", args=[opinion.pk]),
        {"severity": "medium", "since": _day(days_ago(2)), "note": "Dân tụ tập"},
    )
    opinion.refresh_from_db()
    assert opinion.hot_spot_open and opinion.hot_spot_severity == "medium"
    client.post(reverse("work:hot_spot_resolve", args=[opinion.pk]), {"resolved_on": _day(today)})
    opinion.refresh_from_db()
    assert opinion.hot_spot_resolved_on == today


# --- The province's number of days ------------------------------------------------------


def test_provincial_staff_set_their_provinces_days(client, province_2025, area_tree):
    staff = make_staff("province_staff", [province_2025["province"]])
    other = make_staff("province_staff", [area_tree["other_province"]])
    officer = make_staff("commune_officer", [province_2025["commune"]])
    opinion = _opinion(province_2025["bloc"], received=days_ago(10))
    url = reverse("work:settings_update", args=[province_2025["province"].pk])
    assert _login(client, officer).get(url).status_code == 403
    assert _login(client, other).get(url).status_code == 404
    _login(client, staff)
    listing = client.get(reverse("work:settings"))
    assert [p.overdue_days for p in listing.context["provinces"]] == [15]
    refused = client.post(url, {"overdue_days": "0"})
    assert refused.context["form"].errors["overdue_days"] == ["Ghi một số nguyên từ 1 đến 365."]
    assert client.post(url, {"overdue_days": "5"}).status_code == 302
    opinion.refresh_from_db()
    assert opinion.due_on == days_ago(5) and opinion.overdue_on(days_ago(0))


def test_another_villages_team_is_another_unit(client, officer, team):
    other = team_create_for_village(commune=team.commune, village_name="Tổ 9")
    _opinion(other)
    response = _login(client, officer).get(reverse("work:opinion_list"), {"unit": team.pk})
    assert list(response.context["opinions"]) == []


def test_the_audit_trail_lists_an_opinions_steps_within_the_area(
    client, officer, sibling_officer, team, today
):
    """The opinion's history page (docs/AUDIT.md) names each step and who took it; staff
    of another commune get 404, as for any object outside their area."""
    opinion = _opinion(team, received=days_ago(3))
    steps.opinion_forward(
        opinion=opinion, forwarded_to="UBND xã", forwarded_on=today, acting_user=officer
    )
    url = reverse("audit:object_history", args=["opinion", opinion.pk])
    page = _login(client, officer).get(url).content.decode()
    assert "Tiếp nhận ý kiến" in page and "Chuyển ý kiến" in page and "UBND xã" in page
    assert _login(client, sibling_officer).get(url).status_code == 404


def test_lists_filter_by_an_official_code(client, province_staff, bloc, sibling_bloc, area_tree):
    """A commune's or district's code keeps its subtree; a code outside the user's
    area finds nothing and says so."""
    _activity(bloc, 1)
    _activity(sibling_bloc, 2)
    _login(client, province_staff)
    url = reverse("work:activity_list")
    commune = client.get(url, {"area_code": area_tree["commune"].code})
    assert [a.unit_id for a in commune.context["activities"]] == [bloc.pk]
    district = client.get(url, {"area_code": area_tree["district"].code})
    assert len(district.context["activities"]) == 2
    far = client.get(url, {"area_code": area_tree["far_commune"].code})
    assert far.context["filter"].area_not_found and not far.context["activities"]
    assert "Không có địa bàn mã" in far.content.decode()


def test_home_runs_a_constant_number_of_queries(client, province_staff, area_tree):
    """3 or 10 units to record for, with opinions waiting: the same queries."""
    _login(client, province_staff)
    counts = []
    for start, count in ((0, 3), (3, 7)):
        for n in range(start, start + count):
            commune = area_tree["commune"]
            team = team_create_for_village(commune=commune, village_name=f"Tổ {n + 20}")
            _opinion(team, received=days_ago(30))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("work:home"))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert len(response.context["units"]) == 10
    assert {q["slug"]: q["count"] for q in response.context["panel"]["queues"]}["qua-han"] == 10
