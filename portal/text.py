"""Vietnamese text helpers shared by every app: normalisation and diacritic folding."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFC form with single spaces and no surrounding blanks.

    Files and keyboards mix composed and decomposed Vietnamese ("ệ" as one code point or
    as e + two marks); NFC makes equal names compare equal.
    """
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def fold(text: str) -> str:
    """Lower-case ASCII form for searching: "Tỉnh Bắc Kạn" -> "tinh bac kan".

    Combining marks are dropped after NFD decomposition; đ/Đ are letters of their own
    (not d plus a mark), so they are mapped explicitly.
    """
    decomposed = unicodedata.normalize("NFD", normalize(text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d").replace("Đ", "D").lower()
