"""Who is told: the accounts that can act on a thing, nearest to it first.

A rating waiting at a step concerns the accounts that may take that step
(``evaluations.stages``) on the rating's area (``accounts.access.scope_of``): the same
two questions the services ask before they let anybody act. Of those, only the nearest
are told: the accounts bound to the deepest area above the thing (the commune's officers
rather than every provincial account that could also act), so a province's staff are not
told of every team's return (docs/NOTIFICATIONS.md, "Who is told").

``Directory`` indexes the active accounts by the areas they are bound to: built for one
thing (its ancestors only, one query) or for a whole run of the daily command (every
staff account, one query), then asked once per thing without further queries but each
account's permissions and scope, computed once per account.
"""

from collections import defaultdict

from django.contrib.auth import get_user_model

from accounts.access import scope_of
from accounts.models import StaffProfile
from portal.paths import ancestor_paths


class Directory:
    """The active staff accounts bound to areas, indexed by the area's path."""

    def __init__(self, paths=None):
        links = StaffProfile.areas.through.objects.filter(staffprofile__user__is_active=True)
        if paths is not None:
            links = links.filter(area__path__in=list(paths))
        self._by_path: dict[str, list[int]] = defaultdict(list)
        for user_id, path in links.values_list("staffprofile__user_id", "area__path"):
            self._by_path[path].append(user_id)
        ids = {i for ids in self._by_path.values() for i in ids}
        self._users = get_user_model().objects.select_related("staff_profile").in_bulk(ids)

    @classmethod
    def around(cls, area_path: str) -> "Directory":
        """The accounts bound to ``area_path`` or to an area above it."""
        return cls(ancestor_paths(area_path))

    def bound_paths(self) -> list[str]:
        """The paths of the areas some active account is bound to."""
        return sorted(self._by_path)

    def bound_to(self, area_path: str, permission: str, *, covering: str = "") -> list:
        """The accounts bound to ``area_path`` itself that hold ``permission`` and whose
        scope covers ``covering`` (default: that area), in a stable order."""
        covering = covering or area_path
        return [
            user
            for user in (self._users[i] for i in sorted(set(self._by_path.get(area_path, ()))))
            if user.has_perm(permission) and scope_of(user).covers(covering)
        ]

    def actors(self, area_path: str, permission: str, *, exclude=(), allowed=None) -> list:
        """The accounts nearest to ``area_path`` that may act there with ``permission``,
        in a stable order; ``exclude`` (the account that caused the event) is dropped
        after choosing the level, so nobody further away is told instead. ``allowed``:
        a further test of each account (a rating's approval chain gives the step to
        its role: evaluations.stages.may_take)."""
        excluded = {getattr(u, "pk", u) for u in exclude if u is not None}
        for prefix in reversed(ancestor_paths(area_path)):
            found = [
                user
                for user in self.bound_to(prefix, permission, covering=area_path)
                if allowed is None or allowed(user)
            ]
            if found:
                return [user for user in found if user.pk not in excluded]
        return []
