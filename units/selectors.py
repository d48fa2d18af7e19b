"""Reads of administrative areas that do not depend on the user.

Areas themselves are public facts (official names and codes). The reads that depend on
the user (``areas_visible_to``, ``units_visible_to`` and friends) need the account's
scope, so they live one layer up, in ``accounts.selectors`` (docs/DECISIONS.md).
"""

from django.db.models import Count
from django.db.models.functions import Substr

from units.choices import Edition, Level
from units.models import Area


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
