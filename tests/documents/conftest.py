"""Fixtures of the documents tests: files go to a temporary MEDIA_ROOT, the cache starts
empty; a news editor (who keeps the documents) and a commune officer (who does not);
PDF and Word files made here."""

import datetime
import io
import zipfile

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.choices import StaffRole
from tests.factories import make_staff

#: The smallest file a PDF reader opens: what matters here is its first bytes.
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n%%EOF\n"


def pdf_upload(name="Hướng dẫn 267.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx_bytes() -> bytes:
    """A Word file as Word writes it: a ZIP with the content types and the document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def docx_upload(name="Kế hoạch.docx"):
    return SimpleUploadedFile(
        name,
        docx_bytes(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(db):
    """A news editor: keeps the documents (documents/apps.py)."""
    return make_staff(
        StaffRole.NEWS_EDITOR, username="bien_tap", first_name="Anh", last_name="Minh"
    )


@pytest.fixture
def officer(area_tree):
    """A commune officer: no documents permission."""
    return make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]], username="can_bo_xa")


@pytest.fixture
def make_document(editor):
    """Create a document through the services (published by default)."""
    from documents.services import document_create

    counter = iter(range(1, 10_000))

    def make(number=None, *, title="Về công tác dân vận", published=True, **fields):
        fields.setdefault("doc_type", "guidance")
        fields.setdefault("issuer", "Ban Dân vận Tỉnh ủy")
        fields.setdefault("issued_on", datetime.date(2024, 3, 5))
        return document_create(
            acting_user=editor,
            number=number or f"{next(counter)}-HD/DVTU",
            title=title,
            is_published=published,
            **fields,
        )

    return make
