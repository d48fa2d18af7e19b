"""Every write to activities and their photos goes through here (opinions:
``work.services_opinions``).

The views, the admin, the activities import and the demo data call these functions or,
for bulk writes, the same checks (``activity_problems``); none re-implements a rule.
Each write sends ``units.signals.data_changed`` for its province, so cached statistics
that count activities are never stale.
"""

import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.access import scope_of
from portal import audit
from portal.paths import province_path
from portal.text import normalize
from units.models import Unit
from units.signals import data_changed
from work import photos as photo_files
from work.models import Activity, ActivityPhoto

ERROR_OUTSIDE_AREA = _("Đơn vị này nằm ngoài địa bàn bạn phụ trách.")
ERROR_REQUIRED = _("Chưa nhập mục này.")

#: What an activity's form, the import and the demo may set.
ACTIVITY_FIELDS = (
    "kind",
    "date",
    "place",
    "participants",
    "people_reached",
    "work_days",
    "description",
)


def check_area(acting_user, path: str) -> None:
    """Refuse a write outside the acting user's areas (the views answer 404 before it
    gets here; this is the service's own guard). ``None`` is the system or a command."""
    if acting_user is not None and not scope_of(acting_user).covers(path):
        raise PermissionDenied(ERROR_OUTSIDE_AREA)


def audited(acting_user, reason=None):
    """The audit context of a write: the acting user (when the caller is not a web
    request, whose middleware has set it already) and the reason, if any."""
    return audit.audit_context(user=account_of(acting_user), reason=str(reason or "") or None)


def text_block(value) -> str:
    """A multi-line text as NFC without surrounding blanks (line breaks kept)."""
    return unicodedata.normalize("NFC", str(value or "")).strip()


def stats_changed(path: str) -> None:
    """The figures of the province holding ``path`` changed (reports.signals)."""
    data_changed.send(sender=Activity, province_paths=[province_path(path)])


def default_place(unit: Unit) -> str:
    """Where a unit's activity happens unless told: its village, or its commune."""
    return unit.area.name


def _activity_values(unit: Unit, data: dict) -> dict:
    unknown = set(data) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ValueError(f"unknown activity fields: {sorted(unknown)}")
    values = dict(data)
    if "place" in values:
        values["place"] = normalize(values["place"] or "") or default_place(unit)
    if "description" in values:
        values["description"] = text_block(values["description"])
    for number in ("participants", "people_reached"):
        if number in values and values[number] is None:
            values[number] = 0
    return values


def activity_problems(activity: Activity) -> dict[str, list[str]]:
    """Every rule an activity breaks, by field, without writing and without a query
    when its unit and area are loaded: what ``full_clean`` checks on one field set, for
    the import, which checks thousands of rows before writing any."""
    errors: dict[str, list[str]] = {}
    checks = (lambda: activity.clean_fields(exclude=["unit", "recorded_by"]), activity.clean)
    for check in checks:
        try:
            check()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    return errors


def apply_checked(obj, changes: dict) -> None:
    """Set ``changes`` on ``obj`` (an activity or an opinion), refresh its derived
    fields and run ``full_clean``; on an error the object gets its old values back
    before the ``ValidationError`` goes up, so a caller never holds half a change."""
    before = {field: getattr(obj, field) for field in changes}
    for field, value in changes.items():
        setattr(obj, field, value)
    obj.fill_derived_fields()
    try:
        obj.full_clean()
    except ValidationError:
        for field, value in before.items():
            setattr(obj, field, value)
        raise


def _checked_photos(photos, *, already: int) -> list:
    try:
        return photo_files.check_uploads(photos, already=already)
    except ValidationError as exc:
        raise ValidationError({"photos": exc.messages}) from None


def _write(activity: Activity, pictures: list, acting_user) -> Activity:
    with audited(acting_user):
        activity.save()
        _store_photos(activity, pictures)
    stats_changed(activity.area_path)
    return activity


def _store_photos(activity: Activity, pictures: list) -> list[ActivityPhoto]:
    """Write the checked pictures' files and rows; the files of a failed write are
    removed again."""
    stored: list[ActivityPhoto] = []
    try:
        for picture in pictures:
            photo = ActivityPhoto(activity=activity, **photo_files.store(picture))
            stored.append(photo)
            photo.full_clean(exclude=["activity"])
            photo.save()
    except Exception:
        for photo in stored:
            photo_files.remove(photo)
        raise
    return stored


@transaction.atomic
def activity_create(*, unit: Unit, acting_user=None, photos=(), **data) -> Activity:
    """Record an activity of ``unit`` (fields: ``ACTIVITY_FIELDS``) with up to
    ``work.photos.MAX_PHOTOS`` photos. The date may not be in the future nor outside
    the unit's life; campaign work-days need their number of work-days."""
    check_area(acting_user, unit.area_path)
    activity = Activity(unit=unit, recorded_by=account_of(acting_user))
    pictures = _checked_photos(photos, already=0)
    apply_checked(activity, _activity_values(unit, {"place": "", **data}))
    return _write(activity, pictures, acting_user)


@transaction.atomic
def activity_update(*, activity: Activity, acting_user=None, photos=(), **data) -> Activity:
    """Correct an activity's details and add photos (up to the limit in all)."""
    check_area(acting_user, activity.area_path)
    pictures = _checked_photos(photos, already=activity.photos.count())
    apply_checked(activity, _activity_values(activity.unit, data))
    return _write(activity, pictures, acting_user)


@transaction.atomic
def activity_delete(*, activity: Activity, acting_user=None) -> None:
    """Remove an activity recorded by mistake, with its photos (the trail keeps the
    removal: who, when, what it held)."""
    check_area(acting_user, activity.area_path)
    path = activity.area_path
    photos = list(activity.photos.all())
    with audited(acting_user):
        for photo in photos:
            photo.delete()
        activity.delete()
    transaction.on_commit(lambda: [photo_files.remove(p) for p in photos])
    stats_changed(path)


@transaction.atomic
def photo_delete(*, photo: ActivityPhoto, acting_user=None) -> Activity:
    """Remove one photo of an activity; its files go once the removal is committed."""
    activity = photo.activity
    check_area(acting_user, activity.area_path)
    with audited(acting_user):
        photo.delete()
    transaction.on_commit(lambda: photo_files.remove(photo))
    return activity


def account_of(user):
    """The acting user when it is a logged-in account (recorded as who wrote), else None."""
    return user if getattr(user, "is_authenticated", False) else None
