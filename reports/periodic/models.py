"""The written part of a periodic report, kept per area (a commune or a province of the
2025 map) and period; the figures are never stored: they are counted from the records
whenever the report is shown or downloaded (``reports.periodic.figures``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.audit import AuditedHistory
from portal.paths import PathField
from units.models import Area


class PeriodicReport(models.Model):
    """What staff wrote for one area and period (the situation of the people, results,
    shortcomings, proposals), and whether a commune's report was submitted to its
    province (after which the commune no longer changes it)."""

    area = models.ForeignKey(
        Area, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="periodic_reports"
    )
    area_path = PathField(_("đường dẫn địa bàn"), max_length=120, editable=False)
    period = models.CharField(_("kỳ báo cáo"), max_length=7)
    situation = models.TextField(_("tình hình nhân dân"), max_length=5000, blank=True)
    results = models.TextField(_("kết quả công tác dân vận"), max_length=5000, blank=True)
    shortcomings = models.TextField(_("hạn chế, nguyên nhân"), max_length=5000, blank=True)
    proposals = models.TextField(_("phương hướng, đề xuất"), max_length=5000, blank=True)
    submitted_at = models.DateTimeField(_("gửi lên tỉnh lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    history = AuditedHistory(kind="periodic_report", paths=("area_path",), related=("area",))

    class Meta:
        verbose_name = _("báo cáo định kỳ")
        verbose_name_plural = _("báo cáo định kỳ")
        ordering = ["-period", "area_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "period"], name="%(app_label)s_%(class)s_unique_area_period"
            ),
        ]

    def __str__(self):
        return f"{self.area} — {self.period}"

    def save(self, *args, **kwargs):
        self.area_path = self.area.path
        super().save(*args, **kwargs)
