"""A quantitative item's thresholds: the count its records reach mapped to points.

Stored as text, the way staff type it: ``"12: 10; 6: 5"`` reads "12 or more: 10
points, 6 or more: 5 points, fewer: 0". ``parse_thresholds`` reads and checks it (the
one rule, used by the model's ``clean``, the criteria editor and the services);
``thresholds_text`` writes it back in one canonical form (largest count first); ``points_for``
maps a count. No database access.
"""

import itertools
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from evaluations.choices import ACTIVITY_MEASURES

ERROR_FORMAT = _(
    "Ngưỡng “{part}” không đúng mẫu: ghi “số lượng: điểm”, các ngưỡng cách nhau bởi dấu "
    "chấm phẩy (ví dụ: 12: 10; 6: 5)."
)
ERROR_COUNT = _("Số lượng của ngưỡng phải là số nguyên từ 1 trở lên (ngưỡng “{part}”).")
ERROR_POINTS = _("Điểm của ngưỡng “{part}” phải lớn hơn 0 và không quá điểm tối đa {max}.")
ERROR_DUPLICATE = _("Số lượng {count} được ghi hai lần.")
ERROR_ORDER = _(
    "Số lượng càng lớn thì điểm phải càng cao: ngưỡng {high} và {low} không theo thứ tự."
)
ERROR_REQUIRED = _("Tiêu chí tính từ sổ theo dõi cần ít nhất một ngưỡng (ví dụ: 12: 10; 6: 5).")
ERROR_NOT_QUANTITATIVE = _(
    "Chỉ ghi ngưỡng điểm và loại hoạt động khi tiêu chí được tính từ sổ theo dõi."
)
ERROR_KIND_NOT_ACTIVITIES = _("Loại hoạt động chỉ dùng khi tiêu chí đếm hoạt động.")

_PART = re.compile(r"^\s*(?:≥|>=)?\s*([^:=→]+?)\s*(?::|=|→|->)\s*(.+?)\s*$")


def _text(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def parse_thresholds(text: str, *, max_score=None) -> list[tuple[int, Decimal]]:
    """(minimum count, points) pairs, largest count first; raises one ValidationError
    listing every problem (format, counts, points above ``max_score``, order)."""
    problems, pairs = [], []
    for part in re.split(r"[;\n]", text or ""):
        if not part.strip():
            continue
        match = _PART.match(part)
        if not match:
            problems.append(ERROR_FORMAT.format(part=part.strip()))
            continue
        raw_count, raw_points = match.groups()
        try:
            count = int(raw_count.replace(".", "").strip())
        except ValueError:
            count = 0
        if count < 1:
            problems.append(ERROR_COUNT.format(part=part.strip()))
            continue
        try:
            points = Decimal(raw_points.replace(",", ".").strip())
        except InvalidOperation:
            points = Decimal(-1)
        too_high = max_score is not None and points > Decimal(str(max_score))
        if not points.is_finite() or points <= 0 or too_high:
            limit = _text(Decimal(str(max_score))) if max_score is not None else "—"
            problems.append(ERROR_POINTS.format(part=part.strip(), max=limit))
            continue
        pairs.append((count, points))
    pairs.sort(key=lambda pair: -pair[0])
    for (high, high_points), (low, low_points) in itertools.pairwise(pairs):
        if high == low:
            problems.append(ERROR_DUPLICATE.format(count=high))
        elif high_points <= low_points:
            problems.append(
                ERROR_ORDER.format(
                    high=f"{high}: {_text(high_points)}", low=f"{low}: {_text(low_points)}"
                )
            )
    if problems:
        raise ValidationError(problems)
    return pairs


def thresholds_text(pairs) -> str:
    """The canonical text of (count, points) pairs: ``"12: 10; 6: 5"``."""
    return "; ".join(f"{count}: {_text(Decimal(points))}" for count, points in pairs)


def points_for(pairs, count: int) -> Decimal:
    """The points of the highest threshold ``count`` reaches; 0 below every one."""
    for minimum, points in pairs:
        if count >= minimum:
            return points
    return Decimal(0)


def check_quantitative(item) -> None:
    """The rule of a criterion item's quantitative fields (its model's ``clean``, which
    the criteria editor and the services run): thresholds and an activity kind only
    with a measure, the kind only for a measure of activities, at least one threshold,
    each as ``parse_thresholds`` checks it against the item's maximum. Rewrites the
    thresholds in their canonical form."""
    if not item.measure:
        if item.thresholds.strip() or item.activity_kind:
            raise ValidationError({"thresholds": ERROR_NOT_QUANTITATIVE})
        return
    if item.activity_kind and item.measure not in ACTIVITY_MEASURES:
        raise ValidationError({"activity_kind": ERROR_KIND_NOT_ACTIVITIES})
    if not item.thresholds.strip():
        raise ValidationError({"thresholds": ERROR_REQUIRED})
    try:
        pairs = parse_thresholds(item.thresholds, max_score=item.max_score)
    except ValidationError as exc:
        raise ValidationError({"thresholds": exc.messages}) from None
    item.thresholds = thresholds_text(pairs)
