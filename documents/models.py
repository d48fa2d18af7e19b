"""Documents (văn bản): resolutions, directives, guidance ... with their attachments.

Every write goes through ``documents.services``: the slug, the folded search column,
the replaced-by rule and the check of attached files live there, never in a view or
the admin.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from documents.choices import DocumentStatus, DocumentType, FileKind
from portal.audit import AuditedHistory


class DocumentQuerySet(models.QuerySet):
    def public(self) -> "DocumentQuerySet":
        """What the public sees: published documents, in force or replaced."""
        return self.filter(is_published=True)


class Document(models.Model):
    """A Party or State document as a portal lists it: its type, number and symbol
    ("267-HD/DVTU"), issuing body, dates, signer, title (trích yếu) and summary, an
    optional related area (any province, district or commune of either map), its
    status (in force, or replaced by another document) and whether it is published.

    ``search_text`` is the folded type, number, title and summary
    (``portal.text.fold``), so "huong dan 267" finds "Hướng dẫn 267-HD/DVTU" on SQLite
    and PostgreSQL alike. ``slug`` is made from the type and number; it follows them
    until the document is first published, then never changes.
    """

    doc_type = models.CharField(_("loại văn bản"), max_length=20, choices=DocumentType.choices)
    number = models.CharField(_("số, ký hiệu"), max_length=60)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200)
    issued_on = models.DateField(_("ngày ban hành"))
    effective_on = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    signer = models.CharField(_("người ký"), max_length=150, blank=True)
    title = models.CharField(_("trích yếu"), max_length=300)
    summary = models.TextField(_("tóm tắt nội dung"), max_length=3000, blank=True)
    area = models.ForeignKey(
        "units.Area",
        verbose_name=_("địa bàn liên quan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    status = models.CharField(
        _("hiệu lực"),
        max_length=10,
        choices=DocumentStatus.choices,
        default=DocumentStatus.IN_FORCE,
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("được thay thế bởi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
    )
    is_published = models.BooleanField(_("đăng công khai"), default=False)
    published_at = models.DateTimeField(_("đăng lần đầu lúc"), null=True, blank=True)
    slug = models.SlugField(_("đường dẫn"), max_length=120, db_index=False, editable=False)
    search_text = models.TextField(_("nội dung không dấu"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = DocumentQuerySet.as_manager()
    # Every revision kept (portal.audit): who, when, through which door, what changed;
    # attachments added or removed are recorded on the document too (with the file's
    # name as the reason). The folded search column is derived from the rest.
    history = AuditedHistory(
        kind="document", excluded_fields=["search_text"], detail_url=("documents:edit", "id")
    )

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="%(app_label)s_%(class)s_unique_slug"),
            # The same number from the same body on the same day is the same document.
            models.UniqueConstraint(
                fields=["number", "issuer", "issued_on"],
                name="%(app_label)s_%(class)s_unique_number",
            ),
            models.CheckConstraint(
                condition=Q(status=DocumentStatus.REPLACED, replaced_by__isnull=False)
                | (~Q(status=DocumentStatus.REPLACED) & Q(replaced_by__isnull=True)),
                name="%(app_label)s_%(class)s_replaced_names_replacement",
            ),
            models.CheckConstraint(
                condition=~Q(replaced_by=F("id")),
                name="%(app_label)s_%(class)s_not_replaced_by_itself",
            ),
            models.CheckConstraint(
                condition=Q(effective_on__isnull=True) | Q(effective_on__gte=F("issued_on")),
                name="%(app_label)s_%(class)s_effective_after_issued",
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_at__isnull=False),
                name="%(app_label)s_%(class)s_published_has_date",
            ),
        ]
        indexes = [
            # The public list: published, newest first.
            models.Index(fields=["is_published", "issued_on"], name="documents_pub_issued"),
        ]

    def __str__(self):
        return f"{self.get_doc_type_display()} {self.number}"

    def get_absolute_url(self):
        return reverse("documents:detail", args=[self.slug])

    @property
    def is_replaced(self) -> bool:
        return self.status == DocumentStatus.REPLACED


def attachment_upload_to(instance, filename: str) -> str:
    # Unused in practice: the service names every file itself (documents.files).
    return f"documents/{filename}"


class Attachment(models.Model):
    """A file of a document: a PDF or a Word (.docx) file, checked by its content on
    upload (``documents.files``), stored under a random name and served only through
    the portal (``documents:file``), so a draft's files are never public."""

    document = models.ForeignKey(
        Document, verbose_name=_("văn bản"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("tệp"), upload_to=attachment_upload_to, max_length=200)
    name = models.CharField(_("tên tệp"), max_length=200)
    kind = models.CharField(_("định dạng"), max_length=5, choices=FileKind.choices)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    history = AuditedHistory()

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("documents:file", args=[self.document.slug, self.pk])
