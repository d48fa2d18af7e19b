"""Reads that depend on who asks: the areas and units a user may work in, and the staff
accounts a manager may see.

Areas and units: the subtrees of the account's areas (``accounts.access.Scope``).

Staff accounts: an account is visible to (and so managed by) a user who may manage
accounts when every area it is bound to lies within the user's scope: a provincial
staffer sees the accounts of their province, its districts and communes, never an
account that also reaches another province. Accounts bound to no area (system
administrators, news editors, users without a staff profile) reach the whole portal, so
only system administrators see them. Everything else answers 404, like an account that
does not exist.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from accounts.access import can_use_rosters, scope_of
from accounts.choices import ROLE_AREA_LEVEL
from accounts.models import StaffProfile
from portal.text import fold
from units.choices import Level
from units.models import Area, Unit

#: Levels an account can be bound to (villages are reached through their commune).
ACCOUNT_AREA_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)

AREA_SEARCH_LIMIT = 30


# --- Areas and units as the user may see them ---------------------------------------
#
# Every staff page, the admin, imports and exports take their base queryset from one of
# these functions, which filter with the user's scope (accounts.access): the account's
# areas and everything under them, one indexed prefix condition per area. They read the
# layer below (units) but need the scope, so they live here (docs/DECISIONS.md).


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


# --- Staff accounts ----------------------------------------------------------------------


def can_manage_accounts(user) -> bool:
    """Whether ``user`` may open the account pages at all: an active account with the
    ``accounts.manage_accounts`` permission (provincial staff's group, or a superuser)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_perm("accounts.manage_accounts")
    )


def accounts_visible_to(user) -> QuerySet:
    """User accounts ``user`` may see and manage (see the module docstring), in one
    query: an account is kept when it has at least one area and none outside the scope."""
    users = get_user_model().objects.all()
    if not can_manage_accounts(user):
        return users.none()
    scope = scope_of(user)
    if scope.everything:
        return users
    if scope.is_empty:
        return users.none()
    bindings = StaffProfile.areas.through.objects.filter(
        staffprofile_id=OuterRef("staff_profile__pk")
    )
    return users.filter(is_superuser=False, staff_profile__isnull=False).filter(
        Exists(bindings), ~Exists(bindings.exclude(scope.q("area__path")))
    )


def account_list(*, user, query: str = "", role: str = "", active: bool | None = None):
    """The account list page: visible accounts with their profile and areas (parents
    joined, for "Xã A, Tỉnh B"), in a constant number of queries; sorted the Vietnamese
    way, by given name, then family name.

    ``query``: every word must match, ignoring case and diacritics ("nguyen van" finds
    "Nguyễn Văn An", "dang" finds "Đặng"), in the profile's folded name and user name
    (``StaffProfile.search_name``, the same mechanism as ``Area.search_name``, so SQLite
    and PostgreSQL agree), or as typed in the user name, names and e-mail (an account
    without a staff profile)."""
    accounts = accounts_visible_to(user).select_related("staff_profile")
    for word in (query or "").split():
        accounts = accounts.filter(
            Q(staff_profile__search_name__contains=fold(word))
            | Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
        )
    if role:
        accounts = accounts.filter(staff_profile__role=role)
    if active is not None:
        accounts = accounts.filter(is_active=active)
    return accounts.prefetch_related(
        Prefetch("staff_profile__areas", queryset=Area.objects.select_related("parent__parent"))
    ).order_by("first_name", "last_name", "username")


def assignable_areas(user, *, role: str | None = None) -> QuerySet:
    """Areas ``user`` may bind an account to: provinces, districts and communes within
    their scope (only the level of ``role`` when given)."""
    levels = [ROLE_AREA_LEVEL[role]] if role in ROLE_AREA_LEVEL else ACCOUNT_AREA_LEVELS
    if role is not None and role not in ROLE_AREA_LEVEL:
        levels = []
    areas = Area.objects.filter(level__in=levels)
    if not can_manage_accounts(user):
        return areas.none()
    return scope_of(user).apply(areas, "path")


def assignable_area_search(
    *, user, query: str, role: str | None = None, limit: int = AREA_SEARCH_LIMIT
) -> QuerySet:
    """Areas for the account form's picker: an official code (2, 3 or 5 digits, exact),
    or every word of a name ignoring case and diacritics; parents joined."""
    query = (query or "").strip()
    areas = assignable_areas(user, role=role).select_related("parent__parent")
    if not query:
        return areas.none()
    if query.isdigit():
        if len(query) > 5:
            return areas.none()
        areas = areas.filter(code__in={query, query.zfill(2), query.zfill(3), query.zfill(5)})
    else:
        areas = areas.search(query)
    return areas.order_by("edition", "path")[:limit]
