"""Choices for administrative areas."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class Edition(models.TextChoices):
    """Which official list an area belongs to.

    The 2025 reorganisation (in force 01/07/2025) removed the district level and merged
    most provinces and communes; ratings from before then still belong to the old units,
    so both lists live side by side and an area never moves between them.
    """

    V2025 = "2025", _("Từ 01/07/2025")
    LEGACY = "legacy", _("Trước 01/07/2025")


class Level(models.TextChoices):
    PROVINCE = "province", _("Tỉnh")
    DISTRICT = "district", _("Huyện")
    COMMUNE = "commune", _("Xã")
    VILLAGE = "village", _("Thôn")


#: The last day of the legacy edition and the first of the 2025 one.
LEGACY_VALID_UNTIL = datetime.date(2025, 6, 30)
V2025_VALID_FROM = datetime.date(2025, 7, 1)

#: Levels of each edition, top down.
EDITION_LEVELS = {
    Edition.LEGACY: [Level.PROVINCE, Level.DISTRICT, Level.COMMUNE, Level.VILLAGE],
    Edition.V2025: [Level.PROVINCE, Level.COMMUNE, Level.VILLAGE],
}

#: Official code lengths by level; villages have no national code.
CODE_LENGTH = {Level.PROVINCE: 2, Level.DISTRICT: 3, Level.COMMUNE: 5}

#: Type words in common use, lower case as written inside a sentence.
VILLAGE_TYPE_WORDS = [
    "thôn",
    "bản",
    "làng",
    "ấp",
    "buôn",
    "sóc",
    "plây",
    "xóm",
    "tổ dân phố",
    "khu phố",
    "khu dân cư",
    "tổ",
    "khu",
]


class UnitKind(models.TextChoices):
    """Kinds of grassroots unit. A community team (Tổ Dân vận cộng đồng, Bắc Giang 2023)
    is a village team in which residents take part; it counts as the village's team."""

    BLOC = "bloc", _("Khối dân vận")
    TEAM = "team", _("Tổ dân vận")
    COMMUNITY_TEAM = "community_team", _("Tổ dân vận cộng đồng")


TEAM_KINDS = (UnitKind.TEAM, UnitKind.COMMUNITY_TEAM)


class UnitStatus(models.TextChoices):
    ACTIVE = "active", _("Đang hoạt động")
    DISSOLVED = "dissolved", _("Đã giải thể")
