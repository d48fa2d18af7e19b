"""A roster's member ratings of a year."""

import dataclasses

from django.db.models import Q

from evaluations.choices import Stage
from evaluations.models import MemberRating
from evaluations.selectors.scope import member_ratings_visible_to
from members.selectors import memberships_visible_to, role_sort_key
from units.models import Unit


@dataclasses.dataclass
class MemberRow:
    membership: object
    rating: MemberRating | None

    @property
    def stage(self) -> str:
        return self.rating.stage if self.rating else Stage.SELF

    @property
    def is_locked(self) -> bool:
        return bool(self.rating and self.rating.is_locked)


def roster_ratings(*, user, unit: Unit, year: int) -> list[MemberRow]:
    """The unit's current members, and past members rated that year, each with their
    rating for ``year`` (or none yet); heads first. Two queries."""
    ratings = {
        r.membership_id: r
        for r in member_ratings_visible_to(user).filter(membership__unit=unit, year=year)
    }
    memberships = (
        memberships_visible_to(user)
        .filter(unit=unit)
        .filter(Q(end_date__isnull=True) | Q(pk__in=list(ratings)))
        .select_related("person")
    )
    rows = []
    for membership in memberships:
        membership.unit = unit
        rows.append(MemberRow(membership=membership, rating=ratings.get(membership.pk)))
    return sorted(rows, key=lambda r: role_sort_key(r.membership))
