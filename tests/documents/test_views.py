"""The documents' pages: the public list and document, the file download, the staff
pages, the admin, the feed and the site map, the home page's links."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents import services
from documents.models import Attachment, Document
from tests.documents.conftest import PDF, docx_bytes, docx_upload, pdf_upload

pytestmark = pytest.mark.django_db


def test_public_urls():
    assert reverse("documents:list") == "/van-ban/"
    assert reverse("documents:detail", args=["huong-dan-267-hd-dvtu"]) == (
        "/van-ban/huong-dan-267-hd-dvtu/"
    )
    assert reverse("documents:rss") == "/van-ban/rss.xml"
    assert reverse("documents:desk") == "/can-bo/van-ban/"


# --- Public pages --------------------------------------------------------------------------


def test_list_shows_published_documents_only(client, make_document):
    make_document("267-HD/DVTU", title="Kiện toàn khối dân vận cơ sở")
    draft = make_document("999-HD/DVTU", title="Bản nháp chưa đăng", published=False)
    response = client.get("/van-ban/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hướng dẫn 267-HD/DVTU" in page and "Kiện toàn khối dân vận cơ sở" in page
    assert "05/03/2024" in page
    assert draft.title not in page and "999-HD" not in page
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_search_ignores_diacritics_on_the_page(client, make_document):
    make_document("267-HD/DVTU", title="Kiện toàn khối dân vận cơ sở")
    make_document("5-KH/DU", doc_type="plan", title="Kế hoạch tuyên truyền")
    page = client.get("/van-ban/", {"q": "huong dan 267"}).content.decode()
    assert "Hướng dẫn 267-HD/DVTU" in page and "Kế hoạch 5-KH/DU" not in page
    assert "1 văn bản khớp." in page
    page = client.get("/van-ban/", {"q": "ke hoach", "doc_type": "plan"}).content.decode()
    assert "Kế hoạch 5-KH/DU" in page and "267-HD" not in page


def test_bad_filters_and_pages_never_crash(client, make_document):
    make_document()
    response = client.get("/van-ban/", {"year": "abc", "area": "x", "doc_type": "<script>"})
    assert response.status_code == 200
    assert "Lựa chọn không hợp lệ." in response.content.decode()
    assert "<script>" not in response.content.decode()
    assert client.get("/van-ban/", {"page": "abc"}).status_code == 404
    assert client.get("/van-ban/", {"page": "99"}).status_code == 404


def test_list_pages_keep_the_filters(client, make_document):
    for number in range(22):
        make_document(f"{number}-HD/DVTU")
    page = client.get("/van-ban/", {"q": "huong dan"}).content.decode()
    assert "Trang 1/2" in page and "?q=huong+dan&amp;page=2" in page
    assert client.get("/van-ban/", {"q": "huong dan", "page": "2"}).status_code == 200


def test_list_query_count_is_constant(client, make_document, editor):
    """3 or 10 documents with areas and files: the same number of queries, built or
    served from the cache."""

    def add(count, start):
        for number in range(start, start + count):
            document = make_document(f"{number}-HD/DVTU")
            services.attachment_add(document=document, upload=pdf_upload(), acting_user=editor)

    add(3, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/van-ban/").status_code == 200
    add(7, 3)
    with CaptureQueriesContext(connection) as more:
        assert client.get("/van-ban/").status_code == 200
    assert len(few) == len(more) <= 9
    with CaptureQueriesContext(connection) as cached:
        assert client.get("/van-ban/").status_code == 200
    assert len(cached) == 1  # the public pages' version


def test_cached_pages_change_when_a_document_changes(client, make_document, editor):
    document = make_document(title="Trích yếu cũ")
    assert "Trích yếu cũ" in client.get("/van-ban/").content.decode()
    assert "Trích yếu cũ" in client.get(document.get_absolute_url()).content.decode()
    services.document_update(document=document, acting_user=editor, title="Trích yếu mới")
    assert "Trích yếu mới" in client.get("/van-ban/").content.decode()
    assert "Trích yếu mới" in client.get(document.get_absolute_url()).content.decode()
    services.document_update(document=document, acting_user=editor, is_published=False)
    assert "Trích yếu mới" not in client.get("/van-ban/").content.decode()
    assert client.get(document.get_absolute_url()).status_code == 404


def test_cached_pages_keep_each_language(client, make_document, settings):
    """A page cached for a Vietnamese reader is not served to an English one."""
    document = make_document()
    for url in ("/van-ban/", document.get_absolute_url()):
        assert "Ngày ban hành" in client.get(url).content.decode()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        assert "Date issued" in client.get(url).content.decode()
        del client.cookies[settings.LANGUAGE_COOKIE_NAME]


def test_document_page(client, make_document, editor, area_tree):
    """The facts in dd/mm/yyyy, the files with their sizes, the replacement linked when
    it is published, the documents it replaced; the id address sends on to the slug."""
    new = make_document("2-HD/DVTU", title="Hướng dẫn mới", issued_on=datetime.date(2025, 1, 2))
    old = make_document(
        "1-HD/DVTU",
        title="Hướng dẫn cũ",
        signer="Nguyễn Văn A",
        effective_on=datetime.date(2024, 3, 15),
        area=area_tree["commune"],
        summary="Dòng một.\nDòng hai.",
    )
    services.attachment_add(document=old, upload=pdf_upload(), acting_user=editor)
    old = services.document_update(
        document=old, acting_user=editor, status="replaced", replaced_by=new
    )
    response = client.get(old.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Số, ký hiệu" in page and "1-HD/DVTU" in page
    assert "05/03/2024" in page and "15/03/2024" in page and "Nguyễn Văn A" in page
    assert "Phường Nguyễn Thị Minh Khai, Thành phố Bắc Kạn" in page
    assert "Dòng một.<br>Dòng hai." in page
    assert f'href="{new.get_absolute_url()}"' in page and "Đã được thay thế" in page
    assert "Hướng dẫn 267.pdf" in page and f"PDF, {len(PDF)}\xa0byte" in page
    assert f'<link rel="canonical" href="http://testserver{old.get_absolute_url()}">' in page
    new_page = client.get(new.get_absolute_url()).content.decode()
    assert "Văn bản này thay thế" in new_page and old.get_absolute_url() in new_page

    services.document_update(document=new, acting_user=editor, is_published=False)
    page = client.get(old.get_absolute_url()).content.decode()
    assert "Văn bản này đã được thay thế." in page and new.get_absolute_url() not in page

    response = client.get(f"/van-ban/{old.pk}/")
    assert response.status_code == 301 and response["Location"] == old.get_absolute_url()
    assert client.get("/van-ban/khong-co/").status_code == 404


def test_staff_preview_a_draft_at_its_address(client, editor, officer, make_document):
    draft = make_document("7-HD/DVTU", published=False)
    client.force_login(officer)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(editor)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Bản xem trước" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"]


def test_file_is_served_with_its_type_and_safe_names(client, make_document, editor):
    document = make_document("267-HD/DVTU")
    pdf = services.attachment_add(
        document=document, upload=pdf_upload('Hướng dẫn "267".pdf'), acting_user=editor
    )
    word = services.attachment_add(document=document, upload=docx_upload(), acting_user=editor)
    response = client.get(reverse("documents:file", args=[document.slug, pdf.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'inline; filename="huong-dan-267.pdf"; '
        "filename*=UTF-8''H%C6%B0%E1%BB%9Bng%20d%E1%BA%ABn%20%22267%22.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert b"".join(response.streaming_content) == PDF
    assert "csrftoken" not in response.cookies
    response = client.get(reverse("documents:file", args=[document.slug, word.pk]))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"].startswith('attachment; filename="ke-hoach.docx"; ')
    assert b"".join(response.streaming_content) == docx_bytes()
    assert client.post(reverse("documents:file", args=[document.slug, pdf.pk])).status_code == 405


def test_a_drafts_file_is_not_public(client, make_document, editor, officer):
    draft = make_document(published=False)
    attachment = services.attachment_add(document=draft, upload=pdf_upload(), acting_user=editor)
    url = reverse("documents:file", args=[draft.slug, attachment.pk])
    assert client.get(url).status_code == 404
    client.force_login(officer)
    assert client.get(url).status_code == 404
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    other = make_document()
    assert (
        client.get(reverse("documents:file", args=[other.slug, attachment.pk])).status_code == 404
    )


def test_stored_files_are_not_under_a_public_media_address(client, make_document, editor):
    """Only MEDIA_ROOT/news/ is served by the portal: a document's file is reached
    through its document, never by its storage path."""
    attachment = services.attachment_add(
        document=make_document(), upload=pdf_upload(), acting_user=editor
    )
    assert client.get(f"/media/{attachment.file.name}").status_code == 404


# --- Staff pages ---------------------------------------------------------------------------


def test_staff_pages_are_for_those_who_keep_documents(client, editor, officer):
    assert client.get("/can-bo/van-ban/").status_code == 302
    client.force_login(officer)
    assert client.get("/can-bo/van-ban/").status_code == 403
    assert client.get("/can-bo/van-ban/them/").status_code == 403
    client.force_login(editor)
    assert client.get("/can-bo/van-ban/").status_code == 200
    assert client.get("/can-bo/van-ban/them/").status_code == 200


def _form_data(**overrides):
    data = {
        "doc_type": "guidance",
        "number": "267-HD/DVTU",
        "issuer": "Ban Dân vận Tỉnh ủy",
        "issued_on": "07/08/2008",
        "effective_on": "",
        "signer": "",
        "title": "Kiện toàn khối dân vận cơ sở",
        "summary": "Tóm tắt.",
        "area": "",
        "status": "in_force",
        "replaced_by": "",
    }
    data.update(overrides)
    return data


def test_editor_creates_with_a_file_publishes_and_edits(client, editor, area_tree):
    client.force_login(editor)
    response = client.post(
        "/can-bo/van-ban/them/",
        {**_form_data(area="06", is_published="on"), "file": pdf_upload()},
    )
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:edit", args=[document.pk])
    assert document.issued_on == datetime.date(2008, 8, 7)
    assert document.area == area_tree["province"] and document.is_published
    assert document.attachments.get().name == "Hướng dẫn 267.pdf"
    page = client.get(response["Location"]).content.decode()
    assert "Đã lưu văn bản “Hướng dẫn 267-HD/DVTU”." in page
    assert "Thêm tệp “Hướng dẫn 267.pdf”" in page  # the revisions
    assert 'value="07/08/2008"' in page

    response = client.post(response["Location"], _form_data(title="Trích yếu đã sửa"))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Trích yếu đã sửa" and not document.is_published


def test_a_fake_pdf_on_the_form_saves_nothing(client, editor):
    """The document and its first file go together: a refused file keeps the form with
    the Vietnamese message, and no document is created."""
    client.force_login(editor)
    fake = pdf_upload("Nghị quyết.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post("/can-bo/van-ban/them/", {**_form_data(), "file": fake})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tệp “Nghị quyết.pdf” không phải tệp PDF thật" in page
    assert not Document.objects.exists() and not Attachment.objects.exists()


def test_form_errors_are_shown_in_vietnamese(client, editor, make_document):
    client.force_login(editor)
    response = client.post("/can-bo/van-ban/them/", _form_data(number="", issued_on="31/02/2024"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Chưa nhập mục này." in page
    assert "Ngày không hợp lệ" in page
    document = make_document("1-HD/DVTU")
    response = client.post(
        reverse("documents:edit", args=[document.pk]),
        _form_data(number="1-HD/DVTU", status="replaced"),
    )
    assert "Văn bản đã được thay thế: hãy chọn văn bản thay thế nó" in response.content.decode()


def test_attachments_are_added_and_removed_on_the_staff_page(
    client, editor, make_document, settings, django_capture_on_commit_callbacks
):
    document = make_document()
    client.force_login(editor)
    url = reverse("documents:file_add", args=[document.pk])
    response = client.post(url, {"file": docx_upload()}, follow=True)
    assert "Đã thêm tệp “Kế hoạch.docx”." in response.content.decode()

    settings.DANVAN_DOCUMENT_MAX_BYTES = 1024 * 1024
    big = pdf_upload("Lớn.pdf", PDF + b"0" * (2 * 1024 * 1024))
    response = client.post(url, {"file": big}, follow=True)
    assert "Tệp “Lớn.pdf” nặng 2,0 MB, quá giới hạn 1 MB." in response.content.decode()
    response = client.post(url, {"file": pdf_upload("Giả.pdf", b"GIF89a")}, follow=True)
    assert "Tệp “Giả.pdf” không phải tệp PDF thật" in response.content.decode()
    response = client.post(url, {}, follow=True)
    assert "Chưa chọn tệp." in response.content.decode()
    attachment = document.attachments.get()

    remove = reverse("documents:file_remove", args=[document.pk, attachment.pk])
    assert client.get(remove).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove, follow=True)
    assert "Đã gỡ tệp “Kế hoạch.docx”." in response.content.decode()
    assert not document.attachments.exists()
    assert client.post(remove).status_code == 404


def test_staff_list_filters_and_query_count(client, editor, make_document):
    client.force_login(editor)
    for number in range(3):
        make_document(f"{number}-HD/DVTU")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/can-bo/van-ban/").status_code == 200
    for number in range(3, 10):
        make_document(f"{number}-HD/DVTU", published=False)
    with CaptureQueriesContext(connection) as more:
        page = client.get("/can-bo/van-ban/").content.decode()
    assert len(few) == len(more)
    assert page.count("Chưa đăng</td>") == 7
    page = client.get("/can-bo/van-ban/", {"is_published": "false"}).content.decode()
    assert page.count('data-label="Công khai"') == 7


def test_admin_saves_through_the_services(admin_client, make_document):
    """Adding in the admin makes the slug and search text; a file is attached through
    the same checks; ticking a file removes it; no document is ever deleted."""
    response = admin_client.post(
        "/admin/documents/document/add/",
        {
            **_form_data(issued_on="07/08/2008", is_published="on"),
            "new_file": pdf_upload(),
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    document = Document.objects.get()
    assert document.slug == "huong-dan-267-hd-dvtu" and document.search_text
    attachment = document.attachments.get()
    change = f"/admin/documents/document/{document.pk}/change/"
    response = admin_client.post(
        change,
        {
            **_form_data(issued_on="07/08/2008"),
            "new_file": pdf_upload("Giả.pdf", b"not a pdf"),
            "attachments-TOTAL_FORMS": "1",
            "attachments-INITIAL_FORMS": "1",
            "attachments-0-id": str(attachment.pk),
            "attachments-0-document": str(document.pk),
        },
    )
    assert response.status_code == 200
    assert "không phải tệp PDF thật" in response.content.decode()
    response = admin_client.post(
        change,
        {
            **_form_data(issued_on="07/08/2008"),
            "attachments-TOTAL_FORMS": "1",
            "attachments-INITIAL_FORMS": "1",
            "attachments-0-id": str(attachment.pk),
            "attachments-0-document": str(document.pk),
            "attachments-0-DELETE": "on",
        },
    )
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert document.history.first().history_change_reason == "Gỡ tệp “Hướng dẫn 267.pdf”"
    assert admin_client.get(f"/admin/documents/document/{document.pk}/delete/").status_code == 403
    page = admin_client.get("/admin/documents/document/", {"q": "huong dan 267"})
    assert "267-HD/DVTU" in page.content.decode()


# --- Feed, site map, home page -------------------------------------------------------------


def test_rss_feed_holds_published_documents(client, make_document):
    make_document("267-HD/DVTU", title="Kiện toàn <b>khối</b>")
    make_document("9-HD/DVTU", title="Nháp", published=False)
    response = client.get("/van-ban/rss.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed, in a test)
    items = root.findall("./channel/item")
    assert [i.findtext("title") for i in items] == ["Hướng dẫn 267-HD/DVTU: Kiện toàn <b>khối</b>"]
    assert items[0].findtext("category") == "Hướng dẫn"
    assert items[0].findtext("description").startswith("Ban Dân vận Tỉnh ủy, ngày 05/03/2024.")
    assert b"<b>" not in response.content


def test_sitemap_lists_the_list_and_published_documents(client, make_document):
    published = make_document("1-HD/DVTU")
    draft = make_document("2-HD/DVTU", published=False)
    root = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = {u.findtext(f"{ns}loc") for u in root.findall(f"{ns}url")}
    assert "http://testserver/van-ban/" in locations
    assert f"http://testserver{published.get_absolute_url()}" in locations
    assert f"http://testserver{draft.get_absolute_url()}" not in locations
    assert "http://testserver/tin-tuc/" in locations


def test_home_page_links_the_sections(client):
    page = client.get("/").content.decode()
    for address in (
        'href="/van-ban/"',
        'href="/thong-ke/"',
        'href="/tin-tuc/"',
        'href="/mo-hinh/"',
    ):
        assert address in page


def test_system_administrators_read_document_revisions_in_the_audit_trail(
    client, make_document, editor
):
    from accounts.choices import StaffRole
    from tests.factories import make_staff

    document = make_document(published=False)
    services.document_update(document=document, acting_user=editor, title="Trích yếu mới")
    client.force_login(make_staff(StaffRole.SYSTEM_ADMIN, username="quan_tri"))
    response = client.get(f"/can-bo/lich-su/document/{document.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Trích yếu mới" in page and "Minh Anh" in page
    assert reverse("documents:edit", args=[document.pk]) in page


def test_the_admin_takes_the_area_as_the_desk_does(client, editor, make_document, area_tree):
    """A news editor keeps the documents but may not open the areas' admin: the
    document's admin form asks the related area as the desk does (its code or name),
    shows the saved area's code, and links nowhere in the areas' admin."""
    from news.forms import ERROR_AREA_UNKNOWN

    document = make_document(area=area_tree["commune_b"])
    client.force_login(editor)
    areas_admin = reverse("admin:units_area_changelist")
    assert client.get(areas_admin).status_code == 403
    change = reverse("admin:documents_document_change", args=[document.pk])
    page = client.get(change)
    html = page.content.decode()
    assert areas_admin not in html
    assert f'value="{area_tree["commune_b"].code}"' in html
    assert areas_admin not in client.get(reverse("admin:documents_document_add")).content.decode()
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        form = inline.formset.management_form
        for name, field in form.fields.items():
            data[form.add_prefix(name)] = form.initial.get(name, field.initial)
    data.update(_form_data(number=document.number, issued_on="05/03/2024", area="Xã Không Có"))
    response = client.post(change, data)
    assert ERROR_AREA_UNKNOWN.format(value="Xã Không Có") in response.content.decode()
    response = client.post(change, {**data, "area": area_tree["province"].code})
    assert response.status_code == 302, response.content.decode()[:3000]
    document.refresh_from_db()
    assert document.area == area_tree["province"]
