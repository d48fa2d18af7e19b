"""People's names and phones: common Vietnamese surnames, middle and given names, and
the naming customs of the larger ethnic minorities, all invented combinations."""

from __future__ import annotations

import random

from members.choices import Gender
from members.demo.weighted import Weighted

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
