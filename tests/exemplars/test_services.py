"""The services of the "Dân vận khéo" models: the cycle registered → implementing →
reviewed → recognised → typical (or not recognised), what each step refuses (in
Vietnamese, writing nothing), who may record a province-level decision, the photos
(resized, stripped of their location), and the audit trail."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from PIL import Image

from exemplars import services
from exemplars.choices import ExemplarStatus
from exemplars.models import Exemplar, ExemplarPhoto
from tests.exemplars.conftest import days_ago, recognise, register, upload

pytestmark = pytest.mark.django_db


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def test_register_copies_the_area_path_and_records_who(commune, officer):
    """A registered model carries its area's path (scoped reads need no join), starts
    registered, and the trail names the officer and the step."""
    exemplar = register(commune, officer)
    assert exemplar.area_path == commune.path
    assert exemplar.status == ExemplarStatus.REGISTERED
    assert exemplar.recorded_by == officer
    record = exemplar.history.first()
    assert record.history_user == officer
    assert record.history_change_reason == "Đăng ký mô hình"


def test_the_whole_cycle_is_recorded_step_by_step(commune, officer):
    """Each step moves the status on and leaves its own line in the trail."""
    exemplar = recognise(register(commune, officer), officer)
    assert exemplar.status == ExemplarStatus.RECOGNISED
    assert exemplar.decision_number == "15-QĐ/ĐU"
    typical = services.exemplar_mark_typical(
        exemplar=exemplar, typical_on=days_ago(1), acting_user=officer
    )
    assert typical.status == ExemplarStatus.TYPICAL
    reasons = list(
        exemplar.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert reasons == [
        "Đăng ký mô hình",
        "Bắt đầu thực hiện",
        "Ghi kết quả thẩm định",
        "Ghi quyết định công nhận",
        "Công nhận tiêu biểu",
    ]


def test_a_step_out_of_order_is_refused_and_changes_nothing(commune, officer):
    """Recognising a model that was never reviewed is refused with the step's words."""
    exemplar = register(commune, officer)
    with pytest.raises(ValidationError) as caught:
        services.exemplar_recognise(
            exemplar=exemplar,
            decision_number="1-QĐ",
            decision_date=days_ago(1),
            decision_level="commune",
            acting_user=officer,
        )
    assert caught.value.messages == [
        "Mô hình đang ở bước “Đăng ký”: không làm được bước “Ghi quyết định công nhận”."
    ]
    exemplar.refresh_from_db()
    assert exemplar.status == ExemplarStatus.REGISTERED
    assert exemplar.decision_number == ""


def test_a_decision_before_the_review_or_in_the_future_is_refused(commune, officer, today):
    """Dates run forward: a decision dated before the review, or after today, is
    refused and the model stays reviewed."""
    exemplar = register(commune, officer, registered_on=days_ago(10))
    services.exemplar_start(exemplar=exemplar, started_on=days_ago(9), acting_user=officer)
    services.exemplar_review(exemplar=exemplar, reviewed_on=days_ago(5), acting_user=officer)
    with pytest.raises(ValidationError) as caught:
        services.exemplar_recognise(
            exemplar=exemplar,
            decision_number="1-QĐ",
            decision_date=days_ago(6),
            decision_level="commune",
            acting_user=officer,
        )
    assert caught.value.message_dict["decision_date"] == [
        f"Ngày quyết định công nhận không được trước ngày thẩm định ({_day(days_ago(5))})."
    ]
    with pytest.raises(ValidationError) as caught:
        services.exemplar_recognise(
            exemplar=exemplar,
            decision_number="1-QĐ",
            decision_date=today + datetime.timedelta(days=1),
            decision_level="commune",
            acting_user=officer,
        )
    assert caught.value.message_dict["decision_date"] == [
        f"Ngày không được sau hôm nay ({_day(today)})."
    ]
    assert Exemplar.objects.get(pk=exemplar.pk).status == ExemplarStatus.REVIEWED


def test_a_province_level_decision_needs_provincial_staff(commune, officer, province_staff):
    """A commune officer records a commune decision, not a province one; provincial
    staff of the province may."""
    exemplar = register(commune, officer)
    day = exemplar.registered_on + datetime.timedelta(days=1)
    services.exemplar_start(exemplar=exemplar, started_on=day, acting_user=officer)
    services.exemplar_review(exemplar=exemplar, reviewed_on=day, acting_user=officer)
    with pytest.raises(ValidationError) as caught:
        services.exemplar_recognise(
            exemplar=exemplar,
            decision_number="88-QĐ/TU",
            decision_date=day,
            decision_level="province",
            acting_user=officer,
        )
    assert caught.value.message_dict["decision_level"] == [
        "Quyết định công nhận cấp tỉnh do cán bộ cấp tỉnh hoặc quản trị hệ thống ghi."
    ]
    done = services.exemplar_recognise(
        exemplar=Exemplar.objects.get(pk=exemplar.pk),
        decision_number="88-QĐ/TU",
        decision_date=day,
        decision_level="province",
        acting_user=province_staff,
    )
    assert done.decision_level == "province"


def test_not_recognised_needs_a_reason(commune, officer):
    """Not recognising a reviewed model needs a reason, which is kept."""
    exemplar = register(commune, officer)
    day = exemplar.registered_on + datetime.timedelta(days=1)
    services.exemplar_start(exemplar=exemplar, started_on=day, acting_user=officer)
    services.exemplar_review(exemplar=exemplar, reviewed_on=day, acting_user=officer)
    with pytest.raises(ValidationError) as caught:
        services.exemplar_reject(
            exemplar=exemplar, rejected_on=day, reason=" ", acting_user=officer
        )
    assert caught.value.message_dict == {"rejection_reason": ["Chưa nhập mục này."]}
    rejected = services.exemplar_reject(
        exemplar=Exemplar.objects.get(pk=exemplar.pk),
        rejected_on=day,
        reason="Chưa có kết quả rõ rệt",
        acting_user=officer,
    )
    assert rejected.status == ExemplarStatus.NOT_RECOGNISED
    assert rejected.rejection_reason == "Chưa có kết quả rõ rệt"


def test_outside_the_users_area_is_refused(area_tree, sibling_officer, officer):
    """An officer of the sibling commune can neither register in commune A nor take a
    step on its model."""
    with pytest.raises(PermissionDenied):
        register(area_tree["commune"], sibling_officer)
    exemplar = register(area_tree["commune"], officer)
    with pytest.raises(PermissionDenied):
        services.exemplar_start(
            exemplar=exemplar, started_on=days_ago(1), acting_user=sibling_officer
        )
    assert Exemplar.objects.get(pk=exemplar.pk).status == ExemplarStatus.REGISTERED


def test_missing_text_and_a_village_registry_are_refused(area_tree, officer):
    """The title, the unit or person and the description are required; a village keeps
    no registry (its team's model is its commune's)."""
    with pytest.raises(ValidationError) as caught:
        register(area_tree["commune"], officer, title="  ", owner_name="", description="")
    assert caught.value.message_dict == {
        "title": ["Chưa nhập mục này."],
        "owner_name": ["Chưa nhập mục này."],
        "description": ["Chưa nhập mục này."],
    }
    with pytest.raises(ValidationError) as caught:
        register(area_tree["village"], officer)
    assert caught.value.message_dict["area"] == [
        "Mô hình được đăng ký ở xã, phường hoặc ở tỉnh, thành phố (không ở thôn)."
    ]
    assert not Exemplar.objects.exists()


def test_photos_are_resized_and_lose_their_location(commune, officer, media):
    """A phone's photo is stored re-encoded without EXIF (no GPS position), under
    exemplars/, with smaller copies; a fifth photo is refused."""
    exemplar = register(commune, officer, photos=[upload(width=3000, height=2000)])
    photo = exemplar.photos.get()
    assert photo.file.name.startswith("exemplars/")
    with default_storage.open(photo.file.name) as handle:
        picture = Image.open(handle)
        assert max(picture.size) <= 2400
        assert not picture.getexif().get(0x8825)
    assert photo.variants
    with pytest.raises(ValidationError) as caught:
        services.exemplar_update(
            exemplar=exemplar, acting_user=officer, photos=[upload() for _ in range(4)]
        )
    assert caught.value.message_dict["photos"] == [
        "Mỗi mô hình có tối đa 4 ảnh; mô hình này còn chọn được 3 ảnh."
    ]
    assert ExemplarPhoto.objects.count() == 1


def test_a_photo_is_removed_with_its_files(
    commune, officer, media, django_capture_on_commit_callbacks
):
    exemplar = register(commune, officer, photos=[upload()])
    photo = exemplar.photos.get()
    name = photo.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_delete(photo=photo, acting_user=officer)
    assert not exemplar.photos.exists()
    assert not default_storage.exists(name)
