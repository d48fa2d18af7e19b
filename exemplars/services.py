"""Every write to the "Dân vận khéo" models and their photos goes through here.

The cycle: registered → implementing → reviewed → recognised (decision number, date,
level) → typical, or reviewed → not recognised (with a reason). Each step is one
service: atomic, ``full_clean`` before ``save``, recorded in the audit trail with the
step as its reason, refused with a Vietnamese message (and nothing changed) when it
does not fit the model's state, dates or the acting user's area. Views, the admin and
the demo data call these; none re-implements a rule. Every write sends
``units.signals.data_changed`` for its province: the statistics count the models.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.access import scope_of
from accounts.choices import StaffRole
from exemplars.choices import STEP_FROM, DecisionLevel, ExemplarStatus, OwnerKind, Step
from exemplars.models import Exemplar, ExemplarPhoto
from portal.paths import province_path
from portal.text import normalize
from units.choices import Level
from units.models import Area
from units.signals import data_changed
from work import photos as photo_files
from work.services import account_of, apply_checked, audited, check_area, text_block

ERROR_REQUIRED = _("Chưa nhập mục này.")
ERROR_STEP = _("Mô hình đang ở bước “{status}”: không làm được bước “{step}”.")
ERROR_PROVINCE_LEVEL = _(
    "Quyết định công nhận cấp tỉnh do cán bộ cấp tỉnh hoặc quản trị hệ thống ghi."
)
ERROR_LEVEL_OF_PROVINCE = _("Mô hình của tỉnh, thành phố được công nhận ở cấp tỉnh.")
ERROR_TOO_MANY = _("Mỗi mô hình có tối đa {max} ảnh; mô hình này còn chọn được {left} ảnh.")

REASON_REGISTER = _("Đăng ký mô hình")
REASON_UPDATE = _("Sửa thông tin mô hình")
REASON_PHOTO_DELETE = _("Xoá ảnh mô hình")

#: What the registration form (and a correction) may set.
EDIT_FIELDS = (
    "title",
    "field",
    "owner_kind",
    "owner_name",
    "registered_on",
    "description",
    "results",
)


def stats_changed(path: str) -> None:
    """The figures of the province holding ``path`` changed (reports.signals)."""
    data_changed.send(sender=Exemplar, province_paths=[province_path(path)])


def _values(data: dict) -> dict:
    unknown = set(data) - set(EDIT_FIELDS)
    if unknown:
        raise ValueError(f"unknown model fields: {sorted(unknown)}")
    values = dict(data)
    errors: dict[str, list] = {}
    for name in ("title", "owner_name"):
        if name in values:
            values[name] = normalize(values[name] or "")
            if not values[name]:
                errors[name] = [ERROR_REQUIRED]
    for name in ("description", "results"):
        if name in values:
            values[name] = text_block(values[name])
    if "description" in values and not values["description"]:
        errors["description"] = [ERROR_REQUIRED]
    if "owner_kind" in values and not values["owner_kind"]:
        values["owner_kind"] = OwnerKind.COLLECTIVE
    if errors:
        raise ValidationError(errors)
    return values


def _checked_photos(photos, *, already: int) -> list:
    try:
        return photo_files.check_uploads(photos, already=already, message=ERROR_TOO_MANY)
    except ValidationError as exc:
        raise ValidationError({"photos": exc.messages}) from None


def _store_photos(exemplar: Exemplar, pictures: list) -> None:
    """Write the checked pictures' files and rows; the files of a failed write go."""
    stored: list[ExemplarPhoto] = []
    try:
        for picture in pictures:
            photo = ExemplarPhoto(
                exemplar=exemplar, **photo_files.store(picture, folder="exemplars")
            )
            stored.append(photo)
            photo.full_clean(exclude=["exemplar"])
            photo.save()
    except Exception:
        for photo in stored:
            photo_files.remove(photo)
        raise


def _save(exemplar: Exemplar, changes: dict, reason, acting_user, pictures=()) -> Exemplar:
    apply_checked(exemplar, changes)
    with audited(acting_user, reason):
        exemplar.save()
        _store_photos(exemplar, list(pictures))
    stats_changed(exemplar.area_path)
    return exemplar


@transaction.atomic
def exemplar_register(*, area: Area, acting_user=None, photos=(), **data) -> Exemplar:
    """Register a model in the registry of ``area`` (a commune, or a province; a
    district on the legacy map) with up to ``work.photos.MAX_PHOTOS`` photos."""
    check_area(acting_user, area.path)
    exemplar = Exemplar(area=area, recorded_by=account_of(acting_user))
    pictures = _checked_photos(photos, already=0)
    values = _values({"results": "", "owner_kind": OwnerKind.COLLECTIVE, **data})
    return _save(exemplar, values, REASON_REGISTER, acting_user, pictures)


@transaction.atomic
def exemplar_update(*, exemplar: Exemplar, acting_user=None, photos=(), **data) -> Exemplar:
    """Correct a model's details (its results as they come) and add photos."""
    check_area(acting_user, exemplar.area_path)
    pictures = _checked_photos(photos, already=exemplar.photos.count())
    return _save(exemplar, _values(data), REASON_UPDATE, acting_user, pictures)


def _step_allowed(exemplar: Exemplar, step: Step, acting_user) -> None:
    check_area(acting_user, exemplar.area_path)
    if exemplar.status not in STEP_FROM[step]:
        raise ValidationError(
            str(ERROR_STEP).format(status=exemplar.get_status_display(), step=step.label)
        )


def _day(errors: dict, field: str, value: datetime.date | None):
    if value is None:
        errors[field] = [ERROR_REQUIRED]
    return value


def _text(errors: dict, field: str, value, *, required=True) -> str:
    value = text_block(value)
    if required and not value:
        errors[field] = [ERROR_REQUIRED]
    return value


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def exemplar_start(*, exemplar: Exemplar, started_on, acting_user=None) -> Exemplar:
    """The model is being put into practice (from registered)."""
    _step_allowed(exemplar, Step.START, acting_user)
    errors: dict = {}
    _day(errors, "started_on", started_on)
    _raise(errors)
    changes = {"status": ExemplarStatus.IMPLEMENTING, "started_on": started_on}
    return _save(exemplar, changes, Step.START.label, acting_user)


@transaction.atomic
def exemplar_review(
    *, exemplar: Exemplar, reviewed_on, review_note: str = "", acting_user=None
) -> Exemplar:
    """The committee has reviewed the model's results (from implementing)."""
    _step_allowed(exemplar, Step.REVIEW, acting_user)
    errors: dict = {}
    _day(errors, "reviewed_on", reviewed_on)
    note = _text(errors, "review_note", review_note, required=False)
    _raise(errors)
    changes = {
        "status": ExemplarStatus.REVIEWED,
        "reviewed_on": reviewed_on,
        "review_note": note[:500],
    }
    return _save(exemplar, changes, Step.REVIEW.label, acting_user)


def _may_decide_province(acting_user) -> bool:
    return acting_user is None or scope_of(acting_user).role in (
        StaffRole.PROVINCE_STAFF,
        StaffRole.SYSTEM_ADMIN,
    )


@transaction.atomic
def exemplar_recognise(
    *,
    exemplar: Exemplar,
    decision_number: str,
    decision_date,
    decision_level: str,
    acting_user=None,
) -> Exemplar:
    """Record the decision that recognises a reviewed model: its number, date and level
    (a commune's committee, or the province's). A province-level decision is recorded
    by provincial staff or an administrator; a province's own model is recognised at
    province level."""
    _step_allowed(exemplar, Step.RECOGNISE, acting_user)
    errors: dict = {}
    number = _text(errors, "decision_number", decision_number)[:50]
    _day(errors, "decision_date", decision_date)
    if decision_level not in DecisionLevel.values:
        errors["decision_level"] = [ERROR_REQUIRED]
    elif decision_level == DecisionLevel.PROVINCE and not _may_decide_province(acting_user):
        errors["decision_level"] = [ERROR_PROVINCE_LEVEL]
    elif decision_level == DecisionLevel.COMMUNE and exemplar.area.level == Level.PROVINCE:
        errors["decision_level"] = [ERROR_LEVEL_OF_PROVINCE]
    _raise(errors)
    changes = {
        "status": ExemplarStatus.RECOGNISED,
        "decision_number": number,
        "decision_date": decision_date,
        "decision_level": decision_level,
    }
    return _save(exemplar, changes, Step.RECOGNISE.label, acting_user)


@transaction.atomic
def exemplar_reject(*, exemplar: Exemplar, rejected_on, reason: str, acting_user=None) -> Exemplar:
    """The review found the model not worth recognising: the day and the reason."""
    _step_allowed(exemplar, Step.REJECT, acting_user)
    errors: dict = {}
    _day(errors, "rejected_on", rejected_on)
    reason = _text(errors, "rejection_reason", reason)
    _raise(errors)
    changes = {
        "status": ExemplarStatus.NOT_RECOGNISED,
        "rejected_on": rejected_on,
        "rejection_reason": reason,
    }
    return _save(exemplar, changes, Step.REJECT.label, acting_user)


@transaction.atomic
def exemplar_mark_typical(*, exemplar: Exemplar, typical_on, acting_user=None) -> Exemplar:
    """A recognised model is named typical (tiêu biểu), to be replicated."""
    _step_allowed(exemplar, Step.TYPICAL, acting_user)
    errors: dict = {}
    _day(errors, "typical_on", typical_on)
    _raise(errors)
    changes = {"status": ExemplarStatus.TYPICAL, "typical_on": typical_on}
    return _save(exemplar, changes, Step.TYPICAL.label, acting_user)


#: The service of each step, and the fields its form sends.
STEP_SERVICES = {
    Step.START: exemplar_start,
    Step.REVIEW: exemplar_review,
    Step.RECOGNISE: exemplar_recognise,
    Step.REJECT: exemplar_reject,
    Step.TYPICAL: exemplar_mark_typical,
}


@transaction.atomic
def photo_delete(*, photo: ExemplarPhoto, acting_user=None) -> Exemplar:
    """Remove one photo of a model; its files go once the removal is committed."""
    exemplar = photo.exemplar
    check_area(acting_user, exemplar.area_path)
    with audited(acting_user, REASON_PHOTO_DELETE):
        photo.delete()
    transaction.on_commit(lambda: photo_files.remove(photo))
    return exemplar
