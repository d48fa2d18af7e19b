"""The official lineage of the 2025 reorganisation: which 2025 province and commune(s)
took over each legacy one (docs/REORGANISATION.md, "Succession").

The ``vietnamadminunits`` package ships the mapping keyed by folded names
("tinhbackan_huyenbabe_xanamco"), not by codes; the package's own dataset holds the same
keys next to the official codes, so the mapping is joined to codes through it, then to
the loaded areas by code. ``divisions_load`` calls ``successions_load`` after loading
either edition: the links appear as soon as both editions are loaded (whichever comes
second) and only between areas that are loaded (a ``--province`` load links what it can).
"""

import dataclasses
import functools
import json
import logging
from pathlib import Path

from django.db import transaction

from units.choices import V2025_VALID_FROM, Edition, Level
from units.models import Area, Succession, Unit, units_map_2025

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class OfficialLink:
    """One link of the package's mapping, by official codes.

    ``predecessor`` is the legacy area's key: ``("code", "01234")``, or for the
    commune-level stand-in of an island district without communes ``("in", "318")`` (the
    district's code, as ``units.services.OfficialArea.key`` does)."""

    level: str
    predecessor: tuple[str, str]
    successor: str
    whole: bool
    is_default: bool


@dataclasses.dataclass
class SuccessionLoadResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        return (
            f"succession: created={self.created} updated={self.updated} "
            f"deleted={self.deleted} unchanged={self.unchanged}"
        )


def _package_mapping() -> dict:
    import vietnamadminunits

    path = Path(vietnamadminunits.__file__).parent / "data" / "converter_2025.json"
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


@functools.cache
def official_links() -> tuple[OfficialLink, ...]:
    """Every link of the package's legacy → 2025 mapping, provinces then communes.

    Raises ``LookupError`` when a key of the mapping is not in the package's dataset
    (a package upgrade that broke the join: better to stop than to load half a lineage).
    """
    from vietnamadminunits.database import get_data

    keys = ["provinceKey", "districtKey", "wardKey"]
    codes = ["provinceCode", "districtCode", "wardCode"]
    legacy_rows = get_data(fields=[*keys, *codes], table="admin_units_legacy")
    new_rows = get_data(
        fields=["provinceKey", "wardKey", "provinceCode", "wardCode"], table="admin_units"
    )
    legacy_provinces = {r["provinceKey"]: r["provinceCode"] for r in legacy_rows}
    legacy_communes = {
        f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}": (
            ("code", r["wardCode"]) if r["wardCode"] else ("in", r["districtCode"])
        )
        for r in legacy_rows
    }
    new_provinces = {r["provinceKey"]: r["provinceCode"] for r in new_rows}
    new_communes = {(r["provinceKey"], r["wardKey"]): r["wardCode"] for r in new_rows}

    mapping = _package_mapping()
    links: list[OfficialLink] = []
    try:
        for new_key, old_keys in mapping["DICT_PROVINCE"].items():
            for old_key in old_keys:
                links.append(
                    OfficialLink(
                        Level.PROVINCE,
                        ("code", legacy_provinces[old_key]),
                        new_provinces[new_key],
                        whole=True,
                        is_default=True,
                    )
                )
        for province_key, wards in mapping["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
            for ward_key, old_keys in wards.items():
                successor = new_communes[(province_key, ward_key)]
                for old_key in old_keys:
                    links.append(
                        OfficialLink(Level.COMMUNE, legacy_communes[old_key], successor, True, True)
                    )
        for province_key, olds in mapping["DICT_PROVINCE_WARD_DIVIDED"].items():
            for old_key, pieces in olds.items():
                for piece in pieces:
                    links.append(
                        OfficialLink(
                            Level.COMMUNE,
                            legacy_communes[old_key],
                            new_communes[(province_key, piece["newWardKey"])],
                            whole=False,
                            is_default=bool(piece["isDefaultNewWard"]),
                        )
                    )
    except KeyError as exc:
        raise LookupError(f"vietnamadminunits: unknown key {exc} in the 2025 mapping") from exc
    return tuple(links)


def _loaded_keys(edition: str, level: str) -> dict[tuple[str, str], int]:
    """Loaded areas of one level and edition by the key ``OfficialLink`` uses."""
    rows = Area.objects.filter(edition=edition, level=level).values_list(
        "pk", "code", "parent__code"
    )
    keys = {}
    for pk, code, parent_code in rows:
        keys[("code", code) if code else ("in", parent_code)] = pk
    return keys


@transaction.atomic
def successions_load() -> SuccessionLoadResult | None:
    """Create, update or remove the official links between the loaded areas of both
    editions so that they are exactly the package's mapping. Idempotent; bulk writes
    (a constant number of queries); links recorded by a carry-over or a village
    reorganisation (with a ``batch_id``) are never touched. None while only one
    edition is loaded (nothing to link)."""
    area_keys = {
        (edition, level): _loaded_keys(edition, level)
        for edition in (Edition.LEGACY, Edition.V2025)
        for level in (Level.PROVINCE, Level.COMMUNE)
    }
    if (
        not area_keys[(Edition.LEGACY, Level.PROVINCE)]
        or not area_keys[(Edition.V2025, Level.PROVINCE)]
    ):
        return None
    result = SuccessionLoadResult()

    wanted: dict[tuple[int, int], OfficialLink] = {}
    for link in official_links():
        predecessor = area_keys[(Edition.LEGACY, link.level)].get(link.predecessor)
        successor = area_keys[(Edition.V2025, link.level)].get(("code", link.successor))
        if predecessor and successor:
            wanted[(predecessor, successor)] = link

    existing = {(s.predecessor_id, s.successor_id): s for s in Succession.objects.official()}
    stale = [s.pk for key, s in existing.items() if key not in wanted]
    to_update, to_create = [], []
    for key, link in wanted.items():
        row = existing.get(key)
        if row is None:
            to_create.append(
                Succession(
                    level=link.level,
                    predecessor_id=key[0],
                    successor_id=key[1],
                    whole=link.whole,
                    is_default=link.is_default,
                    effective_on=V2025_VALID_FROM,
                )
            )
        elif (row.whole, row.is_default, row.level) != (link.whole, link.is_default, link.level):
            row.whole, row.is_default, row.level = link.whole, link.is_default, link.level
            to_update.append(row)
        else:
            result.unchanged += 1
    if stale:
        Succession.objects.filter(pk__in=stale).delete()
    if to_update:
        # A default piece that moves: clear the old defaults first (one default per
        # predecessor is a constraint checked row by row).
        Succession.objects.filter(pk__in=[r.pk for r in to_update]).update(is_default=False)
        Succession.objects.bulk_update(to_update, ["whole", "is_default", "level"], 2000)
    Succession.objects.bulk_create(to_create, batch_size=2000)
    result.created, result.updated, result.deleted = len(to_create), len(to_update), len(stale)
    # Where legacy units stand on the 2025 map follows the lineage: all of them when it
    # changed, else those without a place yet.
    changed = to_create or to_update or stale
    units_map_2025(None if changed else Unit.objects.filter(map_path__isnull=True))
    logger.info("successions_load %s", result.summary())
    return result
