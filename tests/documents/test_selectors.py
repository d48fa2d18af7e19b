"""The reads of the documents (documents.selectors): search ignoring diacritics, the
public filter, choices of the filters, staff reads, revisions."""

import datetime

import pytest

from documents import selectors, services
from documents.filtersets import PublicDocumentFilterSet

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(make_document, area_tree):
    """Three published documents and a draft."""
    return {
        "267": make_document(
            "267-HD/DVTU",
            title="Kiện toàn công tác tổ chức của khối dân vận cơ sở",
            summary="Quy chế hoạt động, sinh hoạt định kỳ.",
            issued_on=datetime.date(2008, 8, 7),
            area=area_tree["province"],
        ),
        "214": make_document(
            "214-KL/TU",
            doc_type="conclusion",
            issuer="Ban Thường vụ Tỉnh ủy",
            title="Về Tổ Dân vận cộng đồng",
            issued_on=datetime.date(2023, 1, 31),
            area=area_tree["commune"],
        ),
        "366": make_document(
            "366-QĐ/TW",
            doc_type="regulation",
            issuer="Bộ Chính trị",
            title="Về đánh giá, xếp loại chất lượng",
            issued_on=datetime.date(2025, 8, 30),
        ),
        "draft": make_document("999-HD/DVTU", title="Hướng dẫn chưa đăng", published=False),
    }


def _numbers(queryset) -> list[str]:
    return [d.number for d in queryset]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("huong dan 267", ["267-HD/DVTU"]),
        ("Hướng dẫn 267", ["267-HD/DVTU"]),
        ("HUONG DAN", ["267-HD/DVTU"]),
        ("267-hd/dvtu", ["267-HD/DVTU"]),
        ("khoi dan van co so", ["267-HD/DVTU"]),
        ("sinh hoat dinh ky", ["267-HD/DVTU"]),
        ("Kết luận cộng đồng", ["214-KL/TU"]),
        ("366 qđ", ["366-QĐ/TW"]),
        ("ket luan", ["214-KL/TU"]),
        ("khong co dau nay", []),
    ],
)
def test_search_ignores_diacritics_and_case(library, query, expected):
    """Type, number, title and summary, every word, folded: the draft never appears."""
    found = selectors.public_documents().filter(selectors.search_condition(query))
    assert _numbers(found) == expected


def test_public_list_is_published_only_newest_first(library):
    assert _numbers(selectors.public_documents()) == ["366-QĐ/TW", "214-KL/TU", "267-HD/DVTU"]
    assert selectors.public_document(library["draft"].slug) is None
    assert selectors.public_document(library["267"].slug) == library["267"]
    assert selectors.public_document(str(library["267"].pk)) == library["267"]
    assert selectors.public_document(str(library["draft"].pk)) is None


def test_filter_choices_come_from_published_documents(library, area_tree):
    """Issuers in alphabetical order, years newest first, areas with the province, the
    district above the commune; nothing of the draft."""
    assert selectors.issuer_choices() == [
        "Ban Dân vận Tỉnh ủy",
        "Ban Thường vụ Tỉnh ủy",
        "Bộ Chính trị",
    ]
    assert selectors.year_choices() == [2025, 2023, 2008]
    assert list(selectors.area_choices()) == [
        area_tree["province"],
        area_tree["district"],
        area_tree["commune"],
    ]


def test_public_filterset_by_type_issuer_year_and_area(library, area_tree):
    """The area filter takes the area and everything under it; bad values are form
    errors (in Vietnamese), not crashes."""

    def numbers(**params):
        filterset = PublicDocumentFilterSet(params, queryset=selectors.public_documents())
        return _numbers(filterset.qs)

    assert numbers(doc_type="conclusion") == ["214-KL/TU"]
    assert numbers(issuer="Bộ Chính trị") == ["366-QĐ/TW"]
    assert numbers(year="2008") == ["267-HD/DVTU"]
    assert numbers(area=str(area_tree["province"].pk)) == ["214-KL/TU", "267-HD/DVTU"]
    assert numbers(area=str(area_tree["commune"].pk)) == ["214-KL/TU"]
    assert numbers(q="huong dan", year="2008") == ["267-HD/DVTU"]
    bad = PublicDocumentFilterSet({"year": "abc"}, queryset=selectors.public_documents())
    assert not bad.is_valid()
    assert bad.form.errors["year"] == ["Lựa chọn không hợp lệ."]


def test_staff_reads_need_the_documents_permission(library, editor, officer):
    assert selectors.documents_for_staff(officer).count() == 0
    assert selectors.documents_for_staff(editor).count() == 4
    assert selectors.document_for_staff(officer, library["draft"].pk) is None
    assert selectors.document_for_reader(editor, library["draft"].slug) == library["draft"]
    assert selectors.document_for_reader(officer, library["draft"].slug) is None


def test_attachment_of_a_draft_is_for_staff_only(library, editor, officer):
    from tests.documents.conftest import pdf_upload

    draft = library["draft"]
    attachment = services.attachment_add(document=draft, upload=pdf_upload(), acting_user=editor)
    assert selectors.public_attachment(key=draft.slug, pk=attachment.pk) is None
    assert selectors.public_attachment(key=draft.slug, pk=attachment.pk, user=officer) is None
    assert selectors.public_attachment(key=draft.slug, pk=attachment.pk, user=editor) == attachment
    other = library["267"]
    assert selectors.public_attachment(key=other.slug, pk=attachment.pk, user=editor) is None


def test_replaced_documents_lists_the_published_ones(library, editor, make_document):
    old = services.document_update(
        document=library["267"],
        acting_user=editor,
        status="replaced",
        replaced_by=library["366"],
    )
    hidden = make_document("1-HD/X", published=False)
    services.document_update(
        document=hidden, acting_user=editor, status="replaced", replaced_by=library["366"]
    )
    assert selectors.replaced_documents(library["366"]) == [old]


def test_revisions_name_who_why_and_what_changed(library, editor):
    from tests.documents.conftest import pdf_upload

    document = library["draft"]
    services.document_update(document=document, acting_user=editor, title="Trích yếu mới")
    services.attachment_add(document=document, upload=pdf_upload(), acting_user=editor)
    revisions = selectors.document_revisions(document)
    assert [r.action_label for r in revisions] == ["Cập nhật", "Cập nhật", "Thêm mới"]
    assert revisions[0].reason == "Thêm tệp “Hướng dẫn 267.pdf”"
    assert revisions[1].changed == ["Trích yếu"]
    assert revisions[1].user_label == "Minh Anh"
    assert revisions[2].changed == []
