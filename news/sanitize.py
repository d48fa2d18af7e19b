"""The article body's HTML: what the editor may produce and what survives a save.

nh3 (Python binding of the Rust crate ammonia, an allow-list sanitizer built on a real
HTML5 parser) cleans every body in ``news.services`` before it is stored, so the public
pages print it as it is. Whatever arrives (the editor, the admin's text area, a paste
from a word processor, a forged POST), what is stored holds only:

- text markup: p, h2-h4, strong, em, u, s, blockquote, lists, br, hr;
- links with an http, https or mailto address (or a relative one), ``rel="noopener"``
  added;
- images whose address is one of our own uploads (``MEDIA_URL`` + ``news/``), with
  their alt text, in a figure with a caption;
- basic tables.

No script or style (removed with their content), no event handler or style attribute,
no ``javascript:`` or ``data:`` address, no iframe, object or embed.
"""

import html
import re
import unicodedata
from html.parser import HTMLParser

import nh3
from django.conf import settings

from portal.text import normalize

ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "strong", "em", "u", "s", "blockquote", "ul", "ol", "li",
    "a", "img", "figure", "figcaption", "br", "hr",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
# Removed together with everything inside them (other unknown tags lose only the tag).
REMOVED_WITH_CONTENT = {
    "script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math",
    "textarea", "select", "button", "frame", "frameset", "applet",
}  # fmt: skip
URL_SCHEMES = {"http", "https", "mailto"}

_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
# Pasted from a word processor or another site: the nearest allowed tag instead of
# losing the structure (h1 is the page's title, so a body starts at h2).
_RENAMED = [
    (re.compile(r"<(/?)h1\b", re.IGNORECASE), r"<\1h2"),
    (re.compile(r"<(/?)b\b", re.IGNORECASE), r"<\1strong"),
    (re.compile(r"<(/?)i\b", re.IGNORECASE), r"<\1em"),
]


def own_image_prefix() -> str:
    """Where our uploaded news images are served from (``/media/news/``)."""
    return f"{settings.MEDIA_URL}news/"


def is_own_image(src: str) -> bool:
    """Whether ``src`` names one of our uploads: under ``MEDIA_URL/news/``, no way out of
    it (``..``, a backslash, a second scheme), no query."""
    prefix = own_image_prefix()
    if not src.startswith(prefix):
        return False
    rest = src[len(prefix) :]
    return (
        bool(rest)
        and ".." not in rest
        and "\\" not in rest
        and ":" not in rest
        and ("?" not in rest and "#" not in rest and "//" not in rest)
    )


def _attribute_filter(tag: str, attribute: str, value: str):
    if tag == "img" and attribute == "src":
        value = value.strip()
        return value if is_own_image(value) else None
    if attribute in {"colspan", "rowspan"}:
        return value if value.isdigit() and 0 < int(value) <= 50 else None
    if tag == "th" and attribute == "scope":
        return value if value in {"row", "col", "rowgroup", "colgroup"} else None
    return value


def clean_body(raw: str) -> str:
    """The body as stored: sanitized, NFC, images without an allowed address dropped."""
    source = normalize_keep_lines(raw or "")
    for pattern, replacement in _RENAMED:
        source = pattern.sub(replacement, source)
    cleaned = nh3.clean(
        source,
        tags=ALLOWED_TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
        strip_comments=True,
    )
    # An image whose address was refused keeps only its alt text: drop the tag.
    return _IMG_WITHOUT_SRC.sub("", cleaned).strip()


def normalize_keep_lines(text: str) -> str:
    """NFC like ``portal.text.normalize``, but keeping line breaks (HTML source)."""
    return unicodedata.normalize("NFC", text)


class _TextCollector(HTMLParser):
    BLOCKS = {"p", "h2", "h3", "h4", "li", "blockquote", "figcaption", "td", "th", "br", "tr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append(" ")
        if tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(f" {alt} ")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def body_text(body_html: str) -> str:
    """The plain text of a (sanitized) body, blocks separated by spaces: for the search
    column, the feeds' fallback description and the meta description."""
    collector = _TextCollector()
    collector.feed(body_html or "")
    collector.close()
    return normalize(html.unescape("".join(collector.parts)))
