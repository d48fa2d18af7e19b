"""Who lives where: the ethnic composition of each province and how its villages are
named, for both editions (a 2025 province that merged several blends their shares)."""

from __future__ import annotations

import dataclasses

from members.demo.weighted import Weighted, blend, loose_key
from units.choices import Edition
from units.models import Area

#: Ethnic composition (rounded census shares) and village-naming style of each legacy
#: province, keyed by the folded short name. Styles: "north" (thôn, tổ dân phố),
#: "xom" (xóm is the usual word), "khu" (Phú Thọ numbers its villages "Khu 5"),
#: "central", "highlands" (many numbered thôn of settlers) and "south" (ấp, khu phố).
PROVINCE_PROFILES_TEXT = {
    "Hà Nội": ("Kinh 98.6, Mường 0.8, Tày 0.3, Thái 0.1, Nùng 0.1, Hoa 0.1", "north"),
    "Hà Giang": (
        "Mông 33, Tày 23, Dao 15, Kinh 13, Nùng 10, Giáy 2, Lô Lô 1, Pà Thẻn 1, La Chí 1, "
        "Phù Lá 0.5, Bố Y 0.3, Pu Péo 0.2",
        "north",
    ),
    "Cao Bằng": ("Tày 41, Nùng 31, Mông 11, Dao 10, Kinh 5, Sán Chay 1, Lô Lô 1", "xom"),
    "Bắc Kạn": ("Tày 52, Dao 17, Kinh 12, Nùng 10, Mông 7, Hoa 1, Sán Chay 1", "north"),
    "Tuyên Quang": (
        "Kinh 47, Tày 25, Dao 11, Sán Chay 8, Mông 2, Nùng 2, Sán Dìu 1, Pà Thẻn 1",
        "north",
    ),
    "Lào Cai": ("Kinh 34, Mông 25, Tày 15, Dao 15, Giáy 5, Nùng 4, Hà Nhì 1, Phù Lá 1", "north"),
    "Điện Biên": (
        "Mông 37, Thái 34, Kinh 18, Khơ-mú 4, Dao 1, Hà Nhì 1, Lào 1, Cống 0.5, Si La 0.3, Hoa 0.5",
        "north",
    ),
    "Lai Châu": (
        "Mông 36, Thái 26, Kinh 14, Dao 13, Hà Nhì 5, Giáy 4, La Hủ 1.5, Lự 1, Mảng 0.5, "
        "Khơ-mú 0.5, Cống 0.3",
        "north",
    ),
    "Sơn La": (
        "Thái 53, Kinh 17, Mông 16, Mường 8, Xinh-mun 2, Dao 2, Khơ-mú 1.5, Kháng 1, "
        "La Ha 0.5, Lào 0.3",
        "north",
    ),
    "Yên Bái": ("Kinh 52, Tày 19, Dao 11, Mông 11, Thái 6, Mường 1", "north"),
    "Hòa Bình": ("Mường 63, Kinh 27, Thái 4, Tày 3, Dao 2, Mông 1", "xom"),
    "Thái Nguyên": (
        "Kinh 70, Tày 11, Nùng 6, Sán Dìu 4, Sán Chay 3, Dao 2, Mông 1, Hoa 0.5",
        "xom",
    ),
    "Lạng Sơn": ("Nùng 42, Tày 35, Kinh 16, Dao 4, Sán Chay 1, Hoa 1, Mông 0.5", "north"),
    "Quảng Ninh": ("Kinh 88, Dao 5, Tày 3, Sán Dìu 2, Sán Chay 1, Hoa 1", "north"),
    "Bắc Giang": ("Kinh 87, Nùng 4.5, Tày 2.6, Sán Chay 2, Sán Dìu 1.6, Hoa 1, Dao 0.5", "north"),
    "Phú Thọ": ("Kinh 85, Mường 14, Dao 1", "khu"),
    "Vĩnh Phúc": ("Kinh 97, Sán Dìu 3", "north"),
    "Bắc Ninh": ("Kinh 99.6, Tày 0.2, Mường 0.2", "north"),
    "Hải Dương": ("Kinh 99.6, Tày 0.2, Mường 0.2", "north"),
    "Hải Phòng": ("Kinh 99.6, Hoa 0.2, Tày 0.2", "north"),
    "Hưng Yên": ("Kinh 99.6, Tày 0.2, Mường 0.2", "north"),
    "Thái Bình": ("Kinh 99.8, Tày 0.1, Mường 0.1", "north"),
    "Hà Nam": ("Kinh 99.6, Mường 0.4", "north"),
    "Nam Định": ("Kinh 99.8, Mường 0.1, Tày 0.1", "north"),
    "Ninh Bình": ("Kinh 98, Mường 2", "north"),
    "Thanh Hóa": ("Kinh 84, Mường 9, Thái 6, Mông 0.5, Dao 0.3, Khơ-mú 0.2", "central"),
    "Nghệ An": ("Kinh 85, Thái 10, Thổ 2.5, Khơ-mú 1.5, Mông 1", "xom"),
    "Hà Tĩnh": ("Kinh 99.8, Chứt 0.1, Lào 0.1", "xom"),
    "Quảng Bình": ("Kinh 97.5, Bru-Vân Kiều 2, Chứt 0.5", "central"),
    "Quảng Trị": ("Kinh 88, Bru-Vân Kiều 9, Tà-ôi 3", "central"),
    "Huế": ("Kinh 96, Tà-ôi 2.5, Cơ-tu 1, Bru-Vân Kiều 0.5", "central"),
    "Đà Nẵng": ("Kinh 99.5, Cơ-tu 0.4, Hoa 0.1", "central"),
    "Quảng Nam": ("Kinh 91, Cơ-tu 3.5, Xơ-đăng 2.5, Gié-Triêng 1.5, Co 1, Hoa 0.5", "central"),
    "Quảng Ngãi": ("Kinh 87, Hrê 10, Co 2, Xơ-đăng 1", "central"),
    "Bình Định": ("Kinh 98, Ba-na 1.5, Hrê 0.3, Chăm 0.2", "central"),
    "Phú Yên": ("Kinh 95, Ê-đê 3, Chăm 2", "central"),
    "Khánh Hòa": ("Kinh 95, Raglay 4, Cơ-ho 0.5, Ê-đê 0.5", "central"),
    "Ninh Thuận": ("Kinh 77, Chăm 12, Raglay 11", "central"),
    "Bình Thuận": ("Kinh 93, Chăm 3, Hoa 2, Raglay 1.5, Cơ-ho 0.5", "central"),
    "Kon Tum": (
        "Kinh 47, Xơ-đăng 25, Ba-na 13, Gié-Triêng 6, Gia-rai 5, Mường 1, Thái 1, Tày 1, "
        "Brâu 0.1, Rơ-măm 0.1",
        "highlands",
    ),
    "Gia Lai": ("Kinh 53, Gia-rai 32, Ba-na 12, Tày 1, Nùng 1, Mường 0.5, Thái 0.5", "highlands"),
    "Đắk Lắk": (
        "Kinh 65, Ê-đê 18, Nùng 4, Tày 3, Mông 2, Mnông 2, Dao 1.5, Thái 1, Gia-rai 1, Mường 1",
        "highlands",
    ),
    "Đắk Nông": (
        "Kinh 65, Mnông 10, Nùng 6, Mông 5, Tày 5, Ê-đê 2, Dao 2, Thái 1, Mạ 1",
        "highlands",
    ),
    "Lâm Đồng": ("Kinh 77, Cơ-ho 13, Mạ 3, Chu-ru 2, Nùng 2, Tày 2, Hoa 1", "highlands"),
    "Bình Phước": (
        "Kinh 81, Xtiêng 9, Nùng 2.5, Khơ-me 2, Tày 2, Mnông 1, Hoa 1, Dao 0.5",
        "south",
    ),
    "Tây Ninh": ("Kinh 98.5, Khơ-me 0.6, Hoa 0.5, Chăm 0.4", "south"),
    "Bình Dương": ("Kinh 97.5, Hoa 1, Khơ-me 0.5, Tày 0.5, Nùng 0.5", "south"),
    "Đồng Nai": ("Kinh 92, Hoa 4, Nùng 1.5, Tày 1, Chơ-ro 0.6, Khơ-me 0.5, Mạ 0.2", "south"),
    "Bà Rịa - Vũng Tàu": ("Kinh 97, Hoa 1.5, Chơ-ro 1, Khơ-me 0.5", "south"),
    "Hồ Chí Minh": ("Kinh 93, Hoa 5.5, Khơ-me 0.5, Tày 0.4, Nùng 0.4, Chăm 0.2", "south"),
    "Long An": ("Kinh 99.5, Khơ-me 0.3, Hoa 0.2", "south"),
    "Tiền Giang": ("Kinh 99.7, Hoa 0.2, Khơ-me 0.1", "south"),
    "Bến Tre": ("Kinh 99.7, Hoa 0.2, Khơ-me 0.1", "south"),
    "Trà Vinh": ("Kinh 67, Khơ-me 32, Hoa 1", "south"),
    "Vĩnh Long": ("Kinh 97.5, Khơ-me 2, Hoa 0.5", "south"),
    "Đồng Tháp": ("Kinh 99.8, Hoa 0.1, Khơ-me 0.1", "south"),
    "An Giang": ("Kinh 94, Khơ-me 4.5, Chăm 1, Hoa 0.5", "south"),
    "Kiên Giang": ("Kinh 85, Khơ-me 12, Hoa 2.5, Chăm 0.5", "south"),
    "Cần Thơ": ("Kinh 97, Khơ-me 2, Hoa 1", "south"),
    "Hậu Giang": ("Kinh 97, Khơ-me 2, Hoa 1", "south"),
    "Sóc Trăng": ("Kinh 64, Khơ-me 30, Hoa 6", "south"),
    "Bạc Liêu": ("Kinh 90, Khơ-me 8, Hoa 2", "south"),
    "Cà Mau": ("Kinh 97, Khơ-me 2, Hoa 1", "south"),
}

#: Provinces of the 2025 edition that merged several legacy ones (the first keeps the
#: name): their composition is the average of the merged provinces'.
MERGED_2025 = {
    "Tuyên Quang": ["Tuyên Quang", "Hà Giang"],
    "Lào Cai": ["Lào Cai", "Yên Bái"],
    "Thái Nguyên": ["Thái Nguyên", "Bắc Kạn"],
    "Phú Thọ": ["Phú Thọ", "Vĩnh Phúc", "Hòa Bình"],
    "Bắc Ninh": ["Bắc Ninh", "Bắc Giang"],
    "Hưng Yên": ["Hưng Yên", "Thái Bình"],
    "Hải Phòng": ["Hải Phòng", "Hải Dương"],
    "Ninh Bình": ["Ninh Bình", "Hà Nam", "Nam Định"],
    "Quảng Trị": ["Quảng Trị", "Quảng Bình"],
    "Đà Nẵng": ["Đà Nẵng", "Quảng Nam"],
    "Quảng Ngãi": ["Quảng Ngãi", "Kon Tum"],
    "Gia Lai": ["Gia Lai", "Bình Định"],
    "Khánh Hòa": ["Khánh Hòa", "Ninh Thuận"],
    "Lâm Đồng": ["Lâm Đồng", "Đắk Nông", "Bình Thuận"],
    "Đắk Lắk": ["Đắk Lắk", "Phú Yên"],
    "Hồ Chí Minh": ["Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu"],
    "Đồng Nai": ["Đồng Nai", "Bình Phước"],
    "Tây Ninh": ["Tây Ninh", "Long An"],
    "Cần Thơ": ["Cần Thơ", "Sóc Trăng", "Hậu Giang"],
    "Vĩnh Long": ["Vĩnh Long", "Bến Tre", "Trà Vinh"],
    "Đồng Tháp": ["Đồng Tháp", "Tiền Giang"],
    "Cà Mau": ["Cà Mau", "Bạc Liêu"],
    "An Giang": ["An Giang", "Kiên Giang"],
}

DEFAULT_PROFILE_TEXT = ("Kinh 97, Tày 1, Mường 1, Hoa 1", "north")


@dataclasses.dataclass(frozen=True)
class Profile:
    """Who lives in a province: ethnic shares, and how villages are named."""

    ethnicities: Weighted
    style: str

    @property
    def south(self) -> bool:
        return self.style == "south"


_LEGACY_PROFILES = {
    loose_key(name): Profile(Weighted.parse(ethnic), style)
    for name, (ethnic, style) in PROVINCE_PROFILES_TEXT.items()
}
_V2025_PROFILES = {
    loose_key(name): Profile(
        blend(*(_LEGACY_PROFILES[loose_key(p)].ethnicities for p in parts)),
        _LEGACY_PROFILES[loose_key(parts[0])].style,
    )
    for name, parts in MERGED_2025.items()
}
_DEFAULT_PROFILE = Profile(Weighted.parse(DEFAULT_PROFILE_TEXT[0]), DEFAULT_PROFILE_TEXT[1])


def province_profile(province: Area) -> Profile:
    """The profile of a province of either edition (a made-up province gets a mostly
    Kinh one)."""
    key = loose_key(province.short_name or province.name)
    if province.edition == Edition.V2025 and key in _V2025_PROFILES:
        return _V2025_PROFILES[key]
    return _LEGACY_PROFILES.get(key, _DEFAULT_PROFILE)
