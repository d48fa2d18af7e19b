"""A report's period: a month (``2026-11``), a quarter (``2026-Q4``) or a year
(``2026``), as CONTRACTS section 2 writes them."""

import calendar
import dataclasses
import datetime
import re

from django.utils.translation import gettext_lazy as _

ERROR_PERIOD = _(
    "Kỳ báo cáo “{value}” không hợp lệ: ghi 2026-11 (tháng), 2026-Q4 (quý) hoặc 2026 (năm)."
)
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{1,2})|[Qq](?P<quarter>[1-4])))?$")


@dataclasses.dataclass(frozen=True)
class Period:
    kind: str  # "month", "quarter" or "year"
    year: int
    number: int = 0  # the month or the quarter

    @property
    def date_from(self) -> datetime.date:
        if self.kind == "month":
            return datetime.date(self.year, self.number, 1)
        if self.kind == "quarter":
            return datetime.date(self.year, 3 * self.number - 2, 1)
        return datetime.date(self.year, 1, 1)

    @property
    def date_to(self) -> datetime.date:
        if self.kind == "month":
            last = calendar.monthrange(self.year, self.number)[1]
            return datetime.date(self.year, self.number, last)
        if self.kind == "quarter":
            month = 3 * self.number
            return datetime.date(self.year, month, calendar.monthrange(self.year, month)[1])
        return datetime.date(self.year, 12, 31)

    @property
    def label(self) -> str:
        """ "tháng 11 năm 2026", "quý IV năm 2026", "năm 2026" (a document's words)."""
        if self.kind == "month":
            return f"tháng {self.number} năm {self.year}"
        if self.kind == "quarter":
            return f"quý {ROMAN[self.number]} năm {self.year}"
        return f"năm {self.year}"

    @property
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        return str(self.year)


def parse_period(value: str) -> Period:
    """The period written ``value``, or ``ValueError`` with the Vietnamese message."""
    match = _PATTERN.match((value or "").strip())
    if match:
        year = int(match["year"])
        if 2000 <= year <= 2100:
            if match["month"]:
                month = int(match["month"])
                if 1 <= month <= 12:
                    return Period("month", year, month)
            elif match["quarter"]:
                return Period("quarter", year, int(match["quarter"]))
            else:
                return Period("year", year)
    raise ValueError(str(ERROR_PERIOD).format(value=value))
