"""Every write to people and memberships goes through here.

Views, the admin, imports and commands call these functions; none re-implements a rule.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import scope_of
from members.models import Membership, Person
from members.selectors import people_visible_to
from members.validation import parse_phone
from portal.paths import province_path
from portal.text import fold, normalize
from units.choices import Edition, Level, UnitStatus
from units.models import Area, Unit
from units.selectors import predecessor_province_ids
from units.services import ACTION_SEAT, area_require_exists

ERROR_NAME_REQUIRED = _("Chưa nhập họ và tên.")
ERROR_UNIT_DISSOLVED = _("Đơn vị đã giải thể, không thêm thành viên được.")
ERROR_ALREADY_MEMBER = _("{person} đang là thành viên của đơn vị này.")
ERROR_ALREADY_ENDED = _("Thành viên này đã thôi từ ngày {date}.")
ERROR_END_BEFORE_START = _("Ngày thôi không được trước ngày tham gia ({date}).")
ERROR_END_IN_FUTURE = _("Ngày thôi không được sau hôm nay.")
ERROR_MERGE_SELF = _("Không thể gộp một người với chính người đó.")
ERROR_MERGE_PROVINCE = _(
    "Chỉ gộp được hai hồ sơ trong cùng một tỉnh (hoặc một tỉnh trước 01/07/2025 với tỉnh "
    "kế thừa nó)."
)
ERROR_MERGE_OVERLAP = _(
    "Hai hồ sơ cùng đang là thành viên của {unit}: kết thúc một trong hai trước khi gộp."
)
ERROR_SPLIT_EMPTY = _("Chọn ít nhất một lượt tham gia để tách sang hồ sơ mới.")
ERROR_SPLIT_ALL = _("Phải giữ lại ít nhất một lượt tham gia cho hồ sơ hiện tại.")
ERROR_SPLIT_FOREIGN = _("Lượt tham gia được chọn không thuộc hồ sơ này.")
ERROR_DISSOLVE_DATE = _("Ngày giải thể không được sau hôm nay.")
ERROR_ALREADY_DISSOLVED = _("Đơn vị đã giải thể từ ngày {date}.")
ERROR_OTHER_PROVINCE = _(
    "Người này được ghi nhận ở tỉnh khác: chỉ thêm được vào đơn vị cùng tỉnh với hồ sơ "
    "(hoặc của tỉnh kế thừa tỉnh đó từ 01/07/2025)."
)

END_REASON_DISSOLVED = "Đơn vị giải thể"

#: Person fields a roster can set.
PERSON_FIELDS = (
    "full_name",
    "gender",
    "birth_year",
    "ethnicity",
    "party_member",
    "phone",
    "position",
)


def province_of(area: Area) -> Area:
    """The province above ``area`` (or the area itself), in one query at most."""
    if area.level == Level.PROVINCE:
        return area
    return Area.objects.get(path=province_path(area.path))


def provinces_across(province: Area) -> list[int]:
    """Ids of ``province`` and, for a 2025 province, of the legacy provinces merged into
    it: where the identity rule looks for a person (one query for a 2025 province)."""
    ids = [province.pk]
    if province.edition == Edition.V2025:
        ids += predecessor_province_ids([province.pk])[province.pk]
    return ids


def _successor_of(older: Area | int, newer: Area) -> bool:
    """Whether the province ``older`` (or its id) was merged into the 2025 ``newer``."""
    older_id = older if isinstance(older, int) else older.pk
    return newer.edition == Edition.V2025 and older_id in provinces_across(newer)[1:]


def person_identity_matches(
    *, province: Area, full_name: str, birth_year, phone: str = "", acting_user=None
):
    """People of ``province`` whom the identity rule takes for this person.

    Same folded full name and birth year within the province (a 2025 province with the
    legacy provinces merged into it: the rule works across the border), and phones that
    agree: equal, or one of them unknown. A name without a birth year matches only
    people whose birth year is unknown too. See docs/ROSTERS.md.
    """
    people = Person.objects.filter(
        province_id__in=provinces_across(province),
        search_name=fold(full_name),
        birth_year=birth_year,
    )
    if acting_user is not None and not scope_of(acting_user).everything:
        # Only people the acting user may already see: matching someone seated only
        # in another commune would reveal and overwrite their record.
        people = people.filter(pk__in=people_visible_to(acting_user).values("pk"))
    if phone:
        people = people.filter(Q(phone="") | Q(phone=phone))
    return people.order_by("pk")


def person_find(
    *, province: Area, full_name: str, birth_year, phone: str = "", acting_user=None
) -> Person | None:
    """The one person the identity rule recognises, or None (none, or ambiguous)."""
    matches = list(
        person_identity_matches(
            province=province,
            full_name=full_name,
            birth_year=birth_year,
            phone=phone,
            acting_user=acting_user,
        )[:2]
    )
    return matches[0] if len(matches) == 1 else None


def _given(data: dict) -> dict:
    """The details actually given: blank ones ("" or None) left out, except the full
    name, whose absence is an error rather than "keep the stored one"."""
    return {k: v for k, v in data.items() if k == "full_name" or v not in ("", None)}


def _person_values(data: dict) -> dict:
    values = {k: v for k, v in data.items() if k in PERSON_FIELDS}
    if "full_name" in values:
        values["full_name"] = normalize(values["full_name"])
        if not values["full_name"]:
            raise ValidationError({"full_name": ERROR_NAME_REQUIRED})
    if values.get("phone"):
        try:
            values["phone"] = parse_phone(values["phone"])
        except ValueError as exc:
            raise ValidationError({"phone": str(exc)}) from None
    if "position" in values:
        values["position"] = normalize(values["position"] or "")
    return values


@transaction.atomic
def person_create(*, province: Area, acting_user=None, **data) -> Person:
    """A new person recorded in ``province``."""
    person = Person(province=province, **_person_values(data))
    person.fill_derived_fields()
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_update(*, person: Person, acting_user=None, **data) -> Person:
    """Change a person's details (name, birth year, phone ...)."""
    for field, value in _person_values(data).items():
        setattr(person, field, value)
    person.fill_derived_fields()
    person.full_clean()
    person.save()
    return person


def _in_province_of(person: Person, unit: Unit) -> bool:
    """Whether ``person`` is recorded in the province of ``unit`` (no query when the
    person's province is loaded)."""
    path = province_path(unit.area_path)
    if Person.province.is_cached(person):
        return person.province.path == path
    return Area.objects.filter(pk=person.province_id, path=path).exists()


def _bring_across(person: Person, unit: Unit, acting_user=None) -> bool:
    """A person recorded in a legacy province seated in a unit of the 2025 province
    that absorbed it: the person's province becomes the 2025 one (one record, its
    history kept in the audit trail). False when the provinces are unrelated."""
    province = province_of(unit.area)
    if not _successor_of(person.province_id, province):
        return False
    person.province = province
    person.save()
    return True


@transaction.atomic
def membership_add(
    *,
    unit: Unit,
    acting_user=None,
    person: Person | None = None,
    role: str = "member",
    start_date: datetime.date | None = None,
    **person_data,
) -> Membership:
    """Seat a person in ``unit``. Without ``person``, the person is found by the identity
    rule in the unit's province, or created from ``person_data``.

    A blank detail ("" or None) keeps what a recognised person's record holds: a form or
    a file that leaves the phone out never wipes what another door recorded (a new
    record starts blank anyway); a value, ``party_member=False`` included, is set. To
    clear a detail, edit the person (``membership_update`` / ``person_update`` set what
    they are given). The full name is always required.
    """
    if unit.status != UnitStatus.ACTIVE:
        raise ValidationError(ERROR_UNIT_DISSOLVED)
    # No seat starts in an area that has ceased (a legacy commune after 30/06/2025):
    # today when no start date is given. An earlier start in a 2025 unit is the day the
    # person joined the predecessor's unit; the seat counts from the area's first day.
    area_require_exists(
        unit.area,
        start_date or timezone.localdate(),
        action=ACTION_SEAT,
        field="start_date",
        ended_only=True,
    )
    if person is None:
        values = _person_values(_given(person_data))
        province = province_of(unit.area)
        person = person_find(
            province=province,
            full_name=values.get("full_name", ""),
            birth_year=values.get("birth_year"),
            phone=values.get("phone", ""),
            acting_user=acting_user,
        )
        if person is None:
            person = person_create(province=province, acting_user=acting_user, **values)
        else:
            # Recognised: the stored spelling of the name stays; other details update.
            values.pop("full_name", None)
            if values:
                person = person_update(person=person, acting_user=acting_user, **values)
            if person.province_id != province.pk:  # recognised across the border
                _bring_across(person, unit, acting_user)
    elif not _in_province_of(person, unit) and not _bring_across(person, unit, acting_user):
        # A person sits only in units of the province they are recorded in (or of the
        # 2025 province that absorbed it): the identity rule works within a province,
        # and the statistics add provinces up (reports.stats.country_stats).
        raise ValidationError(ERROR_OTHER_PROVINCE)
    if Membership.objects.filter(unit=unit, person=person, end_date__isnull=True).exists():
        raise ValidationError(ERROR_ALREADY_MEMBER.format(person=person))
    membership = Membership(unit=unit, person=person, role=role, start_date=start_date)
    membership.fill_derived_fields()
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_update(
    *, membership: Membership, acting_user=None, role=None, start_date=None, **person_data
) -> Membership:
    """Change the role or start date of a seat, and the person's details."""
    if person_data:
        person_update(person=membership.person, acting_user=acting_user, **person_data)
    if role is not None:
        membership.role = role
    if start_date is not None:
        membership.start_date = start_date
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_end(
    *, membership: Membership, end_date: datetime.date, acting_user=None, end_reason: str = ""
) -> Membership:
    """Record a departure. The membership stays, with its end date and reason, as history."""
    if membership.end_date is not None:
        raise ValidationError(
            ERROR_ALREADY_ENDED.format(date=membership.end_date.strftime("%d/%m/%Y"))
        )
    if end_date > timezone.localdate():
        raise ValidationError({"end_date": ERROR_END_IN_FUTURE})
    if membership.start_date and end_date < membership.start_date:
        raise ValidationError(
            {
                "end_date": ERROR_END_BEFORE_START.format(
                    date=membership.start_date.strftime("%d/%m/%Y")
                )
            }
        )
    membership.end_date = end_date
    membership.end_reason = normalize(end_reason)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def unit_dissolve(*, unit: Unit, dissolved_on: datetime.date, acting_user=None) -> Unit:
    """Dissolve a unit: its open memberships end on the same day, as history."""
    if unit.status == UnitStatus.DISSOLVED:
        # A second dissolution would move the date away from the day its seats ended.
        raise ValidationError(
            ERROR_ALREADY_DISSOLVED.format(date=unit.dissolved_on.strftime("%d/%m/%Y"))
        )
    if dissolved_on > timezone.localdate():
        raise ValidationError({"dissolved_on": ERROR_DISSOLVE_DATE})
    for membership in unit.memberships.filter(end_date__isnull=True).select_related("unit"):
        membership_end(
            membership=membership,
            end_date=max(dissolved_on, membership.start_date or dissolved_on),
            end_reason=END_REASON_DISSOLVED,
            acting_user=acting_user,
        )
    unit.status = UnitStatus.DISSOLVED
    unit.dissolved_on = dissolved_on
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def person_merge(*, keep: Person, duplicate: Person, acting_user=None) -> Person:
    """Two records of one person become one: ``duplicate``'s memberships move to ``keep``,
    blanks in ``keep`` are filled from ``duplicate``, and ``duplicate`` is deleted."""
    if keep.pk == duplicate.pk:
        raise ValidationError(ERROR_MERGE_SELF)
    province = keep.province
    if keep.province_id != duplicate.province_id:
        # Across the border: a record of a legacy province and one of the 2025 province
        # that absorbed it are one person, kept in the 2025 province.
        if _successor_of(keep.province_id, duplicate.province):
            province = duplicate.province
        elif not _successor_of(duplicate.province_id, keep.province):
            raise ValidationError(ERROR_MERGE_PROVINCE)
    # Lock both rows in id order so two merges of the same pair cannot interleave.
    locked = {
        p.pk: p
        for p in Person.objects.select_for_update()
        .filter(pk__in=[keep.pk, duplicate.pk])
        .order_by("pk")
    }
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]
    open_units = set(
        keep.memberships.filter(end_date__isnull=True).values_list("unit_id", flat=True)
    )
    clash = (
        duplicate.memberships.filter(end_date__isnull=True, unit_id__in=open_units)
        .select_related("unit")
        .first()
    )
    if clash:
        raise ValidationError(ERROR_MERGE_OVERLAP.format(unit=clash.unit))
    for field in PERSON_FIELDS:
        if getattr(keep, field) in ("", None) and getattr(duplicate, field) not in ("", None):
            setattr(keep, field, getattr(duplicate, field))
    keep.party_member = keep.party_member or duplicate.party_member
    keep.province = province
    for membership in duplicate.memberships.all():
        membership.person = keep
        membership.save(update_fields=["person", "updated_at"])
    duplicate.delete()
    keep.fill_derived_fields()
    keep.full_clean()
    keep.save()
    return keep


@transaction.atomic
def person_split(*, person: Person, memberships, acting_user=None, **data) -> Person:
    """One record that holds two people becomes two: the chosen memberships move to a new
    person, a copy of ``person`` with ``data`` applied (at least a different name, birth
    year or phone, usually)."""
    chosen = list(memberships)
    if not chosen:
        raise ValidationError(ERROR_SPLIT_EMPTY)
    if any(m.person_id != person.pk for m in chosen):
        raise ValidationError(ERROR_SPLIT_FOREIGN)
    if len(chosen) >= person.memberships.count():
        raise ValidationError(ERROR_SPLIT_ALL)
    values = {field: getattr(person, field) for field in PERSON_FIELDS}
    values.update(data)
    new_person = person_create(province=person.province, acting_user=acting_user, **values)
    for membership in chosen:
        membership.person = new_person
        membership.save(update_fields=["person", "updated_at"])
    return new_person
