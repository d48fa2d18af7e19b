"""The score sheet of an area and year as a workbook: download it, fill it in Excel,
import it back.

One row per unit (bloc or team), one column per criteria item ("1.1 (tối đa 10)") and
per gate ("K1: … (Có/Không)"), and a "Gửi (x)" column that submits the row. The import
follows the roster import's rules (members.imports): the file is read by the same
reader (``read_table`` with a ``SheetLayout``), every row is checked before anything is
written, a file with any error writes nothing, and every error names its sheet row and
column. The writes go through ``evaluation_self_assess`` / ``evaluation_propose``, so the
permissions, the area check and the audit trail are exactly those of the screens.
"""

from __future__ import annotations

import io
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.access import scope_of
from accounts.selectors import units_visible_to
from evaluations.choices import LOCKED_STAGES, ScoreStage, Stage, Subject
from evaluations.models import CriteriaSet, CriterionItem, Evaluation, EvaluationScore, GateAnswer
from evaluations.services import (
    ERROR_LOCKED,
    ERROR_MISSING_GATES,
    ERROR_MISSING_ITEMS,
    ERROR_NO_CRITERIA,
    ERROR_NO_PERMISSION,
    ERROR_OUTSIDE_AREA,
    ERROR_SCORE_RANGE,
    ERROR_WRONG_STAGE,
    PERM_PROPOSE,
    PERM_SELF,
    _number,
    evaluation_propose,
    evaluation_self_assess,
    evaluation_start,
    parse_score,
)
from members.imports import (
    COL_CODE,
    COL_COMMUNE,
    COL_UNIT,
    COL_VILLAGE,
    EDITION_WORDS,
    ERROR_CODE_UNKNOWN,
    ERROR_REQUIRED,
    FORMULA_STARTS,
    RowError,
    SheetLayout,
    commune_code,
    error_report_workbook,
    read_table,
)
from portal import audit
from portal.paths import province_path
from portal.text import fold, normalize
from units.choices import TEAM_KINDS, Level, UnitKind, UnitStatus
from units.models import Area, Unit

logger = logging.getLogger(__name__)

COL_STAGE = "Bước hiện tại"
COL_SUBMIT = "Gửi (x)"
SHEET_COLUMNS = (COL_CODE, COL_COMMUNE, COL_VILLAGE, COL_UNIT, COL_STAGE, COL_SUBMIT)

#: What "Bước hiện tại" says for a unit without a rating yet, and after a locked stage.
STAGE_NONE_LABEL = "Chưa đánh giá"
LOCKED_SUFFIX = " (đã khóa)"
YES, NO = "Có", "Không"

# What people read in a workbook (titles, instructions, messages) is translated; the
# column names and cell words the import reads back (above) are the workbook's format
# and stay the same whatever the language of whoever downloads or uploads it.
TITLE_SHEET = _("Chấm điểm {year}")
TITLE_SUBJECT = _("Phiếu chấm điểm {subject} — {area}")
TITLE_YEAR = _("Năm đánh giá: {year}")
TITLE_CRITERIA = _("Bộ tiêu chí: {title} (phiên bản {version})")
TITLE_SCORE_ERROR = _("Điểm không hợp lệ")
INSTRUCTION = _(
    "Ghi điểm từng tiêu chí (từ 0 đến điểm tối đa ở tiêu đề cột, dùng dấu phẩy cho số lẻ), "
    "trả lời điều kiện bằng Có hoặc Không, ghi x ở cột “Gửi” để gửi lên bước sau. "
    "Không sửa các cột Mã xã, Thôn/Tổ dân phố. Dòng đã khóa được bỏ qua nếu không sửa."
)

ERROR_NO_HEADER = _(
    "Không tìm thấy dòng tiêu đề: cần một dòng có ô “Mã xã” (hãy tải phiếu chấm điểm mẫu)."
)
ERROR_UNKNOWN_UNIT = _("Không có {kind} đang hoạt động của {where} mã {code}.")
ERROR_DUPLICATE_UNIT = _("{unit} đã có ở dòng {row}: mỗi đơn vị chỉ ghi một dòng.")
ERROR_GATE_VALUE = _(
    "Điều kiện {code} chỉ ghi Có, Không (hoặc x là Có), hay để trống; ô này ghi “{value}”."
)
ERROR_SUBMIT_VALUE = _("Cột Gửi chỉ ghi x hoặc để trống; ô này ghi “{value}”.")
ERROR_NOT_EDITABLE = ERROR_WRONG_STAGE
NOTE_STALE = _(
    "{count} dòng được bỏ qua vì đánh giá đã sang bước khác từ khi tải tệp ({units}): "
    "hãy tải phiếu mới nếu cần sửa."
)

#: Which stored scores a row shows, by the rating's stage: the editable stage's own
#: scores, else what the service would start from.
_SHOWN = {
    Stage.SELF: (ScoreStage.SELF,),
    Stage.PROPOSAL: (ScoreStage.PROPOSAL, ScoreStage.SELF),
    Stage.DECISION: (ScoreStage.PROPOSAL,),
    Stage.DECIDED: (ScoreStage.DECISION, ScoreStage.PROPOSAL),
    Stage.NOT_RATED: (ScoreStage.DECISION, ScoreStage.PROPOSAL, ScoreStage.SELF),
}
#: The stages an import writes, with the permission each needs.
_EDITABLE = {Stage.SELF: PERM_SELF, Stage.PROPOSAL: PERM_PROPOSE}


def _stage_label(stage: str | None) -> str:
    """What "Bước hiện tại" says: read back by the import, so written in Vietnamese in
    any language, like the rest of the sheet's columns."""
    if stage is None:
        return STAGE_NONE_LABEL
    with translation.override(settings.LANGUAGE_CODE):
        label = str(Stage(stage).label)
    return label + LOCKED_SUFFIX if stage in LOCKED_STAGES else label


def item_header(item: CriterionItem) -> str:
    """ "1.1 (tối đa 10)"."""
    return f"{item.code} (tối đa {_number(item.max_score)})"


def gate_header(gate) -> str:
    """ "K1: Để xảy ra điểm nóng (Có/Không)"."""
    return f"{gate.code}: {gate.question} (Có/Không)"


def _kinds(subject: str) -> tuple[str, ...]:
    return (UnitKind.BLOC,) if subject == Subject.BLOC else TEAM_KINDS


def _criteria_contents(criteria_set: CriteriaSet) -> tuple[list, list]:
    items = list(
        CriterionItem.objects.filter(group__criteria_set=criteria_set).order_by(
            "group__order", "order", "code"
        )
    )
    return items, list(criteria_set.gates.order_by("order", "code"))


def _current_set(*, path: str, year: int, subject: str) -> CriteriaSet | None:
    return (
        CriteriaSet.objects.filter(
            province__path=province_path(path), year=year, subject=subject, issued=True
        )
        .select_related("province")
        .order_by("-version")
        .first()
    )


def _no_criteria(*, path: str, year: int, subject: str) -> str:
    province = Area.objects.filter(path=province_path(path)).first()
    return ERROR_NO_CRITERIA.format(
        year=year,
        subject=Subject(subject).label.lower(),
        province=province.name if province else "",
    )


def _stored_sheets(evaluations) -> dict[int, dict[str, tuple[dict, dict]]]:
    """{evaluation id: {score stage: (scores by item code, answers by gate code)}}, in
    two queries for any number of ratings."""
    sheets: dict[int, dict] = defaultdict(lambda: defaultdict(lambda: ({}, {})))
    ids = [e.pk for e in evaluations]
    for score in EvaluationScore.objects.filter(evaluation_id__in=ids).select_related("item"):
        sheets[score.evaluation_id][score.stage][0][score.item.code] = score.score
    for answer in GateAnswer.objects.filter(evaluation_id__in=ids).select_related("gate"):
        sheets[answer.evaluation_id][answer.stage][1][answer.gate.code] = answer.answer
    return sheets


def _shown_sheet(evaluation, sheets) -> tuple[dict, dict]:
    """What a row shows for a rating: the first stored stage of ``_SHOWN``."""
    if evaluation is None:
        return {}, {}
    stored = sheets.get(evaluation.pk, {})
    for stage in _SHOWN[evaluation.stage]:
        scores, gates = stored.get(stage, ({}, {}))
        if scores or gates:
            return dict(scores), dict(gates)
    return {}, {}


def _text_cell(cell, value: str):
    """A text cell no spreadsheet runs as a formula (a unit named "=…")."""
    cell.value = value
    if value and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
    return cell


# --- Download ------------------------------------------------------------------------------


def score_sheet_workbook(*, user, area: Area, year: int, subject: str) -> bytes:
    """The score sheet of every active unit of ``subject`` under ``area`` that ``user``
    may see, prefilled with the scores of each rating's editable stage (locked rows
    show their result and are marked). Raises ValidationError when the province has no
    issued criteria for the year. A fixed number of queries, whatever the units."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    criteria_set = _current_set(path=area.path, year=year, subject=subject)
    if criteria_set is None:
        raise ValidationError(_no_criteria(path=area.path, year=year, subject=subject))
    items, gates = _criteria_contents(criteria_set)
    units = list(
        units_visible_to(user)
        .filter(
            area_path__descendant_of=area.path, status=UnitStatus.ACTIVE, kind__in=_kinds(subject)
        )
        .select_related("area", "commune")
        .prefetch_related(
            Prefetch("evaluations", queryset=Evaluation.objects.filter(year=year), to_attr="ev")
        )
        .order_by("commune__code", "kind", "search_name", "pk")
    )
    evaluations = [u.ev[0] for u in units if u.ev]
    sheets = _stored_sheets(evaluations)

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = TITLE_SHEET.format(year=year)[:31]
    portal = getattr(settings, "DANVAN_PORTAL_NAME", "")
    titles = [
        f"{portal} — {criteria_set.province.name}",
        TITLE_SUBJECT.format(subject=Subject(subject).label, area=area.name),
        TITLE_YEAR.format(year=year),
        TITLE_CRITERIA.format(title=criteria_set.title, version=criteria_set.version),
        str(INSTRUCTION),
    ]
    for number, text in enumerate(titles, start=1):
        cell = _text_cell(sheet.cell(number, 1), text)
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
    ]
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, text in enumerate(headers, start=1):
        cell = _text_cell(sheet.cell(header_row, index), text)
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
        scores, answers = _shown_sheet(evaluation, sheets)
        cells = [
            unit.commune.code or "",
            unit.commune.name,
            "" if unit.kind == UnitKind.BLOC else unit.area.name,
            unit.name,
            _stage_label(evaluation.stage if evaluation else None),
        ]
        for index, value in enumerate(cells, start=1):
            _text_cell(sheet.cell(number, index), value).number_format = "@"
        for index, item in enumerate(items, start=first_item):
            if item.code in scores:
                sheet.cell(number, index, scores[item.code]).number_format = "0.##"
        for index, gate in enumerate(gates, start=first_gate):
            if gate.code in answers:
                sheet.cell(number, index, YES if answers[gate.code] else NO)
        if evaluation is not None and evaluation.stage not in _EDITABLE:
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
            error=ERROR_SCORE_RANGE.format(code=item.code, max=_number(item.max_score)),
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
    for letter, width in zip("ABCDE", (9, 24, 20, 34, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = sheet.cell(header_row + 1, first_item)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def score_sheet_filename(*, area: Area, year: int, subject: str) -> str:
    return f"cham-diem-{subject}-{area.code or area.pk}-{year}.xlsx"


# --- Import ----------------------------------------------------------------------------------


@dataclass
class SheetResult:
    """What a score sheet import read, wrote and found wrong. Shaped like a roster
    ``ImportPlan`` where the error report needs it (``errors``, ``header_row``,
    ``file_format``, ``sheet_name``)."""

    filename: str
    rows: int = 0
    changed: int = 0
    submitted: int = 0
    skipped: int = 0
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


@dataclass
class _Planned:
    """One valid row that changes a rating."""

    row: int
    unit: Unit
    evaluation: Evaluation | None
    stage: str
    scores: dict
    gates: dict
    submit: bool


def _code_token(text: str) -> str:
    """The item or gate code a header cell starts with: "1.1 (tối đa 10)" -> "1.1",
    "K1: …" -> "k1" (folded)."""
    match = re.match(r"\s*([^\s:(]+)", text)
    return fold(match.group(1)).rstrip(".") if match else ""


def _layout(items_by_header: dict, gates_by_header: dict) -> SheetLayout:
    by_token = {_code_token(h): h for h in [*items_by_header, *gates_by_header]}

    def extra(cell: str) -> str | None:
        return by_token.get(_code_token(cell))

    return SheetLayout(
        marker=COL_CODE,
        columns=SHEET_COLUMNS,
        required=(COL_CODE,),
        extra=extra,
        no_header=str(ERROR_NO_HEADER),
    )


#: The layout used to reread a CSV for the error report (the columns do not matter there).
SCORE_SHEET_LAYOUT = SheetLayout(
    marker=COL_CODE, columns=SHEET_COLUMNS, required=(COL_CODE,), no_header=ERROR_NO_HEADER
)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize(str(value))


def _gate_value(value) -> bool | None:
    """Có / x -> True, Không -> False, empty -> None; ValueError otherwise."""
    if isinstance(value, bool):
        return value
    text = fold(_cell_text(value))
    if not text:
        return None
    if text in ("co", "x"):
        return True
    if text == "khong":
        return False
    raise ValueError


def _stage_from_label(text: str) -> str | None:
    """The stage a "Bước hiện tại" cell names (as the download wrote it), or None."""
    key = fold(text.replace(LOCKED_SUFFIX, ""))
    if key == fold(STAGE_NONE_LABEL):
        return ""
    # A sheet written by an older version in the downloader's language reads too.
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for stage in Stage:
                if fold(str(stage.label)) == key:
                    return stage.value
    return None


def _scope_provinces(user, year: int, subject: str) -> dict[str, CriteriaSet]:
    """The current criteria of every province the user works in, by province path."""
    scope = scope_of(user)
    sets = CriteriaSet.objects.filter(year=year, subject=subject, issued=True).select_related(
        "province"
    )
    if not scope.everything:
        sets = sets.filter(province__path__in={province_path(p) for p in scope.paths})
    current: dict[str, CriteriaSet] = {}
    for criteria_set in sets.order_by("province__path", "-version"):
        current.setdefault(criteria_set.province.path, criteria_set)
    return current


def score_sheet_import(
    data: bytes, *, filename: str, user, year: int, subject: str, dry_run: bool = False
) -> SheetResult:
    """Check every row of an uploaded score sheet, then, when no row has an error (and
    not ``dry_run``), save each changed rating's editable stage through the services in
    one transaction: all or nothing. Bad input never raises: every problem is a
    ``RowError`` naming the sheet row and column."""
    result = SheetResult(filename=filename)
    scope = scope_of(user)
    sets = _scope_provinces(user, year, subject)
    if not sets:
        path = scope.paths[0] if scope.paths else ""
        result.errors.append(RowError(0, "", _no_criteria(path=path, year=year, subject=subject)))
        return result
    contents = {cs.pk: _criteria_contents(cs) for cs in sets.values()}
    items_by_header: dict[str, str] = {}
    gates_by_header: dict[str, str] = {}
    for items, gates in contents.values():
        for item in items:
            items_by_header.setdefault(item_header(item), item.code)
        for gate in gates:
            gates_by_header.setdefault(gate_header(gate), gate.code)
    layout = _layout(items_by_header, gates_by_header)
    table = read_table(
        data or b"", filename=filename, layout=layout, errors=result.errors, notes=result.notes
    )
    if table is None:
        return result
    result.header_row, result.file_format = table.header_row, table.fmt
    result.sheet_name = table.sheet_name
    result.rows = len(table.rows)
    if result.errors:
        return result

    def error(row: int, column: str, message: str) -> None:
        result.errors.append(RowError(row, column, str(message)))

    def cell(cells, column):
        index = table.columns.get(column)
        if index is None or index >= len(cells):
            return None
        value = cells[index]
        return None if value is None or (isinstance(value, str) and not value.strip()) else value

    # Communes of the file in the editions of the criteria's provinces, then their units
    # and this year's ratings: a fixed number of queries.
    codes: dict[int, str] = {}
    for number, cells in table.rows:
        raw = cell(cells, COL_CODE)
        if raw is None:
            error(number, COL_CODE, ERROR_REQUIRED.format(what=_("mã xã")))
            continue
        try:
            codes[number] = commune_code(raw)
        except ValueError as exc:
            error(number, COL_CODE, str(exc))
    editions = {cs.province.edition for cs in sets.values()}
    communes: dict[str, Area] = {}
    for commune in Area.objects.filter(
        level=Level.COMMUNE, edition__in=editions, code__in=set(codes.values())
    ).order_by("path"):
        # A code in both editions: the commune of a province with criteria wins.
        if commune.code not in communes or province_path(commune.path) in sets:
            communes[commune.code] = commune
    units: dict[tuple[int, str], Unit] = {}
    for unit in (
        Unit.objects.filter(
            commune__in=communes.values(), status=UnitStatus.ACTIVE, kind__in=_kinds(subject)
        )
        .select_related("area")
        .prefetch_related(
            Prefetch("evaluations", queryset=Evaluation.objects.filter(year=year), to_attr="ev")
        )
    ):
        if unit.kind == UnitKind.BLOC:
            units[(unit.commune_id, "")] = unit
        else:
            for name in {unit.area.name, unit.area.short_name}:
                units[(unit.commune_id, fold(name))] = unit
    evaluations = [u.ev[0] for u in units.values() if u.ev]
    sheets = _stored_sheets(evaluations)
    own_items = {cs.pk: contents[cs.pk] for cs in sets.values()}
    missing_sets = {e.criteria_set_id for e in evaluations if e.criteria_set_id not in own_items}
    for criteria_set in CriteriaSet.objects.filter(pk__in=missing_sets):
        own_items[criteria_set.pk] = _criteria_contents(criteria_set)

    kind_word = Subject(subject).label
    seen: dict[int, int] = {}
    planned: list[_Planned] = []
    stale: list[str] = []
    for number, cells in table.rows:
        code = codes.get(number)
        if code is None:
            continue
        commune = communes.get(code)
        if commune is None:
            edition = next(iter(editions))
            error(
                number,
                COL_CODE,
                ERROR_CODE_UNKNOWN.format(code=code, edition=EDITION_WORDS.get(edition, edition)),
            )
            continue
        village = _cell_text(cell(cells, COL_VILLAGE))
        if subject == Subject.BLOC and village:
            village = ""  # a bloc sits on the commune: a village cell is ignored
        unit = units.get((commune.pk, fold(village)))
        if unit is None:
            where = f"{village} — {commune.name}" if village else commune.name
            column = COL_VILLAGE if subject != Subject.BLOC else COL_CODE
            error(number, column, ERROR_UNKNOWN_UNIT.format(kind=kind_word, where=where, code=code))
            continue
        if not scope.covers(unit.area_path):
            error(number, COL_CODE, ERROR_OUTSIDE_AREA)
            continue
        if unit.pk in seen:
            error(number, COL_CODE, ERROR_DUPLICATE_UNIT.format(unit=unit.name, row=seen[unit.pk]))
            continue
        seen[unit.pk] = number
        evaluation = unit.ev[0] if unit.ev else None
        if evaluation is not None:
            items, gates = own_items[evaluation.criteria_set_id]
        else:
            criteria_set = sets.get(province_path(unit.area_path))
            if criteria_set is None:
                error(number, "", _no_criteria(path=unit.area_path, year=year, subject=subject))
                continue
            items, gates = contents[criteria_set.pk]
        row_ok = True
        scores: dict[str, Decimal] = {}
        answers: dict[str, bool] = {}
        for item in items:
            column = next((h for h, c in items_by_header.items() if c == item.code), None)
            if column is None or column not in table.columns:
                continue
            try:
                score = parse_score(cell(cells, column), item)
            except ValidationError as exc:
                error(number, column, exc.messages[0])
                row_ok = False
                continue
            if score is not None:
                scores[item.code] = score
        for gate in gates:
            column = next((h for h, c in gates_by_header.items() if c == gate.code), None)
            if column is None or column not in table.columns:
                continue
            raw = cell(cells, column)
            try:
                answer = _gate_value(raw)
            except ValueError:
                error(
                    number, column, ERROR_GATE_VALUE.format(code=gate.code, value=_cell_text(raw))
                )
                row_ok = False
                continue
            if answer is not None:
                answers[gate.code] = answer
        raw_submit = cell(cells, COL_SUBMIT)
        submit = False
        if raw_submit is not None:
            if fold(_cell_text(raw_submit)) in ("x", "co"):
                submit = True
            else:
                error(number, COL_SUBMIT, ERROR_SUBMIT_VALUE.format(value=_cell_text(raw_submit)))
                row_ok = False
        if not row_ok:
            continue

        stage = evaluation.stage if evaluation is not None else Stage.SELF
        shown_scores, shown_gates = _shown_sheet(evaluation, sheets)
        same = not submit and scores == shown_scores and answers == shown_gates
        if same:
            continue  # the row says what is stored: nothing to do
        if evaluation is not None and evaluation.is_locked:
            error(number, "", ERROR_LOCKED)
            continue
        named = _stage_from_label(_cell_text(cell(cells, COL_STAGE)))
        if named is not None and named != (evaluation.stage if evaluation else ""):
            stale.append(unit.name)  # downloaded before the rating moved on
            continue
        if stage not in _EDITABLE:
            error(number, "", ERROR_WRONG_STAGE.format(stage=Stage(stage).label))
            continue
        if not user.has_perm(_EDITABLE[stage]):
            error(number, "", ERROR_NO_PERMISSION)
            continue
        if submit:
            missing = [i.code for i in items if i.code not in scores]
            if missing:
                error(number, COL_SUBMIT, ERROR_MISSING_ITEMS.format(codes=", ".join(missing)))
                continue
            unanswered = [g.code for g in gates if g.code not in answers]
            if unanswered:
                error(number, COL_SUBMIT, ERROR_MISSING_GATES.format(codes=", ".join(unanswered)))
                continue
        planned.append(_Planned(number, unit, evaluation, stage, scores, answers, submit))

    if stale:
        result.skipped = len(stale)
        result.notes.append(NOTE_STALE.format(count=len(stale), units=", ".join(stale[:10])))
    order = {c: i for i, c in enumerate(SHEET_COLUMNS)}
    result.errors.sort(key=lambda e: (e.row, order.get(e.column, len(order))))
    if result.errors or dry_run:
        result.changed = len(planned)
        result.submitted = sum(1 for p in planned if p.submit)
        return result
    _write(result, planned, user=user, year=year)
    return result


def _write(result: SheetResult, planned: list[_Planned], *, user, year: int) -> None:
    """Save every planned row through the services in one transaction; a refusal the
    checks did not foresee (a concurrent change) rolls everything back and becomes
    that row's error."""
    context = audit.current()
    try:
        with (
            transaction.atomic(),
            audit.audit_context(
                door=audit.Door.IMPORT,
                user=context.user or user,
                batch_id=context.batch_id or audit.new_batch_id(),
            ),
        ):
            for plan in planned:
                try:
                    evaluation = plan.evaluation or evaluation_start(
                        acting_user=user, unit=plan.unit, year=year
                    )
                    write = (
                        evaluation_self_assess if plan.stage == Stage.SELF else evaluation_propose
                    )
                    write(
                        acting_user=user,
                        evaluation=evaluation,
                        scores=plan.scores,
                        gates=plan.gates,
                        submit=plan.submit,
                    )
                except (ValidationError, PermissionDenied) as exc:
                    messages = getattr(exc, "messages", None) or [str(exc)]
                    result.errors.extend(RowError(plan.row, "", m) for m in messages)
                    raise _RollBack from None
    except _RollBack:
        logger.info("score sheet import rolled back file=%r", result.filename)
        return
    result.changed = len(planned)
    result.submitted = sum(1 for p in planned if p.submit)
    result.written = True
    logger.info(
        "score_sheet_import file=%r user=%s changed=%d submitted=%d",
        result.filename,
        getattr(user, "pk", None),
        result.changed,
        result.submitted,
    )


class _RollBack(Exception):
    """Raised inside the import's transaction to undo every write."""


def score_sheet_error_report(data: bytes, *, result: SheetResult) -> bytes:
    """The uploaded file with a "Lỗi" column, as for rosters."""
    return error_report_workbook(
        data, filename=result.filename, plan=result, layout=SCORE_SHEET_LAYOUT
    )
