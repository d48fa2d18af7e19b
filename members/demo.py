"""Made-up but realistic rosters for demonstrations and benchmarks (``generate_demo``).

Everything here is invented: names are drawn from common Vietnamese surnames, middle
names and given names (and the naming customs of the larger ethnic minorities), village
names from syllables typical of each region, phones from real mobile prefixes with
random digits. No text comes from the seed articles.

Why bulk writes instead of the services: the national scale is about 90,000 units and
750,000 memberships, and a service call per row (its checks, its ``full_clean()``, its
transaction) would take hours. The generator keeps the services' rules by construction
instead: it creates a unit only where no active unit exists (one active bloc per commune,
one active team per village), seats a person at most once per unit, gives every person a
phone that no one else created in the same run and province has (so the identity rule
never takes two demo people for one), and fills the derived columns of every object
with ``fill_derived_fields()`` before the bulk insert. Reads are a fixed handful of
queries per province and writes one ``bulk_create`` per batch, so the number of queries
does not grow with the number of rows (tests/members/test_demo.py asserts it).

Second runs top up (docs/DEMO.md): a commune that already has an active bloc keeps it, a
commune that already has villages gets no new ones, a village that already has an active
team keeps it. Running the same command twice adds nothing the second time.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import itertools
import random

from django.db import transaction
from django.utils import timezone

from members.choices import KINH, Gender, Role
from members.models import Membership, Person
from portal import audit
from portal.paths import province_path
from portal.text import fold
from units.choices import Edition, Level, UnitKind, UnitStatus
from units.models import Area, Unit
from units.selectors import edition_default, editions_loaded
from units.services import divisions_load
from units.signals import data_changed

SCALES = ("small", "province", "national")
DEFAULT_SEED = 2025

#: Rows per INSERT. Large enough that a province is a few statements per table; SQLite
#: lowers it to its 999-parameter limit by itself.
BATCH_SIZE = 2000
#: The reason on the audit trail's rows of demo data.
DEMO_REASON = "Dữ liệu mẫu (generate_demo)"

#: Small scale: this many communes in each of (up to) two provinces.
SMALL_PROVINCES = 2
SMALL_COMMUNES = 6

#: Provinces used when none is named: a northern mountain province (Tày, Nùng, Dao,
#: Mông villages) and a Central Highlands one (Ê-đê buôn), so the small demo shows both.
#: Bắc Kạn (legacy 06) is the province of the "108 blocs, 1,265 members" figure.
PREFERRED_PROVINCES = {
    Edition.V2025: ["19", "66"],
    Edition.LEGACY: ["06", "66"],
}

#: Villages created per commune that has none, by scale and edition. A 2025 commune
#: merges about three legacy ones, so it gets three times the villages: both editions
#: then hold about 80,000 villages nationally, like the real country.
VILLAGES_PER_COMMUNE = {
    ("small", Edition.LEGACY): (4, 8),
    ("small", Edition.V2025): (4, 8),
    ("province", Edition.LEGACY): (4, 12),
    ("province", Edition.V2025): (14, 34),
    ("national", Edition.LEGACY): (4, 12),
    ("national", Edition.V2025): (14, 34),
}

#: Roster sizes. Blocs lean to the top of 7-13 (Bắc Kạn: 1,265 members in 108 blocs,
#: 11.7 each); teams to the bottom of 7-10 (Bắc Giang 8.5, Nậm Pồ 7.4 per team).
BLOC_SIZES = {7: 2, 8: 3, 9: 4, 10: 8, 11: 15, 12: 25, 13: 43}
TEAM_SIZES = {7: 35, 8: 35, 9: 20, 10: 10}

#: Shares of units with an extra ended membership (history), of communes where a bloc
#: member also sits in a village team, and of teams that are community teams.
HISTORY_SHARE = 0.08
CADRE_IN_TEAM_SHARE = 0.30
VILLAGE_HEAD_IN_BLOC_SHARE = 0.10
COMMUNITY_TEAM_SHARE = 0.04
#: Bắc Giang piloted community teams in 2023 (DOMAIN.md): more of them there.
COMMUNITY_TEAM_SHARE_BY_PROVINCE = {"bacgiang": 0.25, "bacninh": 0.12}
RULES_ADOPTED_SHARE = 0.85
#: Commune types whose villages are residential groups (tổ dân phố, khu phố).
URBAN_TYPES = ("phường", "thị trấn")

END_REASONS = {
    "Chuyển công tác": 40,
    "Nghỉ hưu": 20,
    "Theo nguyện vọng cá nhân": 12,
    "Vì lý do sức khỏe": 10,
    "Chuyển nơi cư trú": 10,
    "Do sắp xếp tổ chức bộ máy": 8,
}

ERROR_SCALE = "Quy mô không hợp lệ: chọn small, province hoặc national."
ERROR_NO_COMMUNES = (
    "Danh mục {edition} chưa có xã, phường nào để tạo dữ liệu mẫu: "
    "chạy load_divisions --edition {edition} trước."
)
ERROR_PROVINCE_NATIONAL = "Không dùng --province với quy mô national (toàn quốc)."


# --- Weighted tables ------------------------------------------------------------------


class Weighted:
    """Items with weights, drawn in O(log n) from a ``random.Random``."""

    __slots__ = ("cumulative", "items", "total")

    def __init__(self, weights: dict):
        self.items = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))
        self.total = self.cumulative[-1]

    @classmethod
    def parse(cls, text: str) -> Weighted:
        """ "Nguyễn 38, Trần 11, Rơ Châm 12" -> weights (an item may hold spaces)."""
        weights = {}
        for part in text.split(","):
            item, weight = part.strip().rsplit(" ", 1)
            weights[item] = weights.get(item, 0) + float(weight)
        return cls(weights)

    @classmethod
    def uniform(cls, text: str) -> Weighted:
        """ "a, b, c" -> equal weights."""
        return cls({item.strip(): 1 for item in text.split(",")})

    def pick(self, rng: random.Random):
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]

    def as_dict(self) -> dict:
        previous = 0.0
        weights = {}
        for item, cumulative in zip(self.items, self.cumulative, strict=True):
            weights[item] = cumulative - previous
            previous = cumulative
        return weights


def _blend(*tables: Weighted) -> Weighted:
    """The average of several tables, each normalised to 1."""
    blended: dict = {}
    for table in tables:
        for item, weight in table.as_dict().items():
            blended[item] = blended.get(item, 0.0) + weight / table.total
    return Weighted(blended)


def _key(name: str) -> str:
    """ "Bà Rịa - Vũng Tàu" -> "bariavungtau": province names matched loosely."""
    return "".join(ch for ch in fold(name) if ch.isalnum())


# --- Names ----------------------------------------------------------------------------

KINH_SURNAMES_NORTH = Weighted.parse(
    "Nguyễn 38, Trần 11, Lê 9.5, Phạm 7, Hoàng 4.5, Phan 3, Vũ 3.9, Đặng 2.1, Bùi 2, "
    "Đỗ 1.6, Hồ 1, Ngô 1.3, Dương 1, Lý 0.5, Đinh 1, Trương 0.6, Đoàn 0.7, Lương 0.6, "
    "Mai 0.5, Trịnh 0.8, Cao 0.4, Tạ 0.4, Hà 0.6, Lâm 0.2, Chu 0.4, Kiều 0.3, Lưu 0.3, "
    "Tô 0.3, Phùng 0.4, Nghiêm 0.2, Vương 0.2, Khúc 0.1, Quách 0.2, Đào 0.6, Thái 0.2"
)
KINH_SURNAMES_SOUTH = Weighted.parse(
    "Nguyễn 38, Trần 11, Lê 9.5, Phạm 6, Huỳnh 5, Võ 4, Phan 4.5, Trương 1.2, Bùi 1.2, "
    "Đặng 1.5, Đỗ 1, Hồ 1.5, Ngô 1.2, Dương 1, Lý 0.8, Lâm 0.8, Đinh 0.6, Đoàn 0.6, "
    "Lương 0.5, Mai 0.5, Châu 0.5, Tô 0.3, Cao 0.4, Thái 0.4, Hà 0.3, Tạ 0.3, Hoàng 0.5, "
    "Vũ 0.5, Quách 0.3, La 0.2, Văn 0.2, Diệp 0.2, Lưu 0.3"
)
KINH_MIDDLE_MALE = Weighted.parse(
    "Văn 45, Đức 8, Minh 7, Quang 6, Hữu 6, Công 5, Xuân 4, Thanh 4, Ngọc 3, Tiến 3, "
    "Mạnh 2, Trọng 3, Thế 3, Đình 4, Bá 2, Quốc 3, Duy 2, Anh 2, Hoàng 2, Trung 1"
)
KINH_MIDDLE_FEMALE = Weighted.parse(
    "Thị 60, Thu 5, Thanh 5, Ngọc 5, Minh 3, Kim 4, Hồng 4, Phương 2, Mai 2, Bích 2, "
    "Thúy 2, Hải 2, Diệu 1, Lan 1, Quỳnh 1, Khánh 1, Mỹ 2, Như 1, Tuyết 1"
)
#: People born from 1988 on less often carry Văn / Thị.
KINH_MIDDLE_MALE_YOUNG = Weighted.parse(
    "Văn 15, Đức 10, Minh 10, Quang 8, Hữu 5, Công 5, Xuân 4, Thanh 5, Ngọc 4, Tiến 4, "
    "Mạnh 3, Trọng 4, Thế 4, Đình 3, Quốc 5, Duy 5, Anh 4, Hoàng 4, Trung 3, Tuấn 3"
)
KINH_MIDDLE_FEMALE_YOUNG = Weighted.parse(
    "Thị 25, Thu 8, Thanh 6, Ngọc 8, Minh 5, Kim 5, Hồng 5, Phương 5, Mai 4, Bích 3, "
    "Thúy 4, Hải 3, Diệu 3, Lan 2, Quỳnh 3, Khánh 4, Mỹ 3, Như 3, Bảo 2, Ánh 3"
)
KINH_GIVEN_MALE = Weighted.uniform(
    "Hùng, Dũng, Tuấn, Hải, Nam, Sơn, Thắng, Long, Hưng, Cường, Minh, Quang, Hoàng, Tùng, "
    "Trung, Đức, Thành, Bình, Hòa, Phong, Khánh, Lâm, Hiếu, Huy, Kiên, Toàn, Thịnh, Phúc, "
    "Vinh, Tài, Việt, Chiến, Thanh, Tiến, Hậu, Lợi, Lực, Nghĩa, Quân, Quyết, Tâm, Thái, "
    "Thiện, Thuận, Trọng, Tú, Vượng, Định, Điệp, Bảo, Duy, Đạt, Giang, Học, Luân, Mạnh, "
    "Ninh, Sang, Tân, Thọ, Tuyên, Vũ, Lộc, Hiệp, Khải, Khoa, Lập, Năng, Phương, Sỹ, Tĩnh"
)
KINH_GIVEN_FEMALE = Weighted.uniform(
    "Hương, Lan, Hoa, Mai, Hằng, Hạnh, Huyền, Hà, Linh, Nga, Ngọc, Nhung, Oanh, Phương, "
    "Quyên, Quỳnh, Thảo, Thủy, Trang, Tuyết, Vân, Yến, Liên, Loan, Lý, Dung, Duyên, "
    "Giang, Hiền, Hồng, Thơm, Thu, Thúy, Thư, Trinh, Uyên, Xuân, Chi, Diệp, Hậu, Lệ, "
    "Luyến, Mến, Nhàn, Phượng, Sen, Tâm, Thanh, Thoa, Thắm, Vui, Anh, Bích, Đào, Gấm, "
    "Hoài, Kim, Lụa, My, Ngân, Nguyệt, Tình"
)

#: Surnames of groups whose names otherwise follow the Kinh pattern (middle and given
#: names), by ethnic group.
SURNAMES = {
    "Tày": Weighted.parse(
        "Hoàng 20, Nông 15, Lục 6, Triệu 5, Lương 6, Bế 5, Đàm 4, Hà 5, Ma 4, Lâm 3, "
        "La 3, Vi 3, Chu 3, Nguyễn 8, Hứa 2, Sầm 1, Mông 1, Lăng 2, Đinh 2, Dương 2"
    ),
    "Nùng": Weighted.parse(
        "Hoàng 18, Nông 10, Lý 8, Lương 7, Mã 4, Chu 5, Vi 4, Lăng 4, Hứa 4, Lục 5, "
        "Triệu 4, Đàm 3, Bế 3, Lâm 3, Nguyễn 6, Vy 2, Dương 2, Lộc 2"
    ),
    "Sán Chay": Weighted.parse("Hoàng 20, La 15, Trần 12, Lý 10, Ninh 8, Tạ 6, Lưu 6, Đặng 5"),
    "Sán Dìu": Weighted.parse(
        "Diệp 15, Trương 12, Lục 10, Dương 10, Tạ 8, Lam 8, Trần 8, Lỷ 5, Hoàng 5"
    ),
    "Giáy": Weighted.parse("Hoàng 20, Lò 15, Vương 12, Sần 8, Lục 6, Nông 6, Hà 5, Giàng 3"),
    "Mường": Weighted.parse(
        "Bùi 35, Đinh 20, Quách 10, Hà 8, Xa 5, Bạch 5, Cao 4, Nguyễn 6, Trương 3, Lê 3"
    ),
    "Hoa": Weighted.parse(
        "Lâm 12, Trương 10, Lý 10, Quách 6, Hứa 6, Mạc 4, Diệp 6, Tăng 5, Châu 6, Lưu 6, "
        "Hồng 3, Trần 8, Hoàng 5, Dương 4, Thái 3"
    ),
    "Ngái": Weighted.parse("Lâm 10, Trương 10, Lý 8, Diệp 6, Tằng 5"),
    "Chăm": Weighted.parse(
        "Đạo 15, Thành 12, Quảng 10, Châu 8, Lưu 6, Trượng 5, Bá 5, Thông 5, Phú 4, Hán 3, "
        "Lộ 3, Dụng 3, Nguyễn 5"
    ),
    "Raglay": Weighted.parse(
        "Pi Năng 15, Chamaléa 15, Katơr 12, Mang 12, Bo Bo 8, Cao 6, Tro 4, Pinăng 4"
    ),
    "Bru-Vân Kiều": Weighted.parse("Hồ 70, Lê 8, Nguyễn 6, Kray 3, Phạm 3"),
    "Tà-ôi": Weighted.parse("Hồ 40, Kăn 10, Nhâm 8, Quỳnh 8, Căn 6, Lê 6, A Viết 3"),
    "Chứt": Weighted.parse("Cao 30, Hồ 25, Đinh 20, Nguyễn 10"),
    "Hrê": Weighted.parse("Đinh 60, Phạm 20, Huỳnh 5, Lê 5, Nguyễn 5"),
    "Co": Weighted.parse("Đinh 45, Hồ 20, Phạm 15, Nguyễn 10"),
    "Thổ": Weighted.parse("Trương 15, Lê 15, Hồ 12, Nguyễn 15, Đinh 8, Vi 6, Ngân 6"),
    "Khơ-mú": Weighted.parse("Lô 15, Vi 12, Cụt 10, Quàng 10, Lò 12, Moong 8, Xồng 5, Lầu 5"),
}

THAI_SURNAMES = Weighted.parse(
    "Lò 18, Lường 14, Quàng 10, Cầm 8, Tòng 6, Lù 5, Vì 6, Hà 8, Điêu 4, Bạc 3, Mè 2, "
    "Lừ 2, Sầm 2, Lê 3, Vi 3, Lữ 2, Lộc 2"
)
THAI_GIVEN_MALE = Weighted.uniform(
    "Pọm, Ơn, Xuân, Hặc, Khăm, Panh, Ún, Biên, Cương, Thuận, Pình, Chăm, Sương, Thiêm, "
    "Hoan, Dũng, Thắng, Hải, Tiến, Mịnh, Chiến, Hùng, Inh, Lả, Thoong, Kiên, Phanh"
)
THAI_GIVEN_FEMALE = Weighted.uniform(
    "Xôm, Lả, Phóng, Ánh, Hương, Nhất, Thoa, Ngoan, Xuân, Ín, Bun, Phượng, Hoa, Thu, "
    "Lọng, Pâng, Ịnh, Ọm, Ngân, Lan, Thảnh, Mai, Tươi"
)
MONG_SURNAMES = Weighted.parse(
    "Giàng 15, Vàng 15, Sùng 12, Lý 10, Thào 12, Mùa 6, Hầu 4, Lầu 5, Vừ 6, Hạng 4, "
    "Sình 2, Chang 2, Cứ 3, Tráng 2, Ly 2, Má 2"
)
MONG_MIDDLE_MALE = Weighted.parse("A 50, Seo 15, Mí 15, Văn 15, Chứ 5")
MONG_GIVEN_MALE = Weighted.uniform(
    "Páo, Chơ, Dìa, Sử, Lử, Tủa, Pó, Chứ, Dình, Lềnh, Chá, Súa, Dế, Nủ, Phừ, Tú, Sính, "
    "Cở, Giống, Khua, Nhìa, Vảng, Chồ, Xá, Lùng, Sủng, Tráng, Vư, Say"
)
MONG_GIVEN_FEMALE = Weighted.uniform(
    "Mỷ, Dợ, Sua, Chu, Pà, Xúa, Dí, Chía, Máy, Pằng, Mua, Chá, Sở, Dua, Lan, Hoa, Dung, Ly"
)
DAO_SURNAMES = Weighted.parse(
    "Triệu 25, Bàn 20, Đặng 15, Lý 12, Phùng 8, Chảo 6, Tẩn 6, Hoàng 5, Lò 3"
)
DAO_MIDDLE_MALE = Weighted.parse("Văn 60, Tiến 10, Kim 8, Láo 6, Sành 4, Quý 4")
DAO_MIDDLE_FEMALE = Weighted.parse("Thị 80, Tả 10, Mùi 5")
DAO_GIVEN_MALE = Weighted.uniform(
    "Chàn, Quẩy, Phin, Sinh, Lai, Hin, Kiên, Quý, Phụ, Cao, Tòng, Thành, Vần, Dào, Phấu, "
    "Lìn, Sơn, Minh, Chòi, Tiến, Nguyên, Hùng"
)
DAO_GIVEN_FEMALE = Weighted.uniform(
    "Mây, Lai, Nhất, Mẩy, Dín, Chài, Xuân, Thu, Phấu, Liên, Niên, Sênh, Lìu, Kiều, Hoa, Dung"
)
KHMER_SURNAMES = Weighted.parse(
    "Thạch 25, Sơn 18, Kim 12, Danh 15, Lâm 8, Chau 8, Lý 5, Trịnh 3, Huỳnh 3, Dương 3"
)
KHMER_GIVEN_MALE = Weighted.uniform(
    "Sa Rinh, Sóc Khăm, Sà Rết, Phol, Sang, Thanh, Vi Sal, Sô Phanh, Ri, Chanh, Kim Sang, "
    "Ngọc Sơn, Minh Tâm, Sa Pho, Ty, Sa Rây, Sóc Kha, Thiện, Hoàng, Sa Môl"
)
KHMER_GIVEN_FEMALE = Weighted.uniform(
    "Chanh Thu, Sa Phon, Ra Ni, Sô Phia, Mỹ, Kim Hoa, Sa Ry, Sóc Kha, Ngọc Hân, Sa Mây, "
    "Phương, Đa Ni, Sa Ma, Thu Ba, Lan, Sà Mách"
)
EDE_CLANS = Weighted.parse(
    "Niê 20, Êban 15, Byă 10, Mlô 10, Ayŭn 8, Hmok 5, Ksơr 8, Adrơng 6, Êya 5, Knul 4, "
    "Buôn Krông 5, Kbuôr 3, Mđrang 3, Buôn Yă 3"
)
MNONG_CLANS = Weighted.parse("Bon 15, Bu Dăp 10, Ja 10, Krông 8, Rlông 6, Nơng 6, Jrang 5")
EDE_GIVEN_MALE = Weighted.uniform(
    "Thanh, Bhin, Jut, Khuê, Bhăm, Blô, Kuăn, Dhă, Thông, Wai, Sơn, Hiêng, Ju, Yơn, "
    "Phương, Tuôn, Jek, Zên, Nhuin, Ngoan, Kông"
)
EDE_GIVEN_FEMALE = Weighted.uniform(
    "Nga, Loan, Xíu, Liên, Ngơn, Bia, Djuân, Blin, Hen, Yam, Lê, Nhi, Dơ, Wit, Hương, Mai, Rin"
)
JRAI_CLANS = Weighted.parse(
    "Ksor 20, Rơ Châm 12, Siu 15, Rơ Mah 12, Kpă 12, Nay 8, Puih 8, Rơ Lan 6, Rah Lan 4"
)
JRAI_GIVEN_MALE = Weighted.uniform(
    "Pher, Blơ, Tuân, Thuyên, Phú, Hlin, Kông, Nhất, Đoan, Ngưk, Dư, Hyin, Hiao, Bút, "
    "Yun, Chuyên, Thoan, Thăm"
)
JRAI_GIVEN_FEMALE = Weighted.uniform(
    "Thi, Loan, Liên, Yam, Bia, Hun, Lâm, Blưm, Hiên, Nhung, Phơn, Mai, Jen"
)
BANA_GIVEN_MALE = Weighted.uniform(
    "Thút, Pớt, Lũy, Nhiên, Bia, Biu, Jar, Hmưng, Dớt, Thái, Khoa, Pa, Sang, Hyơi, "
    "Dương, Tuấn, Blong, Ớt, Rin"
)
BANA_GIVEN_FEMALE = Weighted.uniform(
    "Đam, Blin, Thoan, Hiên, Bé, Yêm, Nga, Lan, Nhung, Thơ, Mai, Hồng, Lịch, Hnhon"
)
COHO_CLANS = Weighted.parse(
    "Bon Niêng 12, Kră Jăn 10, Liêng Jrang 10, Cil 8, Ya Tu 6, Rơ Ông 6, Kơ Să 5, Đa Cát 4"
)
COHO_GIVEN_MALE = Weighted.uniform(
    "Sơn, Brơi, Điều, Tiến, Huy, Ha Thẻo, Brừm, Krang, Dơng, Tiếp, Lộc, Wơng"
)
COHO_GIVEN_FEMALE = Weighted.uniform("Mai, Nhung, Hòa, Bé, Lan, Tuyết, Ngoan, Plin, Điệp, Nhị")
KATU_SURNAMES = Weighted.parse(
    "Alăng 15, Bhling 12, Zơ Râm 10, Pơ Loong 10, Ating 8, Bríu 10, Clâu 6, Hốih 5, "
    "Coor 4, Blúp 4, Ploong 4, Arất 3"
)
KATU_GIVEN_MALE = Weighted.uniform(
    "Mia, Ngôn, Plênh, Quân, Nhị, Tiêm, Pố, Tưih, Bnướch, Dền, Kia, Lăng, Đhư, Thanh, Hoa"
)
KATU_GIVEN_FEMALE = Weighted.uniform("Bướm, Hiền, Hơn, Pinh, Pai, Ly, Ngoa, Ánh, Nga, Dung")

#: Naming custom of each group; groups not listed are named like the Kinh majority.
NAMING = {
    **dict.fromkeys(
        [
            "Tày",
            "Nùng",
            "Sán Chay",
            "Sán Dìu",
            "Giáy",
            "Mường",
            "Hoa",
            "Ngái",
            "Chăm",
            "Raglay",
            "Bru-Vân Kiều",
            "Tà-ôi",
            "Chứt",
            "Hrê",
            "Co",
            "Thổ",
        ],
        "surname",
    ),
    **dict.fromkeys(
        ["Thái", "Lào", "Lự", "Kháng", "Xinh-mun", "La Ha", "Si La", "Cống", "Mảng"], "thai"
    ),
    "Khơ-mú": "khmu",
    **dict.fromkeys(
        [
            "Mông",
            "Hà Nhì",
            "La Hủ",
            "Phù Lá",
            "Lô Lô",
            "La Chí",
            "Pu Péo",
            "Pà Thẻn",
            "Bố Y",
            "Cơ Lao",
        ],
        "mong",
    ),
    "Dao": "dao",
    "Khơ-me": "khmer",
    "Ê-đê": "ede",
    "Mnông": "mnong",
    "Gia-rai": "jrai",
    **dict.fromkeys(["Ba-na", "Xơ-đăng", "Gié-Triêng", "Brâu", "Rơ-măm", "Ơ-đu"], "bana"),
    **dict.fromkeys(["Cơ-ho", "Mạ", "Chu-ru"], "coho"),
    **dict.fromkeys(["Xtiêng", "Chơ-ro"], "stieng"),
    "Cơ-tu": "katu",
}


def _kinh_middle(rng, gender, born):
    """Middle name: Văn / Thị for most; people born from 1988 on less often carry them."""
    young = born >= 1988
    if gender == Gender.MALE:
        return (KINH_MIDDLE_MALE_YOUNG if young else KINH_MIDDLE_MALE).pick(rng)
    return (KINH_MIDDLE_FEMALE_YOUNG if young else KINH_MIDDLE_FEMALE).pick(rng)


def _kinh_given(rng, gender, middle):
    table = KINH_GIVEN_MALE if gender == Gender.MALE else KINH_GIVEN_FEMALE
    for _ in range(4):
        given = table.pick(rng)
        if given != middle:
            return given
    return given


def person_name(rng: random.Random, *, ethnicity: str, gender: str, born: int, south: bool):
    """A full name in the naming custom of ``ethnicity`` ("Nông Văn Thắng",
    "Giàng A Páo", "H'Loan Êban", "Ksor H'Thi", "Thạch Sa Rinh")."""
    male = gender == Gender.MALE
    custom = NAMING.get(ethnicity, "kinh")
    if custom in ("kinh", "surname"):
        if custom == "surname":
            surname = SURNAMES[ethnicity].pick(rng)
        else:
            surname = (KINH_SURNAMES_SOUTH if south else KINH_SURNAMES_NORTH).pick(rng)
        middle = _kinh_middle(rng, gender, born)
        given = _kinh_given(rng, gender, middle)
        if not male and middle == "Thị" and rng.random() < 0.15:
            # "Nguyễn Thị Thu Hương": a second middle name.
            second = KINH_MIDDLE_FEMALE_YOUNG.pick(rng)
            if second not in ("Thị", given):
                middle = f"Thị {second}"
        return f"{surname} {middle} {given}"
    if custom == "thai" or custom == "khmu":
        surnames = SURNAMES["Khơ-mú"] if custom == "khmu" else THAI_SURNAMES
        if male:
            return f"{surnames.pick(rng)} Văn {THAI_GIVEN_MALE.pick(rng)}"
        return f"{surnames.pick(rng)} Thị {THAI_GIVEN_FEMALE.pick(rng)}"
    if custom == "mong":
        if male:
            middle = MONG_MIDDLE_MALE.pick(rng)
            return f"{MONG_SURNAMES.pick(rng)} {middle} {MONG_GIVEN_MALE.pick(rng)}"
        return f"{MONG_SURNAMES.pick(rng)} Thị {MONG_GIVEN_FEMALE.pick(rng)}"
    if custom == "dao":
        if male:
            return (
                f"{DAO_SURNAMES.pick(rng)} {DAO_MIDDLE_MALE.pick(rng)} {DAO_GIVEN_MALE.pick(rng)}"
            )
        return (
            f"{DAO_SURNAMES.pick(rng)} {DAO_MIDDLE_FEMALE.pick(rng)} {DAO_GIVEN_FEMALE.pick(rng)}"
        )
    if custom == "khmer":
        if male:
            return f"{KHMER_SURNAMES.pick(rng)} {KHMER_GIVEN_MALE.pick(rng)}"
        return f"{KHMER_SURNAMES.pick(rng)} Thị {KHMER_GIVEN_FEMALE.pick(rng)}"
    if custom in ("ede", "mnong"):
        # Ê-đê and Mnông: Y (men) or H' (women), the given name, then the clan.
        clans = EDE_CLANS if custom == "ede" else MNONG_CLANS
        if male:
            return f"Y {EDE_GIVEN_MALE.pick(rng)} {clans.pick(rng)}"
        return f"H'{EDE_GIVEN_FEMALE.pick(rng)} {clans.pick(rng)}"
    if custom == "jrai":
        if male:
            return f"{JRAI_CLANS.pick(rng)} {JRAI_GIVEN_MALE.pick(rng)}"
        return f"{JRAI_CLANS.pick(rng)} H'{JRAI_GIVEN_FEMALE.pick(rng)}"
    if custom == "bana":
        # "A Thút", "Y Blin", or with the Đinh surname taken by many Ba-na families.
        if rng.random() < 0.6:
            return f"A {BANA_GIVEN_MALE.pick(rng)}" if male else f"Y {BANA_GIVEN_FEMALE.pick(rng)}"
        if male:
            return f"Đinh Văn {BANA_GIVEN_MALE.pick(rng)}"
        return f"Đinh Thị {BANA_GIVEN_FEMALE.pick(rng)}"
    if custom == "coho":
        # The clan name, then K' (men) or Ka (women) and the given name.
        if male:
            return f"{COHO_CLANS.pick(rng)} K'{COHO_GIVEN_MALE.pick(rng)}"
        return f"{COHO_CLANS.pick(rng)} Ka {COHO_GIVEN_FEMALE.pick(rng)}"
    if custom == "stieng":
        given = _kinh_given(rng, gender, "")
        if male:
            return f"Điểu {given}" if rng.random() < 0.5 else f"Điểu Văn {given}"
        return f"Thị {given}" if rng.random() < 0.4 else f"Điểu Thị {given}"
    # katu
    if male:
        return f"{KATU_SURNAMES.pick(rng)} {KATU_GIVEN_MALE.pick(rng)}"
    return f"{KATU_SURNAMES.pick(rng)} Thị {KATU_GIVEN_FEMALE.pick(rng)}"


#: Mobile prefixes in use (Viettel, VinaPhone, MobiFone, Vietnamobile, Gmobile).
MOBILE_PREFIXES = Weighted.parse(
    "032 4, 033 4, 034 4, 035 4, 036 4, 037 4, 038 4, 039 4, 086 5, 096 6, 097 7, 098 7, "
    "081 2, 082 2, 083 2, 084 2, 085 2, 088 3, 091 6, 094 5, "
    "070 2, 076 1, 077 2, 078 1, 079 1, 089 2, 090 5, 093 4, "
    "052 1, 056 1, 058 1, 092 1, 059 1, 099 1"
)


# --- Regions --------------------------------------------------------------------------

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
    _key(name): Profile(Weighted.parse(ethnic), style)
    for name, (ethnic, style) in PROVINCE_PROFILES_TEXT.items()
}
_V2025_PROFILES = {
    _key(name): Profile(
        _blend(*(_LEGACY_PROFILES[_key(p)].ethnicities for p in parts)),
        _LEGACY_PROFILES[_key(parts[0])].style,
    )
    for name, parts in MERGED_2025.items()
}
_DEFAULT_PROFILE = Profile(Weighted.parse(DEFAULT_PROFILE_TEXT[0]), DEFAULT_PROFILE_TEXT[1])


def province_profile(province: Area) -> Profile:
    """The profile of a province of either edition (a made-up province gets a mostly
    Kinh one)."""
    key = _key(province.short_name or province.name)
    if province.edition == Edition.V2025 and key in _V2025_PROFILES:
        return _V2025_PROFILES[key]
    return _LEGACY_PROFILES.get(key, _DEFAULT_PROFILE)


# --- Village names --------------------------------------------------------------------

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


# --- Positions ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Position:
    """A job held elsewhere, with who usually holds it: the share of women, of Party
    members, and the range of birth years. ``{t}`` is the commune's type word (xã,
    phường ...), ``{h}`` the village head's title, ``{s}`` the commune's short name."""

    title: str
    women: float
    party: float
    born: tuple[int, int]


def _pos(title, women, party, born_from, born_to):
    return Position(title, women, party, (born_from, born_to))


BLOC_HEADS = [
    (_pos("Phó Bí thư Thường trực Đảng ủy {t}", 0.15, 1, 1966, 1984), 50),
    (_pos("Phó Bí thư Đảng ủy {t}", 0.2, 1, 1968, 1986), 30),
    (_pos("Bí thư Đảng ủy {t}", 0.12, 1, 1965, 1982), 20),
]
BLOC_FRONT_CHAIR = _pos("Chủ tịch Ủy ban MTTQ Việt Nam {t}", 0.25, 1, 1965, 1988)
BLOC_VICE_CHAIRS = [
    _pos("Phó Chủ tịch UBND {t}", 0.25, 1, 1970, 1990),
    _pos("Phó Chủ tịch HĐND {t}", 0.3, 1, 1968, 1988),
]
#: Always on a bloc, in this order, as far as its size allows.
BLOC_CORE = [
    _pos("Chủ tịch Hội Liên hiệp Phụ nữ {t}", 1, 0.95, 1972, 1992),
    _pos("Chủ tịch Hội Nông dân {t}", 0.2, 0.95, 1962, 1985),
    _pos("Chủ tịch Hội Cựu chiến binh {t}", 0.03, 1, 1955, 1968),
    _pos("Bí thư Đoàn Thanh niên {t}", 0.4, 0.9, 1988, 2000),
    _pos("Trưởng Công an {t}", 0.05, 1, 1972, 1990),
]
#: Filling the rest of a bloc, in random order.
BLOC_EXTRA = [
    _pos("Chỉ huy trưởng Ban Chỉ huy Quân sự {t}", 0.02, 1, 1975, 1992),
    _pos("Công chức Văn hóa - Xã hội {t}", 0.5, 0.85, 1980, 1996),
    _pos("Chủ tịch Hội Người cao tuổi {t}", 0.2, 0.9, 1955, 1962),
    _pos("Phó Chủ tịch Ủy ban MTTQ Việt Nam {t}", 0.4, 0.9, 1970, 1990),
    _pos("Trạm trưởng Trạm Y tế {t}", 0.5, 0.9, 1970, 1990),
    _pos("Hiệu trưởng Trường Tiểu học {s}", 0.6, 0.95, 1968, 1985),
    _pos("Chủ tịch Hội Khuyến học {t}", 0.3, 0.85, 1955, 1965),
]
BLOC_ELDER = _pos("Người có uy tín trong đồng bào dân tộc thiểu số", 0.1, 0.6, 1955, 1968)
#: A bloc member who is a village's Party secretary (and that village team's head).
BLOC_VILLAGE_SECRETARY = _pos("Bí thư chi bộ {v}", 0.15, 1, 1962, 1985)

TEAM_HEAD = _pos("Bí thư chi bộ", 0.12, 1, 1958, 1985)
TEAM_HEAD_AND_VILLAGE_HEAD = _pos("Bí thư chi bộ kiêm {h}", 0.1, 1, 1960, 1985)
TEAM_VILLAGE_HEAD = _pos("{h}", 0.15, 0.7, 1960, 1988)
TEAM_FRONT_HEAD = _pos("Trưởng ban công tác Mặt trận", 0.3, 0.6, 1955, 1980)
TEAM_DEPUTY_SECRETARY = _pos("Phó Bí thư chi bộ", 0.2, 1, 1962, 1988)
TEAM_WOMEN = _pos("Chi hội trưởng Phụ nữ", 1, 0.3, 1965, 1992)
TEAM_FARMERS = _pos("Chi hội trưởng Nông dân", 0.15, 0.35, 1958, 1985)
TEAM_VETERANS = _pos("Chi hội trưởng Cựu chiến binh", 0.02, 0.8, 1955, 1968)
TEAM_YOUTH = _pos("Bí thư Chi đoàn", 0.4, 0.35, 1990, 2000)
TEAM_MILITIA = {
    "ấp": _pos("Ấp đội trưởng", 0.02, 0.45, 1980, 1998),
    None: _pos("Thôn đội trưởng", 0.02, 0.45, 1980, 1998),
}
#: Village security: "công an viên" until the 2024 law on grassroots security forces,
#: then the head of the village's security and order team.
TEAM_SECURITY = {
    Edition.LEGACY: _pos("Công an viên", 0.05, 0.35, 1975, 1995),
    Edition.V2025: _pos("Tổ trưởng Tổ bảo vệ an ninh, trật tự", 0.05, 0.35, 1972, 1995),
}
TEAM_ELDERS = _pos("Chi hội trưởng Người cao tuổi", 0.25, 0.5, 1955, 1962)
TEAM_EXTRA = [
    _pos("Chi hội trưởng Khuyến học", 0.4, 0.4, 1955, 1975),
    _pos("Tổ trưởng Tổ hòa giải", 0.2, 0.5, 1955, 1975),
    _pos("Trưởng ban Thanh tra nhân dân", 0.2, 0.7, 1958, 1978),
    _pos("Chi hội trưởng Chữ thập đỏ", 0.6, 0.4, 1965, 1990),
]
TEAM_RESPECTED = _pos("Người có uy tín", 0.1, 0.5, 1955, 1970)
#: Residents who take part in a community team (Tổ Dân vận cộng đồng).
COMMUNITY_MEMBERS = [
    _pos("Trưởng dòng họ", 0.0, 0.3, 1955, 1970),
    _pos("Đại diện hộ dân", 0.4, 0.1, 1960, 1995),
]


# --- Dates ----------------------------------------------------------------------------

#: When units were founded, by edition and kind: legacy blocs after the 2020 Party
#: congresses, teams 2021-2024; 2025 blocs were re-formed after the merged communes took
#: office on 01/07/2025, while village teams carried on from before.
FOUNDED = {
    (Edition.LEGACY, UnitKind.BLOC): (datetime.date(2020, 10, 1), datetime.date(2022, 6, 30)),
    (Edition.LEGACY, "team"): (datetime.date(2021, 1, 15), datetime.date(2024, 10, 31)),
    (Edition.V2025, UnitKind.BLOC): (datetime.date(2025, 7, 1), datetime.date(2025, 9, 30)),
    (Edition.V2025, "team"): (datetime.date(2021, 1, 15), datetime.date(2024, 10, 31)),
}
#: Latest date a generated departure can have (then capped at today).
LAST_END = datetime.date(2026, 9, 30)


def _date_between(rng: random.Random, start: datetime.date, end: datetime.date):
    if end <= start:
        return start
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


# --- Scope ----------------------------------------------------------------------------


@dataclasses.dataclass
class DemoScope:
    """What a run covers: an edition, and communes of some provinces (all of a province's
    communes when its list is None)."""

    scale: str
    edition: str
    provinces: list[tuple[Area, list[Area] | None]]
    divisions_loaded: str = ""


def _provinces_with_communes(edition: str) -> list[Area]:
    """Provinces of ``edition`` that have at least one commune, in code order."""
    with_communes = set(
        Area.objects.filter(edition=edition, level=Level.COMMUNE)
        .values_list("path", flat=True)
        .order_by()
    )
    prefixes = {province_path(path) for path in with_communes}
    return [
        p
        for p in Area.objects.filter(edition=edition, level=Level.PROVINCE).order_by("code", "path")
        if p.path in prefixes
    ]


def _load(edition: str, codes: list[str] | None) -> str:
    result = divisions_load(edition=edition, provinces=codes)
    return result.summary()


def demo_scope(
    *, scale: str, edition: str | None = None, provinces: list[str] | None = None, seed: int
) -> DemoScope:
    """Decide which communes a run fills, loading official divisions only when the
    needed edition or province is missing.

    - small: up to two provinces (the preferred ones when loaded), six communes each
      (one ward or town among them when there is one);
    - province: one province (``provinces[0]``, else the preferred one, else the first
      loaded), every commune;
    - national: every loaded province of the edition (the whole edition is loaded when
      none of it is).
    """
    if scale not in SCALES:
        raise ValueError(ERROR_SCALE)
    if scale == "national" and provinces:
        raise ValueError(ERROR_PROVINCE_NATIONAL)
    edition = edition or edition_default(editions_loaded())
    codes = [c.zfill(2) for c in provinces or []]
    available = _provinces_with_communes(edition)
    loaded_note = ""

    if scale == "national":
        if not available:
            loaded_note = _load(edition, None)
            available = _provinces_with_communes(edition)
        chosen = available
    else:
        wanted_count = 1 if scale == "province" else SMALL_PROVINCES
        if codes:
            missing = [c for c in codes if c not in {p.code for p in available}]
            if missing:
                loaded_note = _load(edition, missing)
                available = _provinces_with_communes(edition)
            by_code = {p.code: p for p in available}
            chosen = [by_code[c] for c in codes if c in by_code]
        else:
            preferred = PREFERRED_PROVINCES[edition][:wanted_count]
            if not available:
                loaded_note = _load(edition, preferred)
                available = _provinces_with_communes(edition)
            by_code = {p.code: p for p in available}
            chosen = [by_code[c] for c in preferred if c in by_code]
            chosen += [p for p in available if p not in chosen]
            chosen = chosen[:wanted_count]
    if not chosen:
        raise ValueError(ERROR_NO_COMMUNES.format(edition=edition))

    plan: list[tuple[Area, list[Area] | None]] = []
    for province in chosen:
        if scale == "small":
            plan.append((province, _small_communes(province, seed=seed)))
        else:
            plan.append((province, None))
    return DemoScope(scale=scale, edition=edition, provinces=plan, divisions_loaded=loaded_note)


def _communes_of(province: Area) -> list[Area]:
    return list(
        Area.objects.filter(level=Level.COMMUNE, path__descendant_of=province.path).order_by("path")
    )


def _small_communes(province: Area, *, seed: int) -> list[Area]:
    """Six communes of the province, drawn with the seed: one ward or town (to show
    tổ dân phố) and the rest rural communes when the province has both."""
    communes = _communes_of(province)
    rng = random.Random(f"{seed}/small/{province.path}")  # noqa: S311 - reproducible on purpose
    urban = [c for c in communes if c.type_word in URBAN_TYPES]
    rural = [c for c in communes if c.type_word not in URBAN_TYPES]
    picked = rng.sample(urban, min(1, len(urban)))
    picked += rng.sample(rural, min(SMALL_COMMUNES - len(picked), len(rural)))
    if len(picked) < SMALL_COMMUNES:
        rest = [c for c in urban if c not in picked]
        picked += rng.sample(rest, min(SMALL_COMMUNES - len(picked), len(rest)))
    return sorted(picked, key=lambda c: c.path)


# --- Generation -----------------------------------------------------------------------


@dataclasses.dataclass
class DemoCounts:
    """What a run created."""

    provinces: int = 0
    communes: int = 0
    villages: int = 0
    blocs: int = 0
    teams: int = 0
    community_teams: int = 0
    memberships: int = 0
    ended: int = 0
    people: int = 0
    people_in_two_units: int = 0
    units_kept: int = 0

    def add(self, other: DemoCounts) -> None:
        for field in dataclasses.fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))

    @property
    def created_anything(self) -> bool:
        return bool(self.villages or self.blocs or self.teams or self.memberships)


BLOC_HEAD_TABLE = Weighted(dict(BLOC_HEADS))
END_REASON_TABLE = Weighted(END_REASONS)
BLOC_SIZE_TABLE = Weighted(BLOC_SIZES)
TEAM_SIZE_TABLE = Weighted(TEAM_SIZES)


def _leaning(table: Weighted, item: str, share: float) -> Weighted:
    """``table`` with ``share`` of the weight moved onto ``item``: a village's people are
    mostly of its main group, with neighbours from the rest of the province."""
    weights = {k: (1 - share) * w / table.total for k, w in table.as_dict().items()}
    weights[item] = weights.get(item, 0.0) + share
    return Weighted(weights)


class _Roster:
    """The generator of one province. Everything is drawn from one ``Random`` seeded
    with the seed and the province, in a fixed order, so the same seed gives the same
    rosters whatever else the run covers."""

    def __init__(self, *, province: Area, scale: str, seed: int, today: datetime.date):
        self.province = province
        self.edition = province.edition
        self.scale = scale
        self.rng = random.Random(f"{seed}/{province.path}")  # noqa: S311 - reproducible on purpose
        self.today = today
        self.profile = province_profile(province)
        # Wards and towns are more Kinh than the countryside around them.
        self.urban_ethnicities = Weighted(
            {e: w * (4 if e == KINH else 1) for e, w in self.profile.ethnicities.as_dict().items()}
        )
        self.community_share = COMMUNITY_TEAM_SHARE_BY_PROVINCE.get(
            _key(province.short_name or province.name), COMMUNITY_TEAM_SHARE
        )
        self.phones: set[str] = set()
        self.villages: list[Area] = []
        self.units: list[Unit] = []
        self.people: list[Person] = []
        self.memberships: list[Membership] = []
        self.counts = DemoCounts(provinces=1)

    # People ---------------------------------------------------------------------------

    def phone(self) -> str:
        """A mobile number not yet given to anyone in this run's province."""
        rng = self.rng
        while True:
            number = f"{MOBILE_PREFIXES.pick(rng)}{rng.randrange(10_000_000):07d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def person(self, position: Position, *, ethnicities: Weighted, fmt: dict) -> Person:
        rng = self.rng
        gender = Gender.FEMALE if rng.random() < position.women else Gender.MALE
        born = rng.randint(*position.born)
        ethnicity = ethnicities.pick(rng)
        person = Person(
            full_name=person_name(
                rng, ethnicity=ethnicity, gender=gender, born=born, south=self.profile.south
            ),
            gender=gender,
            birth_year=born,
            ethnicity=ethnicity,
            party_member=rng.random() < position.party,
            phone=self.phone(),
            position=position.title.format(**fmt),
            province=self.province,
        )
        person.fill_derived_fields()
        self.people.append(person)
        return person

    def seat(self, unit: Unit, person: Person, role: str, start, end=None, reason="") -> None:
        membership = Membership(
            unit=unit, person=person, role=role, start_date=start, end_date=end, end_reason=reason
        )
        membership.fill_derived_fields()
        self.memberships.append(membership)
        self.counts.memberships += 1
        self.counts.ended += end is not None

    def roster(self, unit: Unit, seats: list, *, founded, ethnicities, fmt, given=None) -> dict:
        """Create the people of ``seats`` ((position, role) pairs, head first) and seat
        them. ``given`` maps a seat index to a person who already exists (the same
        person in two units). Sometimes one seat changed hands: the predecessor's
        membership is kept, ended, and the current holder joined a little later."""
        rng = self.rng
        given = given or {}
        people = {}
        starts = {}
        for index, (position, role) in enumerate(seats):
            person = given.get(index) or self.person(position, ethnicities=ethnicities, fmt=fmt)
            if role == Role.HEAD:
                person.party_member = True  # a Party secretary or deputy secretary
            people[index] = person
            starts[index] = founded
        if rng.random() < HISTORY_SHARE and len(seats) > 1:
            index = rng.randrange(1, len(seats))  # any seat but the head's
            position, role = seats[index]
            last = min(LAST_END, self.today - datetime.timedelta(days=31))
            ended = _date_between(rng, founded + datetime.timedelta(days=120), last)
            if ended > founded and index not in given:
                predecessor = self.person(position, ethnicities=ethnicities, fmt=fmt)
                self.seat(unit, predecessor, role, founded, ended, END_REASON_TABLE.pick(rng))
                starts[index] = min(ended + datetime.timedelta(days=rng.randint(1, 30)), self.today)
        for index, (_position, role) in enumerate(seats):
            self.seat(unit, people[index], role, starts[index])
        return people

    # Villages -------------------------------------------------------------------------

    def new_villages(self, commune: Area) -> tuple[list[Area], list[str]]:
        """Name and build the villages of a commune that has none, with the main ethnic
        group of each."""
        rng = self.rng
        low, high = VILLAGES_PER_COMMUNE[(self.scale, self.edition)]
        urban = commune.type_word in URBAN_TYPES
        table = self.urban_ethnicities if urban else self.profile.ethnicities
        taken: set[str] = set()
        numbers: dict[str, int] = {}
        villages, groups = [], []
        for _ in range(rng.randint(low, high)):
            group = table.pick(rng)
            word, name = self.village_name(urban, group, taken, numbers)
            taken.add(name)
            village = Area(
                edition=commune.edition,
                level=Level.VILLAGE,
                parent=commune,
                name=name,
                short_name=name,
                type_word=word,
                valid_from=commune.valid_from,
                valid_until=commune.valid_until,
            )
            village.fill_derived_fields()
            villages.append(village)
            groups.append(group)
        self.villages.extend(villages)
        self.counts.villages += len(villages)
        return villages, groups

    def village_name(self, urban: bool, group: str, taken: set, numbers: dict):
        """(type word, name): "Tổ dân phố 3", "Khu phố 2", "Thôn Nà Pục", "Bản Huổi
        Lếch", "Buôn Ea Kmát", "Ấp Tân Thành" ... unique within the commune."""
        rng = self.rng
        style = self.profile.style

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

    # Units ----------------------------------------------------------------------------

    def founding(self, kind: str) -> tuple[datetime.date, str]:
        """A founding decision of the commune's Party committee: date and number."""
        rng = self.rng
        start, end = FOUNDED[(self.edition, UnitKind.BLOC if kind == UnitKind.BLOC else "team")]
        founded = min(_date_between(rng, start, end), self.today)
        return founded, f"{rng.randint(5, 380)}-QĐ/ĐU"

    def unit(self, kind: str, area: Area, founded, number: str) -> Unit:
        rng = self.rng
        rules_on = None
        if rng.random() < RULES_ADOPTED_SHARE:
            rules_on = min(founded + datetime.timedelta(days=rng.randint(7, 45)), self.today)
        unit = Unit(
            kind=kind,
            area=area,
            decision_number=number,
            decision_date=founded,
            rules_adopted=rules_on is not None,
            rules_adopted_on=rules_on,
            status=UnitStatus.ACTIVE,
        )
        unit.fill_derived_fields()
        self.units.append(unit)
        return unit

    def commune(self, commune: Area, villages: list[Area], active: set[int]) -> None:
        """Fill one commune: its bloc when it has none, villages when it has none, a team
        in every village without one."""
        rng = self.rng
        self.counts.communes += 1
        if villages:
            table = self.urban_ethnicities if commune.type_word in URBAN_TYPES else None
            groups = [(table or self.profile.ethnicities).pick(rng) for _ in villages]
        else:
            villages, groups = self.new_villages(commune)
        needs_bloc = commune.pk not in active
        teamless = [(v, g) for v, g in zip(villages, groups, strict=True) if v.pk not in active]
        self.counts.units_kept += (not needs_bloc) + len(villages) - len(teamless)
        if not needs_bloc and not teamless:
            return

        # The same person in two units of the commune: a commune officer who also sits
        # in a village team, or a village's Party secretary who sits in the bloc.
        cadre_at = secretary_at = None
        if needs_bloc and teamless:
            if rng.random() < CADRE_IN_TEAM_SHARE:
                cadre_at = rng.randrange(len(teamless))
            if rng.random() < VILLAGE_HEAD_IN_BLOC_SHARE:
                secretary_at = rng.randrange(len(teamless))
        cadre = secretary = None
        if needs_bloc:
            village_name = teamless[secretary_at][0].name if secretary_at is not None else ""
            cadre, secretary = self.bloc(
                commune, groups, village_name=village_name, want_cadre=cadre_at is not None
            )
        team_founded, team_number = self.founding(UnitKind.TEAM)
        for index, (village, group) in enumerate(teamless):
            self.team(
                village,
                group,
                founded=team_founded,
                number=team_number,
                head=secretary if index == secretary_at else None,
                cadre=cadre if index == cadre_at else None,
            )

    def bloc(self, commune: Area, groups: list[str], *, village_name: str, want_cadre: bool):
        """The commune's bloc: a Party committee (deputy) secretary as head, the Front's
        chair and often a People's Council or Committee vice-chair as deputies, then the
        heads of the mass organisations and other officers. Returns a member who will
        also sit in a team (or None) and the village secretary (or None)."""
        rng = self.rng
        founded, number = self.founding(UnitKind.BLOC)
        unit = self.unit(UnitKind.BLOC, commune, founded, number)
        self.counts.blocs += 1
        ethnicities = _blend(
            self.profile.ethnicities, Weighted(dict.fromkeys(groups, 1) or {KINH: 1})
        )

        vice_chairs = BLOC_VICE_CHAIRS[:]
        rng.shuffle(vice_chairs)
        seats = [(BLOC_HEAD_TABLE.pick(rng), Role.HEAD), (BLOC_FRONT_CHAIR, Role.DEPUTY)]
        if rng.random() < 0.6:
            seats.append((vice_chairs.pop(), Role.DEPUTY))
        extras = vice_chairs + BLOC_EXTRA
        if ethnicities.as_dict().get(KINH, 0) / ethnicities.total < 0.8:
            extras.append(BLOC_ELDER)
        rng.shuffle(extras)
        members = BLOC_CORE + extras
        if village_name:
            members.insert(2, BLOC_VILLAGE_SECRETARY)
        size = BLOC_SIZE_TABLE.pick(rng)
        seats += [(position, Role.MEMBER) for position in members[: size - len(seats)]]

        fmt = {"t": commune.type_word, "s": commune.short_name, "v": village_name}
        people = self.roster(unit, seats, founded=founded, ethnicities=ethnicities, fmt=fmt)
        secretary = next(
            (people[i] for i, (p, _r) in enumerate(seats) if p is BLOC_VILLAGE_SECRETARY), None
        )
        candidates = [
            people[i] for i, (_p, role) in enumerate(seats)
            if role == Role.MEMBER and people[i] is not secretary
        ]  # fmt: skip
        cadre = rng.choice(candidates) if want_cadre and candidates else None
        return cadre, secretary

    def team(self, village: Area, group: str, *, founded, number, head=None, cadre=None):
        """A village team: the Party cell secretary heads it; the village head and the
        head of the Front's village committee are the usual deputies; the heads of the
        village branches of the mass organisations are members."""
        rng = self.rng
        if rng.random() < 0.2:  # some teams were set up by a decision of their own
            founded, number = self.founding(UnitKind.TEAM)
        community = rng.random() < self.community_share
        kind = UnitKind.COMMUNITY_TEAM if community else UnitKind.TEAM
        unit = self.unit(kind, village, founded, number)
        self.counts.teams += 1
        self.counts.community_teams += community
        type_word = village.type_word
        urban = type_word in ("tổ dân phố", "khu phố")

        if rng.random() < 0.25:
            seats = [(TEAM_HEAD_AND_VILLAGE_HEAD, Role.HEAD), (TEAM_FRONT_HEAD, Role.DEPUTY)]
            if rng.random() < 0.3:
                seats.append((TEAM_DEPUTY_SECRETARY, Role.DEPUTY))
            members = []
        else:
            seats = [(TEAM_HEAD, Role.HEAD), (TEAM_VILLAGE_HEAD, Role.DEPUTY)]
            if rng.random() < 0.8:
                seats.append((TEAM_FRONT_HEAD, Role.DEPUTY))
                members = []
            else:
                members = [TEAM_FRONT_HEAD]
        members.append(TEAM_WOMEN)
        if community:
            members += COMMUNITY_MEMBERS
        if not urban:
            members.append(TEAM_FARMERS)
        members += [TEAM_VETERANS, TEAM_YOUTH]
        if not urban:
            members.append(TEAM_MILITIA.get(type_word, TEAM_MILITIA[None]))
        members += [TEAM_SECURITY[self.edition], TEAM_ELDERS]
        extras = TEAM_EXTRA + ([TEAM_RESPECTED] if group != KINH else [])
        rng.shuffle(extras)
        members += extras
        size = TEAM_SIZE_TABLE.pick(rng) - (cadre is not None)
        seats += [(position, Role.MEMBER) for position in members[: size - len(seats)]]

        fmt = {"h": VILLAGE_HEAD.get(type_word, "Trưởng thôn")}
        given = {0: head} if head is not None else {}
        self.roster(
            unit,
            seats,
            founded=founded,
            ethnicities=_leaning(self.profile.ethnicities, group, 0.75),
            fmt=fmt,
            given=given,
        )
        if cadre is not None:
            self.seat(unit, cadre, Role.MEMBER, founded)
        self.counts.people_in_two_units += (cadre is not None) + (head is not None)

    # Writing --------------------------------------------------------------------------

    def write(self, batch_size: int) -> None:
        """Everything of the province, one INSERT per table and batch: villages first
        (units point at them), then units, people, memberships; each with its audit
        trail rows (portal.audit), one INSERT per history table and batch."""
        with audit.audit_context(reason=DEMO_REASON):
            audit.bulk_create(Area, self.villages, batch_size=batch_size)
            audit.bulk_create(Unit, self.units, batch_size=batch_size)
            audit.bulk_create(Person, self.people, batch_size=batch_size)
            audit.bulk_create(Membership, self.memberships, batch_size=batch_size)
        # Bulk writes send no model signal: this province's statistics become stale.
        data_changed.send(sender=Membership, province_paths=[self.province.path])
        self.counts.people = len(self.people)


@transaction.atomic
def rosters_generate(
    *,
    province: Area,
    scale: str,
    seed: int = DEFAULT_SEED,
    communes: list[Area] | None = None,
    batch_size: int = BATCH_SIZE,
) -> DemoCounts:
    """Generate blocs, villages, teams, people and memberships in ``communes`` of
    ``province`` (every commune when None), topping up what exists.

    One transaction per province: an interrupted national run leaves whole provinces,
    and the next run fills the rest. Reads: at most three queries (communes, active
    units, existing villages); writes: one INSERT per table and batch.
    """
    if communes is None:
        communes = _communes_of(province)
    active = set(
        Unit.objects.filter(status=UnitStatus.ACTIVE, area_path__descendant_of=province.path)
        .order_by()
        .values_list("area_id", flat=True)
    )
    villages_by_commune: dict[int, list[Area]] = {}
    for village in Area.objects.filter(
        level=Level.VILLAGE, path__descendant_of=province.path
    ).order_by("path"):
        villages_by_commune.setdefault(village.parent_id, []).append(village)

    roster = _Roster(province=province, scale=scale, seed=seed, today=timezone.localdate())
    for commune in communes:
        roster.commune(commune, villages_by_commune.get(commune.pk, []), active)
    roster.write(batch_size)
    return roster.counts
