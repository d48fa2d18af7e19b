"""Roster imports that run in the background: one row per uploaded file.

The admin's stock import (django-import-export) validates and writes inside the request,
so a large file times out in the browser (docs/DECISIONS.md, "Measured facts"). Here the
request only stores the file and enqueues a task (``members.tasks.import_job_run``); the task
validates, then, once the user confirms, imports, writing its progress to this row so
that the page can show a progress bar.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.audit import AuditedHistory
from units.choices import Edition


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ xử lý")
    VALIDATING = "validating", _("Đang kiểm tra")
    VALIDATED = "validated", _("Đã kiểm tra")
    IMPORTING = "importing", _("Đang ghi dữ liệu")
    DONE = "done", _("Đã nhập xong")
    FAILED = "failed", _("Không thành công")


#: Statuses in which a task is expected to move the job on: the page keeps polling.
RUNNING_STATUSES = (ImportJobStatus.QUEUED, ImportJobStatus.VALIDATING, ImportJobStatus.IMPORTING)


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ImportJobQuerySet":
        """Jobs ``user`` may open: their own, or every job for a superuser.

        An uploaded roster holds personal data of the people in it, so another staff
        member's upload gets the same 404 as a job that does not exist.
        """
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(created_by=user)

    def without_file(self) -> "ImportJobQuerySet":
        """The row without the uploaded bytes (up to the import size limit)."""
        return self.defer("data", "report")

    def light(self) -> "ImportJobQuerySet":
        """Without the file and the stored plan (a few MB for a province's roster): what
        lists and the progress polling read."""
        return self.defer("data", "result", "report")


class ImportJob(models.Model):
    """One uploaded roster workbook on its way from upload to preview to import.

    The file is kept in the database (``data``), not under MEDIA_ROOT: a worker on
    another machine reads it through the same connection as the job, and there is no
    orphan file to clean up. Files are capped by ``DANVAN_IMPORT_MAX_BYTES`` (10 MB).
    ``result`` holds the plan of the last run (counts, rows, errors by row and column,
    new villages and units, notes) as JSON.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )
    filename = models.CharField(_("tên tệp"), max_length=255)
    data = models.BinaryField(_("nội dung tệp"), editable=False)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)
    edition = models.CharField(
        _("danh mục"), max_length=8, choices=Edition.choices, blank=True, default=""
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=ImportJobStatus.choices,
        default=ImportJobStatus.QUEUED,
    )
    # Set when the user confirms the preview: from then on the job imports.
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    progress_done = models.PositiveIntegerField(_("số dòng đã xử lý"), default=0)
    progress_total = models.PositiveIntegerField(_("tổng số dòng"), default=0)
    result = models.JSONField(_("kết quả"), null=True, blank=True)
    # The plan's counts again, small, for lists that do not load ``result``.
    created_count = models.PositiveIntegerField(_("số dòng thêm mới"), default=0)
    updated_count = models.PositiveIntegerField(_("số dòng cập nhật"), default=0)
    unchanged_count = models.PositiveIntegerField(_("số dòng không đổi"), default=0)
    error_count = models.PositiveIntegerField(_("số lỗi"), default=0)
    error_message = models.TextField(_("thông báo lỗi"), blank=True)
    # The error report (the file with a "Lỗi" column), built by the task that found the
    # errors and served as stored: building it inside a request could outlast the web
    # worker's timeout on a large file (docs/SECURITY.md).
    report = models.BinaryField(_("báo cáo lỗi"), editable=False, blank=True, default=b"")
    task_id = models.CharField(_("mã tác vụ"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()
    # The audit trail records who uploaded and who deleted a job, never the file or the
    # plan (personal data, megabytes): both are left out of the history rows.
    history = AuditedHistory(excluded_fields=["data", "result", "report"])

    class Meta:
        verbose_name = _("lượt nhập danh sách")
        verbose_name_plural = _("lượt nhập danh sách")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["created_by", "-created_at"], name="members_importjob_user"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_done__lte=models.F("progress_total")),
                name="%(app_label)s_%(class)s_progress_within_total",
            ),
        ]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    # --- Reading the stored plan ------------------------------------------------------

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES

    @property
    def is_import(self) -> bool:
        """Whether the current or last run writes (the user confirmed the preview)."""
        return self.confirmed_at is not None

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 100 if self.status in (ImportJobStatus.DONE, ImportJobStatus.VALIDATED) else 0
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def counts(self) -> dict:
        return {
            "created": self.created_count,
            "updated": self.updated_count,
            "unchanged": self.unchanged_count,
            "errors": self.error_count,
        }

    @property
    def errors(self) -> list[dict]:
        """Every error of the stored plan: row (0 = the whole file), column, message."""
        return (self.result or {}).get("errors", [])

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0

    @property
    def can_confirm(self) -> bool:
        """A validated plan without errors can be imported, once."""
        return (
            self.status == ImportJobStatus.VALIDATED
            and not self.has_errors
            and self.confirmed_at is None
        )
