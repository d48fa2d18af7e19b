"""Where units and villages came from: reorganisations and their lineage.

A reorganisation (merging villages, renaming or moving one, carrying a legacy province's
rosters onto the 2025 map) never edits history: the old units end, new ones start, and
these tables record which came from which, on which day, in which batch (the villages'
own lineage is ``units.Succession``, level "village", with the reorganisation's batch
id). Every row the
reorganisation writes in the audit trail carries its ``batch_id``, so the batch can be
listed, and undone while nothing has been written on top of it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.audit import AuditedHistory
from portal.paths import PathField


class ReorganisationKind(models.TextChoices):
    VILLAGE_MERGE = "village_merge", _("Sáp nhập thôn, tổ dân phố")
    VILLAGE_RENAME = "village_rename", _("Đổi tên thôn, tổ dân phố")
    VILLAGE_MOVE = "village_move", _("Chuyển thôn, tổ dân phố sang xã khác")
    CARRY_OVER = "carry_over", _("Chuyển sang địa bàn mới 2025")


class Reorganisation(models.Model):
    """One reorganisation, applied in one transaction: its kind, the first day of the
    new arrangement (``effective_on``), the area it concerns (a commune for a village
    change, the legacy province for a carry-over; its path scopes who sees it) and the
    batch id of its audit rows."""

    kind = models.CharField(_("loại"), max_length=16, choices=ReorganisationKind.choices)
    effective_on = models.DateField(_("có hiệu lực từ"))
    area = models.ForeignKey(
        "units.Area", verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="+"
    )
    area_path = PathField(_("đường dẫn địa bàn"), max_length=120, db_index=True, editable=False)
    batch_id = models.UUIDField(_("mã lượt"), default=uuid.uuid4, unique=True, editable=False)
    # What the lineage rows do not say: a rename's old and new names, the villages staff
    # reassigned in a carry-over, the warnings shown when it was applied.
    details = models.JSONField(_("chi tiết"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thực hiện lúc"), auto_now_add=True)
    undone_at = models.DateTimeField(_("hoàn tác lúc"), null=True, blank=True)

    history = AuditedHistory(kind="reorganisation", paths=("area_path",))

    class Meta:
        verbose_name = _("lượt sắp xếp")
        verbose_name_plural = _("lượt sắp xếp")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.area} — {self.effective_on:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        self.area_path = self.area.path
        super().save(*args, **kwargs)


class UnitLineage(models.Model):
    """A unit that ended on ``reorganisation.effective_on`` and continues as
    ``successor`` (several predecessors when blocs or teams were merged)."""

    reorganisation = models.ForeignKey(
        Reorganisation, on_delete=models.CASCADE, related_name="unit_links"
    )
    predecessor = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị trước"),
        on_delete=models.PROTECT,
        related_name="successor_links",
    )
    successor = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị sau"),
        on_delete=models.PROTECT,
        related_name="predecessor_links",
    )

    class Meta:
        verbose_name = _("kế thừa đơn vị")
        verbose_name_plural = _("kế thừa đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="%(app_label)s_%(class)s_unique_link"
            ),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor}"
