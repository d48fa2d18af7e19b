"""A citizen's own data in the opinions (Personal Data Protection Law, Decree
356/2025/NĐ-CP): finding what is held about them on request, as one workbook, and the
retention rule for their contact details. docs/SECURITY.md ("Personal data"),
docs/WORK.md.

An opinion holds a citizen's name and phone, not a link to a person; a request is
answered by searching them:

- ``citizen_condition(phone=, name=)``: the phone as ``members.validation.parse_phone``
  stores it (spaces, dots, +84 or 84 and a lost leading 0 allowed) and/or the name
  folded (``portal.text.fold``: case and diacritics ignored) equal to the opinion's whole
  folded name. With both, an opinion matches when one of them matches and the other is
  either equal or not recorded on it (a different phone with the same name is another
  citizen).
- ``citizen_opinions(user=, ...)``: the matches among the opinions ``user`` may see
  (``work.selectors.opinions_visible_to``), never beyond.
- ``citizen_workbook(opinions)``: every field of those opinions and every history row
  of them, in the shape of a roster person's export (``portal.data_request``).
- ``citizen_contacts_erase(today=, years=)``: closed opinions closed on or before the
  retention cut-off (``DANVAN_CITIZEN_CONTACT_RETENTION_YEARS``, 5 by default) lose the
  citizen's name and phone, each an audited change with the retention reason, and so do
  their earlier history rows; opinions still open are never touched (``manage.py
  erase_stale_phones``).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from portal.audit import audit_context, bulk_update
from portal.data_request import (
    erase_from_history,
    new_workbook,
    retention_cutoff,
    workbook_bytes,
    write_history_sheet,
    write_sheet,
)
from portal.formats import day, day_time
from portal.text import fold
from work.choices import OpinionStatus
from work.models import Opinion
from work.selectors import opinions_visible_to

#: The reason recorded when the retention rule erases a citizen's contact details.
REASON_CITIZEN_RETENTION = (
    "Hết thời hạn lưu họ tên, số điện thoại người dân ({years} năm sau khi kết thúc ý kiến)"
)

#: The opinion's fields in the workbook, in this order (``area_path`` and
#: ``citizen_search_name`` are derived from others and left out).
WORKBOOK_FIELDS = (
    "received_on", "unit", "channel", "topic", "summary", "citizen_name", "citizen_phone",
    "status", "due_on", "forwarded_to", "forwarded_on", "answer", "answered_by",
    "answered_on", "returned_on", "returned_how", "closed_on", "hot_spot_severity",
    "hot_spot_since", "hot_spot_note", "hot_spot_resolved_on", "recorded_by", "created_at",
    "updated_at",
)  # fmt: skip


def citizen_condition(*, phone: str = "", name: str = "") -> Q:
    """The opinions of the citizen with ``phone`` (as stored: ``parse_phone``'s form)
    and/or ``name`` (any case and diacritics). Raises ``ValueError`` when both are
    empty: a request never searches everything."""
    folded = fold(name)
    if not phone and not folded:
        raise ValueError("a phone or a name is needed")
    if not folded:
        return Q(citizen_phone=phone)
    if not phone:
        return Q(citizen_search_name=folded)
    return Q(citizen_phone=phone, citizen_search_name__in=(folded, "")) | Q(
        citizen_search_name=folded, citizen_phone=""
    )


def citizen_opinions(*, user, phone: str = "", name: str = "") -> QuerySet:
    """The citizen's opinions among those ``user`` may see, newest first, with their
    unit, commune and recorder."""
    return (
        opinions_visible_to(user)
        .filter(citizen_condition(phone=phone, name=name))
        .select_related("unit__area", "unit__commune", "recorded_by")
        .order_by("-received_on", "-pk")
    )


def _value(opinion: Opinion, name: str):
    field = Opinion._meta.get_field(name)
    if field.choices:
        return getattr(opinion, f"get_{name}_display")()
    value = getattr(opinion, name)
    if name == "unit":
        commune = value.commune if value.is_team else None
        return f"{value.name}, {commune.name}" if commune else value.name
    if name == "recorded_by":
        return value.get_username() if value else ""
    if isinstance(value, datetime.datetime):
        return day_time(value)
    if isinstance(value, datetime.date):
        return day(value)
    return value


def citizen_workbook(opinions: list[Opinion]) -> tuple[bytes, int]:
    """Everything held in ``opinions`` (one row each) and every history row of them, as
    one workbook, and its number of data rows. Two queries besides the opinions."""
    workbook = new_workbook()
    header = [_("Mã ý kiến")] + [
        capfirst(str(Opinion._meta.get_field(name).verbose_name)) for name in WORKBOOK_FIELDS
    ]
    total = write_sheet(
        workbook,
        _("Ý kiến, kiến nghị"),
        header,
        ([o.pk] + [_value(o, name) for name in WORKBOOK_FIELDS] for o in opinions),
    )
    records = Opinion.history.filter(id__in=[o.pk for o in opinions]).select_related("history_user")
    about = _("Ý kiến số {id}")
    total += write_history_sheet(workbook, [(about.format(id=r.id), r) for r in records])
    return workbook_bytes(workbook), total


def citizen_contacts_to_erase(*, today: datetime.date, years: int) -> QuerySet:
    """Closed opinions, closed on or before the cut-off of ``years`` years before
    ``today``, that still hold a citizen's name or phone."""
    return Opinion.objects.filter(
        status=OpinionStatus.CLOSED,
        closed_on__lte=retention_cutoff(today=today, years=years),
    ).exclude(citizen_name="", citizen_phone="")


@transaction.atomic
def citizen_contacts_erase(*, today: datetime.date, years: int, dry_run: bool = False) -> int:
    """Erase the citizen's name and phone on ``citizen_contacts_to_erase`` (each an
    audited change with the retention reason, one transaction); the number of opinions
    (that would be) changed."""
    opinions = list(citizen_contacts_to_erase(today=today, years=years).select_for_update())
    if not dry_run:
        for opinion in opinions:
            opinion.citizen_name = opinion.citizen_phone = opinion.citizen_search_name = ""
        with audit_context(reason=REASON_CITIZEN_RETENTION.format(years=years)):
            bulk_update(Opinion, opinions, ["citizen_name", "citizen_phone", "citizen_search_name"])
        # Nor does the trail keep them (the rows stay: when, who, why).
        erase_from_history(Opinion, [o.pk for o in opinions], ["citizen_name", "citizen_phone"])
    return len(opinions)
