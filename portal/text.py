"""Vietnamese text helpers shared by every app: normalisation and diacritic folding."""

import functools
import re
import unicodedata

_SPACES = re.compile(r"\s+")
#: Control characters no form or query has any use for: NUL (which PostgreSQL refuses in
#: text, a 500 before this was stripped) and the rest of C0 and DEL; tab, line feed and
#: carriage return stay (a text area holds lines).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalize(text: str) -> str:
    """NFC form with single spaces and no surrounding blanks.

    Files and keyboards mix composed and decomposed Vietnamese ("ệ" as one code point or
    as e + two marks); NFC makes equal names compare equal.
    """
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case ASCII form for searching: "Tỉnh Bắc Kạn" -> "tinh bac kan".

    Combining marks are dropped after NFD decomposition; đ/Đ are letters of their own
    (not d plus a mark), so they are mapped explicitly.
    """
    decomposed = unicodedata.normalize("NFD", normalize(text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d").replace("Đ", "D").lower()


def has_controls(text: str) -> bool:
    """Whether ``text`` holds a control character that ``strip_controls`` removes."""
    return bool(_CONTROLS.search(text))


def strip_controls(text: str) -> str:
    """``text`` without NUL and the other control characters (tab and line breaks kept).
    Every query string and form of the portal goes through it once, in
    ``danvan.middleware.InputCleaningMiddleware``."""
    return _CONTROLS.sub("", text)
