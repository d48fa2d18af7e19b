"""notify(), who is told of a rating's return and decision, the deadlines."""

import datetime

import pytest
from django.core.management import call_command

from accounts.choices import StaffRole
from evaluations.choices import Stage
from evaluations.services.ratings import (
    evaluation_decide,
    evaluation_propose,
    evaluation_self_assess,
    evaluation_start,
)
from evaluations.services.steps import rating_not_rated, rating_return
from notifications import deadlines
from notifications.choices import Kind
from notifications.models import Notification
from notifications.recipients import Directory
from notifications.services import notify
from tests.evaluations.conftest import FULL
from tests.factories import make_staff
from work.models import Opinion
from work.services_opinions import opinion_receive

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 20)


def _told(kind=None):
    rows = Notification.objects.order_by("recipient__username")
    if kind:
        rows = rows.filter(kind=kind)
    return [n.recipient.username for n in rows]


def _to_decision(bloc, officer):
    rating = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    rating = evaluation_self_assess(
        acting_user=officer, evaluation=rating, scores=FULL, gates={"K1": False}, submit=True
    )
    return evaluation_propose(acting_user=officer, evaluation=rating, submit=True)


# --- notify ---------------------------------------------------------------------------------


def test_notify_tells_each_active_account_once_per_key(officer, province_staff):
    made = notify([officer, officer, None], Kind.RATING_DUE, "Một", "/x/", key="k1")
    assert [n.recipient for n in made] == [officer]
    # The same event again: nobody is told twice; another account still is.
    again = notify([officer, province_staff], Kind.RATING_DUE, "Một", "/x/", key="k1")
    assert [n.recipient for n in again] == [province_staff]
    province_staff.is_active = False
    province_staff.save()
    assert notify([province_staff], Kind.RATING_DUE, "Hai", "/y/") == []
    assert Notification.objects.count() == 2


def test_notify_clips_long_text(officer):
    (n,) = notify([officer], Kind.RATING_DUE, "chữ " * 300, "/x/")
    assert len(n.text) == 500 and n.text.endswith("…")


# --- who is told ----------------------------------------------------------------------------


def test_directory_picks_the_nearest_accounts_that_may_act(
    area_tree, officer, sibling_officer, district_staff, province_staff
):
    path = area_tree["village"].path
    directory = Directory.around(path)
    # Commune officers propose; the commune's own officer is nearest (not the district's
    # or the province's staff, who may too, nor the sibling commune's officer).
    assert directory.actors(path, "evaluations.propose") == [officer]
    # Only district and provincial staff decide: the district is nearer.
    assert directory.actors(path, "evaluations.decide") == [district_staff]
    # Only the province reopens.
    assert directory.actors(path, "evaluations.reopen") == [province_staff]
    # The one who acted is not told, and nobody further away is told instead.
    assert directory.actors(path, "evaluations.propose", exclude=[officer]) == []
    # The whole-run directory answers the same.
    assert Directory().actors(path, "evaluations.decide") == [district_staff]


def test_a_return_tells_who_takes_the_step_it_went_back_to(
    bloc, bloc_criteria, officer, district_staff, province_staff, django_capture_on_commit_callbacks
):
    rating = _to_decision(bloc, officer)
    with django_capture_on_commit_callbacks(execute=True):
        rating_return(acting_user=province_staff, rating=rating, comment="Bổ sung biên bản họp")
    (n,) = Notification.objects.all()
    assert n.recipient == officer and n.kind == Kind.RATING_RETURNED and n.immediate
    assert n.text == (
        f"Đánh giá “{bloc}” năm 2026 được trả lại bước “Đảng ủy xã đề xuất”: Bổ sung biên bản họp"
    )
    assert n.link == f"/can-bo/danh-gia/{rating.pk}/de-xuat/"


def test_nobody_is_told_of_a_step_rolled_back(
    bloc, bloc_criteria, officer, province_staff, django_capture_on_commit_callbacks
):
    rating = _to_decision(bloc, officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rating_return(acting_user=province_staff, rating=rating, comment="Sai")
    assert len(callbacks) == 1  # waits for the commit: a rollback drops it
    assert Notification.objects.count() == 0


def test_a_decision_tells_the_earlier_steps_and_the_unit(
    bloc, bloc_criteria, officer, sibling_officer, district_staff,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    rating = _to_decision(bloc, officer)
    with django_capture_on_commit_callbacks(execute=True):
        evaluation_decide(acting_user=district_staff, evaluation=rating)
    (n,) = Notification.objects.all()
    assert n.recipient == officer and n.kind == Kind.RATING_DECIDED
    assert n.text == (
        f"Đánh giá “{bloc}” năm 2026 đã được quyết định: Mức 1 — Hoàn thành xuất sắc nhiệm vụ."
    )


def test_not_rated_is_a_decision_too(
    bloc, bloc_criteria, officer, district_staff, django_capture_on_commit_callbacks
):
    rating = evaluation_start(acting_user=officer, unit=bloc, year=2026)
    with django_capture_on_commit_callbacks(execute=True):
        rating_not_rated(acting_user=district_staff, rating=rating, reason="Mới thành lập")
    assert rating.stage == Stage.NOT_RATED
    assert _told(Kind.RATING_DECIDED) == ["xa"]
    assert Notification.objects.get().text.endswith("đã được quyết định: Không xếp loại.")


# --- deadlines ------------------------------------------------------------------------------


def _opinion(bloc, officer, received_on):
    return opinion_receive(
        unit=bloc,
        received_on=received_on,
        channel="in_person",
        topic="land",
        summary="Đường làng ngập",
        acting_user=officer,
    )


def test_an_opinion_due_in_three_days_then_late_is_told_once_each(
    bloc, officer, sibling_officer, province_staff
):
    opinion = _opinion(bloc, officer, DAY - datetime.timedelta(days=12))  # due in 15 days
    assert opinion.due_on == DAY + datetime.timedelta(days=3)
    assert deadlines.notify_deadlines(day=DAY - datetime.timedelta(days=1)) == 0
    assert deadlines.notify_deadlines(day=DAY) == 1
    assert deadlines.notify_deadlines(day=DAY) == 0  # run again the same day
    (due,) = Notification.objects.all()
    assert due.recipient == officer and due.kind == Kind.OPINION_DUE
    assert due.link == f"/can-bo/y-kien/{opinion.pk}/"
    assert "đến hạn trả lời ngày 23/03/2026" in due.text
    # Not late on its due day; late the day after, told once, even if run again later.
    assert deadlines.notify_deadlines(day=opinion.due_on) == 0
    late_day = opinion.due_on + datetime.timedelta(days=1)
    assert deadlines.notify_deadlines(day=late_day) == 1
    assert deadlines.notify_deadlines(day=late_day + datetime.timedelta(days=2)) == 0
    late = Notification.objects.get(kind=Kind.OPINION_OVERDUE)
    assert late.recipient == officer
    assert "đã quá hạn trả lời từ ngày 23/03/2026" in late.text


def test_an_answered_opinion_is_not_late(bloc, officer):
    opinion = _opinion(bloc, officer, DAY - datetime.timedelta(days=20))
    Opinion.objects.filter(pk=opinion.pk).update(
        status="answered", answer="Đã nạo vét", answered_on=DAY - datetime.timedelta(days=1)
    )
    assert deadlines.notify_deadlines(day=DAY) == 0


def test_a_missed_day_is_caught_up_within_the_window(bloc, officer):
    opinion = _opinion(bloc, officer, DAY - datetime.timedelta(days=20))  # due 5 days ago
    assert deadlines.notify_deadlines(day=DAY) == 1
    old = _opinion(bloc, officer, DAY - datetime.timedelta(days=30))  # 15 days late
    assert old.due_on < DAY - datetime.timedelta(days=deadlines.LATE_WINDOW_DAYS)
    assert deadlines.notify_deadlines(day=DAY) == 0
    assert opinion.pk != old.pk


def test_rating_steps_due_plug_into_the_same_notifier(
    bloc, bloc_criteria, officer, district_staff, monkeypatch
):
    """The ratings have no deadlines yet: a source of (rating, due date) is all they
    need to give, and the people who may take the step are told."""
    rating = _to_decision(bloc, officer)
    due = DAY + datetime.timedelta(days=3)
    monkeypatch.setattr(deadlines, "rating_due_dates", lambda day: [(rating, due)])
    assert deadlines.notify_deadlines(day=DAY) == 1
    (n,) = Notification.objects.all()
    assert n.recipient == district_staff and n.kind == Kind.RATING_DUE
    assert n.text == (
        f"Bước “Chờ cấp trên quyết định” của đánh giá “{bloc}” năm 2026 đến hạn ngày 23/03/2026."
    )
    assert n.link == f"/can-bo/danh-gia/{rating.pk}/quyet-dinh/"
    monkeypatch.setattr(deadlines, "rating_due_dates", lambda day: [(rating, DAY)])
    assert deadlines.notify_deadlines(day=DAY + datetime.timedelta(days=1)) == 1
    assert Notification.objects.filter(kind=Kind.RATING_LATE).get().recipient == district_staff


def test_without_deadlines_no_rating_is_due(bloc, bloc_criteria, officer):
    _to_decision(bloc, officer)
    assert list(deadlines.rating_due_dates(DAY)) == []


def test_the_daily_command(bloc, officer, capsys):
    _opinion(bloc, officer, DAY - datetime.timedelta(days=16))
    call_command("send_notifications", "--day", DAY.isoformat(), "--no-email")
    assert "notifications: 1" in capsys.readouterr().out
    assert _told() == ["xa"]


def test_a_news_editor_is_never_told(area_tree, bloc, officer):
    make_staff(StaffRole.NEWS_EDITOR, [area_tree["commune"]], username="bt")
    _opinion(bloc, officer, DAY - datetime.timedelta(days=16))
    deadlines.notify_deadlines(day=DAY)
    assert _told() == ["xa"]


def test_a_members_rating_decided_tells_the_officer_and_links_to_it(
    bloc, officer, district_staff, django_capture_on_commit_callbacks
):
    from evaluations.services.member_ratings import member_rating_start, member_rating_step
    from members.services import membership_add

    membership = membership_add(unit=bloc, full_name="Lò Văn Minh", birth_year=1970)
    rating = member_rating_start(acting_user=officer, membership=membership, year=2026)
    member_rating_step(acting_user=officer, rating=rating, level=2)
    member_rating_step(acting_user=officer, rating=rating, level=2)
    with django_capture_on_commit_callbacks(execute=True):
        member_rating_step(acting_user=district_staff, rating=rating, level=2)
    (n,) = Notification.objects.all()
    assert n.recipient == officer
    assert n.text == "Đánh giá “Lò Văn Minh” năm 2026 đã được quyết định: Mức 2."
    assert n.link == f"/can-bo/danh-gia/thanh-vien/xep-loai/{rating.pk}/"


def test_the_daily_run_asks_each_account_once(area_tree, officer, django_assert_max_num_queries):
    """Recipients come from one directory for the whole run: the queries grow with the
    notifications made (a check and an insert each), not with accounts asked again."""
    from units.services import team_create_for_village

    for i in range(6):
        team = team_create_for_village(commune=area_tree["commune"], village_name=f"Tổ {i + 2}")
        _opinion(team, officer, DAY - datetime.timedelta(days=16))
    # The directory and the officer's permissions and scope (5), the opinions, the
    # events' keys; then per notification a key check and an insert in a savepoint (4).
    with django_assert_max_num_queries(8 + 6 * 4):
        assert deadlines.notify_deadlines(day=DAY) == 6
