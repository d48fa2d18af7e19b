from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Đánh giá, xếp loại")

    def ready(self):
        from accounts.access import grant_role_permissions
        from evaluations.stages import ROLE_PERMISSIONS

        # Who may take which step: evaluations.stages, the one map of the rules.
        for role, permissions in ROLE_PERMISSIONS.items():
            grant_role_permissions(role, list(permissions))
