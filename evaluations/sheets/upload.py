"""A filled score sheet read back: every row checked first, then the changed ratings
saved through the rating services in one transaction, all or nothing."""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from accounts.access import scope_of
from evaluations.chains import ChainBook
from evaluations.choices import Stage, Subject
from evaluations.measures import unit_records
from evaluations.models import CriteriaSet, Evaluation
from evaluations.periods import YEAR
from evaluations.scoring import parse_score
from evaluations.services.criteria import criteria_missing
from evaluations.services.scores import (
    ERROR_MISSING_GATES,
    ERROR_MISSING_ITEMS,
    override_problems,
)
from evaluations.services.steps import (
    ERROR_LOCKED,
    ERROR_NO_PERMISSION,
    ERROR_NOT_IN_CHAIN,
    ERROR_OUTSIDE_AREA,
    ERROR_WRONG_STAGE,
)
from evaluations.sheets.layout import (
    COL_REASON,
    COL_STAGE,
    COL_SUBMIT,
    SHEET_COLUMNS,
    cell_text,
    criteria_contents,
    gate_header,
    gate_value,
    item_header,
    prefilled_sheet,
    stage_from_label,
    stored_sheets,
    unit_kinds,
)
from evaluations.sheets.reader import (
    COL_CODE,
    COL_VILLAGE,
    EDITION_WORDS,
    ERROR_CODE_UNKNOWN,
    ERROR_REQUIRED,
    RowError,
    SheetLayout,
    commune_code,
    error_report_workbook,
    read_table,
)
from evaluations.sheets.write import PlannedRow, SheetResult, planned_rows_save
from evaluations.stages import SCORED_STAGES, can_step, takes_in
from portal.paths import province_path
from portal.text import fold
from units.choices import Level, UnitKind, UnitStatus
from units.models import Area, Unit

ERROR_NO_HEADER = _(
    "Không tìm thấy dòng tiêu đề: cần một dòng có ô “Mã xã” (hãy tải phiếu chấm điểm mẫu)."
)
ERROR_UNKNOWN_UNIT = _("Không có {kind} đang hoạt động của {where} mã {code}.")
ERROR_DUPLICATE_UNIT = _("{unit} đã có ở dòng {row}: mỗi đơn vị chỉ ghi một dòng.")
ERROR_GATE_VALUE = _(
    "Điều kiện {code} chỉ ghi Có, Không (hoặc x là Có), hay để trống; ô này ghi “{value}”."
)
ERROR_SUBMIT_VALUE = _("Cột Gửi chỉ ghi x hoặc để trống; ô này ghi “{value}”.")
NOTE_STALE = _(
    "{count} dòng được bỏ qua vì đánh giá đã sang bước khác từ khi tải tệp ({units}): "
    "hãy tải phiếu mới nếu cần sửa."
)


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


def _scope_provinces(user, year: int, subject: str, period: str) -> dict[str, CriteriaSet]:
    """The current criteria of every province the user works in, by province path."""
    scope = scope_of(user)
    sets = CriteriaSet.objects.filter(
        year=year, period=period, subject=subject, issued=True
    ).select_related("province")
    if not scope.everything:
        sets = sets.filter(province__path__in={province_path(p) for p in scope.paths})
    current: dict[str, CriteriaSet] = {}
    for criteria_set in sets.order_by("province__path", "-version"):
        current.setdefault(criteria_set.province.path, criteria_set)
    return current


def score_sheet_import(
    data: bytes,
    *,
    filename: str,
    user,
    year: int,
    subject: str,
    dry_run: bool = False,
    period: str = YEAR,
) -> SheetResult:
    """Check every row of an uploaded score sheet, then, when no row has an error (and
    not ``dry_run``), save each changed rating's editable stage through the services in
    one transaction: all or nothing. Bad input never raises: every problem is a
    ``RowError`` naming the sheet row and column."""
    result = SheetResult(filename=filename)
    scope = scope_of(user)
    sets = _scope_provinces(user, year, subject, period)
    if not sets:
        path = scope.paths[0] if scope.paths else ""
        result.errors.append(
            RowError(0, "", criteria_missing(path=path, year=year, subject=subject, period=period))
        )
        return result
    contents = {cs.pk: criteria_contents(cs) for cs in sets.values()}
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
            commune__in=communes.values(), status=UnitStatus.ACTIVE, kind__in=unit_kinds(subject)
        )
        .select_related("area")
        .prefetch_related(
            Prefetch(
                "evaluations",
                queryset=Evaluation.objects.filter(year=year, period=period),
                to_attr="ev",
            )
        )
    ):
        if unit.kind == UnitKind.BLOC:
            units[(unit.commune_id, "")] = unit
        else:
            for name in {unit.area.name, unit.area.short_name}:
                units[(unit.commune_id, fold(name))] = unit
    evaluations = [u.ev[0] for u in units.values() if u.ev]
    sheets = stored_sheets(evaluations)
    own_items = {cs.pk: contents[cs.pk] for cs in sets.values()}
    missing_sets = {e.criteria_set_id for e in evaluations if e.criteria_set_id not in own_items}
    for criteria_set in CriteriaSet.objects.filter(pk__in=missing_sets):
        own_items[criteria_set.pk] = criteria_contents(criteria_set)
    records = _records(units.values(), sets, own_items, year=year, period=period)

    kind_word = Subject(subject).label
    chains = ChainBook()  # every province's approval chains, in one query
    seen: dict[int, int] = {}
    planned: list[PlannedRow] = []
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
        village = cell_text(cell(cells, COL_VILLAGE))
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
                error(
                    number,
                    "",
                    criteria_missing(
                        path=unit.area_path, year=year, subject=subject, period=period
                    ),
                )
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
                answer = gate_value(raw)
            except ValueError:
                error(number, column, ERROR_GATE_VALUE.format(code=gate.code, value=cell_text(raw)))
                row_ok = False
                continue
            if answer is not None:
                answers[gate.code] = answer
        raw_submit = cell(cells, COL_SUBMIT)
        submit = False
        if raw_submit is not None:
            if fold(cell_text(raw_submit)) in ("x", "co"):
                submit = True
            else:
                error(number, COL_SUBMIT, ERROR_SUBMIT_VALUE.format(value=cell_text(raw_submit)))
                row_ok = False
        if not row_ok:
            continue

        stage = evaluation.stage if evaluation is not None else Stage.SELF
        record = records.get(unit.pk)
        shown_scores, shown_gates, shown_reason = prefilled_sheet(evaluation, sheets, record)
        reason = cell_text(cell(cells, COL_REASON))
        same = (
            not submit
            and scores == shown_scores
            and answers == shown_gates
            and reason == shown_reason
        )
        if same:
            continue  # the row says what is stored: nothing to do
        if evaluation is not None and evaluation.is_locked:
            error(number, "", ERROR_LOCKED)
            continue
        named = stage_from_label(cell_text(cell(cells, COL_STAGE)))
        if named is not None and named != (evaluation.stage if evaluation else ""):
            stale.append(unit.name)  # downloaded before the rating moved on
            continue
        if stage not in SCORED_STAGES:
            error(number, "", ERROR_WRONG_STAGE.format(stage=Stage(stage).label))
            continue
        if not can_step(user, stage):
            error(number, "", ERROR_NO_PERMISSION)
            continue
        if not takes_in(user, chains.of_unit(unit), stage):
            error(number, "", ERROR_NOT_IN_CHAIN.format(stage=Stage(stage).label))
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
        reasons = {}
        if stage == Stage.SELF:
            reasons = dict.fromkeys(record.items if record else {}, reason)
            problems = override_problems(items, scores, record, reasons)
            if problems:
                for message in problems.values():
                    error(number, COL_REASON, message)
                continue
        planned.append(
            PlannedRow(number, unit, evaluation, stage, scores, answers, submit, reasons)
        )

    if stale:
        result.skipped = len(stale)
        result.notes.append(NOTE_STALE.format(count=len(stale), units=", ".join(stale[:10])))
    order = {c: i for i, c in enumerate(SHEET_COLUMNS)}
    result.errors.sort(key=lambda e: (e.row, order.get(e.column, len(order))))
    if result.errors or dry_run:
        result.changed = len(planned)
        result.submitted = sum(1 for p in planned if p.submit)
        return result
    planned_rows_save(result, planned, user=user, year=year, period=period)
    return result


def _records(units, sets, own_items, *, year: int, period: str) -> dict:
    """The record of every unit of the file for the criteria it is scored against (its
    rating's, else its province's current set): two queries per set, whatever the
    units (``evaluations.measures.unit_records``)."""
    by_set: dict[int, list[int]] = {}
    for unit in units:
        if unit.ev:
            set_id = unit.ev[0].criteria_set_id
        else:
            current = sets.get(province_path(unit.area_path))
            if current is None:
                continue
            set_id = current.pk
        by_set.setdefault(set_id, []).append(unit.pk)
    records = {}
    for set_id, unit_ids in by_set.items():
        items, gates = own_items[set_id]
        records.update(unit_records(unit_ids, items, gates, year=year, period=period))
    return records


def score_sheet_error_report(data: bytes, *, result: SheetResult) -> bytes:
    """The uploaded file with a "Lỗi" column, as for rosters."""
    return error_report_workbook(
        data, filename=result.filename, plan=result, layout=SCORE_SHEET_LAYOUT
    )
