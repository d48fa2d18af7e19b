"""Every write to citizens' opinions, their hot spots and the province's overdue rule.

An opinion goes: received → forwarded (optional) → answered → brought back to the
citizen (optional) → closed. Each step is one service: atomic, ``full_clean`` before
``save``, recorded in the audit trail with the step as its reason (docs/AUDIT.md), and
refused with a Vietnamese message when it does not fit the opinion's state or dates.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.access import scope_of
from members.validation import parse_phone
from portal.data_request import REASON_SUBJECT_REQUEST, erase_from_history
from portal.paths import province_path
from portal.text import normalize
from units.models import Area, Unit
from work.choices import DEFAULT_OVERDUE_DAYS, UNANSWERED, OpinionStatus, Severity
from work.models import AddDays, Opinion, ProvinceWorkSettings
from work.services import (
    account_of,
    apply_checked,
    audited,
    check_area,
    stats_changed,
    text_block,
)

ERROR_REQUIRED = _("Chưa nhập mục này.")
ERROR_ALREADY_ANSWERED = _("Ý kiến đã có trả lời: không chuyển hay trả lời lại được.")
ERROR_NOT_ANSWERED = _("Ý kiến chưa có trả lời: hãy ghi câu trả lời trước.")
ERROR_CLOSED = _("Ý kiến đã kết thúc từ ngày {date}.")
ERROR_NOT_HOT_SPOT = _("Ý kiến này không có điểm nóng đang theo dõi.")
ERROR_SEVERITY = _("Chọn mức độ: thấp, trung bình hoặc cao.")
ERROR_SETTINGS_OUTSIDE = _("Tỉnh này nằm ngoài địa bàn bạn phụ trách.")
ERROR_NO_CONTACT = _("Ý kiến này không còn họ tên, số điện thoại của người dân.")
ERROR_CONTACT_EMPTY = _(
    "Nhập họ tên hoặc số điện thoại đúng. Để xoá cả hai, dùng “Xoá thông tin liên hệ theo yêu cầu”."
)
ERROR_CONTACT_UNCHANGED = _("Họ tên và số điện thoại không thay đổi.")

#: The step of each service, as the audit trail's reason.
REASON_RECEIVE = _("Tiếp nhận ý kiến")
REASON_UPDATE = _("Sửa thông tin tiếp nhận")
REASON_FORWARD = _("Chuyển ý kiến")
REASON_ANSWER = _("Ghi trả lời")
REASON_RETURN = _("Thông tin lại cho người dân")
REASON_CLOSE = _("Kết thúc ý kiến")
REASON_FLAG = _("Đánh dấu điểm nóng")
REASON_RESOLVE = _("Điểm nóng đã được giải quyết")
REASON_SETTINGS = _("Đặt số ngày phải trả lời ý kiến")

#: The citizen's contact details, erased on their request (``citizen_search_name`` is
#: derived from the name and not in the history).
CONTACT_FIELDS = ("citizen_name", "citizen_phone")

#: What the "received" form may correct.
RECEIVED_FIELDS = ("received_on", "channel", "topic", "summary", "citizen_name", "citizen_phone")


def overdue_days_for(path: str) -> int:
    """The days the province holding ``path`` gives to answer (one query)."""
    days = (
        ProvinceWorkSettings.objects.filter(province__path=province_path(path))
        .values_list("overdue_days", flat=True)
        .first()
    )
    return days or DEFAULT_OVERDUE_DAYS


def _due_on(received_on: datetime.date | None, path: str) -> datetime.date | None:
    if received_on is None:
        return None
    return received_on + datetime.timedelta(days=overdue_days_for(path))


def _required(errors: dict, field: str, value: str) -> str:
    value = text_block(value)
    if not value:
        errors[field] = [ERROR_REQUIRED]
    return value


def _day_required(errors: dict, field: str, value):
    if value is None:
        errors[field] = [ERROR_REQUIRED]
    return value


def _received_values(data: dict) -> dict:
    unknown = set(data) - set(RECEIVED_FIELDS)
    if unknown:
        raise ValueError(f"unknown opinion fields: {sorted(unknown)}")
    values = dict(data)
    errors: dict[str, list] = {}
    if "summary" in values:
        values["summary"] = _required(errors, "summary", values["summary"])
    if "citizen_name" in values:
        values["citizen_name"] = normalize(values["citizen_name"] or "")
    if "citizen_phone" in values:
        try:
            values["citizen_phone"] = parse_phone(values["citizen_phone"])
        except ValueError as exc:
            errors["citizen_phone"] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    return values


def _save(opinion: Opinion, changes: dict, reason, acting_user, errors=None) -> Opinion:
    """Apply ``changes``, check the whole opinion and save it with ``reason`` in the
    trail. On any error (``errors`` found by the step, or the model's rules) the
    opinion object is left as it was and nothing is written."""
    if errors:
        raise ValidationError(errors)
    apply_checked(opinion, changes)
    with audited(acting_user, reason):
        opinion.save()
    stats_changed(opinion.area_path)
    return opinion


def _open(opinion: Opinion, acting_user) -> None:
    check_area(acting_user, opinion.area_path)
    if opinion.status == OpinionStatus.CLOSED:
        raise ValidationError(ERROR_CLOSED.format(date=opinion.closed_on.strftime("%d/%m/%Y")))


@transaction.atomic
def opinion_receive(
    *,
    unit: Unit,
    received_on: datetime.date,
    channel: str,
    topic: str,
    summary: str,
    citizen_name: str = "",
    citizen_phone: str = "",
    acting_user=None,
) -> Opinion:
    """Record an opinion a unit received; its answer is due ``overdue_days_for`` days
    later (the province's rule, default 15)."""
    check_area(acting_user, unit.area_path)
    values = _received_values(
        {
            "received_on": received_on,
            "channel": channel,
            "topic": topic,
            "summary": summary,
            "citizen_name": citizen_name,
            "citizen_phone": citizen_phone,
        }
    )
    opinion = Opinion(unit=unit, recorded_by=account_of(acting_user), **values)
    opinion.due_on = _due_on(opinion.received_on, unit.area_path)
    return _save(opinion, {}, REASON_RECEIVE, acting_user)


@transaction.atomic
def opinion_update(*, opinion: Opinion, acting_user=None, **data) -> Opinion:
    """Correct what was recorded on receipt (``RECEIVED_FIELDS``); a new day received
    moves the due date with it. Dates already recorded must still follow it."""
    _open(opinion, acting_user)
    changes = _received_values(data)
    received_on = changes.get("received_on", opinion.received_on)
    changes["due_on"] = _due_on(received_on, opinion.area_path)
    return _save(opinion, changes, REASON_UPDATE, acting_user)


@transaction.atomic
def opinion_forward(
    *, opinion: Opinion, forwarded_to: str, forwarded_on: datetime.date, acting_user=None
) -> Opinion:
    """Forward a new opinion to the commune committee or the authority concerned (or
    correct where it was forwarded while no answer has come)."""
    _open(opinion, acting_user)
    if opinion.status not in UNANSWERED:
        raise ValidationError(ERROR_ALREADY_ANSWERED)
    errors: dict[str, list] = {}
    changes = {
        "forwarded_to": _required(errors, "forwarded_to", forwarded_to)[:200],
        "forwarded_on": _day_required(errors, "forwarded_on", forwarded_on),
        "status": OpinionStatus.FORWARDED,
    }
    return _save(opinion, changes, REASON_FORWARD, acting_user, errors)


@transaction.atomic
def opinion_answer(
    *,
    opinion: Opinion,
    answer: str,
    answered_by: str,
    answered_on: datetime.date,
    acting_user=None,
) -> Opinion:
    """Record the answer (what, by whom, when). Not before the opinion was received,
    not in the future; an opinion has one answer."""
    _open(opinion, acting_user)
    if opinion.status not in UNANSWERED:
        raise ValidationError(ERROR_ALREADY_ANSWERED)
    errors: dict[str, list] = {}
    changes = {
        "answer": _required(errors, "answer", answer),
        "answered_by": _required(errors, "answered_by", answered_by)[:200],
        "answered_on": _day_required(errors, "answered_on", answered_on),
        "status": OpinionStatus.ANSWERED,
    }
    return _save(opinion, changes, REASON_ANSWER, acting_user, errors)


@transaction.atomic
def opinion_return(
    *, opinion: Opinion, returned_on: datetime.date, returned_how: str = "", acting_user=None
) -> Opinion:
    """Record that the answer was brought back to the citizen (when, how)."""
    _open(opinion, acting_user)
    if opinion.status not in (OpinionStatus.ANSWERED, OpinionStatus.RETURNED):
        raise ValidationError(ERROR_NOT_ANSWERED)
    errors: dict[str, list] = {}
    changes = {
        "returned_on": _day_required(errors, "returned_on", returned_on),
        "returned_how": normalize(returned_how or "")[:200],
        "status": OpinionStatus.RETURNED,
    }
    return _save(opinion, changes, REASON_RETURN, acting_user, errors)


@transaction.atomic
def opinion_close(*, opinion: Opinion, closed_on: datetime.date, acting_user=None) -> Opinion:
    """Close an answered opinion (brought back to the citizen or not)."""
    _open(opinion, acting_user)
    if opinion.status not in (OpinionStatus.ANSWERED, OpinionStatus.RETURNED):
        raise ValidationError(ERROR_NOT_ANSWERED)
    errors: dict[str, list] = {}
    changes = {
        "closed_on": _day_required(errors, "closed_on", closed_on),
        "status": OpinionStatus.CLOSED,
    }
    return _save(opinion, changes, REASON_CLOSE, acting_user, errors)


@transaction.atomic
def hot_spot_flag(
    *,
    opinion: Opinion,
    severity: str,
    since: datetime.date,
    note: str = "",
    acting_user=None,
) -> Opinion:
    """Flag the matter as a hot spot (điểm nóng) of ``severity`` from ``since``, or
    change the severity of one being followed. A resolved hot spot that flares up again
    is flagged anew (the trail keeps the first one). Allowed at any step: a closed
    opinion's matter can still flare up."""
    check_area(acting_user, opinion.area_path)
    errors: dict[str, list] = {}
    if severity not in Severity.values:
        errors["severity"] = [ERROR_SEVERITY]
    changes = {
        "hot_spot_severity": severity,
        "hot_spot_since": _day_required(errors, "since", since),
        "hot_spot_note": normalize(note or "")[:300],
        "hot_spot_resolved_on": None,
    }
    return _save(opinion, changes, REASON_FLAG, acting_user, errors)


@transaction.atomic
def hot_spot_resolve(
    *, opinion: Opinion, resolved_on: datetime.date, note: str = "", acting_user=None
) -> Opinion:
    """The hot spot is resolved on ``resolved_on`` (not before it was flagged)."""
    check_area(acting_user, opinion.area_path)
    if not opinion.hot_spot_open:
        raise ValidationError(ERROR_NOT_HOT_SPOT)
    errors: dict[str, list] = {}
    changes = {"hot_spot_resolved_on": _day_required(errors, "resolved_on", resolved_on)}
    if note:
        changes["hot_spot_note"] = normalize(note)[:300]
    return _save(opinion, changes, REASON_RESOLVE, acting_user, errors)


@transaction.atomic
def opinion_contact_erase(*, opinion: Opinion, acting_user=None) -> Opinion:
    """Erase the citizen's name and phone because they asked (Personal Data Protection
    Law): an audited change with the reason ``REASON_SUBJECT_REQUEST``, and the values
    blanked in the opinion's earlier history rows too, as the retention rule does
    (``portal.data_request.erase_from_history``). Allowed at any step, a closed opinion
    included; what was said, the answer and the steps stay."""
    check_area(acting_user, opinion.area_path)
    if not (opinion.citizen_name or opinion.citizen_phone):
        raise ValidationError(ERROR_NO_CONTACT)
    _save(opinion, dict.fromkeys(CONTACT_FIELDS, ""), REASON_SUBJECT_REQUEST, acting_user)
    erase_from_history(Opinion, [opinion.pk], CONTACT_FIELDS)
    return opinion


@transaction.atomic
def opinion_contact_correct(
    *, opinion: Opinion, citizen_name: str, citizen_phone: str, acting_user=None
) -> Opinion:
    """Correct the citizen's name and phone because they asked (Personal Data
    Protection Law): read as on receipt (``_received_values``: the phone through
    ``parse_phone``), saved with the reason ``REASON_SUBJECT_REQUEST``; the folded search
    name follows on save. Allowed at any step, a closed opinion included. Both empty is
    an erasure, refused here (``opinion_contact_erase`` also blanks the history); so is
    a correction that changes nothing. The history keeps the earlier values: a
    correction is a change like any other."""
    check_area(acting_user, opinion.area_path)
    changes = _received_values({"citizen_name": citizen_name, "citizen_phone": citizen_phone})
    if not any(changes.values()):
        raise ValidationError(ERROR_CONTACT_EMPTY)
    if all(getattr(opinion, field) == value for field, value in changes.items()):
        raise ValidationError(ERROR_CONTACT_UNCHANGED)
    return _save(opinion, changes, REASON_SUBJECT_REQUEST, acting_user)


@transaction.atomic
def overdue_days_set(*, province: Area, days: int, acting_user=None) -> ProvinceWorkSettings:
    """Set how many days ``province`` (2025 map) gives to answer an opinion, and move
    the due date of every opinion of the province with it (one UPDATE: the due date is
    derived, so "overdue" is counted by the new rule for every day, past ones too)."""
    if acting_user is not None and not scope_of(acting_user).covers(province.path):
        raise PermissionDenied(ERROR_SETTINGS_OUTSIDE)
    settings_row = ProvinceWorkSettings.objects.filter(province=province).first()
    if settings_row is None:
        settings_row = ProvinceWorkSettings(province=province)
    settings_row.overdue_days = days
    settings_row.updated_by = account_of(acting_user)
    settings_row.full_clean()
    with audited(acting_user, REASON_SETTINGS):
        settings_row.save()
    Opinion.objects.filter(area_path__descendant_of=province.path).update(
        due_on=AddDays("received_on", days)
    )
    stats_changed(province.path)
    return settings_row


def received_values(opinion: Opinion) -> dict:
    """The opinion's received details, as ``opinion_update`` takes them (the form's
    initial values)."""
    return {field: getattr(opinion, field) for field in RECEIVED_FIELDS}
