"""Choices for people and memberships, and the official list of ethnic groups."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.text import fold


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class Role(models.TextChoices):
    """Role inside the unit. Labels differ by kind of unit: see ``role_label``."""

    HEAD = "head", _("Trưởng")
    DEPUTY = "deputy", _("Phó")
    MEMBER = "member", _("Thành viên")


#: Role words as written in rosters, by role and by kind of unit (the workbook contract,
#: never translated).
ROLE_LABELS = {
    "bloc": {Role.HEAD: "Trưởng khối", Role.DEPUTY: "Phó khối", Role.MEMBER: "Thành viên"},
    "team": {Role.HEAD: "Tổ trưởng", Role.DEPUTY: "Tổ phó", Role.MEMBER: "Thành viên"},
}


#: The same words for pages, translated (ROLE_LABELS stays Vietnamese: the workbook's).
_ROLE_DISPLAY = {
    "bloc": {
        Role.HEAD: _("Trưởng khối"),
        Role.DEPUTY: _("Phó khối"),
        Role.MEMBER: pgettext_lazy("role", "Thành viên"),
    },
    "team": {
        Role.HEAD: _("Tổ trưởng"),
        Role.DEPUTY: _("Tổ phó"),
        Role.MEMBER: pgettext_lazy("role", "Thành viên"),
    },
}


def role_label(role: str, unit_kind: str) -> str:
    """ "Trưởng khối" for the head of a bloc, "Tổ trưởng" for the head of a team, in the
    active language (text, not a lazy translation)."""
    return str(_ROLE_DISPLAY["bloc" if unit_kind == "bloc" else "team"][role])


#: The 54 ethnic groups of Viet Nam (official list, Decision 121-TCTK/PPCĐ), in the
#: order of the official list. Kinh is the majority; every other is an ethnic minority.
ETHNIC_GROUPS = [
    "Kinh", "Tày", "Thái", "Hoa", "Khơ-me", "Mường", "Nùng", "Mông", "Dao", "Gia-rai",
    "Ngái", "Ê-đê", "Ba-na", "Xơ-đăng", "Sán Chay", "Cơ-ho", "Chăm", "Sán Dìu", "Hrê",
    "Mnông", "Raglay", "Xtiêng", "Bru-Vân Kiều", "Thổ", "Giáy", "Cơ-tu", "Gié-Triêng",
    "Mạ", "Khơ-mú", "Co", "Tà-ôi", "Chơ-ro", "Kháng", "Xinh-mun", "Hà Nhì", "Chu-ru",
    "Lào", "La Chí", "La Ha", "Phù Lá", "La Hủ", "Lự", "Lô Lô", "Chứt", "Mảng", "Pà Thẻn",
    "Cơ Lao", "Cống", "Bố Y", "Si La", "Pu Péo", "Brâu", "Ơ-đu", "Rơ-măm",
]  # fmt: skip
assert len(ETHNIC_GROUPS) == 54  # noqa: S101 - a list that must never lose a group

KINH = "Kinh"

#: Other spellings seen in rosters, folded (see ``ethnicity_from_text``).
_ETHNIC_ALIASES = {
    "hmong": "Mông", "h'mong": "Mông", "h mong": "Mông", "meo": "Mông",
    "khmer": "Khơ-me", "kho me": "Khơ-me", "kh'mer": "Khơ-me",
    "ede": "Ê-đê", "e de": "Ê-đê", "rhade": "Ê-đê",
    "jrai": "Gia-rai", "gia lai": "Gia-rai", "bahnar": "Ba-na",
    "sedang": "Xơ-đăng", "k'ho": "Cơ-ho", "koho": "Cơ-ho", "ra glai": "Raglay",
    "m'nong": "Mnông", "stieng": "Xtiêng", "van kieu": "Bru-Vân Kiều", "bru": "Bru-Vân Kiều",
    "katu": "Cơ-tu", "kho mu": "Khơ-mú", "khmu": "Khơ-mú", "ta oi": "Tà-ôi",
    "ha nhi": "Hà Nhì", "lo lo": "Lô Lô", "pa then": "Pà Thẻn", "san chi": "Sán Chay",
    "cao lan": "Sán Chay", "viet": "Kinh", "nung": "Nùng",
}  # fmt: skip


def _key(text: str) -> str:
    """Fold and drop separators: "Gia-rai", "Gia Rai" and "giarai" give one key."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


_LOOKUP = {_key(name): name for name in ETHNIC_GROUPS}
_LOOKUP.update({_key(alias): name for alias, name in _ETHNIC_ALIASES.items()})


def ethnicity_from_text(text: str) -> str | None:
    """The official name for a spelling found in a roster, or None when unknown.

    "Mông", "H'Mông", "Hmông", "HMONG" -> "Mông"; "Dân tộc Tày" -> "Tày".
    """
    key = _key(text)
    if key.startswith("dantoc"):
        key = key[len("dantoc") :]
    return _LOOKUP.get(key)


ETHNICITY_CHOICES = [(name, name) for name in ETHNIC_GROUPS]
