"""Who may see and change what: the one scoping mechanism of the portal.

A staff account has a role (its Django group: which actions) and areas (on which
objects: each area and everything under it). ``scope_of(user)`` turns both into a
``Scope``; every read that depends on the user filters with it, in SQL, on the
materialized path columns (``Area.path``, ``Unit.area_path``, ``Membership.area_path``).
Staff views, the admin, imports, exports, reports and the API all start from the
selectors built on this module, so an object outside the user's area is simply not in
the queryset and answers 404 like a missing one.
"""

import dataclasses
import functools
import operator

from django.contrib.auth.models import Group, Permission
from django.db.models import Q, QuerySet
from django.utils import translation

from accounts.choices import ROSTER_ROLES, StaffRole
from units.selectors import predecessor_province_paths

#: Roles that work on rosters within their areas (system administrators are superusers:
#: every permission without a group).
AREA_ROLES = (StaffRole.PROVINCE_STAFF, StaffRole.DISTRICT_STAFF, StaffRole.COMMUNE_OFFICER)

#: Django permissions of each role's group ("app_label.codename") on the layers this app
#: stands on (the area tree and the units) and on accounts. Reads and writes are further
#: limited to the account's areas by ``Scope``. The apps above declare their own
#: permissions from their ``AppConfig.ready`` (``grant_role_permissions``): members its
#: rosters, audit its pages, evaluations its ratings, news its articles.
UNIT_PERMISSIONS = ["units.view_area", "units.view_unit", "units.add_unit", "units.change_unit"]
ROLE_PERMISSIONS = {
    StaffRole.SYSTEM_ADMIN: [],  # superuser: every permission
    StaffRole.PROVINCE_STAFF: [*UNIT_PERMISSIONS, "accounts.manage_accounts"],
    StaffRole.DISTRICT_STAFF: UNIT_PERMISSIONS,
    StaffRole.COMMUNE_OFFICER: UNIT_PERMISSIONS,
    # Reads the units and members of its communes to rate them; changes no roster.
    StaffRole.COMMUNE_APPROVER: [
        "units.view_area",
        "units.view_unit",
        "members.view_person",
        "members.view_membership",
    ],
    StaffRole.NEWS_EDITOR: [],
}

#: Extra permissions other apps give to roles: app code calls ``grant_role_permissions``
#: from its ``AppConfig.ready`` so that the roles stay declared next to the features.
_EXTRA_PERMISSIONS: dict[str, list[str]] = {}


def grant_role_permissions(role: str, permissions: list[str]) -> None:
    """Declare that ``role`` also has ``permissions`` (applied by ``sync_role_groups``)."""
    _EXTRA_PERMISSIONS.setdefault(role, []).extend(permissions)


def role_permissions(role: str) -> list[str]:
    return [*ROLE_PERMISSIONS.get(role, []), *_EXTRA_PERMISSIONS.get(role, [])]


def sync_role_groups(sender=None, **kwargs) -> None:
    """Create one Django group per role and give it exactly its permissions.

    Runs after every ``migrate`` and ``flush`` (post_migrate), when the permissions
    exist; a data migration would run before them on a fresh database. Django sends
    post_migrate once per app, in ``INSTALLED_APPS`` order, and each run sets the groups
    from scratch, so only the run for the last app counts: the others are skipped (they
    cost a second each, and every transactional test's flush paid them all).
    """
    if sender is not None and sender is not _last_app_with_models():
        return
    wanted_by_role = {role: [d.split(".") for d in role_permissions(role)] for role in StaffRole}
    wanted_pairs = {tuple(pair) for pairs in wanted_by_role.values() for pair in pairs}
    found = {}
    for permission in Permission.objects.filter(
        content_type__app_label__in={app for app, _codename in wanted_pairs},
        codename__in={codename for _app, codename in wanted_pairs},
    ).select_related("content_type"):
        # The first in the model's ordering (app, model, codename) where two models of
        # one app declare the same codename.
        found.setdefault((permission.content_type.app_label, permission.codename), permission)
    for role, pairs in wanted_by_role.items():
        group, _created = Group.objects.get_or_create(name=role_group_name(role))
        group.permissions.set([found[tuple(p)] for p in pairs if tuple(p) in found])


def _last_app_with_models():
    """The app of the last post_migrate signal a ``migrate`` sends (Django skips the
    apps without a models module: ``emit_post_migrate_signal``)."""
    from django.apps import apps

    return [config for config in apps.get_app_configs() if config.models_module][-1]


def role_group_name(role: str) -> str:
    """The group's name: the role's Vietnamese label whatever language is active (a
    lazy label would name a second, empty group when English is active)."""
    with translation.override("vi"):
        return str(StaffRole(role).label)


def role_group(role: str) -> Group:
    return Group.objects.get_or_create(name=role_group_name(role))[0]


@dataclasses.dataclass(frozen=True)
class Scope:
    """What one user may reach: everything, nothing, or the subtrees under ``paths``."""

    role: str | None
    everything: bool = False
    paths: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.everything and not self.paths

    def q(self, field: str) -> Q:
        """A condition on a path column (``path`` of Area, ``area_path`` of Unit and
        Membership, or ``unit__area_path`` ...) that keeps what the scope reaches."""
        if self.everything:
            return Q()
        if not self.paths:
            return Q(pk__in=[])
        return functools.reduce(
            operator.or_, (Q(**{f"{field}__descendant_of": p}) for p in self.paths)
        )

    def apply(self, queryset: QuerySet, field: str) -> QuerySet:
        if self.everything:
            return queryset
        if not self.paths:
            return queryset.none()
        return queryset.filter(self.q(field))

    def covers(self, path: str) -> bool:
        """Whether the area at ``path`` (or the object whose area path it is) is reached.

        The Python twin of ``q`` for one object already in memory (an import row)."""
        return self.everything or any(path.startswith(p) for p in self.paths)


NO_SCOPE = Scope(role=None)


def user_role(user) -> str | None:
    """The role of an active, logged-in account; None for the public and for accounts
    without a staff profile."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return StaffRole.SYSTEM_ADMIN
    profile = getattr(user, "staff_profile", None)
    return profile.role if profile is not None else None


def scope_of(user) -> Scope:
    """The roster scope of ``user``: everything for system administrators, the subtrees
    of the account's areas for provincial, district and commune staff (a 2025 province
    with the legacy provinces merged into it), nothing for news editors and the public.
    Computed once per user object (one query, two for the staff of a 2025 province)."""
    cached = getattr(user, "_danvan_scope", None)
    if cached is not None:
        return cached
    try:
        role = user_role(user)
    except Exception:
        role = None
    if role == StaffRole.SYSTEM_ADMIN:
        scope = Scope(role=role, everything=True)
    elif role in ROSTER_ROLES:
        paths = tuple(user.staff_profile.areas.order_by("path").values_list("path", flat=True))
        # Staff of a 2025 province also reach the legacy provinces merged into it: their
        # rosters and people are the province's history (docs/REORGANISATION.md).
        paths += tuple(predecessor_province_paths(paths))
        scope = Scope(role=role, paths=_outermost(paths))
    else:
        scope = Scope(role=role)
    if user is not None and getattr(user, "pk", None) is not None:
        user._danvan_scope = scope
    return scope


def _outermost(paths) -> tuple[str, ...]:
    """Drop paths already under another one (a province and one of its communes)."""
    kept: list[str] = []
    for path in sorted(paths):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return tuple(kept)


def can_use_rosters(user) -> bool:
    """Whether the staff roster interface is open to ``user`` at all."""
    return scope_of(user).role in ROSTER_ROLES


def import_scope(user):
    """The ``scope`` argument of roster imports for ``user``: a test of one commune
    (a row outside the account's areas is a row error), or None for a system
    administrator and for the command line, which an operator runs on the server."""
    if user is None:
        return None
    scope = scope_of(user)
    if scope.everything:
        return None
    return lambda commune: scope.covers(commune.path)
