"""Parsing of the values a roster holds, shared by forms, imports and services.

Each parser takes what a person or a spreadsheet wrote and returns the stored value, or
raises ``ValueError`` with a Vietnamese message a commune officer understands.
"""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.choices import Gender, Role, ethnicity_from_text
from portal.text import fold, normalize
from units.choices import UnitKind

ERROR_PHONE = _(
    "Số điện thoại “{value}” không hợp lệ: cần 10 chữ số bắt đầu bằng 0 "
    "(ví dụ 0912345678), hoặc số cố định 11 chữ số bắt đầu bằng 02."
)
ERROR_BIRTH_YEAR = _("Năm sinh “{value}” không hợp lệ: cần một năm từ 1900 đến {this_year}.")
ERROR_DATE = _("Ngày “{value}” không hợp lệ: ghi theo dạng ngày/tháng/năm, ví dụ 21/11/2026.")
ERROR_GENDER = _("Giới tính “{value}” không hợp lệ: ghi Nam hoặc Nữ.")
ERROR_ETHNICITY = _("Dân tộc “{value}” không có trong danh mục 54 dân tộc Việt Nam.")
ERROR_PARTY = _("Đảng viên “{value}” không hợp lệ: ghi Có hoặc Không (hoặc x, hoặc để trống).")
ERROR_ROLE = _(
    "Vai trò “{value}” không hợp lệ: ghi Trưởng khối, Phó khối, Tổ trưởng, Tổ phó hoặc Thành viên."
)
ERROR_UNIT_KIND = _("Đơn vị “{value}” không hợp lệ: ghi Khối dân vận hoặc Tổ dân vận.")

_MOBILE_PREFIXES = ("03", "05", "07", "08", "09")


def parse_phone(value) -> str:
    """A Vietnamese phone number as 10 digits (mobile) or 11 digits (landline 02x).

    Accepts spaces, dots, dashes, brackets and +84 / 84 prefixes; a number that lost its
    leading 0 in a spreadsheet (9 digits, or 10 for a landline) gets it back.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = normalize(str(value))
    if not text:
        return ""
    digits = re.sub(r"[\s.\-()/]", "", text)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not digits.isdigit():
        raise ValueError(ERROR_PHONE.format(value=text))
    if not digits.startswith("0") and len(digits) in (9, 10):
        digits = "0" + digits
    if len(digits) == 10 and digits.startswith(_MOBILE_PREFIXES):
        return digits
    if len(digits) == 11 and digits.startswith("02"):
        return digits
    raise ValueError(ERROR_PHONE.format(value=text))


def parse_birth_year(value) -> int | None:
    """A year, from a number, a text or a full date (only the year is kept)."""
    this_year = timezone.localdate().year
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.date):
        year = value.year
    elif isinstance(value, (int, float)) and float(value).is_integer():
        year = int(value)
    else:
        text = normalize(str(value))
        if re.fullmatch(r"\d{4}(\.0)?", text):
            year = int(float(text))
        else:
            try:
                year = parse_date(text).year
            except ValueError:
                raise ValueError(ERROR_BIRTH_YEAR.format(value=text, this_year=this_year)) from None
    if not 1900 <= year <= this_year:
        raise ValueError(ERROR_BIRTH_YEAR.format(value=value, this_year=this_year))
    return year


def parse_date(value) -> datetime.date | None:
    """A date from a spreadsheet date or a day-first text ("05/03/2024" is 5 March)."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = normalize(str(value))
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(ERROR_DATE.format(value=text))


def parse_gender(value) -> str:
    folded = fold(str(value or ""))
    if not folded:
        return ""
    if folded in {"nam", "male", "m"}:
        return Gender.MALE
    if folded in {"nu", "female", "f"}:
        return Gender.FEMALE
    raise ValueError(ERROR_GENDER.format(value=normalize(str(value))))


def parse_ethnicity(value) -> str:
    text = normalize(str(value or ""))
    if not text:
        return ""
    if found := ethnicity_from_text(text):
        return found
    raise ValueError(ERROR_ETHNICITY.format(value=text))


def parse_party_member(value) -> bool:
    if value is True or value is False:
        return value
    folded = fold(str(value or ""))
    if folded in {"", "khong", "k", "no", "0"}:
        return False
    if folded in {"co", "x", "yes", "1", "dang vien"}:
        return True
    raise ValueError(ERROR_PARTY.format(value=normalize(str(value))))


_ROLES = {
    "truong khoi": Role.HEAD,
    "to truong": Role.HEAD,
    "truong": Role.HEAD,
    "pho khoi": Role.DEPUTY,
    "pho truong khoi": Role.DEPUTY,
    "to pho": Role.DEPUTY,
    "pho": Role.DEPUTY,
    "thanh vien": Role.MEMBER,
    "": Role.MEMBER,
}


def parse_role(value) -> str:
    folded = fold(str(value or ""))
    if folded in _ROLES:
        return _ROLES[folded]
    raise ValueError(ERROR_ROLE.format(value=normalize(str(value))))


def parse_unit_kind(value) -> str:
    """ "Khối dân vận" / "Khối" -> bloc; "Tổ dân vận" / "Tổ" -> team; the community
    variant -> community_team."""
    folded = fold(str(value or ""))
    if folded in {"khoi dan van", "khoi", "khoi dan van co so"}:
        return UnitKind.BLOC
    if folded in {"to dan van", "to"}:
        return UnitKind.TEAM
    if folded in {"to dan van cong dong", "to cong dong"}:
        return UnitKind.COMMUNITY_TEAM
    raise ValueError(ERROR_UNIT_KIND.format(value=normalize(str(value))))
