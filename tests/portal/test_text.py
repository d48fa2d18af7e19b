import unicodedata

import pytest

from portal.text import fold, normalize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tỉnh Bắc Kạn", "tinh bac kan"),
        ("Huyện Nậm Pồ", "huyen nam po"),
        ("ĐẮK LẮK", "dak lak"),
        ("Đồng   Hới ", "dong hoi"),
        ("Thừa Thiên Huế", "thua thien hue"),
    ],
)
def test_fold_drops_case_and_diacritics_including_d_bar(text, expected):
    """Folding gives lower-case ASCII, with đ/Đ mapped to d."""
    assert fold(text) == expected


def test_fold_treats_decomposed_input_like_composed():
    """Names typed with combining marks fold like precomposed ones."""
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hằng")
    assert decomposed != "Nguyễn Thị Hằng"
    assert fold(decomposed) == fold("Nguyễn Thị Hằng") == "nguyen thi hang"


def test_normalize_composes_and_collapses_spaces():
    """normalize() returns NFC with single spaces."""
    assert normalize(unicodedata.normalize("NFD", "  Bản  Mường ")) == "Bản Mường"
    assert normalize(None) == ""
