"""Reads of administrative areas that do not depend on the user.

Areas themselves are public facts (official names and codes). The reads that depend on
the user (``areas_visible_to``, ``units_visible_to`` and friends) need the account's
scope, so they live one layer up, in ``accounts.selectors`` (docs/DECISIONS.md).
"""

from django.db.models import Count, Q
from django.db.models.functions import Substr

from units.choices import Edition, Level
from units.models import Area, Succession


def editions_loaded() -> list[str]:
    """Editions with at least one province loaded, 2025 first."""
    loaded = set(
        Area.objects.filter(level=Level.PROVINCE).values_list("edition", flat=True).distinct()
    )
    return [e for e in (Edition.V2025, Edition.LEGACY) if e in loaded]


def edition_default(loaded: list[str] | None = None) -> str:
    """The edition read when none is asked for: the only one loaded, else 2025
    (docs/CONTRACTS.md, sections 1 and 3)."""
    loaded = editions_loaded() if loaded is None else loaded
    return loaded[0] if len(loaded) == 1 else Edition.V2025


def province_list(*, edition: str, query: str = "") -> list[Area]:
    """Provinces of an edition in code order, each with its number of communes
    (``commune_count``), in two queries.

    The communes are counted in one GROUP BY on the province part of their path (a
    fixed-length prefix: "2025/19/"), not with a subquery per province: PostgreSQL
    cannot serve a LIKE on a correlated pattern from the index, and scanning the area
    table once per province cost 150 ms a page with both editions loaded."""
    provinces = Area.objects.filter(edition=edition, level=Level.PROVINCE)
    if query:
        provinces = provinces.search(query)
    provinces = list(provinces.order_by("code"))
    if not provinces:
        return provinces
    prefix_length = len(f"{edition}/") + 3
    counts = dict(
        Area.objects.filter(edition=edition, level=Level.COMMUNE)
        .annotate(province_path=Substr("path", 1, prefix_length))
        .values("province_path")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("province_path", "n")
    )
    for province in provinces:
        province.commune_count = counts.get(province.path, 0)
    return provinces


def area_search(*, query: str, edition: str | None = None, limit: int = 20):
    """Districts and communes whose names match ``query`` ignoring diacritics, with their
    parents, best-known first (shorter names first, then by code)."""
    areas = (
        Area.objects.search(query)
        .filter(level__in=[Level.DISTRICT, Level.COMMUNE])
        .select_related("parent__parent")
    )
    if edition:
        areas = areas.filter(edition=edition)
    return areas.order_by("edition", "level", "code")[:limit]


# --- Lineage of the 2025 reorganisation (units.models.Succession) -------------------


def successor_communes(legacy_commune: Area) -> list[Area]:
    """The 2025 commune(s) that took over ``legacy_commune``, the default piece first;
    each carries ``succession`` (its link: ``whole``, ``is_default``)."""
    return _linked(Succession.objects.filter(predecessor=legacy_commune), "successor")


def default_successor(legacy_area: Area) -> Area | None:
    """The 2025 area a legacy commune or province goes to when nothing else is said:
    the only successor, or the package's default piece of a split commune."""
    link = (
        Succession.objects.official()
        .filter(predecessor=legacy_area, is_default=True)
        .select_related("successor")
        .first()
    )
    return link.successor if link else None


def predecessor_communes(commune: Area) -> list[Area]:
    """The legacy communes that went (whole or in part) into the 2025 ``commune``, in
    code order; each carries ``succession``."""
    return _linked(Succession.objects.filter(successor=commune), "predecessor", by_default=False)


def successor_province(legacy_province: Area) -> Area | None:
    """The 2025 province that absorbed ``legacy_province`` (provinces merged whole)."""
    return default_successor(legacy_province)


def predecessor_provinces(province: Area) -> list[Area]:
    """The legacy provinces merged into the 2025 ``province``, in code order
    (Thái Nguyên: Bắc Kạn and Thái Nguyên)."""
    return _linked(
        Succession.objects.official().filter(successor=province, level=Level.PROVINCE),
        "predecessor",
        by_default=False,
    )


def default_successor_ids(legacy_commune_ids) -> dict[int, int]:
    """{legacy commune id: its default 2025 commune id}, in one query (bulk reads of the
    carry-over and the statistics)."""
    return dict(
        Succession.objects.official()
        .filter(predecessor_id__in=legacy_commune_ids, is_default=True)
        .values_list("predecessor_id", "successor_id")
    )


def predecessor_province_ids(province_ids) -> dict[int, list[int]]:
    """{2025 province id: [legacy province ids]}, in one query."""
    result: dict[int, list[int]] = {pk: [] for pk in province_ids}
    rows = Succession.objects.official().filter(successor_id__in=province_ids, level=Level.PROVINCE)
    for successor_id, predecessor_id in rows.values_list("successor_id", "predecessor_id"):
        result[successor_id].append(predecessor_id)
    return result


def _linked(links, side: str, *, by_default: bool = True) -> list[Area]:
    """The areas on ``side`` of ``links``, each with its link as ``succession``, in path
    (code) order, the default piece first when ``by_default``."""
    ordering = ["-is_default", f"{side}__path"] if by_default else [f"{side}__path"]
    areas = []
    for link in links.select_related(side).order_by(*ordering):
        area = getattr(link, side)
        area.succession = link
        areas.append(area)
    return areas


def predecessor_province_paths(paths) -> list[str]:
    """The paths of the legacy provinces merged into the 2025 provinces among ``paths``
    (paths of any areas: only 2025 provinces have predecessors), in one query, none when
    ``paths`` holds no 2025 province."""
    provinces = [p for p in paths if p.startswith(f"{Edition.V2025}/") and p.count("/") == 2]
    if not provinces:
        return []
    return list(
        Succession.objects.official()
        .filter(level=Level.PROVINCE, successor__path__in=provinces)
        .order_by("predecessor__path")
        .values_list("predecessor__path", flat=True)
    )


def provinces_linked(province_id: int) -> list[int]:
    """Ids of the province and of the provinces linked to it by the 2025 reorganisation:
    a 2025 province with the legacy provinces merged into it, a legacy province with the
    2025 province that absorbed it (one query). Records of these provinces may be the
    same person (merge candidates)."""
    links = Succession.objects.official().filter(
        Q(predecessor_id=province_id) | Q(successor_id=province_id), level=Level.PROVINCE
    )
    ids = {province_id}
    for predecessor, successor in links.values_list("predecessor_id", "successor_id"):
        ids.update((predecessor, successor))
    return sorted(ids)
