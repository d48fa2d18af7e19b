"""A person's own data, on request (Personal Data Protection Law, Decree 356/2025/NĐ-CP):
everything the portal holds about one person as one workbook, and the retention rule for
phone numbers. docs/SECURITY.md ("Personal data").

- ``subject_access_workbook(person)``: identity, every membership (held or ended) with its
  unit and commune, the member ratings of those memberships, and every history row about
  the person and their memberships (when, who, through which door, why, what changed).
  Staff whose area covers the person download it from the person's page; the download is
  recorded as an answered request (``audit.ExportRecord``, "Yêu cầu của chủ thể dữ liệu").
  Corrections then go through the normal forms, with the reason "yêu cầu của chủ thể dữ
  liệu".
- ``phones_to_erase(today, years)``: people with a phone and no membership in force in the
  last ``years`` years (``DANVAN_PHONE_RETENTION_YEARS``, 5 by default);
  ``stale_phones_erase`` erases them with an audit entry each and blanks the number in
  their earlier history rows (the ``erase_stale_phones`` command runs it and prints the
  count).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from members.models import Membership, Person
from portal.audit import audit_context, bulk_update
from portal.data_request import (
    REASON_SUBJECT_REQUEST,  # noqa: F401 (the reason of corrections on request)
    erase_from_history,
    new_workbook,
    retention_cutoff,
    workbook_bytes,
    write_history_sheet,
    write_sheet,
)
from portal.formats import day, day_time

#: The reason recorded when the retention rule erases a phone number.
REASON_RETENTION = "Hết thời hạn lưu số điện thoại ({years} năm không tham gia đơn vị nào)"


def subject_access_workbook(person: Person) -> tuple[bytes, int]:
    """The workbook of everything held about ``person``, and its number of data rows."""
    from evaluations.models import MemberRating

    workbook = new_workbook()
    identity = [
        (_("Họ và tên"), person.full_name),
        (_("Giới tính"), person.get_gender_display()),
        (_("Năm sinh"), person.birth_year),
        (_("Dân tộc"), person.ethnicity),
        (_("Đảng viên"), _("Có") if person.party_member else _("Không")),
        (_("Số điện thoại"), person.phone),
        (_("Chức vụ"), person.position),
        (_("Tỉnh"), person.province.name),
        (_("Ghi nhận lúc"), day_time(person.created_at)),
        (_("Cập nhật lúc"), day_time(person.updated_at)),
    ]
    total = write_sheet(workbook, _("Thông tin cá nhân"), [_("Mục"), _("Giá trị")], identity)
    memberships = list(
        Membership.objects.filter(person=person)
        .select_related("unit__area")
        .order_by("start_date", "pk")
    )
    total += write_sheet(
        workbook,
        _("Tham gia đơn vị"),
        [_("Đơn vị"), _("Địa bàn"), _("Vai trò"), _("Ngày tham gia"), _("Ngày thôi"),
         _("Lý do thôi")],
        (
            (m.unit.name, m.unit.area.name, m.get_role_display(), day(m.start_date),
             day(m.end_date), m.end_reason)
            for m in memberships
        ),
    )  # fmt: skip
    ratings = MemberRating.objects.filter(membership__in=memberships).select_related(
        "membership__unit"
    )
    total += write_sheet(
        workbook,
        _("Đánh giá thành viên"),
        [_("Năm"), _("Đơn vị"), _("Kết quả")],
        ((r.year, r.membership.unit.name, str(r)) for r in ratings.order_by("year", "pk")),
    )
    history = [(_("Thông tin cá nhân"), record) for record in person.history.all()]
    for membership in memberships:
        history += [(membership.unit.name, record) for record in membership.history.all()]
    total += write_history_sheet(workbook, history)
    return workbook_bytes(workbook), total


def phones_to_erase(*, today: datetime.date, years: int):
    """People with a phone number and no membership in force on any day of the last
    ``years`` years (still open, or ended after the cut-off)."""
    cutoff = retention_cutoff(today=today, years=years)
    recent = Membership.objects.filter(person=OuterRef("pk")).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=cutoff)
    )
    return Person.objects.exclude(phone="").exclude(Exists(recent))


@transaction.atomic
def stale_phones_erase(*, today: datetime.date, years: int, dry_run: bool = False) -> int:
    """Erase the phone number of ``phones_to_erase`` (each an audited change with the
    retention reason, one transaction), and in their earlier history rows too: the trail
    keeps that a phone was held and erased, not the number. The number of people (that
    would be) changed."""
    people = list(phones_to_erase(today=today, years=years).select_for_update())
    if not dry_run:
        for person in people:
            person.phone = ""
        with audit_context(reason=REASON_RETENTION.format(years=years)):
            bulk_update(Person, people, ["phone"])
        erase_from_history(Person, [p.pk for p in people], ["phone"])
    return len(people)
