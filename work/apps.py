from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkConfig(AppConfig):
    name = "work"
    verbose_name = _("Hoạt động, ý kiến nhân dân")

    def ready(self):
        from accounts.access import grant_role_permissions
        from accounts.choices import StaffRole

        # Commune officers, district (legacy) and provincial staff record and follow the
        # activities and opinions of the units in their areas (the areas themselves are
        # checked by accounts.access.scope_of); provincial staff also set their province's
        # number of days to answer. News editors and the public: nothing. Nothing is
        # deleted through the admin (a mistaken activity is removed on the staff page).
        work = [
            f"work.{action}_{model}"
            for model in ("activity", "activityphoto", "opinion")
            for action in ("view", "add", "change")
        ]
        settings_view = ["work.view_provinceworksettings"]
        for role in (StaffRole.COMMUNE_OFFICER, StaffRole.DISTRICT_STAFF):
            grant_role_permissions(role, [*work, *settings_view])
        grant_role_permissions(
            StaffRole.PROVINCE_STAFF,
            [
                *work,
                *settings_view,
                "work.add_provinceworksettings",
                "work.change_provinceworksettings",
                "work.manage_settings",
            ],
        )
