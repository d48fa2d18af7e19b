"""The data version that keeps cached statistics exact."""

from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """One row whose number grows with every change to areas, units, people,
    memberships or ratings. Cached statistics are keyed by it, so a write makes every
    cached figure unreachable at once, across all web workers (the cache itself may be
    per process)."""

    version = models.BigIntegerField(_("phiên bản dữ liệu"), default=0)

    class Meta:
        verbose_name = _("phiên bản dữ liệu")
        verbose_name_plural = _("phiên bản dữ liệu")

    def __str__(self):
        return str(self.version)


def data_version() -> int:
    """The current version (0 before the first write)."""
    return DataVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def bump_data_version() -> None:
    """Make every cached statistic stale. Runs inside the writer's transaction: readers
    see the new version exactly when they can see the new data."""
    if not DataVersion.objects.filter(pk=1).update(version=F("version") + 1):
        DataVersion.objects.get_or_create(pk=1, defaults={"version": 1})
