"""The approval chain of a province's ratings of one kind of unit (evaluations.chains
holds the rules that read it). Kept apart from evaluations/models.py, which imports it
so that it is registered with the app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluations.choices import Subject
from portal.audit import AuditedHistory
from units.models import Area


class ApprovalChain(models.Model):
    """Which steps a province's ratings of one kind of unit go through and which role
    takes each (evaluations.chains): the self-assessment, an optional proposal, the
    decision. A province and kind without a chain follow the default (self-assessment →
    the commune's proposal → the decision by district or provincial staff). Member
    ratings follow the chain of their unit's kind."""

    province = models.ForeignKey(
        Area, verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="approval_chains"
    )
    kind = models.CharField(
        _("loại đơn vị"),
        max_length=8,
        choices=[(Subject.BLOC, Subject.BLOC.label), (Subject.TEAM, Subject.TEAM.label)],
    )
    self_role = models.CharField(_("người tự đánh giá"), max_length=20)
    # "" : the chain has no proposal; the decision follows the self-assessment.
    proposal_role = models.CharField(_("người đề xuất"), max_length=20, blank=True)
    decision_role = models.CharField(_("người quyết định"), max_length=20)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    history = AuditedHistory(kind="approval_chain")

    class Meta:
        verbose_name = _("quy trình phê duyệt")
        verbose_name_plural = _("quy trình phê duyệt")
        ordering = ["province", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "kind"], name="%(app_label)s_%(class)s_unique_kind"
            ),
        ]

    def __str__(self):
        return f"{self.province} — {self.get_kind_display()}"
