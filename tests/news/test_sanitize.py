"""The body sanitizer (news.sanitize.clean_body): what an article body may hold."""

import pytest

from news.sanitize import body_text, clean_body


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<p>Xin chào<script>alert(1)</script></p>", "<p>Xin chào</p>"),
        ('<p onclick="steal()" onmouseover="x()">Bấm</p>', "<p>Bấm</p>"),
        ('<a href="javascript:alert(1)">Liên kết</a>', '<a rel="noopener">Liên kết</a>'),
        ('<a href=" JaVaScRiPt:alert(1)">x</a>', '<a rel="noopener">x</a>'),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', '<a rel="noopener">x</a>'),
        ('<iframe src="https://example.org/video"></iframe><p>Sau</p>', "<p>Sau</p>"),
        ('<embed src="x.swf"><object data="x">o</object><p>y</p>', "<p>y</p>"),
        ('<p style="color:red" class="x" id="y">Màu</p>', "<p>Màu</p>"),
        ("<style>body{display:none}</style><p>a</p>", "<p>a</p>"),
        ("<svg><script>alert(1)</script></svg><p>a</p>", "<p>a</p>"),
        ('<img src="https://evil.example/x.png" alt="ngoài">', ""),
        ('<img src="/media/evidence/2026/1/x.jpg" alt="minh chứng">', ""),
        ('<img src="/media/news/../evidence/x.jpg" alt="x">', ""),
        ('<img src="data:image/png;base64,AAAA" alt="x">', ""),
        ('<img src="/media/news/2026/11/a-w800.jpg" alt="Ảnh" onerror="x()">',
         '<img src="/media/news/2026/11/a-w800.jpg" alt="Ảnh">'),
        ("<h1>Tiêu đề lớn</h1><b>đậm</b> <i>nghiêng</i>",
         "<h2>Tiêu đề lớn</h2><strong>đậm</strong> <em>nghiêng</em>"),
        ("<!-- ghi chú --><p>a</p>", "<p>a</p>"),
    ],
)  # fmt: skip
def test_dangerous_markup_is_removed(raw, expected):
    """Scripts (with their content), event handlers, javascript: and data: links,
    iframes and embeds, styles, foreign and non-news images are removed."""
    assert clean_body(raw) == expected


def test_allowed_markup_is_kept():
    """Headings, emphasis, lists, quotes, links (rel=noopener added), our own images in
    a captioned figure and simple tables come through unchanged."""
    body = (
        "<h2>Mục</h2><h3>Mục nhỏ</h3><h4>Nhỏ hơn</h4>"
        "<p><strong>đậm</strong> <em>nghiêng</em> <u>gạch chân</u> <s>gạch ngang</s><br>dòng</p>"
        "<blockquote>Trích</blockquote><ul><li>một</li></ul><ol><li>hai</li></ol>"
        '<p><a href="https://dangcongsan.vn/" title="Báo Đảng">link</a> '
        '<a href="mailto:banbientap@example.vn">thư</a> <a href="/tin-tuc/">trong trang</a></p>'
        '<figure><img src="/media/news/2026/11/abc-w800.jpg" alt="Hội nghị">'
        "<figcaption>Chú thích</figcaption></figure><hr>"
        '<table><caption>Bảng</caption><thead><tr><th scope="col">Xã</th></tr></thead>'
        '<tbody><tr><td colspan="2">1.265</td></tr></tbody></table>'
    )
    expected = (
        body.replace('title="Báo Đảng">', 'title="Báo Đảng" rel="noopener">')
        .replace('example.vn">', 'example.vn" rel="noopener">')
        .replace('"/tin-tuc/">', '"/tin-tuc/" rel="noopener">')
    )
    assert clean_body(body) == expected


def test_body_text_separates_blocks_and_keeps_alt_text():
    """The search column's text: blocks separated, entities decoded, alt text kept."""
    text = body_text(
        '<p>Dân vận&nbsp;khéo</p><p>ở&amp;cơ sở</p><figure><img src="/media/news/a.jpg" '
        'alt="Đường bê tông"><figcaption>Chú thích</figcaption></figure>'
    )
    assert text == "Dân vận khéo ở&cơ sở Đường bê tông Chú thích"
