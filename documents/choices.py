"""Choices of the documents app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    """The kinds of Party and State documents a dân vận portal publishes, in the order a
    reader expects them (the Party's own documents first)."""

    RESOLUTION = "resolution", _("Nghị quyết")
    DIRECTIVE = "directive", _("Chỉ thị")
    CONCLUSION = "conclusion", _("Kết luận")
    REGULATION = "regulation", _("Quy định")
    GUIDANCE = "guidance", _("Hướng dẫn")
    PLAN = "plan", _("Kế hoạch")
    DECISION = "decision", _("Quyết định")
    OFFICIAL_LETTER = "official_letter", _("Công văn")
    REPORT = "report", _("Báo cáo")


class DocumentStatus(models.TextChoices):
    """Whether a document still applies. A replaced document names the one that replaced
    it (``Document.replaced_by``); both are kept, so old links keep working."""

    IN_FORCE = "in_force", _("Còn hiệu lực")
    REPLACED = "replaced", _("Đã được thay thế")


class FileKind(models.TextChoices):
    """The attachment formats accepted, recognised by their content (``documents.files``)."""

    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (.docx)"
