"""axe-core (npm devDependency, node_modules/axe-core) on the public pages: the home
page, the news list, an article and the statistics page, on a 375 px phone screen and
on a desktop one. A serious or critical violation fails the test and is listed.

axe is evaluated through the DevTools protocol (``page.evaluate``), which the page's
Content-Security-Policy (script-src 'self') does not govern: the pages are tested under
their real policy, nothing is bypassed. (``add_script_tag(content=...)`` would insert an
inline <script>, which that policy rightly refuses.)
"""

from pathlib import Path

import pytest
from django.core.cache import cache

from members.services import membership_add
from news import services
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
