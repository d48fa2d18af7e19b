"""What a run covers: the edition, the provinces and, at small scale, which communes;
official divisions are loaded first when the needed ones are missing."""

from __future__ import annotations

import dataclasses
import random

from members.demo.villages import URBAN_TYPES
from portal.paths import province_path
from units.choices import Edition, Level
from units.models import Area
from units.selectors import edition_default, editions_loaded
from units.services import divisions_load

SCALES = ("small", "province", "national")
DEFAULT_SEED = 2025

#: Small scale: this many communes in each of (up to) two provinces.
SMALL_PROVINCES = 2
SMALL_COMMUNES = 6

#: Provinces used when none is named: a northern mountain province (Tày, Nùng, Dao,
#: Mông villages) and a Central Highlands one (Ê-đê buôn), so the small demo shows both.
#: Bắc Kạn (legacy 06) is the province of the "108 blocs, 1,265 members" figure.
PREFERRED_PROVINCES = {
    Edition.V2025: ["19", "66"],
    Edition.LEGACY: ["06", "66"],
}

ERROR_SCALE = "Quy mô không hợp lệ: chọn small, province hoặc national."
ERROR_NO_COMMUNES = (
    "Danh mục {edition} chưa có xã, phường nào để tạo dữ liệu mẫu: "
    "chạy load_divisions --edition {edition} trước."
)
ERROR_PROVINCE_NATIONAL = "Không dùng --province với quy mô national (toàn quốc)."


@dataclasses.dataclass
class DemoScope:
    """What a run covers: an edition, and communes of some provinces (all of a province's
    communes when its list is None)."""

    scale: str
    edition: str
    provinces: list[tuple[Area, list[Area] | None]]
    divisions_loaded: str = ""


def _provinces_with_communes(edition: str) -> list[Area]:
    """Provinces of ``edition`` that have at least one commune, in code order."""
    with_communes = set(
        Area.objects.filter(edition=edition, level=Level.COMMUNE)
        .values_list("path", flat=True)
        .order_by()
    )
    prefixes = {province_path(path) for path in with_communes}
    return [
        p
        for p in Area.objects.filter(edition=edition, level=Level.PROVINCE).order_by("code", "path")
        if p.path in prefixes
    ]


def _load(edition: str, codes: list[str] | None) -> str:
    result = divisions_load(edition=edition, provinces=codes)
    return result.summary()


def demo_scope(
    *, scale: str, edition: str | None = None, provinces: list[str] | None = None, seed: int
) -> DemoScope:
    """Decide which communes a run fills, loading official divisions only when the
    needed edition or province is missing.

    - small: up to two provinces (the preferred ones when loaded), six communes each
      (one ward or town among them when there is one);
    - province: one province (``provinces[0]``, else the preferred one, else the first
      loaded), every commune;
    - national: every loaded province of the edition (the whole edition is loaded when
      none of it is).
    """
    if scale not in SCALES:
        raise ValueError(ERROR_SCALE)
    if scale == "national" and provinces:
        raise ValueError(ERROR_PROVINCE_NATIONAL)
    edition = edition or edition_default(editions_loaded())
    codes = [c.zfill(2) for c in provinces or []]
    available = _provinces_with_communes(edition)
    loaded_note = ""

    if scale == "national":
        if not available:
            loaded_note = _load(edition, None)
            available = _provinces_with_communes(edition)
        chosen = available
    else:
        wanted_count = 1 if scale == "province" else SMALL_PROVINCES
        if codes:
            missing = [c for c in codes if c not in {p.code for p in available}]
            if missing:
                loaded_note = _load(edition, missing)
                available = _provinces_with_communes(edition)
            by_code = {p.code: p for p in available}
            chosen = [by_code[c] for c in codes if c in by_code]
        else:
            preferred = PREFERRED_PROVINCES[edition][:wanted_count]
            if not available:
                loaded_note = _load(edition, preferred)
                available = _provinces_with_communes(edition)
            by_code = {p.code: p for p in available}
            chosen = [by_code[c] for c in preferred if c in by_code]
            chosen += [p for p in available if p not in chosen]
            chosen = chosen[:wanted_count]
    if not chosen:
        raise ValueError(ERROR_NO_COMMUNES.format(edition=edition))

    plan: list[tuple[Area, list[Area] | None]] = []
    for province in chosen:
        if scale == "small":
            plan.append((province, _small_communes(province, seed=seed)))
        else:
            plan.append((province, None))
    return DemoScope(scale=scale, edition=edition, provinces=plan, divisions_loaded=loaded_note)


def communes_of(province: Area) -> list[Area]:
    return list(
        Area.objects.filter(level=Level.COMMUNE, path__descendant_of=province.path).order_by("path")
    )


def _small_communes(province: Area, *, seed: int) -> list[Area]:
    """Six communes of the province, drawn with the seed: one ward or town (to show
    tổ dân phố) and the rest rural communes when the province has both."""
    communes = communes_of(province)
    rng = random.Random(f"{seed}/small/{province.path}")  # noqa: S311 - reproducible on purpose
    urban = [c for c in communes if c.type_word in URBAN_TYPES]
    rural = [c for c in communes if c.type_word not in URBAN_TYPES]
    picked = rng.sample(urban, min(1, len(urban)))
    picked += rng.sample(rural, min(SMALL_COMMUNES - len(picked), len(rural)))
    if len(picked) < SMALL_COMMUNES:
        rest = [c for c in urban if c not in picked]
        picked += rng.sample(rest, min(SMALL_COMMUNES - len(picked), len(rest)))
    return sorted(picked, key=lambda c: c.path)
