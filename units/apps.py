from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Địa bàn và đơn vị")

    def ready(self):
        # Imported here, not at the top: portal.audit defines a model class (the abstract
        # history base), which needs the app registry that is being filled when this
        # module is imported.
        from portal.audit import install_command_door

        # Changes made by management commands are recorded with door "command".
        install_command_door()
