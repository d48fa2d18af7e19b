"""The activities workbook: many activities of many units at once (docs/WORK.md,
"Importing activities").

The file is read by the rosters' reader (``members.imports.read_table`` with a
``SheetLayout``: .xlsx or UTF-8 CSV, the header row found by its "Loại hoạt động"
cell, the same size and row limits, the same whole-file messages), every row is checked
against the same rules as the entry form (``work.services.activity_problems``) before
anything is written, and a file with any error writes nothing: each error names its
sheet row and column, in Vietnamese, and the error report is the uploaded file with a
"Lỗi" column (``members.imports.error_report_workbook``).

Rows are matched to units by commune code, village name and kind of unit, as in a
roster. A row identical to an activity already recorded (same unit, day, kind, place,
numbers and description) is not recorded twice, so uploading the same file again
records nothing. The lookups take a fixed number of queries whatever the size of the
file; the writes are bulk inserts with their audit rows, in one transaction.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.access import scope_of
from members.imports import (
    COL_CODE,
    COL_COMMUNE,
    COL_UNIT,
    COL_VILLAGE,
    EDITION_WORDS,
    ERROR_CODE_UNKNOWN,
    ERROR_COMMUNE_NAME,
    ERROR_OUT_OF_SCOPE,
    ERROR_REQUIRED,
    ERROR_TOO_LONG,
    commune_code,
    commune_name_matches,
    error_report_workbook,
)
from members.validation import parse_date, parse_unit_kind
from portal import audit
from portal.paths import province_path
from portal.spreadsheets import RowError, SheetLayout, read_table
from portal.text import fold, normalize
from units.choices import Level, UnitKind, UnitStatus
from units.models import Area, Unit
from units.selectors import edition_default
from units.services import VillageAmbiguous, VillageIndex
from units.signals import data_changed
from work.choices import ACTIVITY_KIND_ALIASES, ACTIVITY_KIND_WORDS, ActivityKind
from work.models import Activity
from work.services import activity_problems, default_place, text_block

logger = logging.getLogger(__name__)

# --- The layout (docs/WORK.md): Vietnamese headers, never translated. -----------------
COL_DATE = "Ngày"
COL_KIND = "Loại hoạt động"
COL_PLACE = "Địa điểm"
COL_PARTICIPANTS = "Số người tham gia"
COL_REACHED = "Số người dân tiếp cận"
COL_WORK_DAYS = "Số ngày công"
COL_DESCRIPTION = "Nội dung"
COLUMNS = (
    COL_CODE, COL_COMMUNE, COL_VILLAGE, COL_UNIT, COL_DATE, COL_KIND, COL_PLACE,
    COL_PARTICIPANTS, COL_REACHED, COL_WORK_DAYS, COL_DESCRIPTION,
)  # fmt: skip
REQUIRED_COLUMNS = (COL_CODE, COL_UNIT, COL_DATE, COL_KIND)
#: The model field each column fills, for the service's messages.
FIELD_COLUMNS = {
    "date": COL_DATE,
    "kind": COL_KIND,
    "place": COL_PLACE,
    "participants": COL_PARTICIPANTS,
    "people_reached": COL_REACHED,
    "work_days": COL_WORK_DAYS,
    "description": COL_DESCRIPTION,
}
TEXT_LIMITS = {COL_PLACE: 200, COL_DESCRIPTION: 1000, COL_VILLAGE: 150}
BATCH_SIZE = 1000

ERROR_NO_HEADER = _(
    "Không tìm thấy dòng tiêu đề: cần một dòng có ô “Loại hoạt động” "
    "(hãy tải tệp mẫu để biết tên các cột)."
)
ERROR_KIND = _(
    "Loại hoạt động “{value}” không hợp lệ: ghi Tuyên truyền, Gặp gỡ nhân dân, "
    "Thăm hộ gia đình, Hòa giải, Ngày công hoặc Khác."
)
ERROR_NUMBER = _("“{value}” không phải một số nguyên từ 0 trở lên.")
ERROR_VILLAGE_FOR_BLOC = _(
    "Dòng của Khối dân vận không ghi thôn/tổ dân phố (Khối dân vận đặt ở cấp xã); "
    "hoạt động của tổ thì ghi Đơn vị là Tổ dân vận."
)
ERROR_VILLAGE_REQUIRED = _("Dòng của Tổ dân vận phải ghi tên thôn/tổ dân phố.")
ERROR_VILLAGE_UNKNOWN = _("{commune} không có thôn, tổ dân phố “{village}”.")
ERROR_VILLAGE_AMBIGUOUS = _(
    "“{village}” viết không dấu trùng với nhiều thôn của {commune} ({names}): hãy ghi có dấu."
)
ERROR_NO_UNIT = _("{place} chưa có {kind}.")

ACTIVITY_LAYOUT = SheetLayout(
    marker=COL_KIND, columns=COLUMNS, required=REQUIRED_COLUMNS, no_header=ERROR_NO_HEADER
)


@dataclass
class ActivityImportResult:
    """What an import read, recorded and found wrong. Shaped like a roster plan where
    the error report needs it (``errors``, ``header_row``, ``file_format``,
    ``sheet_name``)."""

    filename: str
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    header_row: int = 0
    file_format: str = ""
    sheet_name: str = ""
    written: bool = False

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})


# --- Cells ------------------------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return normalize(str(value))


def parse_count(value) -> int | None:
    """A whole number ≥ 0 from a cell: 12, 12.0, "12", "1.200" (Vietnamese thousands);
    None when empty; ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        if float(value).is_integer() and value >= 0:
            return int(value)
        raise ValueError
    text = normalize(str(value)).replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    if text.isdigit():
        return int(text)
    raise ValueError


_KINDS = {fold(word): kind for kind, word in ACTIVITY_KIND_WORDS.items()}
_KINDS.update(ACTIVITY_KIND_ALIASES)
_KINDS.update({fold(str(kind.label)): kind for kind in ActivityKind})


def parse_activity_kind(value) -> str:
    """The kind a cell names: the workbook's word, the page's label or a common alias,
    ignoring case and diacritics; ValueError otherwise."""
    kind = _KINDS.get(fold(_cell_text(value)))
    if kind is None:
        raise ValueError(ERROR_KIND.format(value=_cell_text(value)))
    return kind


@dataclass(slots=True)
class _Row:
    row: int
    ok: bool = True
    code: str = ""
    commune_name: str = ""
    village: str = ""
    unit_kind: str = ""
    values: dict = field(default_factory=dict)


def _parse(number: int, cells: list, columns: dict, error) -> _Row:
    """One data row, parsed; each bad cell adds an error naming its column."""
    row = _Row(row=number)

    def cell(column):
        index = columns.get(column)
        if index is None or index >= len(cells):
            return None
        value = cells[index]
        return None if isinstance(value, str) and not value.strip() else value

    def fail(column, message):
        error(number, column, message)
        row.ok = False

    for column, limit in TEXT_LIMITS.items():
        if len(_cell_text(cell(column))) > limit:
            fail(column, ERROR_TOO_LONG.format(column=column, limit=limit))
    try:
        row.code = commune_code(cell(COL_CODE)) if cell(COL_CODE) is not None else ""
    except ValueError as exc:
        fail(COL_CODE, str(exc))
    if cell(COL_CODE) is None:
        fail(COL_CODE, ERROR_REQUIRED.format(what=gettext("mã xã")))
    row.commune_name = _cell_text(cell(COL_COMMUNE))
    row.village = _cell_text(cell(COL_VILLAGE))
    if cell(COL_UNIT) is None:
        fail(COL_UNIT, ERROR_REQUIRED.format(what=gettext("đơn vị (Khối dân vận hoặc Tổ dân vận)")))
    else:
        try:
            row.unit_kind = parse_unit_kind(_cell_text(cell(COL_UNIT)))
        except ValueError as exc:
            fail(COL_UNIT, str(exc))
    if cell(COL_DATE) is None:
        fail(COL_DATE, ERROR_REQUIRED.format(what=gettext("ngày")))
    else:
        try:
            row.values["date"] = parse_date(cell(COL_DATE))
        except ValueError as exc:
            fail(COL_DATE, str(exc))
    if cell(COL_KIND) is None:
        fail(COL_KIND, ERROR_REQUIRED.format(what=gettext("loại hoạt động")))
    else:
        try:
            row.values["kind"] = parse_activity_kind(cell(COL_KIND))
        except ValueError as exc:
            fail(COL_KIND, str(exc))
    for column, name in (
        (COL_PARTICIPANTS, "participants"),
        (COL_REACHED, "people_reached"),
        (COL_WORK_DAYS, "work_days"),
    ):
        try:
            row.values[name] = parse_count(cell(column))
        except ValueError:
            fail(column, ERROR_NUMBER.format(value=_cell_text(cell(column))))
    row.values["place"] = _cell_text(cell(COL_PLACE))
    row.values["description"] = text_block(cell(COL_DESCRIPTION))
    return row


# --- Matching rows to units -----------------------------------------------------------------


def _rank(unit: Unit) -> tuple:
    """Active first, then the most recently dissolved."""
    return (unit.status == UnitStatus.ACTIVE, unit.dissolved_on or datetime.date.min, unit.pk)


class _Units:
    """The communes, villages and units of the file's commune codes, loaded in three
    queries; each row then finds its unit in memory."""

    def __init__(self, codes: set[str], edition: str):
        self.edition = edition
        self.communes = {
            a.code: a
            for a in Area.objects.filter(edition=edition, level=Level.COMMUNE, code__in=codes)
        }
        communes = list(self.communes.values())
        self.villages: dict[int, VillageIndex] = {c.pk: VillageIndex() for c in communes}
        for village in Area.objects.filter(parent__in=communes, level=Level.VILLAGE).order_by("pk"):
            self.villages[village.parent_id].add(village)
        # The unit of each area: the active one, else the last dissolved (whose past
        # activities can still be recorded up to its dissolution).
        self.by_area: dict[int, Unit] = {}
        for unit in Unit.objects.filter(commune__in=communes).select_related("area"):
            current = self.by_area.get(unit.area_id)
            if current is None or _rank(unit) > _rank(current):
                self.by_area[unit.area_id] = unit

    def unit_for(self, row: _Row, commune: Area, error) -> Unit | None:
        is_bloc = row.unit_kind == UnitKind.BLOC
        if is_bloc and row.village:
            error(row.row, COL_VILLAGE, ERROR_VILLAGE_FOR_BLOC)
            return None
        if is_bloc:
            area = commune
        else:
            if not row.village:
                error(row.row, COL_VILLAGE, ERROR_VILLAGE_REQUIRED)
                return None
            found = self.villages[commune.pk].match(row.village)
            if isinstance(found, VillageAmbiguous):
                error(
                    row.row,
                    COL_VILLAGE,
                    ERROR_VILLAGE_AMBIGUOUS.format(
                        village=row.village, commune=commune.name, names=found.names()
                    ),
                )
                return None
            if found is None:
                error(
                    row.row,
                    COL_VILLAGE,
                    ERROR_VILLAGE_UNKNOWN.format(commune=commune.name, village=row.village),
                )
                return None
            area = found
        unit = self.by_area.get(area.pk)
        if unit is None or (unit.kind == UnitKind.BLOC) != is_bloc:
            kind = UnitKind.BLOC.label if is_bloc else UnitKind.TEAM.label
            error(row.row, COL_UNIT, ERROR_NO_UNIT.format(place=area.name, kind=kind))
            return None
        return unit


def _key(activity: Activity) -> tuple:
    """What makes two records the same activity (a file uploaded twice)."""
    return (
        activity.unit_id,
        activity.date,
        activity.kind,
        activity.place,
        activity.participants,
        activity.people_reached,
        activity.work_days,
        activity.description,
    )


def _recorded(activities: list[Activity]) -> Counter:
    """How many activities already recorded have each key (one query)."""
    units = {a.unit_id for a in activities}
    days = {a.date for a in activities}
    rows = Activity.objects.filter(unit_id__in=units, date__in=days).values_list(
        "unit_id",
        "date",
        "kind",
        "place",
        "participants",
        "people_reached",
        "work_days",
        "description",
    )
    return Counter(rows)


# --- The import --------------------------------------------------------------------------------


def activity_import(
    data: bytes,
    *,
    filename: str,
    acting_user=None,
    edition: str | None = None,
    dry_run: bool = False,
) -> ActivityImportResult:
    """Check every row of an activities workbook, then, when no row has an error (and
    not ``dry_run``), record them all in one transaction; a file with any error records
    nothing. Commune codes are read in ``edition`` (default: the only one loaded, or
    2025). Rows outside the acting user's areas are errors. Bad input never raises."""
    result = ActivityImportResult(filename=filename)
    table = read_table(
        data or b"",
        filename=filename,
        layout=ACTIVITY_LAYOUT,
        errors=result.errors,
        notes=result.notes,
    )
    if table is None:
        return result
    result.header_row, result.file_format = table.header_row, table.fmt
    result.sheet_name, result.rows = table.sheet_name, len(table.rows)
    if result.errors:
        return result

    def error(row: int, column: str, message) -> None:
        result.errors.append(RowError(row, column, str(message)))

    rows = [_parse(number, cells, table.columns, error) for number, cells in table.rows]
    edition = edition or edition_default()
    units = _Units({r.code for r in rows if r.code}, edition)
    scope = scope_of(acting_user) if acting_user is not None else None
    recorded_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    planned: list[Activity] = []
    for row in rows:
        commune = units.communes.get(row.code) if row.code else None
        if row.code and commune is None:
            words = EDITION_WORDS.get(edition, edition)
            error(row.row, COL_CODE, ERROR_CODE_UNKNOWN.format(code=row.code, edition=words))
            continue
        if commune is None or not row.ok:
            continue
        if row.commune_name and not commune_name_matches(row.commune_name, commune):
            error(
                row.row,
                COL_COMMUNE,
                ERROR_COMMUNE_NAME.format(value=row.commune_name, code=row.code, name=commune.name),
            )
            continue
        if scope is not None and not scope.covers(commune.path):
            error(row.row, COL_CODE, ERROR_OUT_OF_SCOPE.format(name=commune.name, code=row.code))
            continue
        unit = units.unit_for(row, commune, error)
        if unit is None:
            continue
        values = dict(row.values)
        values["place"] = values["place"] or default_place(unit)
        for number in ("participants", "people_reached"):
            values[number] = values[number] or 0
        activity = Activity(unit=unit, recorded_by=recorded_by, **values)
        activity.fill_derived_fields()
        problems = activity_problems(activity)
        for name, messages in problems.items():
            for message in messages:
                error(row.row, FIELD_COLUMNS.get(name, ""), message)
        if not problems:
            planned.append(activity)
    order = {column: i for i, column in enumerate(COLUMNS)}
    result.errors.sort(key=lambda e: (e.row, order.get(e.column, -1)))
    if result.errors:
        return result
    already = _recorded(planned)
    new = []
    for activity in planned:
        key = _key(activity)
        if already[key]:
            already[key] -= 1
            result.unchanged += 1
        else:
            new.append(activity)
    result.created = len(new)
    if dry_run or not new:
        return result
    with transaction.atomic():
        context = audit.current()
        with audit.audit_context(
            door=audit.Door.IMPORT,
            user=context.user or acting_user,
            batch_id=context.batch_id or audit.new_batch_id(),
            reason=gettext("Nhập tệp hoạt động “{filename}”").format(filename=filename),
        ):
            audit.bulk_create(Activity, new, batch_size=BATCH_SIZE)
        provinces = sorted({province_path(a.area_path) for a in new})
        data_changed.send(sender=Activity, province_paths=provinces)
    result.written = True
    logger.info(
        "activity_import file=%r user=%s rows=%d created=%d unchanged=%d",
        filename,
        getattr(acting_user, "pk", None),
        result.rows,
        result.created,
        result.unchanged,
    )
    return result


def activity_error_report(data: bytes, *, result: ActivityImportResult) -> bytes:
    """The uploaded file with a "Lỗi" column holding each row's messages."""
    return error_report_workbook(
        data, filename=result.filename, plan=result, layout=ACTIVITY_LAYOUT
    )
