"""A province with history across the 2025 reform (docs/DEMO.md, "History across the
reform"): legacy rosters in a few communes of Bắc Kạn (06), then carried onto the 2025
map (Thái Nguyên) by the one carry-over service (``members.carry_over``), as staff
would with the wizard or ``carry_over_2025``. The legacy ratings in between are the
caller's (``generate_demo``: evaluations sit above members).

The communes are chosen so the carry-over cannot refuse: only legacy communes whose
default 2025 commune has no active bloc, grouped by that commune so each receiving
commune gets the union of two or more legacy blocs. Once the province is carried, it
has no active legacy unit and the history is not generated again: a second run adds
nothing.
"""

from __future__ import annotations

import dataclasses
import random

from members.carry_over import CarryResult, carry_over_apply, legacy_province_get
from members.demo.rosters import DemoCounts, rosters_generate
from members.demo.scope import communes_of
from units.choices import UnitKind
from units.models import Area, Reorganisation, Unit
from units.models_lineage import ReorganisationKind
from units.selectors import default_successor_ids, successor_province

#: The province carried: Bắc Kạn, merged into Thái Nguyên (the 2025 small demo's first).
HISTORY_PROVINCE = "06"
#: The years the legacy units are rated: the last three before the reform.
LEGACY_YEARS = [2022, 2023, 2024]
#: How many 2025 communes receive carried rosters (each from two or more legacy ones).
RECEIVING_COMMUNES = 2

ERROR_CARRY = "Không chuyển được tỉnh {province} sang địa bàn mới: {errors}"


class HistoryError(Exception):
    """The carry-over refused the demo's legacy province (the caller rolls back)."""


@dataclasses.dataclass
class HistoryPlan:
    legacy_province: Area
    communes: list[Area]


def history_plan(*, seed: int, code: str = HISTORY_PROVINCE) -> HistoryPlan | None:
    """The legacy communes to fill and carry, or None when there is nothing to do: the
    legacy province or its successor is not loaded, it has been carried (or holds
    rosters already), or no receiving commune is free."""
    legacy = legacy_province_get(code)
    if legacy is None or successor_province(legacy) is None:
        return None
    if (
        Reorganisation.objects.filter(
            kind=ReorganisationKind.CARRY_OVER, area=legacy, undone_at__isnull=True
        ).exists()
        or Unit.objects.under(legacy).exists()
    ):
        return None
    communes = communes_of(legacy)
    targets = default_successor_ids([c.pk for c in communes])
    taken = set(
        Unit.objects.active()
        .filter(area_id__in=set(targets.values()), kind=UnitKind.BLOC)
        .values_list("area_id", flat=True)
    )
    groups: dict[int, list[Area]] = {}
    for commune in communes:
        target = targets.get(commune.pk)
        if target is not None and target not in taken:
            groups.setdefault(target, []).append(commune)
    merged = sorted(pk for pk, members in groups.items() if len(members) >= 2)
    if not merged:
        return None
    rng = random.Random(f"{seed}/history/{legacy.path}")  # noqa: S311 - reproducible on purpose
    chosen = rng.sample(merged, min(RECEIVING_COMMUNES, len(merged)))
    picked = sorted((c for pk in chosen for c in groups[pk]), key=lambda c: c.path)
    return HistoryPlan(legacy_province=legacy, communes=picked)


def history_rosters(plan: HistoryPlan, *, seed: int) -> DemoCounts:
    """The legacy rosters of the plan's communes (founded 2020–2024, no seat after
    30/06/2025)."""
    return rosters_generate(
        province=plan.legacy_province, scale="small", seed=seed, communes=plan.communes
    )


def history_carry(plan: HistoryPlan) -> CarryResult:
    """Carry the legacy province onto the 2025 map with ``carry_over_apply``; raises
    ``HistoryError`` when it refuses."""
    result = carry_over_apply(legacy_province=plan.legacy_province)
    if result.errors:
        raise HistoryError(
            ERROR_CARRY.format(
                province=plan.legacy_province.name, errors="; ".join(map(str, result.errors))
            )
        )
    return result
