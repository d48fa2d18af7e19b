"""The score sheet of an area and year as a workbook, prefilled with what each rating
holds."""

import io

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from accounts.selectors import units_visible_to
from evaluations.choices import Subject
from evaluations.measures import unit_records
from evaluations.models import Evaluation
from evaluations.periods import YEAR, period_key, period_label
from evaluations.scoring import ERROR_SCORE_RANGE, number_text
from evaluations.services.criteria import criteria_missing, criteria_set_current
from evaluations.sheets.layout import (
    COL_REASON,
    COL_STAGE,
    COL_SUBMIT,
    NO,
    YES,
    criteria_contents,
    gate_header,
    item_header,
    prefilled_sheet,
    record_header,
    record_text,
    stage_label,
    stored_sheets,
    unit_kinds,
)
from evaluations.sheets.reader import COL_CODE, COL_COMMUNE, COL_UNIT, COL_VILLAGE
from evaluations.stages import SCORED_STAGES
from portal.cells import text_cell
from portal.paths import province_path
from units.choices import UnitKind, UnitStatus
from units.models import Area

# What people read in a workbook (titles, instructions, messages) is translated; the
# column names and cell words the import reads back (evaluations.sheets.layout) are the
# workbook's format and stay the same whatever the language of whoever downloads or
# uploads it.
TITLE_SHEET = _("Chấm điểm {year}")
TITLE_SUBJECT = _("Phiếu chấm điểm {subject} — {area}")
TITLE_YEAR = _("Năm đánh giá: {year}")
TITLE_PERIOD = _("Kỳ đánh giá: {period}")
TITLE_CRITERIA = _("Bộ tiêu chí: {title} (phiên bản {version})")
TITLE_SCORE_ERROR = _("Điểm không hợp lệ")
INSTRUCTION = _(
    "Ghi điểm từng tiêu chí (từ 0 đến điểm tối đa ở tiêu đề cột, dùng dấu phẩy cho số lẻ), "
    "trả lời điều kiện bằng Có hoặc Không, ghi x ở cột “Gửi” để gửi lên bước sau. "
    "Tiêu chí tính từ sổ theo dõi đã được điền sẵn điểm tính từ sổ (cột “Theo sổ”); "
    "chấm khác thì ghi lý do ở cột “Lý do khác điểm theo sổ”. "
    "Không sửa các cột Mã xã, Thôn/Tổ dân phố. Dòng đã khóa được bỏ qua nếu không sửa."
)


def score_sheet_workbook(*, user, area: Area, year: int, subject: str, period: str = YEAR) -> bytes:
    """The score sheet of every active unit of ``subject`` under ``area`` that ``user``
    may see, prefilled with the scores of each rating's editable stage (locked rows
    show their result and are marked). Raises ValidationError when the province has no
    issued criteria for the period (``year`` and ``period``, the whole year by default).
    A fixed number of queries, whatever the units."""
    criteria_set = criteria_set_current(
        province_path_=province_path(area.path), year=year, subject=subject, period=period
    )
    if criteria_set is None:
        raise ValidationError(
            criteria_missing(path=area.path, year=year, subject=subject, period=period)
        )
    items, gates = criteria_contents(criteria_set)
    units = list(
        units_visible_to(user)
        .filter(
            area_path__descendant_of=area.path,
            status=UnitStatus.ACTIVE,
            kind__in=unit_kinds(subject),
        )
        .select_related("area", "commune")
        .prefetch_related(
            Prefetch(
                "evaluations",
                queryset=Evaluation.objects.filter(year=year, period=period),
                to_attr="ev",
            )
        )
        .order_by("commune__code", "kind", "search_name", "pk")
    )
    evaluations = [u.ev[0] for u in units if u.ev]
    sheets = stored_sheets(evaluations)
    quantitative = [i for i in items if i.measure]
    records = unit_records([u.pk for u in units], items, gates, year=year, period=period)

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = TITLE_SHEET.format(year=period_key(year, period))[:31]
    portal = getattr(settings, "DANVAN_PORTAL_NAME", "")
    titles = [
        f"{portal} — {criteria_set.province.name}",
        TITLE_SUBJECT.format(subject=Subject(subject).label, area=area.name),
        TITLE_PERIOD.format(period=period_label(year, period))
        if period
        else TITLE_YEAR.format(year=year),
        TITLE_CRITERIA.format(title=criteria_set.title, version=criteria_set.version),
        str(INSTRUCTION),
    ]
    for number, text in enumerate(titles, start=1):
        cell = text_cell(sheet.cell(number, 1), text)
        cell.font = Font(bold=number <= 2, italic=number == len(titles))
    header_row = len(titles) + 2
    headers = [
        COL_CODE,
        COL_COMMUNE,
        COL_VILLAGE,
        COL_UNIT,
        COL_STAGE,
        *(item_header(i) for i in items),
        *(gate_header(g) for g in gates),
        COL_SUBMIT,
        *(record_header(i) for i in quantitative),
        *([COL_REASON] if quantitative else []),
    ]
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, text in enumerate(headers, start=1):
        cell = text_cell(sheet.cell(header_row, index), text)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    first_item = 6
    first_gate = first_item + len(items)
    submit_col = first_gate + len(gates)
    locked_fill = PatternFill("solid", fgColor="EEEEEE")
    for offset, unit in enumerate(units, start=1):
        number = header_row + offset
        evaluation = unit.ev[0] if unit.ev else None
        scores, answers, reason = prefilled_sheet(evaluation, sheets, records[unit.pk])
        cells = [
            unit.commune.code or "",
            unit.commune.name,
            "" if unit.kind == UnitKind.BLOC else unit.area.name,
            unit.name,
            stage_label(evaluation.stage if evaluation else None),
        ]
        for index, value in enumerate(cells, start=1):
            text_cell(sheet.cell(number, index), value, text_format=True)
        for index, item in enumerate(items, start=first_item):
            if item.code in scores:
                sheet.cell(number, index, scores[item.code]).number_format = "0.##"
        for index, gate in enumerate(gates, start=first_gate):
            if gate.code in answers:
                sheet.cell(number, index, YES if answers[gate.code] else NO)
        for index, item in enumerate(quantitative, start=submit_col + 1):
            text_cell(sheet.cell(number, index), record_text(records[unit.pk].items[item.code]))
        if reason:
            text_cell(sheet.cell(number, submit_col + len(quantitative) + 1), reason)
        if evaluation is not None and evaluation.stage not in SCORED_STAGES:
            for index in range(1, submit_col + 1):
                sheet.cell(number, index).fill = locked_fill
    last_row = header_row + max(len(units), 1)
    for index, item in enumerate(items, start=first_item):
        letter = get_column_letter(index)
        check = DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2=format(item.max_score.normalize(), "f"),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=str(TITLE_SCORE_ERROR),
            error=ERROR_SCORE_RANGE.format(code=item.code, max=number_text(item.max_score)),
        )
        check.add(f"{letter}{header_row + 1}:{letter}{last_row}")
        sheet.add_data_validation(check)
        sheet.column_dimensions[letter].width = 11
    if gates:
        check = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True)
        first, last = get_column_letter(first_gate), get_column_letter(submit_col - 1)
        check.add(f"{first}{header_row + 1}:{last}{last_row}")
        sheet.add_data_validation(check)
        for index in range(first_gate, submit_col):
            sheet.column_dimensions[get_column_letter(index)].width = 18
    check = DataValidation(type="list", formula1='"x"', allow_blank=True)
    letter = get_column_letter(submit_col)
    check.add(f"{letter}{header_row + 1}:{letter}{last_row}")
    sheet.add_data_validation(check)
    for index in range(submit_col + 1, submit_col + len(quantitative) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 12
    if quantitative:
        sheet.column_dimensions[get_column_letter(submit_col + len(quantitative) + 1)].width = 40
    for letter, width in zip("ABCDE", (9, 24, 20, 34, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = sheet.cell(header_row + 1, first_item)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def score_sheet_filename(*, area: Area, year: int, subject: str, period: str = YEAR) -> str:
    """The download's file name: subject, area code and period ("2026", "2026-Q2")."""
    return f"cham-diem-{subject}-{area.code or area.pk}-{period_key(year, period)}.xlsx"
