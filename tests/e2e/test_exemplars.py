"""A "Dân vận khéo" model in a real Chromium at 375 px: a commune officer registers it
with a photo, takes it through implementing and review to a commune decision, and the
model appears in the public gallery /mo-hinh/ (filtered by its province). Dates come
from the day the test runs."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from accounts.choices import StaffRole
from exemplars.models import Exemplar
from tests.e2e.test_accessibility import (  # axe_source: a fixture
    _check_current,
    axe_source,  # noqa: F401
)
from tests.e2e.test_ratings import _log_in, _no_sideways_scroll
from tests.factories import AreaFactory, make_staff
from units.choices import Level
from units.services import unit_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


@pytest.fixture
def commune(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    province = AreaFactory(level=Level.PROVINCE, code="06", name="Tỉnh Bắc Kạn")
    AreaFactory(level=Level.PROVINCE, code="11", name="Tỉnh Điện Biên")
    district = AreaFactory(level=Level.DISTRICT, code="061", name="Huyện Pác Nặm", parent=province)
    commune = AreaFactory(level=Level.COMMUNE, code="01849", name="Xã Bằng Thành", parent=district)
    unit_create(kind="bloc", area=commune)
    return commune


def _photo(tmp_path) -> str:
    path = tmp_path / "mo-hinh.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), (160, 110, 30)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_a_model_goes_from_registered_to_recognised_and_appears_in_the_gallery(
    live_server,
    phone_page,
    client,
    commune,
    tmp_path,
    axe_source,  # noqa: F811
):
    page = phone_page
    officer = make_staff(StaffRole.COMMUNE_OFFICER, [commune], username="canbo-mh")
    _log_in(page, client, live_server, officer)
    today = timezone.localdate()
    registered = today - datetime.timedelta(days=10)

    page.goto(f"{live_server.url}/can-bo/mo-hinh/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mô hình “Dân vận khéo”")
    _no_sideways_scroll(page)
    page.get_by_role("link", name="Đăng ký mô hình").click()
    page.get_by_label("Mã xã hoặc tỉnh").fill("01849")
    page.get_by_label("Tên mô hình").fill("Nuôi ong lấy mật giúp hộ nghèo")
    page.get_by_label("Lĩnh vực").select_option(label="Kinh tế")
    page.get_by_label("Chủ thể").select_option(label="Tập thể")
    page.get_by_label("Tập thể, cá nhân thực hiện").fill("Chi hội Nông dân thôn Nà Pục")
    page.get_by_label("Ngày đăng ký").fill(_day(registered))
    page.get_by_label("Nội dung, cách làm").fill("Hướng dẫn kỹ thuật, cho mượn đàn ong giống.")
    page.get_by_label("Ảnh").set_input_files(_photo(tmp_path))
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nuôi ong lấy mật giúp hộ nghèo")
    expect(page.get_by_test_id("exemplar-status")).to_have_text("Đăng ký")
    expect(page.get_by_test_id("exemplar-photos").locator("img")).to_have_count(1)
    _no_sideways_scroll(page)
    _check_current(page, axe_source, "375 px, mô hình (cán bộ):")

    for step in ("Bắt đầu thực hiện", "Ghi kết quả thẩm định"):
        page.get_by_role("link", name=step).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(step)
        _no_sideways_scroll(page)
        page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_test_id("exemplar-status")).to_have_text("Đã thẩm định")

    page.get_by_role("link", name="Ghi quyết định công nhận").click()
    page.get_by_label("Số quyết định").fill("125-QĐ/ĐU")
    page.get_by_label("Cấp công nhận").select_option(label="Cấp xã")
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_test_id("exemplar-status")).to_have_text("Được công nhận")
    expect(page.get_by_test_id("exemplar-cycle")).to_contain_text(
        f"Công nhận theo quyết định số 125-QĐ/ĐU ngày {_day(today)} (Cấp xã)"
    )
    exemplar = Exemplar.objects.get()
    assert (exemplar.status, exemplar.decision_date) == ("recognised", today)

    # The public gallery, as anyone reads it.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/mo-hinh/")
    gallery = page.get_by_test_id("exemplar-gallery")
    expect(gallery).to_contain_text("Nuôi ong lấy mật giúp hộ nghèo")
    expect(gallery).to_contain_text("Chi hội Nông dân thôn Nà Pục")
    expect(gallery.locator("img")).to_have_count(1)
    _no_sideways_scroll(page)
    _check_current(page, axe_source, "375 px, /mo-hinh/:")
    page.get_by_label("Tỉnh, thành phố").select_option(label="Tỉnh Điện Biên")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_test_id("exemplar-gallery")).to_have_count(0)
    page.get_by_label("Tỉnh, thành phố").select_option(label="Tỉnh Bắc Kạn")
    page.get_by_role("button", name="Lọc").click()
    page.get_by_role("link", name="Nuôi ong lấy mật giúp hộ nghèo").click()
    expect(page.get_by_test_id("exemplar-facts")).to_contain_text("125-QĐ/ĐU")
    _no_sideways_scroll(page)
    _check_current(page, axe_source, "375 px, một mô hình:")
