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


#: Columns whose values are nearly all different: not worth remembering.
_UNIQUE_COLUMNS = frozenset({COL_PHONE})


class _Failed(str):
    """A parser's error message, remembered like a result (``parse_row``'s memo)."""


def parse_row(
    number: int, cells: list, columns: dict[str, int], errors: list, memo: dict | None = None
) -> Row:
    """Parse one row with the shared parsers (members.validation); each bad cell adds
    an error naming its column, and the row is marked not ok.

    ``memo``: a dict the caller keeps for one file, so that each distinct value of a
    column (a commune's code, a gender, a role, a name ...) is parsed once, not once per
    row: a roster repeats its values many times. The parsers are pure for the length
    of an import."""
    row = Row(row=number)
    size = len(cells)

    def cell(column):
        index = columns.get(column)
        if index is None or index >= size:
            return None
        value = cells[index]
        return None if is_blank(value) else value

    def fail(column, message):
        errors.append(RowError(number, column, message))
        row.ok = False

    def parsed(column, parser, value):
        """``parser(value)``, from the memo when the column had that value already."""
        if memo is None or column in _UNIQUE_COLUMNS:
            return parser(value)
        seen = memo.get(parser)  # one dict per parser: (column, value's class, value)
        if seen is None:
            seen = memo[parser] = {}
        key = (column, value.__class__, value)
        result = seen.get(key, seen)
        if result is seen:
            try:
                result = parser(value)
            except ValueError as exc:
                result = _Failed(str(exc))
            seen[key] = result
        if result.__class__ is _Failed:
            raise ValueError(str(result))
        return result

    raw_code = cell(COL_CODE)
    if raw_code is None:
        fail(COL_CODE, ERROR_REQUIRED.format(what=gettext("mã xã")))
    else:
        try:
            row.code = parsed(COL_CODE, commune_code, raw_code)
        except ValueError as exc:
            fail(COL_CODE, str(exc))
    row.commune_name = parsed(COL_COMMUNE, cell_text, cell(COL_COMMUNE))
    row.village = parsed(COL_VILLAGE, cell_text, cell(COL_VILLAGE))
    raw_kind = cell(COL_UNIT)
    if raw_kind is None:
        fail(COL_UNIT, ERROR_REQUIRED.format(what=gettext("đơn vị (Khối dân vận hoặc Tổ dân vận)")))
    else:
        try:
            row.kind = parsed(COL_UNIT, _unit_kind, raw_kind)
        except ValueError as exc:
            fail(COL_UNIT, str(exc))
    row.full_name, row.name_key = parsed(COL_NAME, _name, cell(COL_NAME))
    if not row.full_name:
        fail(COL_NAME, ERROR_REQUIRED.format(what=gettext("họ và tên")))
    position = parsed(COL_POSITION, cell_text, cell(COL_POSITION))
    row.position = position or None
    for column, text in ((COL_NAME, row.full_name), (COL_POSITION, position)):
        if len(text) > TEXT_LIMITS[column]:
            fail(column, ERROR_TOO_LONG.format(column=column, limit=TEXT_LIMITS[column]))
    for column, attribute, parser in _PARSERS:
        value = cell(column)
        if value is None:
            continue
        try:
            setattr(row, attribute, parsed(column, parser, value))
        except ValueError as exc:
            fail(column, str(exc))
    if row.kind == UnitKind.BLOC and row.village:
        fail(COL_VILLAGE, ERROR_VILLAGE_FOR_BLOC)
    elif row.kind and row.kind != UnitKind.BLOC:
        if not row.village:
            fail(COL_VILLAGE, ERROR_VILLAGE_REQUIRED)
        elif len(row.village) > TEXT_LIMITS[COL_VILLAGE]:
            fail(
                COL_VILLAGE,
                ERROR_TOO_LONG.format(column=COL_VILLAGE, limit=TEXT_LIMITS[COL_VILLAGE]),
            )
    if row.start and row.end and row.end < row.start:
        fail(COL_END, ERROR_END_BEFORE_START.format(date=day(row.start)))
    if row.end and row.end > timezone.localdate():
        fail(COL_END, ERROR_END_IN_FUTURE)
    return row


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
