"""The writes of the documents (documents.services): permissions, slugs, the replaced-by
rule, attachments checked by their content and size, the audit trail."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from documents import files, services
from documents.models import Attachment, Document
from tests.documents.conftest import PDF, docx_upload, pdf_upload

pytestmark = pytest.mark.django_db


def _errors(exc_info) -> dict:
    return exc_info.value.message_dict


# --- Documents -----------------------------------------------------------------------------


def test_create_normalises_makes_slug_and_search_text(editor, area_tree):
    """Text is normalised, the slug is type + number without diacritics, the search
    column holds the folded type, number, title and summary; a draft has no publication
    date, publishing sets it once."""
    document = services.document_create(
        acting_user=editor,
        doc_type="guidance",
        number="  267-HD/DVTU ",
        issuer="Ban Dân vận  Tỉnh ủy",
        issued_on=datetime.date(2008, 8, 7),
        title="Kiện toàn khối dân vận cơ sở",
        summary="Hướng dẫn về Khối dân vận.",
        area=area_tree["province"],
    )
    assert document.number == "267-HD/DVTU" and document.issuer == "Ban Dân vận Tỉnh ủy"
    assert document.slug == "huong-dan-267-hd-dvtu"
    assert document.search_text == (
        "huong dan 267-hd/dvtu kien toan khoi dan van co so huong dan ve khoi dan van."
    )
    assert document.created_by == editor
    assert not document.is_published and document.published_at is None
    published = services.document_update(document=document, acting_user=editor, is_published=True)
    first = published.published_at
    assert first is not None
    again = services.document_update(document=published, acting_user=editor, is_published=False)
    again = services.document_update(document=again, acting_user=editor, is_published=True)
    assert again.published_at == first


def test_slug_follows_the_number_until_published_then_stays(editor, make_document):
    """A draft's slug follows its number; after the first publication it never changes,
    even when the number is corrected; a collision gets "-2"."""
    draft = make_document("12-HD/BDV", published=False)
    assert draft.slug == "huong-dan-12-hd-bdv"
    draft = services.document_update(document=draft, acting_user=editor, number="13-HD/BDV")
    assert draft.slug == "huong-dan-13-hd-bdv"
    published = services.document_update(document=draft, acting_user=editor, is_published=True)
    corrected = services.document_update(document=published, acting_user=editor, number="14-HD/BDV")
    assert corrected.slug == "huong-dan-13-hd-bdv"
    other = make_document("13-HD/BDV", issuer="Ban Dân vận Huyện ủy")
    assert other.slug == "huong-dan-13-hd-bdv-2"


def test_required_fields_dates_area_and_duplicates_are_refused(editor, make_document, area_tree):
    with pytest.raises(ValidationError) as exc:
        services.document_create(
            acting_user=editor,
            doc_type="nonsense",
            number=" ",
            issuer="",
            issued_on=datetime.date(2024, 5, 1),
            effective_on=datetime.date(2024, 4, 30),
            title="",
            area=area_tree["village"],
        )
    errors = _errors(exc)
    assert errors["number"] == [str(services.ERROR_REQUIRED)]
    assert errors["issuer"] == [str(services.ERROR_REQUIRED)]
    assert errors["title"] == [str(services.ERROR_REQUIRED)]
    assert errors["doc_type"] == [str(services.ERROR_TYPE)]
    assert errors["effective_on"] == [str(services.ERROR_EFFECTIVE_BEFORE_ISSUED)]
    assert errors["area"] == [str(services.ERROR_AREA_LEVEL)]
    make_document("5-HD/DVTU")
    with pytest.raises(ValidationError) as exc:
        make_document("5-HD/DVTU")
    assert _errors(exc)["number"] == [
        "Đã có văn bản số 5-HD/DVTU của Ban Dân vận Tỉnh ủy ban hành ngày 05/03/2024."
    ]
    assert Document.objects.count() == 1


def test_only_editors_write(officer, make_document):
    """A commune officer has no documents permission: refused, nothing written."""
    with pytest.raises(PermissionDenied):
        services.document_create(
            acting_user=officer,
            doc_type="plan",
            number="1-KH/DU",
            issuer="Đảng ủy xã",
            issued_on=datetime.date(2024, 1, 2),
            title="Kế hoạch",
        )
    document = make_document()
    with pytest.raises(PermissionDenied):
        services.document_update(document=document, acting_user=officer, title="Khác")
    with pytest.raises(PermissionDenied):
        services.attachment_add(document=document, upload=pdf_upload(), acting_user=officer)
    assert Document.objects.get().title == "Về công tác dân vận"


# --- The replaced-by rule ------------------------------------------------------------------


def test_replaced_needs_a_replacement_and_the_reverse(editor, make_document):
    old, new = make_document("1-HD/DVTU"), make_document("2-HD/DVTU")
    with pytest.raises(ValidationError) as exc:
        services.document_update(document=old, acting_user=editor, status="replaced")
    assert _errors(exc)["replaced_by"] == [str(services.ERROR_REPLACED_NEEDS_REPLACEMENT)]
    with pytest.raises(ValidationError) as exc:
        services.document_update(document=old, acting_user=editor, replaced_by=new)
    assert _errors(exc)["replaced_by"] == [str(services.ERROR_REPLACEMENT_NEEDS_STATUS)]
    old = services.document_update(
        document=old, acting_user=editor, status="replaced", replaced_by=new
    )
    assert old.replaced_by == new and old.is_replaced
    assert list(new.replaces.all()) == [old]


def test_a_document_cannot_replace_itself_or_close_a_cycle(editor, make_document):
    """A → B → C: C may not be replaced by A (nor by B), and none by itself."""
    a, b, c = (make_document(f"{n}-HD/DVTU") for n in (1, 2, 3))
    with pytest.raises(ValidationError) as exc:
        services.document_update(document=a, acting_user=editor, status="replaced", replaced_by=a)
    assert _errors(exc)["replaced_by"] == [str(services.ERROR_REPLACED_BY_ITSELF)]
    services.document_update(document=a, acting_user=editor, status="replaced", replaced_by=b)
    services.document_update(document=b, acting_user=editor, status="replaced", replaced_by=c)
    for replacement in (a, b):
        with pytest.raises(ValidationError) as exc:
            services.document_update(
                document=c, acting_user=editor, status="replaced", replaced_by=replacement
            )
        assert _errors(exc)["replaced_by"] == [
            f"Không thể chọn {replacement}: văn bản đó đã được thay thế (trực tiếp hoặc qua "
            "văn bản khác) bởi chính văn bản này, sẽ thành vòng lặp."
        ]
    assert Document.objects.get(pk=c.pk).replaced_by is None


def test_the_database_keeps_the_rule_too(make_document):
    """Writes that skip the services still cannot break it (named constraints)."""
    document = make_document()
    for change in (
        {"status": "replaced"},
        {"replaced_by_id": document.pk, "status": "replaced"},
        {"effective_on": datetime.date(2000, 1, 1)},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Document.objects.filter(pk=document.pk).update(**change)


# --- Attachments ---------------------------------------------------------------------------


def test_pdf_and_docx_are_attached_and_recorded(editor, make_document):
    """The file is stored under a random name in documents/<year>/, with its real name,
    kind and size; the document's history says which file was added."""
    document = make_document()
    pdf = services.attachment_add(document=document, upload=pdf_upload(), acting_user=editor)
    word = services.attachment_add(document=document, upload=docx_upload(), acting_user=editor)
    assert (pdf.name, pdf.kind, pdf.size) == ("Hướng dẫn 267.pdf", "pdf", len(PDF))
    assert (word.name, word.kind) == ("Kế hoạch.docx", "docx")
    assert pdf.file.name.startswith("documents/") and pdf.file.name.endswith(".pdf")
    assert "267" not in pdf.file.name
    assert default_storage.exists(pdf.file.name)
    reasons = list(document.history.values_list("history_change_reason", flat=True)[:2])
    assert reasons == ["Thêm tệp “Kế hoạch.docx”", "Thêm tệp “Hướng dẫn 267.pdf”"]
    assert pdf.uploaded_by == editor


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "Nghị quyết.pdf",
            b"<html><script>alert(1)</script></html>",
            "Tệp “Nghị quyết.pdf” không phải tệp PDF thật: nội dung không đúng định dạng "
            "PDF. Hãy lưu lại văn bản dưới dạng PDF rồi tải lên.",
        ),
        (
            "Kế hoạch.docx",
            PDF,
            "Tệp “Kế hoạch.docx” không phải tệp Word (.docx) thật: nội dung không đúng định "
            "dạng Word (.docx). Hãy lưu lại văn bản dưới dạng Word (.docx) rồi tải lên.",
        ),
        (
            "Kế hoạch.docx",
            b"PK\x03\x04 not really a zip",
            "Tệp “Kế hoạch.docx” không phải tệp Word (.docx) thật: nội dung không đúng định "
            "dạng Word (.docx). Hãy lưu lại văn bản dưới dạng Word (.docx) rồi tải lên.",
        ),
        (
            "chay-toi.exe",
            PDF,
            "Chỉ nhận tệp PDF (.pdf) hoặc Word (.docx); tệp “chay-toi.exe” không phải.",
        ),
        ("Báo cáo.pdf", b"", "Tệp “Báo cáo.pdf” rỗng."),
    ],
)
def test_wrong_files_are_refused_in_vietnamese(editor, make_document, name, content, message):
    document = make_document()
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(
            document=document, upload=pdf_upload(name, content), acting_user=editor
        )
    assert _errors(exc) == {"file": [message]}
    assert not Attachment.objects.exists()
    assert not default_storage.exists("documents")


def test_a_zip_that_is_not_word_is_refused(editor, make_document):
    """A ZIP archive without Word's parts (any .zip renamed .docx)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ValidationError):
        services.attachment_add(
            document=make_document(),
            upload=pdf_upload("Đề án.docx", buffer.getvalue()),
            acting_user=editor,
        )


def test_oversize_files_are_refused(editor, make_document, settings):
    settings.DANVAN_DOCUMENT_MAX_BYTES = 1024 * 1024
    big = PDF + b"0" * (1024 * 1024 + 300_000)
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(
            document=make_document(), upload=pdf_upload("Lớn.pdf", big), acting_user=editor
        )
    assert _errors(exc) == {"file": ["Tệp “Lớn.pdf” nặng 1,3 MB, quá giới hạn 1 MB."]}


def test_remove_deletes_the_row_and_after_commit_the_file(
    editor, make_document, django_capture_on_commit_callbacks
):
    document = make_document()
    attachment = services.attachment_add(document=document, upload=pdf_upload(), acting_user=editor)
    stored = attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(attachment=attachment, acting_user=editor)
    assert not Attachment.objects.exists()
    assert not default_storage.exists(stored)
    assert document.history.first().history_change_reason == "Gỡ tệp “Hướng dẫn 267.pdf”"


def test_names_are_cleaned_and_download_names_are_safe():
    """No folder, no control character; the ASCII name for ``filename`` and the real one,
    percent-encoded, for ``filename*``."""
    assert files.clean_name("C:\\Users\\x\\Hướng dẫn\x00 267.PDF") == "Hướng dẫn 267.pdf"
    assert files.clean_name("../../etc/passwd.pdf") == "passwd.pdf"
    header = files.content_disposition('Quy định "366".pdf', fallback="van-ban", kind="pdf")
    assert header == (
        'inline; filename="quy-dinh-366.pdf"; '
        "filename*=UTF-8''Quy%20%C4%91%E1%BB%8Bnh%20%22366%22.pdf"
    )
    assert files.content_disposition("Đ.docx", fallback="van-ban", kind="docx").startswith(
        'attachment; filename="d.docx"'
    )
    assert files.ascii_name("Đề án!!!.pdf", fallback="van-ban", kind="pdf") == "de-an.pdf"
    assert files.ascii_name("***.pdf", fallback="van-ban", kind="pdf") == "van-ban.pdf"


def test_history_records_who_and_what(editor, make_document):
    """Every save is a revision in the audit trail, with the acting user."""
    document = make_document(published=False)
    services.document_update(document=document, acting_user=editor, title="Trích yếu mới")
    rows = list(document.history.order_by("history_id"))
    assert [r.history_type for r in rows] == ["+", "~"]
    assert rows[-1].history_user == editor and rows[-1].title == "Trích yếu mới"
