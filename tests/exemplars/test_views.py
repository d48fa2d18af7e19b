"""The models' pages: registration and each step through the forms (a Vietnamese
message and nothing written when refused), the scoped staff list, the public gallery
(recognised models only, filters by province, field and year, no other personal
data), the photos, and a number of queries that does not grow with the rows."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exemplars.choices import ExemplarStatus
from exemplars.models import Exemplar
from tests.exemplars.conftest import days_ago, recognise, register, upload

pytestmark = pytest.mark.django_db


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _form(**extra):
    return {
        "area_code": "01834",
        "title": "Chợ phiên không rác thải nhựa",
        "field": "culture",
        "owner_kind": "collective",
        "owner_name": "Chi hội Phụ nữ tổ 5",
        "registered_on": _day(days_ago(3)),
        "description": "Vận động tiểu thương dùng túi giấy",
        "results": "",
        **extra,
    }


def test_an_officer_registers_a_model_of_the_commune(client, commune, officer):
    """The form takes the commune's code; the new model's page follows."""
    client.force_login(officer)
    response = client.post(reverse("exemplars:create"), _form())
    exemplar = Exemplar.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exemplars:detail", args=[exemplar.pk])
    assert exemplar.area == commune
    assert exemplar.registered_on == days_ago(3)


def test_a_code_outside_the_area_or_a_future_day_writes_nothing(client, area_tree, officer, today):
    """The sibling commune's code is not the officer's: the form says so; a day after
    today is refused with the day; nothing is written either time."""
    client.force_login(officer)
    response = client.post(reverse("exemplars:create"), _form(area_code="01837"))
    assert response.status_code == 200
    assert response.context["form"].errors["area_code"] == [
        "Không có xã hoặc tỉnh mã “01837” trong địa bàn bạn phụ trách."
    ]
    tomorrow = today + datetime.timedelta(days=1)
    response = client.post(reverse("exemplars:create"), _form(registered_on=_day(tomorrow)))
    assert response.context["form"].errors["registered_on"] == [
        f"Ngày không được sau hôm nay ({_day(today)})."
    ]
    assert not Exemplar.objects.exists()


def test_steps_through_the_pages_up_to_recognition(client, commune, officer):
    """Start, review, then the decision's form: the model is recognised and shows on
    the public gallery."""
    client.force_login(officer)
    exemplar = register(commune, officer, registered_on=days_ago(10))
    url = lambda step: reverse("exemplars:step", args=[exemplar.pk, step])  # noqa: E731
    assert client.post(url("trien-khai"), {"started_on": _day(days_ago(9))}).status_code == 302
    assert client.post(url("tham-dinh"), {"reviewed_on": _day(days_ago(2))}).status_code == 302
    # A decision before the review is refused on the form.
    response = client.post(
        url("cong-nhan"),
        {
            "decision_number": "7-QĐ/ĐU",
            "decision_date": _day(days_ago(3)),
            "decision_level": "commune",
        },
    )
    assert response.context["form"].errors["decision_date"] == [
        f"Ngày quyết định công nhận không được trước ngày thẩm định ({_day(days_ago(2))})."
    ]
    response = client.post(
        url("cong-nhan"),
        {
            "decision_number": "7-QĐ/ĐU",
            "decision_date": _day(days_ago(1)),
            "decision_level": "commune",
        },
    )
    assert response.status_code == 302
    assert Exemplar.objects.get().status == ExemplarStatus.RECOGNISED
    client.logout()
    gallery = client.get(reverse("exemplars:gallery")).content.decode()
    assert exemplar.title in gallery
    assert "7-QĐ/ĐU" in gallery


def test_a_step_that_does_not_fit_says_why(client, commune, officer):
    client.force_login(officer)
    exemplar = register(commune, officer)
    response = client.get(reverse("exemplars:step", args=[exemplar.pk, "tieu-bieu"]))
    assert "Mô hình đang ở bước “Đăng ký”: bước này chưa làm được." in response.content.decode()
    assert client.get(reverse("exemplars:step", args=[exemplar.pk, "khong-co"])).status_code == 404


def test_the_staff_list_is_scoped_and_its_queries_do_not_grow(
    client, area_tree, officer, sibling_officer
):
    """Commune A's officer sees A's models only; three more rows cost no query."""
    client.force_login(officer)
    register(area_tree["commune"], officer, title="Mô hình một")
    register(area_tree["sibling_commune"], sibling_officer, title="Mô hình bên kia")
    url = reverse("exemplars:list")
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert [e.title for e in response.context["exemplars"]] == ["Mô hình một"]
    for n in range(3):
        register(area_tree["commune"], officer, title=f"Mô hình thêm {n}")
    with CaptureQueriesContext(connection) as more:
        response = client.get(url)
    assert len(response.context["exemplars"]) == 4
    assert len(more) == len(few)


def test_the_gallery_shows_recognised_models_only_with_filters(
    client, area_tree, officer, other_province_staff
):
    """Registered models and their people stay off the gallery; the filters by
    province, field and year keep the matching recognised ones; the queries do not
    grow with the cards."""
    hidden = register(
        area_tree["commune"], officer, title="Chưa công nhận", owner_name="Bà Lò Thị Kín"
    )
    a = recognise(
        register(area_tree["commune"], officer, title="Mô hình A", field="economy"), officer
    )
    far = recognise(
        register(
            area_tree["far_commune"],
            other_province_staff,
            title="Mô hình xa",
            field="defence",
            registered_on=datetime.date(days_ago(0).year - 1, 3, 1),
        ),
        other_province_staff,
    )
    url = reverse("exemplars:gallery")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert "Mô hình A" in page and "Mô hình xa" in page
    assert hidden.title not in page and "Bà Lò Thị Kín" not in page
    titles = lambda params: [e.title for e in client.get(url, params).context["exemplars"]]  # noqa: E731
    assert titles({"province": "06"}) == [a.title]
    assert titles({"field": "defence"}) == [far.title]
    assert titles({"year": str(far.registered_on.year)}) == [far.title]
    for n in range(3):
        recognise(
            register(area_tree["commune"], officer, title=f"Thêm {n}", photos=[upload()]), officer
        )
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(queries)
    assert client.get(url, {"province": "99"}).status_code == 200  # unknown: the form says so


def test_public_pages_and_photos_of_a_model_not_recognised_are_hidden(
    client, commune, officer, sibling_officer, media
):
    """Before recognition: no public page, the photo answers 404 to the public and to
    staff outside the area; after it, both are public."""
    exemplar = register(commune, officer, photos=[upload()])
    photo = exemplar.photos.get()
    detail = reverse("exemplars:public_detail", args=[exemplar.pk])
    photo_url = reverse("exemplars:photo", args=[photo.pk])
    assert client.get(detail).status_code == 404
    assert client.get(photo_url).status_code == 404
    client.force_login(sibling_officer)
    assert client.get(photo_url).status_code == 404
    client.force_login(officer)
    response = client.get(photo_url)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private")
    client.logout()
    recognise(exemplar, officer)
    assert client.get(detail).status_code == 200
    response = client.get(photo_url, {"w": "400"})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public")


def test_the_sitemap_lists_the_gallery_and_public_models_only(client, commune, officer):
    recognised = recognise(register(commune, officer, title="Đường hoa nông thôn mới"), officer)
    pending = register(commune, officer, title="Tổ tự quản chưa công nhận")
    root = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = {u.findtext(f"{ns}loc") for u in root.findall(f"{ns}url")}
    assert "http://testserver/mo-hinh/" in locations
    assert f"http://testserver/mo-hinh/{recognised.pk}/" in locations
    assert f"http://testserver/mo-hinh/{pending.pk}/" not in locations
