"""The events people are told of, and who is told (docs/NOTIFICATIONS.md).

- A rating returned with a comment: the accounts that may take the step it went back
  to, nearest to the unit (e-mail at once).
- A rating decided (a level, or "not rated"): the accounts that took its earlier steps
  and the accounts that assess the unit, nearest to it.
Both arrive as ``evaluations.events`` signals once the step's transaction committed;
the acting account is never told of its own step. The deadlines (a step or an opinion
due in 3 days or late) are ``notifications.deadlines``, run by the daily command.

The texts are stored data, written in the portal's language whatever the acting
account's language is.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from evaluations.choices import Stage, level_label
from evaluations.events import rating_decided, rating_returned
from evaluations.models import Evaluation, MemberRating
from evaluations.periods import period_query
from evaluations.stages import SELF_ASSESS, STEP_PERMISSION, can_take
from notifications.choices import Kind
from notifications.recipients import Directory
from notifications.services import notify

TEXT_RETURNED = _("Đánh giá “{subject}” năm {year} được trả lại bước “{stage}”: {comment}")
TEXT_DECIDED = _("Đánh giá “{subject}” năm {year} đã được quyết định: {result}.")
TEXT_NOT_RATED = _("Không xếp loại")

#: The page of a unit's rating where each stage is worked on.
_STAGE_PAGE = {Stage.PROPOSAL: "evaluations:proposal", Stage.DECISION: "evaluations:decision"}


def rating_subject(rating) -> str:
    """What the rating rates: the unit, or the member's name."""
    if isinstance(rating, MemberRating):
        return rating.membership.person.full_name
    return str(rating.unit)


def rating_link(rating) -> str:
    """The page where ``rating`` is worked on at its stage (the sheet, the proposal, the
    decision; a member's rating page)."""
    if isinstance(rating, MemberRating):
        return reverse("evaluations:member_rating", args=[rating.pk])
    name = _STAGE_PAGE.get(rating.stage)
    if name:
        return reverse(name, args=[rating.pk])
    url = reverse("evaluations:sheet", args=[rating.unit_id, rating.year])
    return url + period_query(rating.period)


def rating_key(rating) -> str:
    """The rating in an event's key: "e12" (a unit's), "m7" (a member's)."""
    return f"{'m' if isinstance(rating, MemberRating) else 'e'}{rating.pk}"


def on_rating_returned(sender, *, rating, acting_user, **kwargs) -> None:
    directory = Directory.around(rating.area_path)
    users = directory.actors(
        rating.area_path,
        STEP_PERMISSION[rating.stage],
        exclude=[acting_user],
        allowed=lambda user: can_take(user, rating),
    )
    with translation.override(settings.LANGUAGE_CODE):
        text = str(TEXT_RETURNED).format(
            subject=rating_subject(rating),
            year=rating.year,
            stage=rating.get_stage_display(),
            comment=rating.return_comment,
        )
    notify(users, Kind.RATING_RETURNED, text, rating_link(rating), immediate=True)


def on_rating_decided(sender, *, rating, acting_user, **kwargs) -> None:
    directory = Directory.around(rating.area_path)
    users = directory.actors(rating.area_path, SELF_ASSESS, exclude=[acting_user])
    acting_pk = getattr(acting_user, "pk", None)
    earlier = [u for u in (rating.self_by, rating.proposed_by) if u and u.pk != acting_pk]
    with translation.override(settings.LANGUAGE_CODE):
        text = str(TEXT_DECIDED).format(
            subject=rating_subject(rating), year=rating.year, result=rating_result(rating)
        )
    notify([*earlier, *users], Kind.RATING_DECIDED, text, rating_link(rating))


def rating_result(rating) -> str:
    """ "Mức 2 — Hoàn thành tốt nhiệm vụ" (a unit's set names its levels), "Mức 2" (a
    member's), or "Không xếp loại"."""
    if rating.stage == Stage.NOT_RATED:
        return str(TEXT_NOT_RATED)
    result = str(level_label(rating.decided_level))
    if isinstance(rating, Evaluation):
        named = rating.criteria_set.levels.filter(level=rating.decided_level).first()
        if named is not None:
            result = f"{result} — {named.label}"
    return result


def connect() -> None:
    """Listen to the rating events (from ``NotificationsConfig.ready``)."""
    rating_returned.connect(on_rating_returned, dispatch_uid="notifications.rating_returned")
    rating_decided.connect(on_rating_decided, dispatch_uid="notifications.rating_decided")
