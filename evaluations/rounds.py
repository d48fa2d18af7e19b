"""Rating rounds: a criteria set's opening day and the deadline of each step
(``CriteriaSet.opens_on``, ``self_due``, ``proposal_due``, ``decision_due``).

A step taken after its deadline stays possible and is marked late: an open rating is
late on a day when the deadline of the step it waits at has passed; a step taken is
late when it was taken after its deadline. ``late_ratings`` is the one question the
dashboard's count and its list both ask, and the daily notifications read
``stage_due`` (notifications.deadlines).
"""

import datetime

from django.db.models import Case, DateField, F, Q, QuerySet, Value, When
from django.utils import timezone

from evaluations.choices import Stage

ROUND_FIELDS = ("opens_on", "self_due", "proposal_due", "decision_due")
#: The deadline field of the step a rating waits at.
DUE_FIELD = {Stage.SELF: "self_due", Stage.PROPOSAL: "proposal_due", Stage.DECISION: "decision_due"}
#: The step taken (who/when fields of the rating) against its deadline field.
TAKEN = (("self_at", "self_due"), ("proposed_at", "proposal_due"), ("decided_at", "decision_due"))


def stage_due(rating) -> datetime.date | None:
    """The deadline of the step ``rating`` waits at (none when locked or unset)."""
    field = DUE_FIELD.get(rating.stage)
    return getattr(rating.criteria_set, field) if field else None


def is_late(rating, day: datetime.date) -> bool:
    """Whether the step ``rating`` waits at is past its deadline on ``day``."""
    due = stage_due(rating)
    return due is not None and due < day


def late_steps(rating) -> list[str]:
    """The fields of the steps taken after their deadline (``"self_at"`` …)."""
    late = []
    for taken, due_field in TAKEN:
        at, due = getattr(rating, taken), getattr(rating.criteria_set, due_field)
        if at is not None and due is not None and timezone.localdate(at) > due:
            late.append(taken)
    return late


def with_stage_due(ratings: QuerySet) -> QuerySet:
    """``ratings`` annotated with ``due_on``: the deadline of the step each waits at."""
    return ratings.annotate(
        due_on=Case(
            *(
                When(stage=stage, then=F(f"criteria_set__{field}"))
                for stage, field in DUE_FIELD.items()
            ),
            default=Value(None),
            output_field=DateField(),
        )
    )


def late_ratings(ratings: QuerySet, day: datetime.date) -> QuerySet:
    """The open ratings among ``ratings`` whose step is past its deadline on ``day``."""
    return with_stage_due(ratings.filter(stage__in=list(DUE_FIELD))).filter(Q(due_on__lt=day))
