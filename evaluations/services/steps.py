"""What every step of a rating checks first (the permission, the area, the stage), and
the steps a unit's and a member's rating share: a return one step back with a comment,
"not rated", and reopening a locked result. The permission each step needs is
``evaluations.stages``."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import scope_of
from evaluations.chains import chain_of, chain_of_unit, role_takes
from evaluations.choices import Stage, StepAction
from evaluations.events import announce, rating_decided, rating_returned
from evaluations.services.history import step_record
from evaluations.stages import (
    REOPEN_PERMISSION,
    SELF_ASSESS,
    STEP_PERMISSION,
    return_targets,
)
from portal.text import normalize

ERROR_LOCKED = _("Kết quả đã được quyết định và khóa; chỉ cán bộ cấp tỉnh mở lại được.")
ERROR_WRONG_STAGE = _("Đánh giá đang ở bước “{stage}”, không thực hiện được thao tác này.")
ERROR_COMMENT_REQUIRED = _("Khi trả lại phải ghi ý kiến.")
ERROR_REASON_REQUIRED = _("Phải ghi lý do.")
ERROR_ADJUST_REASON = _("Điều chỉnh kết quả đề xuất phải ghi lý do.")
ERROR_OUTSIDE_AREA = _("Đơn vị này ngoài địa bàn bạn phụ trách.")
ERROR_NO_PERMISSION = _("Tài khoản của bạn không có quyền thực hiện bước này.")
ERROR_RETURN_TARGET = _("Không trả lại được về bước “{stage}” từ bước này.")
ERROR_NOT_IN_CHAIN = _(
    "Theo quy trình phê duyệt của tỉnh, bước “{stage}” của đơn vị này không do vai trò "
    "của bạn thực hiện."
)


def require_permission(acting_user, permission: str, area_path: str | None = None) -> None:
    """Refuse a step the account may not take, or on an object outside its areas.

    Views already 404 outside the scope; this is the rule itself, so that an import,
    a command or a future API cannot skip it. No acting user means the server itself
    (a command run by an operator)."""
    if acting_user is None:
        return
    if not acting_user.has_perm(permission):
        raise PermissionDenied(ERROR_NO_PERMISSION)
    if area_path is not None and not scope_of(acting_user).covers(area_path):
        raise PermissionDenied(ERROR_OUTSIDE_AREA)


def require_step(acting_user, rating, stage: str) -> None:
    """Refuse the step of ``stage`` on ``rating`` to an account without its permission,
    outside its areas, or whose role the rating's approval chain does not give the step
    (evaluations.chains)."""
    require_permission(acting_user, STEP_PERMISSION[stage], rating.area_path)
    if acting_user is not None and not role_takes(acting_user, chain_of(rating), stage):
        raise PermissionDenied(ERROR_NOT_IN_CHAIN.format(stage=Stage(stage).label))


def require_opening(acting_user, unit) -> None:
    """Refuse to open a rating of ``unit`` (a unit's or a member's) to an account that
    may not take its self-assessment: opening is that step's first act, so the
    permission, the area and the unit's approval chain giving the user's role the
    self-assessment are all needed (one query for the chain)."""
    require_permission(acting_user, SELF_ASSESS, unit.area_path)
    if acting_user is not None and not role_takes(acting_user, chain_of_unit(unit), Stage.SELF):
        raise PermissionDenied(ERROR_NOT_IN_CHAIN.format(stage=Stage.SELF.label))


def require_stage(rating, *stages) -> None:
    """Refuse a step on a locked rating, or on one waiting at another stage."""
    if rating.is_locked:
        raise ValidationError(ERROR_LOCKED)
    if rating.stage not in stages:
        raise ValidationError(ERROR_WRONG_STAGE.format(stage=rating.get_stage_display()))


@transaction.atomic
def rating_return(*, acting_user, rating, comment: str, to_stage: str | None = None):
    """Send a unit or member rating back with a required comment: by default one step
    back in the rating's chain (a decision pending to the commune's proposal, or to the
    unit when the chain has no proposal; a proposal to the unit); a decider may send it
    further back (``to_stage``, one of ``stages.return_targets``)."""
    comment = normalize(comment)
    if not comment:
        raise ValidationError(ERROR_COMMENT_REQUIRED)
    require_stage(rating, Stage.PROPOSAL, Stage.DECISION)
    require_step(acting_user, rating, rating.stage)
    targets = return_targets(rating)
    target = to_stage or targets[0]
    if target not in targets:
        raise ValidationError(ERROR_RETURN_TARGET.format(stage=Stage(target).label))
    rating.stage = target
    rating.return_comment = comment
    rating.save()
    step_record(rating=rating, action=StepAction.RETURN, acting_user=acting_user, note=comment)
    announce(rating_returned, rating=rating, acting_user=acting_user)
    return rating


@transaction.atomic
def rating_not_rated(*, acting_user, rating, reason: str):
    """Close a rating as "not rated" (a unit founded late in the year, dissolved):
    a decision like any other, locked."""
    # Closing is a decision like any other (NOT_RATED_PERMISSION is the decision's):
    # whoever takes the rating's decision in its chain.
    require_step(acting_user, rating, Stage.DECISION)
    if rating.is_locked:
        raise ValidationError(ERROR_LOCKED)
    reason = normalize(reason)
    if not reason:
        raise ValidationError(ERROR_REASON_REQUIRED)
    rating.stage = Stage.NOT_RATED
    rating.not_rated_reason = reason
    rating.decided_level = None
    rating.decided_by, rating.decided_at = acting_user, timezone.now()
    rating.save()
    step_record(rating=rating, action=StepAction.NOT_RATED, acting_user=acting_user, note=reason)
    announce(rating_decided, rating=rating, acting_user=acting_user)
    return rating


@transaction.atomic
def rating_reopen(*, acting_user, rating, reason: str):
    """Reopen a locked rating (provincial staff only): it waits for a decision again."""
    require_permission(acting_user, REOPEN_PERMISSION, rating.area_path)
    if not rating.is_locked:
        raise ValidationError(ERROR_WRONG_STAGE.format(stage=rating.get_stage_display()))
    reason = normalize(reason)
    if not reason:
        raise ValidationError(ERROR_REASON_REQUIRED)
    rating.stage = Stage.DECISION
    rating.reopen_reason = reason
    rating.not_rated_reason = ""
    rating.save()
    step_record(rating=rating, action=StepAction.REOPEN, acting_user=acting_user, note=reason)
    return rating
