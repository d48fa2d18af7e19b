"""Who may take which step of a rating, at which stage: the one map.

A rating, of a unit or of a member, moves self-assessment → the commune's proposal →
the decision from above → decided; any open rating may instead be closed as "not rated";
a return sends it one step back; a locked rating is reopened by the province only
(docs/RATINGS.md, "Who does what"). Each step is a Django permission held by the roles'
groups (``ROLE_PERMISSIONS``, granted in ``EvaluationsConfig.ready``).

The services enforce these rules (with the user's area); the selectors, the score sheet
import and the pages ask the same questions here, so a page never offers a step that the
service would refuse.
"""

from accounts.choices import StaffRole
from evaluations.choices import LOCKED_STAGES, Stage

VIEW_RATINGS = "evaluations.view_evaluation"
VIEW_MEMBER_RATINGS = "evaluations.view_memberrating"
VIEW_CRITERIA = "evaluations.view_criteriaset"
SELF_ASSESS = "evaluations.self_assess"
PROPOSE = "evaluations.propose"
DECIDE = "evaluations.decide"
REOPEN = "evaluations.reopen"
MANAGE_CRITERIA = "evaluations.manage_criteria"

#: The permission that records the step a rating waits at and moves it on; the same
#: permission sends a rating waiting there back one step.
STEP_PERMISSION = {Stage.SELF: SELF_ASSESS, Stage.PROPOSAL: PROPOSE, Stage.DECISION: DECIDE}
#: Where a return sends a rating by default, by the stage it waits at: one step back.
RETURN_TO = {Stage.DECISION: Stage.PROPOSAL, Stage.PROPOSAL: Stage.SELF}
#: Every stage a return may send a rating to, the default first: a decider asking the
#: unit itself for new evidence sends the rating straight back to the self-assessment.
RETURN_TARGETS = {
    Stage.DECISION: (Stage.PROPOSAL, Stage.SELF),
    Stage.PROPOSAL: (Stage.SELF,),
}
#: The sheet a stage's scores start from (prefilled, and compared with in the history).
STARTS_FROM = {Stage.PROPOSAL: Stage.SELF, Stage.DECISION: Stage.PROPOSAL}
#: Closing an open rating as "not rated" is a decision like any other.
NOT_RATED_PERMISSION = DECIDE
#: Reopening a locked rating (decided or not rated) is for provincial staff.
REOPEN_PERMISSION = REOPEN
#: The stages whose scores are typed on a score sheet, on screen or in the workbook: the
#: unit's own and the commune's proposal. The decision is taken on its own page.
SCORED_STAGES = (Stage.SELF, Stage.PROPOSAL)

_RATED = ("evaluation", "memberrating", "evidencefile")
_READ = tuple(f"evaluations.view_{model}" for model in (*_RATED, "criteriaset"))
_WRITE = tuple(f"evaluations.{action}_{model}" for model in _RATED for action in ("add", "change"))

#: What each role's group holds. Commune staff assess their units and enter the commune
#: committee's proposal; district (legacy) and provincial staff decide; only the province
#: issues criteria and reopens a locked result.
ROLE_PERMISSIONS = {
    StaffRole.COMMUNE_OFFICER: (*_READ, *_WRITE, SELF_ASSESS, PROPOSE),
    StaffRole.DISTRICT_STAFF: (*_READ, *_WRITE, SELF_ASSESS, PROPOSE, DECIDE),
    StaffRole.PROVINCE_STAFF: (
        *_READ,
        *_WRITE,
        SELF_ASSESS,
        PROPOSE,
        DECIDE,
        REOPEN,
        MANAGE_CRITERIA,
        "evaluations.add_criteriaset",
        "evaluations.change_criteriaset",
    ),
}


def can_step(user, stage: str) -> bool:
    """Whether ``user`` may record the step of a rating waiting at ``stage`` (none for a
    locked rating)."""
    permission = STEP_PERMISSION.get(stage)
    return bool(permission) and user.has_perm(permission)


def can_type(user, rating, stage: str) -> bool:
    """Whether ``user`` may type the scores of ``stage`` on ``rating``'s sheet now: the
    rating waits at that stage and the user may record it."""
    return rating is not None and rating.stage == stage and can_step(user, stage)


def can_return(user, rating) -> bool:
    """Whether ``user`` may send ``rating`` back one step with a comment."""
    return rating.stage in RETURN_TO and can_step(user, rating.stage)


def can_close(user, rating) -> bool:
    """Whether ``user`` may close ``rating`` as "not rated"."""
    return rating.stage not in LOCKED_STAGES and user.has_perm(NOT_RATED_PERMISSION)


def can_reopen(user, rating) -> bool:
    """Whether ``user`` may reopen ``rating``."""
    return rating.stage in LOCKED_STAGES and user.has_perm(REOPEN_PERMISSION)
