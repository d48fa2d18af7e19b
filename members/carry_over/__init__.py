"""Carrying a legacy province's rosters onto the 2025 map (chuyển sang địa bàn mới): the
preview (``plan``), the apply and the undo (``apply``); the wizard and the
``carry_over_2025`` command both call these (docs/REORGANISATION.md, "Carry-over")."""

from members.carry_over.apply import (
    CarryResult,
    carry_over_apply,
    carry_over_undo,
)
from members.carry_over.plan import (
    REASON_CARRY_OVER,
    CarryPlan,
    carry_over_plan,
    legacy_province_get,
)

__all__ = [
    "REASON_CARRY_OVER",
    "CarryPlan",
    "CarryResult",
    "carry_over_apply",
    "carry_over_plan",
    "carry_over_undo",
    "legacy_province_get",
]
