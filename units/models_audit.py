"""Tables of the audit trail (units.audit): the base of every history table, the record
of personal-data exports, and the history of user accounts.

Imported at the end of ``units.models``, so Django sees these models as the units app's.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history import register
from simple_history.signals import pre_create_historical_record

from units.audit import (
    EXPORT_LABELS,
    EXPORT_ROSTER,
    AuditedHistory,
    Door,
    current_batch_id,
    current_door,
    fingerprint_password,
)


class AuditedHistoricalModel(models.Model):
    """What every history row holds besides simple-history's who / when / what / why:
    the door the change came through and the batch (one import) it belongs to.

    Both default to the audit context, so a single ``save()`` fills them without any
    signal; bulk writes pass them explicitly (``units.audit.bulk_create``).
    """

    door = models.CharField(_("kênh"), max_length=8, choices=Door.choices, default=current_door)
    # Indexed: "every row of this import" is one lookup (/can-bo/lich-su/?batch=...).
    batch_id = models.UUIDField(
        _("mã lượt nhập"), null=True, blank=True, default=current_batch_id, db_index=True
    )

    class Meta:
        abstract = True


class ExportRecordQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ExportRecordQuerySet":
        """Exports ``user`` may review: every export for a system administrator; else
        their own and those of accounts bound to areas inside their scope."""
        from units.access import scope_of
        from units.selectors import user_is_portal_staff

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
    with which filter and how many rows. Decree 13/2023/NĐ-CP asks that exports of
    personal data be traceable; this table is that trace, never pruned by the portal.
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
        verbose_name = _("lượt xuất dữ liệu cá nhân")
        verbose_name_plural = _("lượt xuất dữ liệu cá nhân")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="units_exportrecord_user"),
        ]

    def __str__(self):
        return f"{self.username or '—'} {self.fmt} {self.rows}"


# --- Accounts --------------------------------------------------------------------------------
# django.contrib.auth's User is not ours to edit: its history is registered here, in the
# units app (its table and migration live with units). The last login is left out (every
# login would be a "change"), and the password hash is replaced by a keyed fingerprint
# (units.audit.password_fingerprint): the trail shows that it changed, never the hash.

User = get_user_model()
register(
    User,
    app="units",
    records_class=AuditedHistory,
    kind="account",
    excluded_fields=["last_login"],
    skip_update_fields=["last_login"],
)
pre_create_historical_record.connect(
    fingerprint_password,
    sender=User.history.model,
    dispatch_uid="units.audit.fingerprint_password",
)
