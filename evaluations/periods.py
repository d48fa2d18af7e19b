"""Rating periods: a criteria set is issued for a year (the default), a quarter or a
term (nhiệm kỳ, e.g. 2025–2030), and a unit has at most one rating per set and period.

A period is the set's ``year`` (the first year of a term) with a short code in
``period``: ``""`` for the whole year (every rating made before periods existed),
``"Q1"``…``"Q4"`` for a quarter, ``"T2030"`` for the term ending in 2030. Pages and
workbooks name a period by its key: ``"2025"``, ``"2025-Q2"``, ``"2025-2030"``.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

YEAR = ""

ERROR_PERIOD = _("Kỳ đánh giá “{value}” không hợp lệ (ví dụ: 2025, 2025-Q2, 2025-2030).")
ERROR_TERM = _("Nhiệm kỳ phải kết thúc sau năm bắt đầu (ví dụ: 2025-2030).")

_KEY = re.compile(r"^\s*(\d{4})\s*(?:-\s*(?:[Qq]([1-4])|(\d{4})))?\s*$")


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Năm")
    QUARTER = "quarter", _("Quý")
    TERM = "term", _("Nhiệm kỳ")


_CODE = re.compile(r"^(Q[1-4]|T\d{4})?$")


def is_period_code(value: str) -> bool:
    """Whether ``value`` is a stored period code ("" the whole year, "Q2", "T2030")."""
    return bool(_CODE.match(value or ""))


def period_query(code: str) -> str:
    """The query string that keeps a period on a page's links ("" for the year)."""
    return f"?period={code}" if code else ""


def period_code(kind: str, *, quarter: int | None = None, end_year: int | None = None) -> str:
    """The stored code of a period of ``kind``."""
    if kind == PeriodKind.QUARTER:
        return f"Q{int(quarter)}"
    if kind == PeriodKind.TERM:
        return f"T{int(end_year)}"
    return YEAR


def period_kind(code: str) -> str:
    if code.startswith("Q"):
        return PeriodKind.QUARTER
    if code.startswith("T"):
        return PeriodKind.TERM
    return PeriodKind.YEAR


def period_key(year: int, code: str) -> str:
    """``"2025"``, ``"2025-Q2"`` or ``"2025-2030"``: the period in URLs and workbooks."""
    if code.startswith("T"):
        return f"{year}-{code[1:]}"
    return f"{year}-{code}" if code else str(year)


def parse_period(value) -> tuple[int, str]:
    """(year, code) of a period key; a bare year is the whole year."""
    match = _KEY.match(str(value or ""))
    if not match:
        raise ValidationError(ERROR_PERIOD.format(value=value))
    year, quarter, end_year = match.groups()
    if quarter:
        return int(year), f"Q{quarter}"
    if end_year:
        if int(end_year) <= int(year):
            raise ValidationError(ERROR_TERM)
        return int(year), f"T{end_year}"
    return int(year), YEAR


def period_label(year: int, code: str) -> str:
    """How a page names the period: "năm 2025", "quý 2/2025", "nhiệm kỳ 2025–2030"."""
    if code.startswith("Q"):
        return str(_("quý {quarter}/{year}")).format(quarter=code[1:], year=year)
    if code.startswith("T"):
        return str(_("nhiệm kỳ {year}–{end}")).format(year=year, end=code[1:])
    return str(_("năm {year}")).format(year=year)


def period_bounds(year: int, code: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the period: the days whose records count."""
    if code.startswith("Q"):
        quarter = int(code[1:])
        first = datetime.date(year, 3 * quarter - 2, 1)
        following = datetime.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
        return first, following - datetime.timedelta(days=1)
    if code.startswith("T"):
        return datetime.date(year, 1, 1), datetime.date(int(code[1:]), 12, 31)
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
