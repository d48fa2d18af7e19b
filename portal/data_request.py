"""The shape of a data subject's workbook (Personal Data Protection Law, Decree
356/2025/NĐ-CP), shared by a roster person's export (``members.subject_access``) and a
citizen's (``work.citizen_data``): write-only sheets of safe cells with a bold header,
dates as the portal writes them, and one history sheet (when, about what, action, who,
door, reason). docs/SECURITY.md ("Personal data")."""

from __future__ import annotations

import datetime
import io

from django.utils.translation import gettext as _

from portal.cells import text_cell
from portal.formats import day_time

#: The reason recorded on corrections and erasures made because the data subject (a
#: roster person, a citizen) asked (stored, Vietnamese).
REASON_SUBJECT_REQUEST = "yêu cầu của chủ thể dữ liệu"


def retention_cutoff(*, today: datetime.date, years: int) -> datetime.date:
    """The last day a retention rule of ``years`` years counted from ``today`` reaches:
    what ended on or before it is older than the rule keeps."""
    return today - datetime.timedelta(days=round(365.25 * years))


def erase_from_history(model, pks, fields) -> int:
    """Blank ``fields`` in every history row of the ``model`` objects ``pks`` (one
    ``UPDATE``): a retention rule erases the value, not only its current copy. The rows
    stay, with when, who, the door and the reason: the trail shows that a value was
    held and erased, no longer what it was. The number of history rows changed."""
    if not pks:
        return 0
    return model.history.filter(id__in=list(pks)).update(**dict.fromkeys(fields, ""))


def new_workbook():
    from openpyxl import Workbook

    return Workbook(write_only=True)


def write_sheet(workbook, title: str, header: list[str], rows) -> int:
    """A sheet ``title`` with a bold ``header`` and ``rows`` (every text through
    ``text_cell``, so a formula-looking text stays text); returns the number of rows."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(title[:31])
    cells = []
    for text in header:
        cell = text_cell(WriteOnlyCell(sheet), text)
        cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)
    count = 0
    for row in rows:
        sheet.append([text_cell(WriteOnlyCell(sheet), v) if isinstance(v, str) else v for v in row])
        count += 1
    return count


def write_history_sheet(workbook, entries) -> int:
    """The sheet "Lịch sử thay đổi" of ``entries``, pairs (about, history record), in
    the order of the records' time then id."""
    ordered = sorted(entries, key=lambda item: (item[1].history_date, item[1].pk))
    return write_sheet(
        workbook,
        _("Lịch sử thay đổi"),
        [_("Lúc"), _("Về"), _("Thao tác"), _("Người thực hiện"), _("Kênh"), _("Lý do")],
        (
            (day_time(record.history_date), about, record.get_history_type_display(),
             record.history_user.get_username() if record.history_user else "",
             getattr(record, "door", "") or "", record.history_change_reason or "")
            for about, record in ordered
        ),
    )  # fmt: skip


def workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
