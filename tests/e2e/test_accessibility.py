"""axe-core (npm devDependency, node_modules/axe-core) on the public pages: the home
page, the news list, an article and the statistics page, on a 375 px phone screen and
on a desktop one; and on staff pages on a phone: a member's rating, the account security
page with its QR code, the forced password change and the login code page. A serious or
critical violation fails the test and is listed.

axe is evaluated through the DevTools protocol (``page.evaluate``), which the page's
Content-Security-Policy (script-src 'self') does not govern: the pages are tested under
their real policy, nothing is bypassed. (``add_script_tag(content=...)`` would insert an
inline <script>, which that policy rightly refuses.)
"""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse

from accounts.choices import StaffRole
from accounts.models import StaffProfile
from evaluations.services.member_ratings import member_rating_start, member_rating_step
from evaluations.services.steps import rating_return
from members.services import membership_add
from news import services
from tests.factories import make_staff
from tests.news.conftest import picture_upload
from units.services import team_create_for_village, unit_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = {"serious", "critical"}
RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    resultTypes: ["violations"],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
  }));
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` in the project folder (package.json).")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def portal(settings, tmp_path, area_tree):
    """A bloc and a team with members, a category and two published articles with
    covers and an inline picture: the pages have real content to check."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    bloc = unit_create(kind="bloc", area=area_tree["commune"])
    team = team_create_for_village(commune=area_tree["commune"], village_name="Tổ 1")
    membership_add(unit=bloc, full_name="Hoàng Văn Thụ", birth_year=1972, role="head")
    membership_add(unit=team, full_name="Lò Thị Hoa", birth_year=1980, role="head")
    category = services.category_create(name="Gương Dân vận khéo", acting_user=None)
    inline = services.image_create(upload=picture_upload(), alt="Đường bê tông", acting_user=None)
    articles = []
    for title in ("Thôn Nà Pục làm đường bê tông", "Khối dân vận phường họp quý IV"):
        article = services.article_create(
            acting_user=None,
            title=title,
            summary="Bà con góp đất, góp công.",
            body=(
                '<p>Đoạn mở đầu với <a href="/tin-tuc/">liên kết</a>.</p><h2>Mục</h2>'
                f'<figure><img src="{inline.url}" alt="Đường bê tông">'
                "<figcaption>Chú thích ảnh</figcaption></figure><ul><li>Một</li></ul>"
            ),
            category=category,
            area=area_tree["commune"],
            cover_upload=picture_upload(),
            cover_alt="Quang cảnh con đường mới",
            cover_caption="Con đường mới",
            cover_credit="Ban biên tập",
        )
        articles.append(services.article_publish(article=article, acting_user=None))
    return {"article": articles[0], "province": area_tree["province"]}


def _pages(portal) -> dict:
    return {
        "trang chủ": "/",
        "tin tức": "/tin-tuc/",
        "bài viết": portal["article"].get_absolute_url(),
        "thống kê": "/thong-ke/",
        "thống kê tỉnh": f"/thong-ke/{portal['province'].code}/?edition=legacy",
    }


def _check(page, url, axe_source, where):
    response = page.goto(url)
    assert response.status == 200, url
    _check_current(page, axe_source, where)


def _check_current(page, axe_source, where):
    """axe on the page as it is now (after a form was sent, say)."""
    url = page.url
    page.evaluate(axe_source)
    violations = page.evaluate(RUN_AXE)
    bad = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    listing = "\n".join(f"  [{v['impact']}] {v['id']}: {v['help']} — {v['targets']}" for v in bad)
    assert not bad, f"{where} {url}: serious or critical axe violations:\n{listing}"
    images = page.evaluate("[...document.images].filter(i => !i.hasAttribute('alt')).length")
    assert images == 0, f"{where} {url}: images without alt"


def test_public_pages_on_a_phone_have_no_serious_axe_violation(
    live_server, phone_page, axe_source, portal
):
    for name, path in _pages(portal).items():
        _check(phone_page, live_server.url + path, axe_source, f"375 px, {name}:")
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{name} scrolls sideways ({width} px)"


def test_public_pages_on_a_desktop_have_no_serious_axe_violation(
    live_server, browser, axe_source, portal
):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    try:
        for name, path in _pages(portal).items():
            _check(page, live_server.url + path, axe_source, f"1280 px, {name}:")
    finally:
        context.close()


def test_high_contrast_article_has_no_serious_axe_violation(
    live_server, phone_page, axe_source, portal
):
    """The reader's high-contrast mode keeps every text readable (colour contrast)."""
    page = phone_page
    page.goto(live_server.url + portal["article"].get_absolute_url())
    page.get_by_role("button", name="Tương phản cao").click()
    for path in (portal["article"].get_absolute_url(), "/tin-tuc/", "/"):
        _check(page, live_server.url + path, axe_source, "tương phản cao:")


def _log_in_as(page, client, live_server, user):
    """Only ``user``'s session cookie in the page's browser context: a forced login,
    which sets the session's flags (second factor due, password to change) as a real
    login does (units.models)."""
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def _check_on_phone(page, url, axe_source, name):
    _check(page, url, axe_source, f"375 px, {name}:")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{name} scrolls sideways ({width} px)"


def test_member_rating_pages_on_a_phone_have_no_serious_axe_violation(
    live_server, phone_page, client, axe_source, area_tree, bloc
):
    """A member's rating as the commune officer sees it after a return (the comment, the
    steps, the history, the return card), as district staff see one waiting for their
    decision (return and not-rated cards), and the reason page with its error."""
    officer = make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]], username="xa")
    district_staff = make_staff(StaffRole.DISTRICT_STAFF, [area_tree["district"]], username="h")
    ratings = []
    for name in ("Lò Văn Pọm", "Hoàng Thị Dung"):
        membership = membership_add(unit=bloc, full_name=name, birth_year=1970)
        rating = member_rating_start(acting_user=officer, membership=membership, year=2026)
        for _step in range(2):  # self-assessment, then the commune's proposal
            rating = member_rating_step(acting_user=officer, rating=rating, level=2)
        ratings.append(rating)
    returned = rating_return(
        acting_user=district_staff,
        rating=ratings[0],
        comment=(
            "Chưa có biên bản họp tổ bình xét, xem "
            "https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_BienBan/view"
        ),
    )
    page = phone_page

    _log_in_as(page, client, live_server, officer)
    url = live_server.url + reverse("evaluations:member_rating", args=[returned.pk])
    _check_on_phone(page, url, axe_source, "xếp loại thành viên (bị trả lại)")
    assert page.get_by_test_id("return-comment").is_visible()
    assert page.get_by_test_id("member-changes").locator("tbody tr").count() == 4
    assert page.get_by_test_id("return").is_visible()

    _log_in_as(page, client, live_server, district_staff)
    url = live_server.url + reverse("evaluations:member_rating", args=[ratings[1].pk])
    _check_on_phone(page, url, axe_source, "xếp loại thành viên (chờ quyết định)")
    assert page.get_by_test_id("return").is_visible()
    assert page.get_by_test_id("not-rated").is_visible()
    page.get_by_test_id("not-rated").get_by_role("button").click()  # no reason: refused
    page.get_by_text("Phải ghi lý do.").wait_for()
    _check_current(page, axe_source, "375 px, lý do không xếp loại (lỗi):")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_account_pages_on_a_phone_have_no_serious_axe_violation(
    live_server, phone_page, client, axe_source, area_tree
):
    """The security page with the QR code (second factor off), the password change page
    a new account is sent to (with its message), and the code page after the password."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page = phone_page
    officer = make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]], username="xa")
    _log_in_as(page, client, live_server, officer)
    _check_on_phone(
        page, live_server.url + reverse("accounts:security"), axe_source, "bảo mật tài khoản"
    )
    qr = page.get_by_test_id("totp-qr").get_by_role("img", name="Mã QR")
    assert qr.is_visible() and qr.bounding_box()["width"] <= 375

    newcomer = make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]], username="moi")
    StaffProfile.objects.filter(user=newcomer).update(must_change_password=True)
    _log_in_as(page, client, live_server, newcomer)
    _check_on_phone(
        page, live_server.url + reverse("password_change"), axe_source, "phải đổi mật khẩu"
    )
    assert page.get_by_test_id("must-change-password").is_visible()

    guarded = make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]], username="otp")
    TOTPDevice.objects.create(user=guarded, name="Điện thoại", confirmed=True)
    _log_in_as(page, client, live_server, guarded)
    _check_on_phone(
        page, live_server.url + reverse("accounts:otp_verify"), axe_source, "mã xác thực"
    )
    # The code page, not a redirect past it: the second factor is still due.
    assert page.url.startswith(live_server.url + reverse("accounts:otp_verify"))
    page.get_by_role("button", name="Xác nhận").click()  # no code: the field's error
    page.locator(".field__error").wait_for()
    _check_current(page, axe_source, "375 px, mã xác thực (lỗi):")
    assert page.get_by_label("Mã xác thực").is_visible()
