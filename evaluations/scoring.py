"""The arithmetic of a score sheet, shared by the services, the pages and the workbook:
a score typed by a person or read from a cell, the level a total reaches, and how a
number is written for Vietnamese readers. No database access, no writes."""

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from evaluations.choices import LEVELS
from evaluations.models import CriterionItem, RatingLevel

ERROR_SCORE_RANGE = _("Điểm tiêu chí {code} phải từ 0 đến {max}.")
ERROR_SCORE_NUMBER = _("Điểm tiêu chí {code} phải là một số.")


def number_text(value) -> str:
    """A score or total as Vietnamese write it: 7.50 -> "7,5", 100.00 -> "100"; empty
    for no value."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")


def scale_level(total: Decimal, levels: Iterable[RatingLevel], caps: Iterable[int]) -> int:
    """The level a total reaches on the scale, then capped by every gate answered yes
    (a cap is the best level still reachable: the larger number wins)."""
    level = max(LEVELS)
    for step in sorted(levels, key=lambda lv: lv.level):
        if total >= step.min_score:
            level = step.level
            break
    return max([level, *caps])


def parse_score(value, item: CriterionItem) -> Decimal | None:
    """A score typed by a person or read from a sheet ("7,5" and "7.5" both), checked
    against the item's range."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        score = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(ERROR_SCORE_NUMBER.format(code=item.code)) from None
    if not score.is_finite() or score < 0 or score > item.max_score:
        raise ValidationError(
            ERROR_SCORE_RANGE.format(code=item.code, max=number_text(item.max_score))
        )
    return score
