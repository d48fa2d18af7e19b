"""Approval chains: which steps a rating goes through, and which role takes each.

A province chooses, per kind of unit (bloc, team; member ratings follow their unit's
kind), the steps of its ratings: the self-assessment always, the commune's proposal
or not, the decision always, and the role that takes each (``ApprovalChain``). A
province and kind with no chain follow ``DEFAULT``: self-assessment → proposal →
decision, each step open to the roles that took it before chains existed.

This module is the table; ``evaluations.stages`` asks it "may this user take the step
this rating waits at", "what comes after this step", "where may a return go", and the
services, selectors, pages, the workbook import and the permission matrix ask
``stages``. Chains are read once per rating (``chain_of``) or once per list
(``ChainBook``, one query for every chain).
"""

import dataclasses
import functools
import operator

from django.db.models import Q

from accounts.access import user_role
from accounts.choices import StaffRole
from evaluations.choices import Stage, Subject
from portal.paths import province_path
from units.choices import UnitKind

#: The steps of a chain, in their order (a chain keeps them in this order).
CHAIN_STAGES = (Stage.SELF, Stage.PROPOSAL, Stage.DECISION)
#: The kinds a chain is set for.
CHAIN_KINDS = (Subject.BLOC, Subject.TEAM)

_COMMUNE_UP = (StaffRole.COMMUNE_OFFICER, StaffRole.DISTRICT_STAFF, StaffRole.PROVINCE_STAFF)
#: Who takes each step where no chain is set: the behaviour before chains (commune,
#: district and provincial staff assess and propose; district and provincial staff
#: decide). The commune Party committee approver takes no step there.
DEFAULT_ROLES = {
    Stage.SELF: _COMMUNE_UP,
    Stage.PROPOSAL: _COMMUNE_UP,
    Stage.DECISION: (StaffRole.DISTRICT_STAFF, StaffRole.PROVINCE_STAFF),
}
#: The roles a chain may name for each step, on the 2025 map (no districts): each
#: role's group holds the step's permission (evaluations.stages.ROLE_PERMISSIONS).
ROLE_CHOICES = {
    Stage.SELF: (StaffRole.COMMUNE_OFFICER, StaffRole.PROVINCE_STAFF),
    Stage.PROPOSAL: (
        StaffRole.COMMUNE_OFFICER,
        StaffRole.COMMUNE_APPROVER,
        StaffRole.PROVINCE_STAFF,
    ),
    Stage.DECISION: (StaffRole.COMMUNE_APPROVER, StaffRole.PROVINCE_STAFF),
}


@dataclasses.dataclass(frozen=True)
class Chain:
    """The steps of one province's ratings of one kind, and the roles taking each."""

    roles: dict  # stage -> tuple of roles; a stage left out is skipped
    is_default: bool = False

    @property
    def stages(self) -> tuple[str, ...]:
        return tuple(s for s in CHAIN_STAGES if s in self.roles)

    def roles_for(self, stage: str) -> tuple[str, ...]:
        """Who takes ``stage``. A rating still waiting at a step its chain skips (the
        chain changed under it) finishes that step as by default, then follows the
        chain."""
        return self.roles.get(stage) or DEFAULT_ROLES.get(stage, ())

    def takes(self, role: str | None, stage: str) -> bool:
        if role == StaffRole.SYSTEM_ADMIN:
            return stage in CHAIN_STAGES
        return role is not None and role in self.roles_for(stage)

    def next_stage(self, stage: str) -> str:
        """Where a rating goes once the step of ``stage`` is taken."""
        order = CHAIN_STAGES.index(stage)
        later = [s for s in self.stages if CHAIN_STAGES.index(s) > order]
        return later[0] if later else Stage.DECIDED

    def return_targets(self, stage: str) -> tuple[str, ...]:
        """The stages a return from ``stage`` may send a rating to, the default (one
        step back in the chain) first; none from the self-assessment."""
        if stage not in CHAIN_STAGES:
            return ()
        order = CHAIN_STAGES.index(stage)
        return tuple(s for s in reversed(self.stages) if CHAIN_STAGES.index(s) < order)

    def skips(self, stage: str) -> bool:
        return stage not in self.roles


DEFAULT = Chain(roles=dict(DEFAULT_ROLES), is_default=True)


def chain_from(row) -> Chain:
    """The ``Chain`` of an ``ApprovalChain`` row."""
    roles = {Stage.SELF: (row.self_role,), Stage.DECISION: (row.decision_role,)}
    if row.proposal_role:
        roles[Stage.PROPOSAL] = (row.proposal_role,)
    return Chain(roles=roles)


def kind_of_unit(unit_kind: str) -> str:
    """The chain kind of a unit's kind: a bloc's, or a team's (community teams too)."""
    return Subject.BLOC if unit_kind == UnitKind.BLOC else Subject.TEAM


def unit_kinds(kind: str) -> tuple[str, ...]:
    """The unit kinds a chain kind covers (the reverse of ``kind_of_unit``)."""
    if kind == Subject.BLOC:
        return (UnitKind.BLOC,)
    return tuple(k for k in UnitKind.values if k != UnitKind.BLOC)


def unit_of(rating):
    """The rated unit of a unit's or a member's rating."""
    return rating.unit if hasattr(rating, "unit_id") else rating.membership.unit


class ChainBook:
    """Every chain, read in one query when first asked, for a list or a request:
    ``get(path, kind)``."""

    @functools.cached_property
    def chains(self) -> dict:
        from evaluations.models import ApprovalChain

        rows = ApprovalChain.objects.select_related("province")
        return {(row.province.path, row.kind): chain_from(row) for row in rows}

    def get(self, path: str, kind: str) -> Chain:
        return self.chains.get((province_path(path), kind), DEFAULT)

    def of(self, rating) -> Chain:
        return self.of_unit(unit_of(rating))

    def of_unit(self, unit) -> Chain:
        return self.get(unit.area_path, kind_of_unit(unit.kind))


def chain_of(rating, book: ChainBook | None = None) -> Chain:
    """The chain ``rating`` follows: from ``book`` when given, else read once (one
    query) and kept on the rating."""
    if book is not None:
        return book.of(rating)
    cached = getattr(rating, "_danvan_chain", None)
    if cached is None:
        cached = rating._danvan_chain = chain_of_unit(unit_of(rating))
    return cached


def chain_of_unit(unit) -> Chain:
    """The chain the ratings of ``unit`` (and of its members) follow (one query)."""
    from evaluations.models import ApprovalChain

    row = (
        ApprovalChain.objects.filter(
            province__path=province_path(unit.area_path), kind=kind_of_unit(unit.kind)
        )
        .only("self_role", "proposal_role", "decision_role")
        .first()
    )
    return chain_from(row) if row is not None else DEFAULT


def role_takes(user, chain: Chain, stage: str) -> bool:
    """Whether ``user``'s role takes ``stage`` in ``chain`` (the area is checked apart)."""
    return chain.takes(user_role(user), stage)


def takers_q(user, stage: str, book: ChainBook, path_field="area_path", kind_field="kind") -> Q:
    """A condition on units (``path_field``, ``kind_field``) keeping those whose chain
    gives ``user``'s role the step of ``stage``: the decision list's "waits for me",
    in SQL, from the chains read once."""
    role = user_role(user)
    if role == StaffRole.SYSTEM_ADMIN:
        return Q()

    def unit_q(keys) -> Q:
        return functools.reduce(
            operator.or_,
            (
                Q(**{f"{path_field}__descendant_of": path, f"{kind_field}__in": unit_kinds(kind)})
                for path, kind in keys
            ),
            Q(pk__in=[]),
        )

    if DEFAULT.takes(role, stage):
        return ~unit_q(k for k, chain in book.chains.items() if not chain.takes(role, stage))
    return unit_q(k for k, chain in book.chains.items() if chain.takes(role, stage))
