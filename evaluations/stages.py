"""Who may take which step of a rating, at which stage: the one map.

A rating, of a unit or of a member, moves through the steps of its province's approval
chain for its kind of unit (``evaluations.chains``; by default self-assessment → the
commune's proposal → the decision from above) → decided; a step is taken by a role the
chain names for it, holding the step's permission; any open rating may instead be
closed as "not rated" by whoever takes its decision; a return sends it back to an
earlier step of its chain; a locked rating is reopened by the province only
(docs/RATINGS.md, "Who does what"). Each step is a Django permission held by the roles'
groups (``ROLE_PERMISSIONS``, granted in ``EvaluationsConfig.ready``).

The services enforce these rules (with the user's area); the selectors, the score sheet
import and the pages ask the same questions here, so a page never offers a step that the
service would refuse.
"""

from accounts.choices import StaffRole
from evaluations.chains import Chain, ChainBook, chain_of, role_takes
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
#: Where a return may send a rating, the default first, and what comes after each
#: step: the rating's approval chain (``return_targets``, ``next_stage`` below; the
#: default chain sends a decision pending back to the proposal or to the unit).
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
    # Takes the proposal or the decision where its province's chains say so.
    StaffRole.COMMUNE_APPROVER: (*_READ, *_WRITE, PROPOSE, DECIDE),
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
    """Whether ``user`` holds the permission that records a step waiting at ``stage``
    on some rating (none for a locked rating); whether a chain gives it the step of one
    rating is ``can_take``."""
    permission = STEP_PERMISSION.get(stage)
    return bool(permission) and user.has_perm(permission)


def takes_in(user, chain: Chain, stage: str) -> bool:
    """Whether ``user`` may record the step of ``stage`` in ``chain``: the step's
    permission, and the chain gives the step to the user's role (the area is the
    scope's: pages 404 outside it, the services refuse it)."""
    return can_step(user, stage) and role_takes(user, chain, stage)


def may_take(user, rating, stage: str, book: ChainBook | None = None) -> bool:
    """Whether ``user`` may record the step of ``stage`` on ``rating`` (its chain)."""
    return takes_in(user, chain_of(rating, book), stage)


def can_take(user, rating, book: ChainBook | None = None) -> bool:
    """Whether ``user`` may take the step ``rating`` waits at now."""
    return may_take(user, rating, rating.stage, book)


def can_type(user, rating, stage: str, book: ChainBook | None = None) -> bool:
    """Whether ``user`` may type the scores of ``stage`` on ``rating``'s sheet now: the
    rating waits at that stage and the user may record it."""
    return rating is not None and rating.stage == stage and can_take(user, rating, book)


def next_stage(rating, book: ChainBook | None = None) -> str:
    """Where ``rating`` goes once the step it waits at is taken: the next step of its
    chain (the decision straight after the self-assessment when the chain has no
    proposal), decided after the decision."""
    return chain_of(rating, book).next_stage(rating.stage)


def skips_proposal(rating, book: ChainBook | None = None) -> bool:
    """Whether the step after the one ``rating`` waits at passes over the proposal."""
    return rating.stage == Stage.SELF and next_stage(rating, book) == Stage.DECISION


def return_targets(rating, book: ChainBook | None = None) -> tuple[str, ...]:
    """Where a return from the stage ``rating`` waits at may send it, the default (one
    step back in its chain) first; empty when there is no step back."""
    return chain_of(rating, book).return_targets(rating.stage)


def can_return(user, rating, book: ChainBook | None = None) -> bool:
    """Whether ``user`` may send ``rating`` back one step with a comment."""
    return bool(return_targets(rating, book)) and can_take(user, rating, book)


def can_close(user, rating, book: ChainBook | None = None) -> bool:
    """Whether ``user`` may close ``rating`` as "not rated": whoever takes its
    decision."""
    return rating.stage not in LOCKED_STAGES and may_take(user, rating, Stage.DECISION, book)


def can_reopen(user, rating) -> bool:
    """Whether ``user`` may reopen ``rating`` (provincial staff, whatever the chain)."""
    return rating.stage in LOCKED_STAGES and user.has_perm(REOPEN_PERMISSION)
