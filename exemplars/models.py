"""The registry of "Dân vận khéo" models (mô hình "Dân vận khéo"): what a unit or a
person registered in an area, followed through its cycle registered → implementing →
reviewed → recognised by a decision (commune or province level) → typical, or not
recognised with a reason (docs/WORK.md, "Dân vận khéo" models).

A model copies its area's ``path`` (as units and memberships do), so that "every model
under this province" is one indexed prefix condition: the scoped lists, the public
gallery's province filter and the figures of the statistics need no join.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exemplars.choices import (
    PUBLIC_STATUSES,
    DecisionLevel,
    ExemplarField,
    ExemplarStatus,
    OwnerKind,
)
from portal.audit import AuditedHistory
from portal.paths import PathField
from units.choices import Level
from units.models import Area

#: No model is registered before this day (a mistyped year like 0205 is caught).
EARLIEST_DAY = datetime.date(2000, 1, 1)

ERROR_FUTURE = _("Ngày không được sau hôm nay ({today}).")
ERROR_TOO_OLD = _("Ngày phải từ 01/01/2000 trở đi.")
ERROR_BEFORE = _("{what} không được trước {before} ({date}).")
ERROR_AREA_LEVEL = _("Mô hình được đăng ký ở xã, phường hoặc ở tỉnh, thành phố (không ở thôn).")

WHAT_STARTED = _("Ngày bắt đầu thực hiện")
WHAT_REVIEWED = _("Ngày thẩm định")
WHAT_DECISION = _("Ngày quyết định công nhận")
WHAT_TYPICAL = _("Ngày công nhận tiêu biểu")
WHAT_REJECTED = _("Ngày không công nhận")
BEFORE_REGISTERED = _("ngày đăng ký")
BEFORE_STARTED = _("ngày bắt đầu thực hiện")
BEFORE_REVIEWED = _("ngày thẩm định")
BEFORE_DECISION = _("ngày quyết định công nhận")

#: Levels of the areas that keep a registry (a team's model is its commune's).
REGISTRY_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)


def day_text(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def photo_upload_to(instance, filename: str) -> str:
    # Unused in practice: exemplars.services names every file itself (random).
    return f"exemplars/{filename}"


class Exemplar(models.Model):
    """A "Dân vận khéo" model of an area: what it is, who is behind it (a collective or
    a person, named as the decision names them), its field, when it was registered, what
    it does and achieved, and where it stands in its cycle. Only a recognised (or
    typical) model is public, and then only what its decision made public."""

    area = models.ForeignKey(
        Area, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="exemplars"
    )
    area_path = PathField(_("đường dẫn địa bàn"), max_length=120, editable=False)
    title = models.CharField(_("tên mô hình"), max_length=200)
    field = models.CharField(_("lĩnh vực"), max_length=10, choices=ExemplarField.choices)
    owner_kind = models.CharField(
        _("chủ thể"), max_length=10, choices=OwnerKind.choices, default=OwnerKind.COLLECTIVE
    )
    owner_name = models.CharField(_("tập thể, cá nhân thực hiện"), max_length=200)
    registered_on = models.DateField(_("ngày đăng ký"))
    description = models.TextField(_("nội dung, cách làm"), max_length=3000)
    results = models.TextField(_("kết quả"), max_length=3000, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=ExemplarStatus.choices,
        default=ExemplarStatus.REGISTERED,
    )
    started_on = models.DateField(_("ngày bắt đầu thực hiện"), null=True, blank=True)
    reviewed_on = models.DateField(_("ngày thẩm định"), null=True, blank=True)
    review_note = models.CharField(_("ý kiến thẩm định"), max_length=500, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=50, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_level = models.CharField(
        _("cấp công nhận"), max_length=10, choices=DecisionLevel.choices, blank=True
    )
    typical_on = models.DateField(_("ngày công nhận tiêu biểu"), null=True, blank=True)
    rejected_on = models.DateField(_("ngày không công nhận"), null=True, blank=True)
    rejection_reason = models.TextField(_("lý do không công nhận"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    history = AuditedHistory(
        kind="exemplar",
        paths=("area_path",),
        related=("area",),
        detail_url=("exemplars:detail", "id"),
    )

    class Meta:
        verbose_name = _("mô hình “Dân vận khéo”")
        verbose_name_plural = _("mô hình “Dân vận khéo”")
        ordering = ["-registered_on", "-pk"]
        permissions = [
            ("decide_exemplar", _("Ghi thẩm định, quyết định công nhận mô hình “Dân vận khéo”")),
        ]
        indexes = [
            # Scoped lists and the figures of an area on a day: a path prefix then the
            # day registered (varchar_pattern_ops: PostgreSQL's LIKE 'prefix%').
            models.Index(
                fields=["area_path", "registered_on"],
                opclasses=["varchar_pattern_ops", "date_ops"],
                name="exemplars_path_registered",
            ),
            # The public gallery reads recognised models only: a partial index.
            models.Index(
                fields=["area_path", "decision_date"],
                opclasses=["varchar_pattern_ops", "date_ops"],
                condition=Q(status__in=PUBLIC_STATUSES),
                name="exemplars_public",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=PUBLIC_STATUSES)
                | (~Q(decision_number="") & Q(decision_date__isnull=False)),
                name="%(app_label)s_%(class)s_recognised_has_decision",
            ),
            models.CheckConstraint(
                condition=~Q(status=ExemplarStatus.NOT_RECOGNISED) | ~Q(rejection_reason=""),
                name="%(app_label)s_%(class)s_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(decision_date__isnull=True) | Q(decision_date__gte=F("registered_on")),
                name="%(app_label)s_%(class)s_decision_after_registered",
            ),
            models.CheckConstraint(
                condition=Q(typical_on__isnull=True) | Q(typical_on__gte=F("decision_date")),
                name="%(app_label)s_%(class)s_typical_after_decision",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("exemplars:detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors: dict[str, list[str]] = {}
        if self.area_id is not None and self.area.level not in REGISTRY_LEVELS:
            errors["area"] = [str(ERROR_AREA_LEVEL)]
        today = timezone.localdate()
        chain = [
            ("registered_on", self.registered_on, None, None),
            ("started_on", self.started_on, WHAT_STARTED, ("registered_on", BEFORE_REGISTERED)),
            ("reviewed_on", self.reviewed_on, WHAT_REVIEWED, ("started_on", BEFORE_STARTED)),
            ("decision_date", self.decision_date, WHAT_DECISION, ("reviewed_on", BEFORE_REVIEWED)),
            ("rejected_on", self.rejected_on, WHAT_REJECTED, ("reviewed_on", BEFORE_REVIEWED)),
            ("typical_on", self.typical_on, WHAT_TYPICAL, ("decision_date", BEFORE_DECISION)),
        ]
        for field, day, what, before in chain:
            problem = _day_problem(day, today)
            if problem is None and before is not None and day is not None:
                earlier = getattr(self, before[0])
                if earlier is not None and day < earlier:
                    problem = str(ERROR_BEFORE).format(
                        what=what, before=before[1], date=day_text(earlier)
                    )
            if problem:
                errors[field] = [problem]
        if errors:
            raise ValidationError(errors)

    def fill_derived_fields(self) -> None:
        self.area_path = self.area.path

    @property
    def year(self) -> int:
        return self.registered_on.year

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES


def _day_problem(day: datetime.date | None, today: datetime.date) -> str | None:
    if day is None:
        return None
    if day > today:
        return str(ERROR_FUTURE).format(today=day_text(today))
    if day < EARLIEST_DAY:
        return str(ERROR_TOO_OLD)
    return None


class ExemplarPhoto(models.Model):
    """A photo of a model, re-encoded on upload without its metadata (a phone's EXIF
    holds where it was taken) and resized (``work.photos``). Served by
    ``exemplars:photo``: to everyone once the model is recognised (the gallery), before
    that only to staff whose area covers it."""

    exemplar = models.ForeignKey(
        Exemplar, verbose_name=_("mô hình"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("tệp ảnh"), upload_to=photo_upload_to, max_length=200)
    width = models.PositiveIntegerField(_("rộng"), default=0)
    height = models.PositiveIntegerField(_("cao"), default=0)
    variants = models.JSONField(_("các cỡ ảnh"), default=list, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    history = AuditedHistory()

    class Meta:
        verbose_name = _("ảnh mô hình")
        verbose_name_plural = _("ảnh mô hình")
        ordering = ["pk"]

    def __str__(self):
        return self.file.name

    def get_absolute_url(self):
        return reverse("exemplars:photo", args=[self.pk])
