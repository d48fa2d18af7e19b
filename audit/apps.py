from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Lịch sử thay đổi")

    def ready(self):
        # Imported here, not at the top: accounts.access reads the auth models, which
        # exist only once the app registry is ready.
        from accounts.access import AREA_ROLES, grant_role_permissions

        # Staff with a roster role read the history of their area (docs/AUDIT.md).
        for role in AREA_ROLES:
            grant_role_permissions(role, ["audit.view_audit"])
