"""Reading each row: every cell parsed with the parsers the forms use too
(members.validation), so a value accepted on one door is accepted on the other.

A row is checked on its own here, before anything is looked up: a bad cell is an error
naming its column and the row is marked not ok. What depends on the database (the commune
of the code, the village, the member) is the planner's (members/imports/plan.py).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members.choices import ROLE_LABELS
from members.imports.contract import (
    COL_BIRTH_YEAR,
    COL_CODE,
    COL_COMMUNE,
    COL_END,
    COL_ETHNICITY,
    COL_GENDER,
    COL_NAME,
    COL_PARTY,
    COL_PHONE,
    COL_POSITION,
    COL_ROLE,
    COL_START,
    COL_UNIT,
    COL_VILLAGE,
    GENDER_WORDS,
    TEXT_LIMITS,
)
from members.services import ERROR_END_BEFORE_START, ERROR_END_IN_FUTURE
from members.validation import (
    parse_birth_year,
    parse_date,
    parse_ethnicity,
    parse_gender,
    parse_party_member,
    parse_phone,
    parse_role,
    parse_unit_kind,
)
from portal.spreadsheets import RowError, is_blank
from portal.text import fold, normalize
from units.choices import UnitKind
from units.models import Area

ERROR_REQUIRED = _("Chưa ghi {what}.")
ERROR_CODE_FORMAT = _("Mã xã “{value}” không hợp lệ: mã xã gồm 5 chữ số, ví dụ 01834.")
ERROR_VILLAGE_REQUIRED = _("Dòng Tổ dân vận phải ghi tên thôn/tổ dân phố.")
ERROR_VILLAGE_FOR_BLOC = _(
    "Dòng Khối dân vận không ghi thôn/tổ dân phố: Khối dân vận đặt ở cấp xã. "
    "Nếu là thành viên tổ dân vận, ghi Đơn vị là Tổ dân vận."
)
ERROR_TOO_LONG = _("{column} dài quá {limit} ký tự.")

#: Words a commune's name may start with, folded, that the "Xã" cell may leave out.
_COMMUNE_PREFIXES = ("thi tran", "dac khu", "phuong", "xa")


@dataclass(slots=True)
class Row:
    """One data row, parsed. ``None`` in a person or membership field means the cell is
    empty: the stored value is kept (docs/ROSTER_IMPORT.md)."""

    row: int
    code: str = ""
    commune_name: str = ""
    village: str = ""
    kind: str = ""
    full_name: str = ""
    name_key: str = ""
    gender: str | None = None
    birth_year: int | None = None
    ethnicity: str | None = None
    party_member: bool | None = None
    position: str | None = None
    role: str | None = None
    phone: str | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    ok: bool = True
    commune: Area | None = None
    area: Area | None = None  # the row's village, found or planned (team rows)
    unit_key: tuple = ()


def cell_text(value) -> str:
    """A cell as NFC text; integral numbers lose their ".0"; dates are day first."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return normalize(str(value))


def commune_code(value) -> str:
    """ "01834", 1834, 1834.0 or "1834" -> "01834"; ValueError otherwise."""
    text = cell_text(value)
    if re.fullmatch(r"\d{1,5}(\.0+)?", text):
        return text.split(".")[0].zfill(5)
    raise ValueError(ERROR_CODE_FORMAT.format(value=text))


def _commune_key(text: str) -> str:
    folded = fold(text)
    for prefix in _COMMUNE_PREFIXES:
        if folded.startswith(prefix + " "):
            folded = folded[len(prefix) + 1 :]
            break
    return re.sub(r"[^a-z0-9]", "", folded)


def commune_name_matches(value: str, commune: Area) -> bool:
    """The "Xã" cell names ``commune``, ignoring diacritics, spacing and the prefix
    Xã / Phường / Thị trấn / Đặc khu."""
    key = _commune_key(value)
    return key in {_commune_key(commune.name), _commune_key(commune.short_name)}


def _integral(value):
    """1961.0 (how a spreadsheet hands over every number) -> 1961, so that messages
    quote the number the user typed."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _none_if_empty(value):
    return None if value in ("", None) else value


def _party(value):
    if is_blank(value):
        return None
    return parse_party_member(value if isinstance(value, bool) else cell_text(value))


_PARSERS = (
    # (column, attribute, parser)
    (COL_GENDER, "gender", lambda v: _none_if_empty(parse_gender(cell_text(v)))),
    (COL_BIRTH_YEAR, "birth_year", lambda v: parse_birth_year(_integral(v))),
    (COL_ETHNICITY, "ethnicity", lambda v: _none_if_empty(parse_ethnicity(cell_text(v)))),
    (COL_PARTY, "party_member", _party),
    (COL_ROLE, "role", lambda v: None if is_blank(v) else parse_role(cell_text(v))),
    (COL_PHONE, "phone", lambda v: _none_if_empty(parse_phone(v))),
    (COL_START, "start", parse_date),
    (COL_END, "end", parse_date),
)


class _Failed(str):
    """A parser's error message, kept in place of a result (``parse_rows``)."""


#: A blank cell, in ``_column``'s results.
_BLANK = object()


def _column(table_rows: list, index: int | None, parser, blank=_BLANK) -> list:
    """``parser(value)`` of each row's cell in column ``index``, in row order: each
    distinct value (by class and value) parsed once, a roster repeating its communes,
    kinds, genders and roles many times; a ``_Failed`` where the parser raised
    ``ValueError``; ``blank`` for a missing or blank cell. The parsers are pure for the
    length of an import."""
    if index is None:
        return [blank] * len(table_rows)
    seen: dict = {}
    out = []
    append = out.append
    for _number, cells in table_rows:
        value = cells[index] if index < len(cells) else None
        key = (value.__class__, value)
        result = seen.get(key, seen)
        if result is seen:
            if is_blank(value):
                result = blank
            else:
                try:
                    result = parser(value)
                except ValueError as exc:
                    result = _Failed(str(exc))
            seen[key] = result
        append(result)
    return out


def _required(result, column: str, required: str, failed: list):
    """A required cell's parsed value, or "" once ``failed`` says why there is none."""
    if result is _BLANK:
        failed.append((column, required))
        return ""
    if result.__class__ is _Failed:
        failed.append((column, str(result)))
        return ""
    return result


def parse_rows(table_rows: list, columns: dict[str, int], errors: list) -> list[Row]:
    """Parse the data rows ``(number, cells)`` with the shared parsers
    (members.validation); each bad cell adds an error naming its row and column, and
    its row is marked not ok. Column by column: each distinct value of a column is
    parsed once, then the rows are put together (the caller sorts the errors by row and
    column)."""

    def column(name, parser, blank=_BLANK):
        return _column(table_rows, columns.get(name), parser, blank)

    blank_text = cell_text(None)
    codes = column(COL_CODE, commune_code)
    communes = column(COL_COMMUNE, cell_text, blank_text)
    villages = column(COL_VILLAGE, cell_text, blank_text)
    kinds = column(COL_UNIT, _unit_kind)
    names = column(COL_NAME, _name, _name(None))
    positions = column(COL_POSITION, cell_text, blank_text)
    parsed = [(name, attribute, column(name, parser)) for name, attribute, parser in _PARSERS]
    code_required = ERROR_REQUIRED.format(what=gettext("mã xã"))
    kind_required = ERROR_REQUIRED.format(what=gettext("đơn vị (Khối dân vận hoặc Tổ dân vận)"))
    name_required = ERROR_REQUIRED.format(what=gettext("họ và tên"))
    name_limit, position_limit = TEXT_LIMITS[COL_NAME], TEXT_LIMITS[COL_POSITION]
    village_limit = TEXT_LIMITS[COL_VILLAGE]
    name_too_long = ERROR_TOO_LONG.format(column=COL_NAME, limit=name_limit)
    position_too_long = ERROR_TOO_LONG.format(column=COL_POSITION, limit=position_limit)
    village_too_long = ERROR_TOO_LONG.format(column=COL_VILLAGE, limit=village_limit)
    today = timezone.localdate()
    rows = []
    for i, (number, _cells) in enumerate(table_rows):
        failed = []  # (column, message) of this row
        code = _required(codes[i], COL_CODE, code_required, failed)
        kind = _required(kinds[i], COL_UNIT, kind_required, failed)
        full_name, name_key = names[i]
        if not full_name:
            failed.append((COL_NAME, name_required))
        position = positions[i]
        if len(full_name) > name_limit:
            failed.append((COL_NAME, name_too_long))
        if len(position) > position_limit:
            failed.append((COL_POSITION, position_too_long))
        village = villages[i]
        row = Row(
            number, code, communes[i], village, kind, full_name, name_key, position=position or None
        )
        for name, attribute, results in parsed:
            result = results[i]
            if result is _BLANK:
                continue
            if result.__class__ is _Failed:
                failed.append((name, str(result)))
            else:
                setattr(row, attribute, result)
        if kind == UnitKind.BLOC and village:
            failed.append((COL_VILLAGE, ERROR_VILLAGE_FOR_BLOC))
        elif kind and kind != UnitKind.BLOC:
            if not village:
                failed.append((COL_VILLAGE, ERROR_VILLAGE_REQUIRED))
            elif len(village) > village_limit:
                failed.append((COL_VILLAGE, village_too_long))
        start, end = row.start, row.end
        if start and end and end < start:
            failed.append((COL_END, ERROR_END_BEFORE_START.format(date=day(start))))
        if end and end > today:
            failed.append((COL_END, ERROR_END_IN_FUTURE))
        if failed:
            row.ok = False
            errors.extend(RowError(number, name, message) for name, message in failed)
        rows.append(row)
    return rows


def _unit_kind(value) -> str:
    return parse_unit_kind(cell_text(value))


def _name(value) -> tuple[str, str]:
    """The name as written (NFC, single spaces) and its folded key."""
    text = cell_text(value)
    return text, fold(text)


def day(value: datetime.date | None) -> str:
    """A date as the workbook writes it: 21/11/2026."""
    return value.strftime("%d/%m/%Y") if value else ""


def show(column: str, value, kind: str = UnitKind.TEAM) -> str:
    """A stored value as the workbook writes it, for the preview's changes."""
    if value is None or value == "":
        return ""
    if column == COL_GENDER:
        return GENDER_WORDS.get(value, value)
    if column == COL_PARTY:
        return "Có" if value else "Không"
    if column == COL_ROLE:
        return ROLE_LABELS["bloc" if kind == UnitKind.BLOC else "team"][value]
    if isinstance(value, datetime.date):
        return day(value)
    return str(value)
