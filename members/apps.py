from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Thành viên")

    def ready(self):
        from accounts.access import AREA_ROLES, grant_role_permissions

        # Staff with a roster role keep the rosters of their areas (people, seats,
        # imports); ``accounts.access.Scope`` limits them to those areas.
        for role in AREA_ROLES:
            grant_role_permissions(
                role,
                [
                    "members.view_person",
                    "members.add_person",
                    "members.change_person",
                    "members.view_membership",
                    "members.add_membership",
                    "members.change_membership",
                    "members.view_importjob",
                    "members.add_importjob",
                ],
            )
