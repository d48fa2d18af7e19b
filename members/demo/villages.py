"""Village names: "Tổ dân phố 3", "Khu phố 2", "Thôn Nà Pục", "Bản Huổi Lếch", "Buôn
Ea Kmát", "Ấp Tân Thành"... by region and by the main group of the village."""

from __future__ import annotations

import random

from members.demo.weighted import Weighted

#: Commune types whose villages are residential groups (tổ dân phố, khu phố).
URBAN_TYPES = ("phường", "thị trấn")

SINO_FIRST = Weighted.uniform(
    "Tân, Phú, An, Bình, Hòa, Long, Mỹ, Đông, Tây, Nam, Bắc, Trung, Thượng, Hạ, "
    "Yên, Vĩnh, Phước, Thái, Hưng, Quang, Đại, Lộc, Xuân, Hợp, Đồng, Hồng, Kim, Thanh, "
    "Thuận, Gia, Cẩm, Lạc, Minh, Ninh, Quế, Tiên, Vạn, Văn, Khánh, Hiệp"
)
#: Words of southern place names only ("Ấp Thới Hòa", "Ấp Nhơn Lợi").
SINO_FIRST_SOUTH = Weighted({**SINO_FIRST.as_dict(), "Nhơn": 1, "Thới": 1, "Thạnh": 1})
SINO_SECOND = Weighted.uniform(
    "Thành, Hòa, Lợi, Phú, An, Bình, Hưng, Lạc, Thịnh, Phong, Lộc, Thuận, Hiệp, Quý, Mỹ, "
    "Tiến, Lập, Sơn, Thủy, Tân, Long, Đông, Trung, Xá, Hải, Khê, Cường, Đức, Phúc, Thái, "
    "Hội, Nghĩa, Điền, Quang, Vinh, Châu, Lâm, Tường, Yên, Định"
)
#: (type word, first syllables, second syllables) for villages of a group's own names.
_VILLAGE_STYLES_TEXT = {
    "tay": (
        {"Thôn": 6, "Bản": 4},
        "Nà, Khuổi, Pác, Phiêng, Nặm, Lũng, Cốc, Khau, Huổi, Pò, Co, Tổng, Nong, Hua, Phai, "
        "Còn, Kéo, Slam, Bó, Thẳm, Lủng, Vằng",
        "Pục, Lếch, Mạ, Hin, Lỏng, Mu, Tào, Chang, Đon, Làng, Cáy, Ngần, Tậu, Phầy, Khiếu, "
        "Luông, Sáng, Lạn, Coóc, Pàn, Quang, Mòn, Vài, Slảy, Pèn, Nưa, Chả, Hán, Mới, Cọn",
    ),
    "thai": (
        {"Bản": 1},
        "Huổi, Nà, Chiềng, Pá, Phiêng, Hua, Nậm, Co, Pom, Tà, Ten, Hát, Bó, Nong, Lọng, Xa",
        "Lếch, Lóng, Ban, Hạ, Nưa, Pục, Mòn, Khoang, Sại, Lứa, Lay, Phăng, Củ, Luông, Pe, "
        "Ẻn, Cang, Vai, Xôm, Ít, Sạ, Ún",
    ),
    "mong": (
        {"Bản": 6, "Thôn": 4},
        "Sín, Tả, Sả, Lao, Mào, Pả, Xà, Hồ, Tủa, Há, Sáng, Phìn, Pờ, Mù, Lủng, Sủng, Pa",
        "Chải, Phìn, Sán, Chồ, Lử, Thàng, Dìn, Pao, Chứ, Sàng, Khúa, Cáng, Pống, Lìn, Mua, "
        "Tổng, Chua, Sử",
    ),
    "muong": (
        {"Xóm": 7, "Bản": 3},
        "Mớ, Rộc, Bưng, Khú, Dằm, Bái, Vó, Lài, Trám, Mạ, Chiềng, Cốc, Vôi, Mu, Kháy",
        "Đá, Rạ, Chuối, Ngoài, Trong, Trên, Dưới, Mới, Cả, Khang, Bôi, Mận, Lạt, Nghẹ",
    ),
    "ede": (
        {"Buôn": 1},
        "Ea, Kô, Cư, Tơng, Krông, Ea",
        "Kmát, Tling, Nuôl, Knốp, Bông, Sô, Hđing, Kly, Drông, Pốk, Yông, Tul, Mdróh, Kiết, "
        "Hleo, Wer, Bhốk, Tar, Kao, Ral, Rốk, Sar, Pal, Dăh, Jú, Sier",
    ),
    "jrai": (
        {"Làng": 1},
        "Plei, Kon, Ia, Đăk, Tơ",
        "Ốp, Bông, Lao, Kép, Krêl, Rơ Wa, Klor, Jơ Dri, Tum, Hring, Mơ Nông, Grai, Bang, "
        "Chuet, Pông, Lang, Mong, Kơ Tu, Jri, Brông",
    ),
    "khmer": (
        {"Ấp": 7, "Sóc": 3},
        "Prey, Bưng, Tà, Trà, Ô, Sa, Tha, Ca, Kô, Đa, Bà",
        "Chóp, Tróp, Canh, Ân, Rây, Lách, Tum, Mét, Som, Ro, Ét, Ray, Phnô, Cú, Tel, Săng, Kha",
    ),
    "katu": (
        {"Thôn": 1},
        "A, Tà, Pa, Ka, Bhơ, Za",
        "Dinh, Lang, Hoi, Ró, Ling, Roòng, Xiêm, Nhâm, Vao, Ngói, Tiêng, Nưa, Bhlố, Aur",
    ),
    "bru": (
        {"Bản": 1},
        "Cà, Ra, Pa, Tà, A, Xà, Ka",
        "Ròng, Mai, Lang, Rụt, Cua, Vên, Ho, Sia, Ly, Tuông, Mò, Coóc",
    ),
    "coho": (
        {"Thôn": 1},
        "Bon, Đạ, Liêng, Ka, Kon, Păng, Lang",
        "Đơng, Rơ Mang, Tô, Sre, Ding, Hanh, Dơng, Krang, Tiêng, Sar, Nhar",
    ),
    "stieng": (
        {"Ấp": 1},
        "Sóc, Bù, Bom, Đăk",
        "Bưng, Nghiêm, Ka, Lạp, Bon, Dinh, Mê, Tam, Xia, Nho",
    ),
}
VILLAGE_STYLES = {
    key: (Weighted(types), Weighted.uniform(first), Weighted.uniform(second))
    for key, (types, first, second) in _VILLAGE_STYLES_TEXT.items()
}
#: Which groups name their villages in their own language.
VILLAGE_STYLE_OF = {
    **dict.fromkeys(["Tày", "Nùng", "Dao", "Sán Chay", "Giáy", "Pà Thẻn"], "tay"),
    **dict.fromkeys(["Thái", "Khơ-mú", "Lào", "Lự", "Kháng", "Xinh-mun", "La Ha"], "thai"),
    **dict.fromkeys(["Mông", "Hà Nhì", "La Hủ", "Lô Lô", "Phù Lá", "La Chí"], "mong"),
    "Mường": "muong",
    **dict.fromkeys(["Ê-đê", "Mnông"], "ede"),
    **dict.fromkeys(["Gia-rai", "Ba-na", "Xơ-đăng", "Gié-Triêng"], "jrai"),
    "Khơ-me": "khmer",
    **dict.fromkeys(["Cơ-tu", "Tà-ôi"], "katu"),
    **dict.fromkeys(["Bru-Vân Kiều", "Chứt"], "bru"),
    **dict.fromkeys(["Cơ-ho", "Mạ", "Chu-ru"], "coho"),
    **dict.fromkeys(["Xtiêng", "Chơ-ro"], "stieng"),
}
#: Kinh villages by regional style: (type word, share of numbered villages).
KINH_VILLAGE = {
    "north": ("Thôn", 0.1),
    "xom": ("Xóm", 0.25),
    "khu": ("Khu", 1.0),
    "central": ("Thôn", 0.15),
    "highlands": ("Thôn", 0.45),
    "south": ("Ấp", 0.15),
}
#: Type word of the residential groups of a ward or town, by regional style.
URBAN_VILLAGE = {"south": "Khu phố"}
URBAN_DEFAULT = "Tổ dân phố"

#: How the head of a village is called, by the village's type word (lower case).
VILLAGE_HEAD = {
    "thôn": "Trưởng thôn",
    "bản": "Trưởng bản",
    "làng": "Trưởng làng",
    "ấp": "Trưởng ấp",
    "buôn": "Trưởng buôn",
    "sóc": "Trưởng sóc",
    "xóm": "Trưởng xóm",
    "khu": "Trưởng khu",
    "tổ dân phố": "Tổ trưởng tổ dân phố",
    "khu phố": "Trưởng khu phố",
}


def village_name(
    rng: random.Random, *, style: str, urban: bool, group: str, taken: set, numbers: dict
) -> tuple[str, str]:
    """(type word, name): "Tổ dân phố 3", "Khu phố 2", "Thôn Nà Pục", "Bản Huổi
    Lếch", "Buôn Ea Kmát", "Ấp Tân Thành" ... unique within the commune."""

    def numbered(word):
        numbers[word] = numbers.get(word, 0) + 1
        return word, f"{word} {numbers[word]}"

    def composed(word, first, second):
        for _ in range(10):
            a, b = first.pick(rng), second.pick(rng)
            if a != b and (name := f"{word} {a} {b}") not in taken:
                return word, name
        return numbered(word)

    sino_first = SINO_FIRST_SOUTH if style == "south" else SINO_FIRST
    if urban:
        word = URBAN_VILLAGE.get(style, URBAN_DEFAULT)
        if rng.random() < 0.85:
            return numbered(word)
        return composed(word, sino_first, SINO_SECOND)
    own = VILLAGE_STYLE_OF.get(group)
    if own is not None:
        types, first, second = VILLAGE_STYLES[own]
        # In the south every village is an ấp, whatever its people call it.
        return composed("Ấp" if style == "south" else types.pick(rng), first, second)
    word, numbered_share = KINH_VILLAGE[style]
    if rng.random() < numbered_share:
        return numbered(word)
    return composed(word, sino_first, SINO_SECOND)
