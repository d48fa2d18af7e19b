"""Every write of the documents app: documents and their attachments.

Views, forms, the admin and the demo generator call these functions; none of them
saves a model itself. Each service checks the acting user's permission
(``acting_user=None`` is the system: a command), normalises the text, makes the slug
and the search column, enforces the replaced-by rule, keeps the audit trail's reason
and makes the cached public pages stale in the same transaction.

Who may do what (``DocumentsConfig.ready`` grants the news editor role): creating
needs ``documents.add_document``, editing and publishing ``documents.change_document``,
attaching ``documents.add_attachment``, removing ``documents.delete_attachment``.
System administrators have every permission.
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from documents import files
from documents.choices import DocumentStatus, DocumentType
from documents.models import Attachment, Document
from news.services import ERROR_AREA_LEVEL, pages_changed
from portal.audit import audit_context
from portal.text import fold, normalize
from units.choices import Level

ERROR_NOT_ALLOWED = _("Tài khoản của bạn không được sửa văn bản.")
ERROR_NOT_ALLOWED_FILES = _("Tài khoản của bạn không được thêm hay gỡ tệp của văn bản.")
ERROR_REQUIRED = _("Chưa nhập mục này.")
ERROR_TYPE = _("Loại văn bản không hợp lệ.")
ERROR_EFFECTIVE_BEFORE_ISSUED = _("Ngày có hiệu lực không thể trước ngày ban hành.")
ERROR_DUPLICATE = _("Đã có văn bản số {number} của {issuer} ban hành ngày {day}.")
ERROR_REPLACED_NEEDS_REPLACEMENT = _(
    "Văn bản đã được thay thế: hãy chọn văn bản thay thế nó (hoặc để trạng thái “Còn hiệu lực”)."
)
ERROR_REPLACEMENT_NEEDS_STATUS = _(
    "Chỉ văn bản “Đã được thay thế” mới có văn bản thay thế: hãy đổi trạng thái hoặc bỏ chọn."
)
ERROR_REPLACED_BY_ITSELF = _("Một văn bản không thể tự thay thế chính nó.")
ERROR_REPLACEMENT_CYCLE = _(
    "Không thể chọn {replacement}: văn bản đó đã được thay thế (trực tiếp hoặc qua văn bản "
    "khác) bởi chính văn bản này, sẽ thành vòng lặp."
)

REASON_FILE_ADDED = _("Thêm tệp “{name}”")
REASON_FILE_REMOVED = _("Gỡ tệp “{name}”")

#: Slug length before a collision suffix ("-2").
SLUG_MAX = 80
SLUG_FALLBACK = "van-ban"
#: Paths under /van-ban/ that are not documents.
RESERVED_SLUGS = {"rss", "tep"}

#: Fields of a document an editor writes (the rest is derived).
DOCUMENT_FIELDS = (
    "doc_type", "number", "issuer", "issued_on", "effective_on", "signer", "title",
    "summary", "area", "status", "replaced_by", "is_published",
)  # fmt: skip
TEXT_FIELDS = ("number", "issuer", "signer", "title")
AREA_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)


def _require(user, perm: str, message=ERROR_NOT_ALLOWED) -> None:
    """``user`` must have ``perm``; None is the system (a command, the demo)."""
    if user is None:
        return
    if not (user.is_active and user.has_perm(perm)):
        raise PermissionDenied(message)


def can_edit(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("documents.change_document"))


# --- Derived fields ------------------------------------------------------------------------


def type_label(doc_type: str) -> str:
    """The type's Vietnamese name whatever the active language: slugs and the search
    column are made from it."""
    with translation.override("vi"):
        return str(DocumentType(doc_type).label) if doc_type in DocumentType.values else ""


def slug_base(document: Document) -> str:
    """Type and number without diacritics: "Hướng dẫn 267-HD/DVTU" ->
    "huong-dan-267-hd-dvtu"."""
    # "/" and "." separate the parts of a number: keep them apart as "-".
    text = fold(f"{type_label(document.doc_type)} {document.number}")
    base = slugify(re.sub(r"[/.]+", " ", text))
    if len(base) > SLUG_MAX:
        base = base[:SLUG_MAX].rsplit("-", 1)[0]
    return base.strip("-") or SLUG_FALLBACK


def unique_slug(document: Document) -> str:
    """``slug_base``, with "-2", "-3" ... when another document has it (one query)."""
    base = slug_base(document)
    taken = set(
        Document.objects.filter(slug__startswith=base)
        .exclude(pk=document.pk)
        .values_list("slug", flat=True)
    )
    taken |= RESERVED_SLUGS
    if base not in taken and not base.isdigit():
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def normalize_lines(text: str) -> str:
    """``normalize`` line by line: a summary keeps its paragraphs, without blank ones."""
    lines = (normalize(line) for line in (text or "").splitlines())
    return "\n".join(line for line in lines if line)


def _fill_derived(document: Document) -> None:
    for name in TEXT_FIELDS:
        setattr(document, name, normalize(getattr(document, name)))
    document.summary = normalize_lines(document.summary)
    document.search_text = fold(
        " ".join([type_label(document.doc_type), document.number, document.title, document.summary])
    )


# --- Rules ---------------------------------------------------------------------------------


def _replacement_errors(document: Document) -> list:
    """The replaced-by rule: a replaced document names its replacement, an in-force one
    none; never itself; never a chain that comes back to it."""
    replacement = document.replaced_by
    if document.status == DocumentStatus.REPLACED and replacement is None:
        return [ERROR_REPLACED_NEEDS_REPLACEMENT]
    if replacement is None:
        return []
    if document.status != DocumentStatus.REPLACED:
        return [ERROR_REPLACEMENT_NEEDS_STATUS]
    if document.pk is not None and replacement.pk == document.pk:
        return [ERROR_REPLACED_BY_ITSELF]
    # Walk what replaced the replacement, and so on: reaching this document is a cycle.
    # Chains are short (a document is replaced a handful of times at most); ``seen``
    # stops a loop already in the data.
    # The chain is read from the database (the objects at hand may be stale).
    seen = set()
    node_id = replacement.pk
    while node_id is not None and node_id not in seen:
        if node_id == document.pk:
            return [ERROR_REPLACEMENT_CYCLE.format(replacement=replacement)]
        seen.add(node_id)
        node_id = (
            Document.objects.filter(pk=node_id).values_list("replaced_by_id", flat=True).first()
        )
    return []


def _validate(document: Document) -> None:
    errors: dict[str, list] = {}
    for name in ("number", "issuer", "title"):
        if not getattr(document, name):
            errors[name] = [ERROR_REQUIRED]
    if not document.issued_on:
        errors["issued_on"] = [ERROR_REQUIRED]
    if document.doc_type not in DocumentType.values:
        errors["doc_type"] = [ERROR_TYPE]
    if document.issued_on and document.effective_on and document.effective_on < document.issued_on:
        errors["effective_on"] = [ERROR_EFFECTIVE_BEFORE_ISSUED]
    if document.area_id and document.area.level not in AREA_LEVELS:
        errors["area"] = [ERROR_AREA_LEVEL]
    replacement = _replacement_errors(document)
    if replacement:
        errors["replaced_by"] = replacement
    if not errors and (
        Document.objects.filter(
            number=document.number, issuer=document.issuer, issued_on=document.issued_on
        )
        .exclude(pk=document.pk)
        .exists()
    ):
        errors["number"] = [
            ERROR_DUPLICATE.format(
                number=document.number,
                issuer=document.issuer,
                day=document.issued_on.strftime("%d/%m/%Y"),
            )
        ]
    if errors:
        raise ValidationError(errors)


def _save(document: Document, acting_user) -> Document:
    """Normalise, validate and save, with a fresh slug while it may follow the type and
    number; a slug taken by a concurrent writer is retried once. The history row records
    ``acting_user`` (the audit context's user otherwise)."""
    with audit_context(user=acting_user):
        _fill_derived(document)
        _validate(document)
        # Until its first publication a document's link has never been out: the slug
        # may still follow the type and number. Afterwards it never changes.
        follows = document.published_at is None or not document.slug
        if follows:
            document.slug = unique_slug(document)
        if document.is_published and document.published_at is None:
            document.published_at = timezone.now()
        document.full_clean(exclude=["slug"], validate_constraints=False)
        try:
            with transaction.atomic():
                document.save()
        except IntegrityError:
            if not follows:
                raise
            document.slug = unique_slug(document)
            document.save()
        pages_changed()
    return document


# --- Documents -----------------------------------------------------------------------------


@transaction.atomic
def document_create(
    *,
    acting_user,
    doc_type: str,
    number: str,
    issuer: str,
    issued_on,
    title: str,
    summary: str = "",
    effective_on=None,
    signer: str = "",
    area=None,
    status: str = DocumentStatus.IN_FORCE,
    replaced_by: Document | None = None,
    is_published: bool = False,
) -> Document:
    """A new document (a draft unless ``is_published``)."""
    _require(acting_user, "documents.add_document")
    document = Document(
        doc_type=doc_type,
        number=number,
        issuer=issuer,
        issued_on=issued_on,
        effective_on=effective_on,
        signer=signer,
        title=title,
        summary=summary,
        area=area,
        status=status,
        replaced_by=replaced_by,
        is_published=is_published,
        created_by=acting_user if acting_user and acting_user.pk else None,
    )
    return _save(document, acting_user)


@transaction.atomic
def document_update(*, document: Document, acting_user, **changes) -> Document:
    """Change what an editor writes (``DOCUMENT_FIELDS``), publishing and unpublishing
    included; a published document keeps its link."""
    _require(acting_user, "documents.change_document")
    unknown = set(changes) - set(DOCUMENT_FIELDS)
    if unknown:
        raise TypeError(f"document_update() got unexpected fields: {sorted(unknown)}")
    document = Document.objects.select_for_update().get(pk=document.pk)
    for name, value in changes.items():
        setattr(document, name, value)
    return _save(document, acting_user)


# --- Attachments ---------------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, document: Document, upload, acting_user) -> Attachment:
    """Check an uploaded file (PDF or .docx by its content, within the size limit:
    ``documents.files.check_upload``) and attach it to ``document``; the document's
    history records it ("Thêm tệp …")."""
    _require(acting_user, "documents.add_attachment", ERROR_NOT_ALLOWED_FILES)
    try:
        checked = files.check_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    document = Document.objects.select_for_update().get(pk=document.pk)
    stored = default_storage.save(files.storage_name(checked.kind), checked.upload)
    attachment = Attachment(
        document=document,
        file=stored,
        name=checked.name,
        kind=checked.kind,
        size=checked.size,
        uploaded_by=acting_user if acting_user and acting_user.pk else None,
    )
    # The file is written before the rows: remove it if they are not.
    try:
        with audit_context(user=acting_user):
            attachment.full_clean(exclude=["file"])
            attachment.save()
        with audit_context(reason=str(REASON_FILE_ADDED).format(name=checked.name)):
            _save(document, acting_user)
    except Exception:
        default_storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, acting_user) -> None:
    """Remove a file from its document; the stored file is deleted once the transaction
    has committed (a rollback keeps it)."""
    _require(acting_user, "documents.delete_attachment", ERROR_NOT_ALLOWED_FILES)
    attachment = Attachment.objects.select_related("document").get(pk=attachment.pk)
    document = Document.objects.select_for_update().get(pk=attachment.document_id)
    stored, name = attachment.file.name, attachment.name
    with audit_context(user=acting_user):
        attachment.delete()
    with audit_context(reason=str(REASON_FILE_REMOVED).format(name=name)):
        _save(document, acting_user)
    transaction.on_commit(lambda: default_storage.delete(stored))
