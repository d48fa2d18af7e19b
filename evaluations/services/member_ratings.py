"""Members' ratings: a level at each step (self → proposal → decision), one member at a
time or a whole roster at once. The steps they share with a unit's rating (return, not
rated, reopen) are ``evaluations.services.steps``."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.choices import LEVELS, Stage
from evaluations.events import announce, rating_decided
from evaluations.models import MemberRating
from evaluations.services.steps import (
    ERROR_ADJUST_REASON,
    ERROR_LOCKED,
    require_opening,
    require_permission,
    require_step,
)
from evaluations.stages import STEP_PERMISSION, VIEW_MEMBER_RATINGS, next_stage
from members.models import Membership
from portal.text import normalize
from units.services import ACTION_RATE, area_require_exists, rating_reference_day

ERROR_LEVEL = _("Mức xếp loại phải là 1, 2, 3 hoặc 4.")


def _level(value) -> int:
    try:
        level = int(value)
    except (TypeError, ValueError):
        raise ValidationError(ERROR_LEVEL) from None
    if level not in LEVELS:
        raise ValidationError(ERROR_LEVEL)
    return level


@transaction.atomic
def member_rating_start(*, acting_user, membership: Membership, year: int) -> MemberRating:
    """The member's rating for ``year``, created on first use at the self-assessment, if
    the unit's area exists at the year's end (``evaluation_start``). Opening is for
    whoever takes the self-assessment of the unit's chain (``require_opening``); a
    rating already open is returned to anyone who sees the unit's member ratings (the
    roster's form opens it for the step the user takes next: a proposal, a decision)."""
    existing = MemberRating.objects.filter(membership=membership, year=year).first()
    if existing is not None:
        require_permission(acting_user, VIEW_MEMBER_RATINGS, membership.area_path)
        return existing
    require_opening(acting_user, membership.unit)
    area_require_exists(
        membership.unit.area, rating_reference_day(year), action=ACTION_RATE, field="year"
    )
    rating, _created = MemberRating.objects.get_or_create(
        membership=membership, year=year, defaults={"area_path": membership.area_path}
    )
    return rating


@transaction.atomic
def member_rating_step(*, acting_user, rating: MemberRating, level, reason: str = ""):
    """Record the level of the rating's current step and move it on: self → proposal →
    decision → decided. Deciding another level than proposed needs a reason."""
    level = _level(level)
    now = timezone.now()
    if rating.stage in STEP_PERMISSION:
        require_step(acting_user, rating, rating.stage)
    if rating.stage == Stage.SELF:
        rating.self_level, rating.self_by, rating.self_at = level, acting_user, now
        rating.stage = next_stage(rating)
        if rating.stage == Stage.DECISION:
            # No proposal in the chain: the decision starts from the unit's own level.
            rating.proposed_level, rating.proposed_by, rating.proposed_at = level, None, None
    elif rating.stage == Stage.PROPOSAL:
        rating.proposed_level, rating.proposed_by, rating.proposed_at = level, acting_user, now
        rating.stage = Stage.DECISION
    elif rating.stage == Stage.DECISION:
        reason = normalize(reason)
        if level != rating.proposed_level and not reason:
            raise ValidationError(ERROR_ADJUST_REASON)
        rating.decided_level, rating.decided_by, rating.decided_at = level, acting_user, now
        rating.adjust_reason = reason if level != rating.proposed_level else ""
        rating.stage = Stage.DECIDED
    else:
        raise ValidationError(ERROR_LOCKED)
    rating.return_comment = ""
    rating.save()
    if rating.stage == Stage.DECIDED:
        announce(rating_decided, rating=rating, acting_user=acting_user)
    return rating


@transaction.atomic
def member_ratings_step(*, acting_user, year: int, levels: Mapping) -> list[MemberRating]:
    """Record the current step for many members at once (a roster's form), all or
    nothing. ``levels``: {membership: (level, reason)}. Errors are collected for every
    member and raised together, keyed by the membership's id."""
    errors, done = {}, []
    for membership, (level, reason) in levels.items():
        try:
            with transaction.atomic():
                rating = member_rating_start(
                    acting_user=acting_user, membership=membership, year=year
                )
                done.append(
                    member_rating_step(
                        acting_user=acting_user, rating=rating, level=level, reason=reason
                    )
                )
        except ValidationError as exc:
            errors[str(membership.pk)] = exc.messages
    if errors:
        raise ValidationError(errors)
    return done
