"""A province's approval chains (evaluations.chains): set one kind's chain, or go back
to the default. Provincial staff who manage the province's criteria do it (and system
administrators); every change is audited like other admin writes (the chain's history)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from evaluations.chains import CHAIN_KINDS, ROLE_CHOICES
from evaluations.choices import Stage
from evaluations.models import ApprovalChain
from evaluations.services.steps import require_permission
from evaluations.stages import MANAGE_CRITERIA
from portal.audit import audit_context
from units.choices import Level

ERROR_CHAIN_PROVINCE = _("Quy trình phê duyệt do một tỉnh, thành phố đặt.")
ERROR_CHAIN_KIND = _("Quy trình phê duyệt chỉ đặt cho khối dân vận hoặc tổ dân vận.")
ERROR_CHAIN_ROLE = _("Vai trò này không thực hiện được bước “{stage}”.")


@transaction.atomic
def approval_chain_set(
    *,
    acting_user,
    province,
    kind: str,
    self_role: str,
    proposal_role: str,
    decision_role: str,
) -> ApprovalChain:
    """Set the chain of ``province``'s ratings of ``kind``: who takes the
    self-assessment, the proposal (``""``: the chain has none) and the decision. Each
    role must be one ``ROLE_CHOICES`` offers for its step."""
    _require(acting_user, province, kind)
    errors = {}
    for field, stage, role in (
        ("self_role", Stage.SELF, self_role),
        ("proposal_role", Stage.PROPOSAL, proposal_role),
        ("decision_role", Stage.DECISION, decision_role),
    ):
        if field == "proposal_role" and not role:
            continue
        if role not in ROLE_CHOICES[stage]:
            errors[field] = [ERROR_CHAIN_ROLE.format(stage=Stage(stage).label)]
    if errors:
        raise ValidationError(errors)
    chain = ApprovalChain.objects.filter(province=province, kind=kind).first()
    chain = chain or ApprovalChain(province=province, kind=kind)
    chain.self_role, chain.proposal_role, chain.decision_role = (
        self_role,
        proposal_role,
        decision_role,
    )
    with audit_context(user=acting_user):
        chain.save()
    return chain


@transaction.atomic
def approval_chain_reset(*, acting_user, province, kind: str) -> None:
    """Go back to the default chain for ``province``'s ratings of ``kind``."""
    _require(acting_user, province, kind)
    with audit_context(user=acting_user):
        for chain in ApprovalChain.objects.filter(province=province, kind=kind):
            chain.delete()  # one by one: the audit trail records the deletion


def _require(acting_user, province, kind: str) -> None:
    require_permission(acting_user, MANAGE_CRITERIA, province.path)
    if province.level != Level.PROVINCE:
        raise ValidationError(ERROR_CHAIN_PROVINCE)
    if kind not in CHAIN_KINDS:
        raise ValidationError(ERROR_CHAIN_KIND)
