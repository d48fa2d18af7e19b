"""Writes of the periodic reports' written part, and a commune's submission to its
province. Atomic, recorded in the audit trail, refused in Vietnamese outside the acting
user's area or once a commune's report has been submitted."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.periodic.models import PeriodicReport
from reports.periodic.periods import Period
from units.choices import Level
from units.models import Area
from work.services import account_of, audited, check_area, text_block

SECTION_FIELDS = ("situation", "results", "shortcomings", "proposals")

ERROR_SUBMITTED = _("Báo cáo đã gửi lên tỉnh ngày {date}: không sửa được nữa.")
ERROR_NOT_COMMUNE = _("Chỉ báo cáo của xã, phường được gửi lên tỉnh.")
REASON_SAVE = _("Cập nhật báo cáo định kỳ")
REASON_SUBMIT = _("Gửi báo cáo định kỳ lên tỉnh")


def _locked(report: PeriodicReport) -> None:
    if report.submitted_at is not None:
        day = timezone.localtime(report.submitted_at).strftime("%d/%m/%Y")
        raise ValidationError(str(ERROR_SUBMITTED).format(date=day))


@transaction.atomic
def periodic_report_save(
    *, area: Area, period: Period, acting_user=None, **sections
) -> PeriodicReport:
    """Save the written sections (``SECTION_FIELDS``) of the report of ``area`` for
    ``period``, creating it on the first save."""
    unknown = set(sections) - set(SECTION_FIELDS)
    if unknown:
        raise ValueError(f"unknown sections: {sorted(unknown)}")
    check_area(acting_user, area.path)
    report, _created = PeriodicReport.objects.select_for_update().get_or_create(
        area=area, period=period.code
    )
    _locked(report)
    for name, value in sections.items():
        setattr(report, name, text_block(value))
    report.updated_by = account_of(acting_user)
    report.full_clean()
    with audited(acting_user, REASON_SAVE):
        report.save()
    return report


@transaction.atomic
def periodic_report_submit(*, report: PeriodicReport, acting_user=None) -> PeriodicReport:
    """A commune's report goes to its province, which sees it as submitted; the commune
    no longer changes it."""
    check_area(acting_user, report.area_path)
    if report.area.level != Level.COMMUNE:
        raise ValidationError(ERROR_NOT_COMMUNE)
    _locked(report)
    report.submitted_at = timezone.now()
    report.submitted_by = account_of(acting_user)
    with audited(acting_user, REASON_SUBMIT):
        report.save()
    return report
