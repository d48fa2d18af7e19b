"""The official list of villages (thôn, tổ dân phố ...) of a commune or a province,
loaded from a workbook (docs/ROSTER_IMPORT.md, "Village lists").

Villages used to exist only where a roster or a team named them, so "villages without a
team" was always empty and coverage always 100 %. Provinces publish their villages by
decision; staff load that list here: one row per village, columns "Mã xã", "Xã"
(optional, checked against the code), "Thôn/Tổ dân phố" and "Loại" (optional: thôn,
tổ dân phố, bản ...). The shared reader (portal/spreadsheets.py) reads it and judges the
file; all or nothing: with any error nothing is written. A village already there (by the
village-name rule of ``units.services.VillageIndex``) is kept as it is, villages created
by rosters included; only the missing ones are created.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from members.imports.contract import COL_CODE, COL_COMMUNE, COL_VILLAGE, EDITION_WORDS
from members.imports.editions import edition_mismatch, other_edition
from members.imports.rows import cell_text, commune_code, commune_name_matches
from members.imports.stored import (
    ERROR_CODE_OTHER_EDITION,
    ERROR_CODE_UNKNOWN,
    ERROR_COMMUNE_NAME,
    ERROR_OUT_OF_SCOPE,
)
from portal import audit
from portal.spreadsheets import RowError, SheetLayout, read_table
from portal.text import fold, normalize
from units.choices import VILLAGE_TYPE_WORDS, Level
from units.models import Area
from units.selectors import edition_default
from units.services import VillageAmbiguous, VillageIndex, village_build, village_type_word
from units.signals import data_changed

COL_TYPE = "Loại"
VILLAGE_LIST_COLUMNS = (COL_CODE, COL_COMMUNE, COL_VILLAGE, COL_TYPE)

ERROR_VILLAGE_LIST_NO_HEADER = _(
    "Không tìm thấy dòng tiêu đề: cần một dòng có ô “Thôn/Tổ dân phố” (các cột: Mã xã, "
    "Xã, Thôn/Tổ dân phố, Loại)."
)
ERROR_VILLAGE_NAME_REQUIRED = _("Chưa ghi tên thôn, tổ dân phố.")
ERROR_VILLAGE_NAME_TOO_LONG = _("Tên thôn, tổ dân phố dài quá 150 ký tự.")
ERROR_VILLAGE_TYPE = _(
    "Loại “{value}” không hợp lệ: ghi thôn, tổ dân phố, bản, làng, ấp, buôn, sóc, plây, "
    "xóm, khu phố, khu dân cư hoặc tổ."
)
ERROR_VILLAGE_LIST_AMBIGUOUS = _(
    "“{name}” viết không dấu trùng với nhiều thôn của {commune}: {candidates}. Hãy ghi tên có dấu."
)

VILLAGE_LIST_LAYOUT = SheetLayout(
    marker=COL_VILLAGE,
    columns=VILLAGE_LIST_COLUMNS,
    required=(COL_CODE, COL_VILLAGE),
    no_header=ERROR_VILLAGE_LIST_NO_HEADER,
)


@dataclasses.dataclass
class VillageListResult:
    """What loading a village list did (or would do): the villages created, by
    commune, the number already there, and every error (row 0: the whole file)."""

    filename: str
    edition: str
    errors: list[RowError] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)
    created: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    existing: int = 0
    total_rows: int = 0
    header_row: int = 0
    file_format: str = ""
    sheet_name: str = ""
    written: bool = False

    @property
    def created_count(self) -> int:
        return sum(len(names) for names in self.created.values())


@dataclasses.dataclass
class _Row:
    row: int
    code: str
    commune_name: str
    name: str
    type_word: str


def village_list_import(
    data: bytes,
    *,
    filename: str,
    edition: str | None = None,
    scope: Callable[[Area], bool] | None = None,
    acting_user=None,
    dry_run: bool = False,
) -> VillageListResult:
    """Check a village list and, without any error and unless ``dry_run``, create the
    missing villages in one transaction, audited as one batch. ``scope(commune)`` is
    the communes the user may write in (``accounts.access.import_scope``)."""
    result = VillageListResult(filename=filename, edition=edition or edition_default())
    table = read_table(
        data or b"",
        filename=filename,
        layout=VILLAGE_LIST_LAYOUT,
        errors=result.errors,
        notes=result.notes,
    )
    if table is None or result.errors:
        return result
    result.file_format, result.sheet_name = table.fmt, table.sheet_name
    result.header_row, result.total_rows = table.header_row, len(table.rows)
    rows = [_parse(number, cells, table.columns, result.errors) for number, cells in table.rows]
    rows = [r for r in rows if r is not None]
    mismatch = edition_mismatch(((r.code, r.commune_name) for r in rows), edition=result.edition)
    if mismatch:
        result.errors.insert(0, RowError(0, "", mismatch))
        return result
    villages = _plan(rows, result, scope)
    result.errors.sort(
        key=lambda e: (
            e.row,
            VILLAGE_LIST_COLUMNS.index(e.column) if e.column in VILLAGE_LIST_COLUMNS else -1,
        )
    )
    if result.errors or dry_run or not villages:
        return result
    with transaction.atomic():
        context = audit.current()
        with audit.audit_context(
            door=audit.Door.IMPORT,
            user=context.user or acting_user,
            batch_id=context.batch_id or audit.new_batch_id(),
        ):
            for village in villages:
                village.fill_derived_fields()
            audit.bulk_insert(Area, villages, batch_size=1000)
        data_changed.send(sender=Area, province_paths={v.path for v in villages})
    result.written = True
    return result


def _parse(number: int, cells: list, columns: dict, errors: list[RowError]) -> _Row | None:
    def cell(column: str) -> str:
        index = columns.get(column)
        return (
            normalize(cell_text(cells[index])) if index is not None and index < len(cells) else ""
        )

    ok = True
    code = ""
    try:
        code = commune_code(cells[columns[COL_CODE]] if columns[COL_CODE] < len(cells) else "")
    except ValueError as exc:
        errors.append(RowError(number, COL_CODE, str(exc)))
        ok = False
    name = cell(COL_VILLAGE)
    if not name:
        errors.append(RowError(number, COL_VILLAGE, str(ERROR_VILLAGE_NAME_REQUIRED)))
        ok = False
    type_text = cell(COL_TYPE)
    type_word = ""
    if type_text:
        words = {fold(w): w for w in VILLAGE_TYPE_WORDS}
        type_word = words.get(fold(type_text), "")
        if not type_word:
            errors.append(
                RowError(number, COL_TYPE, str(ERROR_VILLAGE_TYPE.format(value=type_text)))
            )
            ok = False
    if type_word and name and not fold(name).startswith(fold(type_word) + " "):
        # "Nà Pục" of type "Thôn" is "Thôn Nà Pục", as the village is called.
        name = f"{type_word.capitalize()} {name}"
    if len(name) > 150:
        errors.append(RowError(number, COL_VILLAGE, str(ERROR_VILLAGE_NAME_TOO_LONG)))
        ok = False
    if not ok:
        return None
    return _Row(number, code, cell(COL_COMMUNE), name, type_word or village_type_word(name))


def _plan(rows: list[_Row], result: VillageListResult, scope) -> list[Area]:
    """The communes of the codes (one query, two with unknown codes) and their villages
    (one query), then each row matched in memory: the villages to create."""
    edition = result.edition
    codes = {r.code for r in rows}
    communes = {
        a.code: a for a in Area.objects.filter(edition=edition, level=Level.COMMUNE, code__in=codes)
    }
    other = other_edition(edition)
    unknown = codes - set(communes)
    other_names = (
        dict(
            Area.objects.filter(edition=other, level=Level.COMMUNE, code__in=unknown).values_list(
                "code", "name"
            )
        )
        if unknown
        else {}
    )
    indexes: dict[int, VillageIndex] = defaultdict(VillageIndex)
    for village in Area.objects.filter(
        level=Level.VILLAGE, parent__in=list(communes.values())
    ).order_by("pk"):
        indexes[village.parent_id].add(village)
    allowed: dict[int, bool] = {}
    new: list[Area] = []
    for row in rows:
        commune = communes.get(row.code)
        if commune is None:
            if row.code in other_names:
                message = ERROR_CODE_OTHER_EDITION.format(
                    code=row.code, edition=EDITION_WORDS[edition], name=other_names[row.code],
                    other=EDITION_WORDS[other],
                )  # fmt: skip
            else:
                message = ERROR_CODE_UNKNOWN.format(code=row.code, edition=EDITION_WORDS[edition])
            result.errors.append(RowError(row.row, COL_CODE, str(message)))
            continue
        if row.commune_name and not commune_name_matches(row.commune_name, commune):
            message = ERROR_COMMUNE_NAME.format(
                value=row.commune_name, code=row.code, name=commune.name
            )
            result.errors.append(RowError(row.row, COL_COMMUNE, str(message)))
            continue
        if scope is not None:
            if commune.pk not in allowed:
                allowed[commune.pk] = bool(scope(commune))
            if not allowed[commune.pk]:
                message = ERROR_OUT_OF_SCOPE.format(name=commune.name, code=commune.code)
                result.errors.append(RowError(row.row, COL_CODE, str(message)))
                continue
        index = indexes[commune.pk]
        found = index.match(row.name)
        if isinstance(found, VillageAmbiguous):
            message = ERROR_VILLAGE_LIST_AMBIGUOUS.format(
                name=row.name, commune=commune.name, candidates=found.names()
            )
            result.errors.append(RowError(row.row, COL_VILLAGE, str(message)))
            continue
        if found is not None:
            if found.pk is not None:
                result.existing += 1
            continue
        village = village_build(commune=commune, name=row.name, type_word=row.type_word)
        index.add(village)
        new.append(village)
        result.created.setdefault(commune.name, []).append(row.name)
    return new
