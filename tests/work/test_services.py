"""The services of activities, opinions and the province's rule: what they write,
what they refuse (in Vietnamese, writing nothing), and what the audit trail keeps."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal import audit
from tests.work.conftest import days_ago, photo_bytes
from units.services import team_create_for_village
from work import services_opinions as steps
from work.choices import ActivityKind, OpinionStatus
from work.models import Activity, ActivityPhoto, Opinion, ProvinceWorkSettings
from work.photos import MAX_PHOTOS
from work.services import activity_create, activity_delete, activity_update, photo_delete

pytestmark = pytest.mark.django_db


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _activity(unit, user=None, **extra):
    data = {
        "kind": ActivityKind.PROPAGANDA,
        "date": days_ago(2),
        "participants": 7,
        "people_reached": 60,
        "description": "Tuyên truyền phòng chống cháy rừng",
        **extra,
    }
    return activity_create(unit=unit, acting_user=user, **data)


def _opinion(unit, user=None, received=None, **extra):
    data = {
        "received_on": received or days_ago(3),
        "channel": "phone",
        "topic": "land",
        "summary": "Đề nghị đo đạc lại ranh giới đất",
        **extra,
    }
    return steps.opinion_receive(unit=unit, acting_user=user, **data)


# --- Activities ---------------------------------------------------------------------------


def test_activity_copies_the_units_path_and_records_who(team, officer):
    """The activity carries its unit's area path (scoped reads need no join), the place
    defaults to the unit's village, and the recording account is kept."""
    activity = _activity(team, officer)
    assert activity.area_path == team.area_path
    assert activity.place == team.area.name
    assert activity.recorded_by == officer
    row = activity.history.get()
    assert (row.history_type, row.history_user) == ("+", officer)


def test_activity_in_the_future_is_refused_in_vietnamese(bloc, officer, today):
    """A date after today: a Vietnamese message naming today, nothing written."""
    tomorrow = today + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        _activity(bloc, officer, date=tomorrow)
    assert caught.value.message_dict["date"] == [f"Ngày không được sau hôm nay ({_day(today)})."]
    assert not Activity.objects.exists()


def test_campaign_work_days_need_their_number(bloc):
    with pytest.raises(ValidationError) as caught:
        _activity(bloc, kind=ActivityKind.WORK_DAYS)
    assert caught.value.message_dict["work_days"] == ["Ra quân ngày công cần ghi số ngày công."]
    activity = _activity(bloc, kind=ActivityKind.WORK_DAYS, work_days=45)
    assert activity.work_days == 45


def test_activity_outside_the_units_life_is_refused(province_2025):
    """A 2025 commune's bloc did nothing before 01/07/2025."""
    with pytest.raises(ValidationError) as caught:
        _activity(province_2025["bloc"], date=datetime.date(2025, 6, 30))
    assert caught.value.message_dict["date"] == [
        "Khối dân vận Phường Bắc Kạn chỉ có từ ngày 01/07/2025: hãy ghi một ngày từ ngày đó trở đi."
    ]


def test_activity_after_dissolution_is_refused(bloc):
    from members.services import unit_dissolve

    unit_dissolve(unit=bloc, dissolved_on=days_ago(10))
    _activity(bloc, date=days_ago(11))
    with pytest.raises(ValidationError) as caught:
        _activity(bloc, date=days_ago(10))
    assert "đã giải thể" in caught.value.message_dict["date"][0]


def test_activity_outside_the_users_area_is_refused(sibling_bloc, officer):
    with pytest.raises(PermissionDenied):
        _activity(sibling_bloc, officer)
    assert not Activity.objects.exists()


def test_photos_are_resized_and_lose_their_location(bloc, officer, media):
    """An uploaded phone photo is stored re-encoded without EXIF (no GPS), at most
    2,400 px, with smaller copies, under work/ (never the public news folder)."""
    upload = SimpleUploadedFile("anh.jpg", photo_bytes(3000, 2000), "image/jpeg")
    assert Image.open(io.BytesIO(photo_bytes())).getexif().get(0x8825)
    activity = _activity(bloc, officer, photos=[upload])
    photo = activity.photos.get()
    assert photo.file.name.startswith("work/")
    with default_storage.open(photo.file.name) as handle:
        stored = Image.open(handle)
        stored.load()
    assert max(stored.size) == 2400
    assert not stored.getexif()
    assert {v["width"] for v in photo.variants} == {400, 800, 1200}


def test_too_many_or_broken_photos_write_nothing(bloc, media):
    uploads = [
        SimpleUploadedFile(f"{i}.jpg", photo_bytes(), "image/jpeg") for i in range(MAX_PHOTOS + 1)
    ]
    with pytest.raises(ValidationError) as caught:
        _activity(bloc, photos=uploads)
    assert caught.value.message_dict["photos"] == [
        "Mỗi hoạt động có tối đa 4 ảnh; hoạt động này còn chọn được 4 ảnh."
    ]
    broken = SimpleUploadedFile("x.jpg", b"not a picture", "image/jpeg")
    with pytest.raises(ValidationError):
        _activity(bloc, photos=[broken])
    assert not Activity.objects.exists() and not ActivityPhoto.objects.exists()


def test_update_adds_photos_up_to_the_limit_and_delete_removes_files(
    bloc, officer, media, django_capture_on_commit_callbacks
):
    """Photos up to the limit in all; a removed photo's files go once the removal is
    committed (never before: a rolled-back removal keeps them)."""
    first = [SimpleUploadedFile(f"{i}.jpg", photo_bytes(), "image/jpeg") for i in range(3)]
    activity = _activity(bloc, officer, photos=first)
    more = [SimpleUploadedFile(f"m{i}.jpg", photo_bytes(), "image/jpeg") for i in range(2)]
    with pytest.raises(ValidationError) as caught:
        activity_update(activity=activity, acting_user=officer, photos=more, people_reached=80)
    assert "còn chọn được 1 ảnh" in caught.value.message_dict["photos"][0]
    activity.refresh_from_db()
    assert activity.people_reached == 60
    activity_update(activity=activity, acting_user=officer, photos=more[:1], people_reached=80)
    assert activity.photos.count() == 4
    photo = activity.photos.first()
    name = photo.file.name
    with django_capture_on_commit_callbacks(execute=True):
        photo_delete(photo=photo, acting_user=officer)
    assert not default_storage.exists(name)
    names = [p.file.name for p in activity.photos.all()]
    with django_capture_on_commit_callbacks(execute=True):
        activity_delete(activity=activity, acting_user=officer)
    assert not any(default_storage.exists(n) for n in names)
    assert not Activity.objects.exists() and not ActivityPhoto.objects.exists()
    assert Activity.history.filter(history_type="-").count() == 1


# --- Opinions -------------------------------------------------------------------------------


def test_an_opinion_is_due_fifteen_days_after_receipt_by_default(team, officer):
    opinion = _opinion(team, officer, received=days_ago(3), citizen_phone="912 345 678")
    assert opinion.status == OpinionStatus.NEW
    assert opinion.due_on == days_ago(3) + datetime.timedelta(days=15)
    assert opinion.citizen_phone == "0912345678"
    assert opinion.area_path == team.area_path


def test_an_opinion_follows_every_step_each_in_the_trail(team, officer, today):
    """Received → forwarded → answered → brought back → closed: each step is a
    history row by the officer, with the step as its reason."""
    opinion = _opinion(team, officer, received=days_ago(10))
    steps.opinion_forward(
        opinion=opinion, forwarded_to="UBND xã", forwarded_on=days_ago(9), acting_user=officer
    )
    steps.opinion_answer(
        opinion=opinion,
        answer="Xã sẽ đo đạc lại trong tháng.",
        answered_by="Chủ tịch UBND xã",
        answered_on=days_ago(4),
        acting_user=officer,
    )
    steps.opinion_return(
        opinion=opinion, returned_on=days_ago(3), returned_how="Gặp trực tiếp", acting_user=officer
    )
    steps.opinion_close(opinion=opinion, closed_on=today, acting_user=officer)
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.CLOSED
    rows = list(opinion.history.order_by("history_id"))
    assert [r.history_change_reason for r in rows] == [
        "Tiếp nhận ý kiến",
        "Chuyển ý kiến",
        "Ghi trả lời",
        "Thông tin lại cho người dân",
        "Kết thúc ý kiến",
    ]
    assert {r.history_user for r in rows} == {officer}
    assert rows[2].answered_by == "Chủ tịch UBND xã"


def test_an_answer_before_the_opinion_was_received_is_refused(team, officer):
    """The Vietnamese message names the day received; the opinion is unchanged."""
    received = days_ago(5)
    opinion = _opinion(team, officer, received=received)
    with pytest.raises(ValidationError) as caught:
        steps.opinion_answer(
            opinion=opinion,
            answer="Đã trả lời",
            answered_by="UBND xã",
            answered_on=days_ago(6),
            acting_user=officer,
        )
    assert caught.value.message_dict["answered_on"] == [
        f"Ngày trả lời không được trước ngày tiếp nhận ý kiến ({_day(received)})."
    ]
    opinion.refresh_from_db()
    assert (opinion.status, opinion.answered_on, opinion.answer) == ("new", None, "")
    assert opinion.history.count() == 1


def test_steps_out_of_order_are_refused(team, today):
    opinion = _opinion(team)
    with pytest.raises(ValidationError) as caught:
        steps.opinion_close(opinion=opinion, closed_on=today)
    assert caught.value.messages == ["Ý kiến chưa có trả lời: hãy ghi câu trả lời trước."]
    with pytest.raises(ValidationError) as caught:
        steps.opinion_forward(opinion=opinion, forwarded_to="  ", forwarded_on=today)
    assert caught.value.message_dict == {"forwarded_to": ["Chưa nhập mục này."]}
    steps.opinion_answer(opinion=opinion, answer="Có", answered_by="UBND", answered_on=today)
    with pytest.raises(ValidationError) as caught:
        steps.opinion_answer(opinion=opinion, answer="Lần hai", answered_by="X", answered_on=today)
    assert caught.value.messages == ["Ý kiến đã có trả lời: không chuyển hay trả lời lại được."]
    steps.opinion_close(opinion=opinion, closed_on=today)
    with pytest.raises(ValidationError) as caught:
        steps.opinion_update(opinion=opinion, summary="Sửa")
    assert caught.value.messages == [f"Ý kiến đã kết thúc từ ngày {_day(today)}."]


def test_an_opinion_in_the_future_or_with_a_bad_phone_is_refused(team, today):
    with pytest.raises(ValidationError) as caught:
        _opinion(team, received=today + datetime.timedelta(days=1), citizen_phone="12ab")
    errors = caught.value.message_dict
    assert errors == {"citizen_phone": [errors["citizen_phone"][0]]}
    assert "12ab" in errors["citizen_phone"][0]
    with pytest.raises(ValidationError) as caught:
        _opinion(team, received=today + datetime.timedelta(days=1))
    assert caught.value.message_dict["received_on"] == [
        f"Ngày không được sau hôm nay ({_day(today)})."
    ]
    assert not Opinion.objects.exists()


def test_an_opinion_outside_the_users_area_is_refused(sibling_bloc, officer):
    with pytest.raises(PermissionDenied):
        _opinion(sibling_bloc, officer)


def test_correcting_the_day_received_moves_the_due_date(team):
    opinion = _opinion(team, received=days_ago(3))
    steps.opinion_update(opinion=opinion, received_on=days_ago(20))
    opinion.refresh_from_db()
    assert opinion.due_on == days_ago(5)
    assert opinion.overdue_on(days_ago(0))


def test_hot_spot_is_flagged_then_resolved(team, officer, today):
    opinion = _opinion(team, officer, received=days_ago(8))
    with pytest.raises(ValidationError) as caught:
        steps.hot_spot_resolve(opinion=opinion, resolved_on=today)
    assert caught.value.messages == ["Ý kiến này không có điểm nóng đang theo dõi."]
    with pytest.raises(ValidationError) as caught:
        steps.hot_spot_flag(opinion=opinion, severity="extreme", since=today)
    assert caught.value.message_dict == {"severity": ["Chọn mức độ: thấp, trung bình hoặc cao."]}
    with pytest.raises(ValidationError) as caught:
        steps.hot_spot_flag(opinion=opinion, severity="high", since=days_ago(9))
    assert "không được trước ngày tiếp nhận" in caught.value.message_dict["hot_spot_since"][0]
    steps.hot_spot_flag(opinion=opinion, severity="high", since=days_ago(6), acting_user=officer)
    assert opinion.hot_spot_open
    with pytest.raises(ValidationError) as caught:
        steps.hot_spot_resolve(opinion=opinion, resolved_on=days_ago(7))
    assert caught.value.message_dict["hot_spot_resolved_on"] == [
        f"Ngày giải quyết điểm nóng không được trước ngày phát hiện ({_day(days_ago(6))})."
    ]
    steps.hot_spot_resolve(opinion=opinion, resolved_on=today, acting_user=officer)
    opinion.refresh_from_db()
    assert opinion.is_hot_spot and not opinion.hot_spot_open
    assert [r.history_change_reason for r in opinion.history.order_by("history_id")][-2:] == [
        "Đánh dấu điểm nóng",
        "Điểm nóng đã được giải quyết",
    ]


# --- The province's rule ---------------------------------------------------------------------


def test_a_province_sets_its_days_and_every_due_date_follows(province_2025, area_tree):
    """Setting 7 days moves the due date of the province's opinions (past ones too);
    new opinions get it; the rule is audited."""
    from tests.factories import make_staff

    staff = make_staff("province_staff", [province_2025["province"]])
    bloc = province_2025["bloc"]
    opinion = _opinion(bloc, received=days_ago(10))
    assert not opinion.overdue_on(days_ago(0))
    steps.overdue_days_set(province=province_2025["province"], days=7, acting_user=staff)
    opinion.refresh_from_db()
    assert opinion.due_on == days_ago(3)
    assert opinion.overdue_on(days_ago(0))
    assert _opinion(bloc, received=days_ago(1)).due_on == days_ago(1) + datetime.timedelta(days=7)
    setting = ProvinceWorkSettings.objects.get()
    assert setting.history.get().history_change_reason == "Đặt số ngày phải trả lời ý kiến"
    with pytest.raises(ValidationError) as caught:
        steps.overdue_days_set(province=province_2025["province"], days=0, acting_user=staff)
    assert "overdue_days" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        steps.overdue_days_set(province=area_tree["other_province"], days=7, acting_user=staff)


def test_the_rule_is_kept_for_2025_provinces_only(area_tree):
    with pytest.raises(ValidationError) as caught:
        steps.overdue_days_set(province=area_tree["province"], days=7)
    assert caught.value.message_dict["province"] == [
        "Số ngày trả lời được đặt cho từng tỉnh, thành phố theo danh mục từ 01/07/2025."
    ]


def test_opinions_of_a_team_and_a_bloc_are_apart(team, bloc):
    """Each opinion belongs to its unit; another village's team records its own."""
    other = team_create_for_village(commune=team.commune, village_name="Tổ 2")
    _opinion(team)
    _opinion(other)
    _opinion(bloc)
    assert Opinion.objects.filter(unit=team).count() == 1
    assert Opinion.objects.filter(area_path__startswith=bloc.area_path).count() == 3


def test_import_door_is_recorded_for_bulk_history(bloc, officer):
    """The context's door reaches the history rows of a service write too."""
    with audit.audit_context(door=audit.Door.COMMAND, user=officer):
        activity = _activity(bloc, officer)
    assert activity.history.get().door == "command"
