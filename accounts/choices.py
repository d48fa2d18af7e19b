"""Choices of staff accounts: the roles, and the level of area each role is bound to."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from units.choices import Level


class StaffRole(models.TextChoices):
    """What a staff account is for. The role says which actions (Django permissions of
    the role's group); the account's areas say on which objects."""

    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    PROVINCE_STAFF = "province_staff", _("Cán bộ cấp tỉnh")
    DISTRICT_STAFF = "district_staff", _("Cán bộ cấp huyện")
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ cấp xã")
    #: Bound to communes like a commune officer; takes the steps of a rating that its
    #: province's approval chains give it (docs/RATINGS.md, "Approval chains").
    COMMUNE_APPROVER = "commune_approver", _("Cấp ủy xã phê duyệt")
    NEWS_EDITOR = "news_editor", _("Biên tập viên tin tức")


#: The level of area each role is bound to (system administrators see everything,
#: news editors no roster at all).
ROLE_AREA_LEVEL = {
    StaffRole.PROVINCE_STAFF: Level.PROVINCE,
    StaffRole.DISTRICT_STAFF: Level.DISTRICT,
    StaffRole.COMMUNE_OFFICER: Level.COMMUNE,
    StaffRole.COMMUNE_APPROVER: Level.COMMUNE,
}

#: Roles that work on rosters (and later ratings and reports).
ROSTER_ROLES = (
    StaffRole.SYSTEM_ADMIN,
    StaffRole.PROVINCE_STAFF,
    StaffRole.DISTRICT_STAFF,
    StaffRole.COMMUNE_OFFICER,
    StaffRole.COMMUNE_APPROVER,
)
