"""Attachments of documents: what an upload really is, where it is stored, how it is
sent back.

An upload is recognised by its first bytes, not by its name or the browser's content
type (both are whatever the sender says): a PDF starts with ``%PDF-``; a Word document
(.docx) is a ZIP archive (``PK\\x03\\x04``) whose directory lists ``word/document.xml``
and ``[Content_Types].xml``. Only the ZIP's directory is read, nothing is inflated, so
a compressed bomb costs nothing. The name's extension must agree with the content.

Files are stored under ``MEDIA_ROOT/documents/<year>/`` with a random name and served
only through ``documents.views.attachment_download`` (never as a raw media URL), so a
draft's files stay private.
"""

import dataclasses
import os
import secrets
import unicodedata
import zipfile
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from documents.choices import FileKind
from portal.text import fold, normalize

ERROR_FILE_EMPTY = _("Tệp “{name}” rỗng.")
ERROR_FILE_TOO_BIG = _("Tệp “{name}” nặng {size} MB, quá giới hạn {limit} MB.")
ERROR_FILE_EXTENSION = _("Chỉ nhận tệp PDF (.pdf) hoặc Word (.docx); tệp “{name}” không phải.")
ERROR_FILE_CONTENT = _(
    "Tệp “{name}” không phải tệp {kind} thật: nội dung không đúng định dạng {kind}. "
    "Hãy lưu lại văn bản dưới dạng {kind} rồi tải lên."
)

#: Content type and extension of each kind.
CONTENT_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
EXTENSIONS = {FileKind.PDF: ".pdf", FileKind.DOCX: ".docx"}
KIND_OF_EXTENSION = {extension: kind for kind, extension in EXTENSIONS.items()}

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
DOCX_PARTS = ("[Content_Types].xml", "word/document.xml")

#: Longest file name kept (characters), extension included.
NAME_MAX = 150
#: Folder of the stored files under MEDIA_ROOT.
STORAGE_FOLDER = "documents"


def max_bytes() -> int:
    """The largest attachment accepted (``DANVAN_DOCUMENT_MAX_BYTES``)."""
    return settings.DANVAN_DOCUMENT_MAX_BYTES


def _megabytes(size: int) -> str:
    return formats.number_format(round(size / (1024 * 1024), 1), 1, use_l10n=True)


def clean_name(name: str) -> str:
    """The sender's file name as shown to readers: no folder, no control characters,
    NFC, at most ``NAME_MAX`` characters (the extension kept)."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = normalize(name)
    stem, extension = os.path.splitext(name)
    return stem[: NAME_MAX - len(extension)].strip() + extension.lower()


def _is_docx(upload) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return all(part in names for part in DOCX_PARTS)


def _content_kind(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(PDF_MAGIC):
        return FileKind.PDF
    if head.startswith(ZIP_MAGIC) and _is_docx(upload):
        return FileKind.DOCX
    return None


@dataclasses.dataclass(frozen=True)
class CheckedUpload:
    """An upload found to be what its name says."""

    upload: object
    name: str
    kind: str
    size: int


def check_upload(upload) -> CheckedUpload:
    """The upload, checked: not empty, not over the size limit, named .pdf or .docx,
    and its content of that kind. ``ValidationError`` (in Vietnamese) otherwise."""
    name = clean_name(getattr(upload, "name", ""))
    size = upload.size
    if not size:
        raise ValidationError(ERROR_FILE_EMPTY.format(name=name), code="empty")
    if size > max_bytes():
        raise ValidationError(
            ERROR_FILE_TOO_BIG.format(
                name=name, size=_megabytes(size), limit=max_bytes() // (1024 * 1024)
            ),
            code="too_big",
        )
    expected = KIND_OF_EXTENSION.get(os.path.splitext(name)[1].lower())
    if expected is None:
        raise ValidationError(ERROR_FILE_EXTENSION.format(name=name), code="extension")
    if _content_kind(upload) != expected:
        label = FileKind(expected).label
        raise ValidationError(ERROR_FILE_CONTENT.format(name=name, kind=label), code="content")
    return CheckedUpload(upload=upload, name=name, kind=expected, size=size)


def storage_name(kind: str) -> str:
    """A new random path under ``documents/<year>/``: names never say what a file is
    and are never reused."""
    year = timezone.localdate().year
    return f"{STORAGE_FOLDER}/{year}/{secrets.token_urlsafe(16)}{EXTENSIONS[kind]}"


def ascii_name(name: str, *, fallback: str, kind: str) -> str:
    """An ASCII file name for old browsers and mail clients: "Hướng dẫn 267.pdf" ->
    "huong-dan-267.pdf"; ``fallback`` when nothing is left."""
    stem = slugify(fold(os.path.splitext(name)[0]))[:100].strip("-")
    return f"{stem or fallback}{EXTENSIONS[kind]}"


def content_disposition(name: str, *, fallback: str, kind: str) -> str:
    """``inline`` for a PDF (the browser shows it), ``attachment`` for Word; the ASCII
    name in ``filename`` and the real name in ``filename*`` (RFC 6266 with the RFC 5987
    encoding), so every browser saves it under a sensible name."""
    disposition = "inline" if kind == FileKind.PDF else "attachment"
    plain = ascii_name(name, fallback=fallback, kind=kind)
    real = name if name.lower().endswith(EXTENSIONS[kind]) else f"{name}{EXTENSIONS[kind]}"
    return f"{disposition}; filename=\"{plain}\"; filename*=UTF-8''{quote(real, safe='')}"
