"""Reads of administrative areas and units.

Areas themselves are public facts (official names and codes), so the public reads at the
top do not depend on the user. The staff reads below take the user: every staff page
gets its base queryset from them (``units_visible_to`` and friends), never from
``Model.objects.all()``.
"""

from django.db.models import Count
from django.db.models.functions import Substr

from units.access import can_use_rosters, scope_of
from units.choices import Edition, Level
from units.models import Area, Unit


def editions_loaded() -> list[str]:
    """Editions with at least one province loaded, 2025 first."""
    loaded = set(
        Area.objects.filter(level=Level.PROVINCE).values_list("edition", flat=True).distinct()
    )
    return [e for e in (Edition.V2025, Edition.LEGACY) if e in loaded]


def edition_default(loaded: list[str] | None = None) -> str:
    """The edition read when none is asked for: the only one loaded, else 2025
    (CONTRACTS section 1 and 3)."""
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


# --- Reads that depend on the user --------------------------------------------------
#
# Every staff page, the admin, imports and exports take their base queryset from one of
# these functions, which filter with the user's scope (units.access): the account's
# areas and everything under them, one indexed prefix condition per area.


def user_is_portal_staff(user) -> bool:
    """Whether ``user`` may use the staff roster interface at all: an active account
    with a roster role (system administrator, provincial, district or commune staff)."""
    return can_use_rosters(user)


def areas_visible_to(user):
    """Areas ``user`` may work in: the subtrees of the account's areas (everything for a
    system administrator, nothing for news editors and the public)."""
    return scope_of(user).apply(Area.objects.all(), "path")


def communes_visible_to(user):
    """Commune-level areas (xã, phường, thị trấn, đặc khu) of both editions that ``user``
    may work in."""
    return areas_visible_to(user).filter(level=Level.COMMUNE)


def units_visible_to(user):
    """Blocs and teams ``user`` may see and change, active or dissolved, within the
    account's areas."""
    return scope_of(user).apply(Unit.objects.all(), "area_path")


COMMUNE_SEARCH_LIMIT = 30


def commune_search(*, user, query: str, limit: int = COMMUNE_SEARCH_LIMIT):
    """Communes of both editions matching ``query``: a 5-digit official code (exact), or
    every word of a name ignoring case and diacritics. Parents come in the same query
    (for "Xã A — Huyện B, Tỉnh C"); 2025 first, then by code."""
    query = (query or "").strip()
    communes = communes_visible_to(user).select_related("parent__parent")
    if not query:
        return communes.none()
    if query.isdigit():
        communes = communes.filter(code=query.zfill(5)) if len(query) <= 5 else communes.none()
    else:
        communes = communes.search(query)
    return communes.order_by("edition", "code", "name")[:limit]


def commune_villages(*, user, commune: Area):
    """The villages of ``commune`` (thôn, tổ dân phố ...) as ``user`` may see them."""
    return areas_visible_to(user).filter(parent=commune, level=Level.VILLAGE)
