"""Dates as the portal writes them, in every language: day first, "21/11/2026", and
"21/11/2026 14:05" in local time (docs/DECISIONS.md: the committees' documents are dated
day first, so the English pages are too)."""

import datetime
from decimal import Decimal

from django.utils import formats, timezone

DAY_FORMAT = "%d/%m/%Y"
DAY_TIME_FORMAT = "%d/%m/%Y %H:%M"


def day(value: datetime.date | None) -> str:
    """ "21/11/2026"; empty for no date."""
    return value.strftime(DAY_FORMAT) if value else ""


def day_time(value: datetime.datetime | None) -> str:
    """ "21/11/2026 14:05" in the portal's time zone; empty for no time."""
    return timezone.localtime(value).strftime(DAY_TIME_FORMAT) if value else ""


def number(value) -> str:
    """A decimal number in the page's language without trailing zeros: "85", "97,5" in
    Vietnamese ("97.5" in English); empty for no value."""
    if value is None:
        return ""
    plain = Decimal(format(Decimal(value).normalize(), "f"))
    return formats.number_format(plain, use_l10n=True)
