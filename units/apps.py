from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Địa bàn và đơn vị")

    def ready(self):
        from units.access import sync_role_groups
        from units.audit import install_command_door

        post_migrate.connect(sync_role_groups, dispatch_uid="units.sync_role_groups")
        # Changes made by management commands are recorded with door "command".
        install_command_door()
