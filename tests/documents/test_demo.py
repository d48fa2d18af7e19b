"""The guidance documents of the demo data (documents.demo, called by generate_demo)."""

import io

import pytest
from django.core.management import call_command

from documents.demo import documents_generate
from documents.models import Attachment, Document

pytestmark = pytest.mark.django_db

NUMBERS = {"01/HDLB-TC-DV", "267-HD/DVTU", "19-HD/BDV", "214-KL/TU", "366-QĐ/TW"}


def test_demo_documents_are_the_known_guidance_with_a_pdf_each(area_tree):
    """Five published documents with their real numbers and dates, each with one PDF
    that really is a PDF; Bắc Kạn's guidance is tied to the province; a second run adds
    nothing."""
    assert documents_generate() == 5
    documents = {d.number: d for d in Document.objects.all()}
    assert set(documents) == NUMBERS
    assert all(d.is_published and d.summary for d in documents.values())
    assert documents["267-HD/DVTU"].issued_on.strftime("%d/%m/%Y") == "07/08/2008"
    assert documents["267-HD/DVTU"].area == area_tree["province"]
    assert documents["366-QĐ/TW"].get_doc_type_display() == "Quy định"
    assert documents["214-KL/TU"].get_doc_type_display() == "Kết luận"
    for attachment in Attachment.objects.all():
        with attachment.file.open("rb") as handle:
            content = handle.read()
        assert content.startswith(b"%PDF-") and b"%%EOF" in content[-32:]
        assert 1_000 < attachment.size < 200_000
    assert Attachment.objects.count() == 5
    assert documents_generate() == 0
    assert Document.objects.count() == 5


def test_generate_demo_adds_the_documents(area_tree):
    """The command adds the documents after the rest and says so."""
    out = io.StringIO()
    call_command("generate_demo", "--edition", "legacy", "--province", "06", stdout=out)
    assert "Văn bản mẫu: 5 văn bản, mỗi văn bản một tệp PDF." in out.getvalue().splitlines()
    assert Document.objects.filter(is_published=True).count() == 5
