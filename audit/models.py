"""Tables of the audit app: the record of personal-data exports, and the permission to
read the history pages (``audit.view_audit``, declared on it).

The history tables themselves belong to the models they record (``portal.audit``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import scope_of
from accounts.selectors import user_is_portal_staff
from audit.choices import EXPORT_LABELS, EXPORT_ROSTER
from portal.audit import Door


class ExportRecordQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ExportRecordQuerySet":
        """Exports ``user`` may review: every export for a system administrator; else
        their own and those of accounts bound to areas inside their scope."""
        if not user_is_portal_staff(user):
            return self.none()
        scope = scope_of(user)
        if scope.everything:
            return self
        return self.filter(
            models.Q(user=user) | scope.q("user__staff_profile__areas__path")
        ).distinct()


class ExportRecord(models.Model):
    """One download of personal data (a roster export): who, when, through which door,
    with which filter and how many rows. The Personal Data Protection Law and Decree
    356/2025/NĐ-CP (in force since 01/01/2026) ask that processing of personal data be
    traceable; this table is that trace, never pruned by the portal.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xuất"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept apart from ``user``: the trace stays readable if the account is deleted.
    username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    door = models.CharField(_("kênh"), max_length=8, choices=Door.choices)
    what = models.CharField(
        _("dữ liệu"), max_length=40, choices=list(EXPORT_LABELS.items()), default=EXPORT_ROSTER
    )
    fmt = models.CharField(_("định dạng"), max_length=8)
    filters = models.JSONField(_("bộ lọc"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("số dòng"))

    objects = ExportRecordQuerySet.as_manager()

    class Meta:
        # The table (and index) of the units app, where the model was first written.
        db_table = "units_exportrecord"
        verbose_name = _("lượt xuất dữ liệu cá nhân")
        verbose_name_plural = _("lượt xuất dữ liệu cá nhân")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="units_exportrecord_user"),
        ]
        permissions = [
            ("view_audit", _("Xem nhật ký thay đổi của địa bàn")),
        ]

    def __str__(self):
        return f"{self.username or '—'} {self.fmt} {self.rows}"
