from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExemplarsConfig(AppConfig):
    name = "exemplars"
    verbose_name = _("Mô hình “Dân vận khéo”")

    def ready(self):
        from accounts.access import grant_role_permissions
        from accounts.choices import StaffRole

        # Commune officers, district (legacy) and provincial staff keep the registry of
        # their areas: register, follow, record reviews and decisions (a province-level
        # decision only by provincial staff: exemplars.services). News editors and the
        # public: the gallery only. Nothing is deleted (a model not recognised stays,
        # with its reason).
        permissions = [
            *(
                f"exemplars.{action}_{model}"
                for model in ("exemplar", "exemplarphoto")
                for action in ("view", "add", "change")
            ),
            "exemplars.decide_exemplar",
        ]
        for role in (
            StaffRole.COMMUNE_OFFICER,
            StaffRole.DISTRICT_STAFF,
            StaffRole.PROVINCE_STAFF,
        ):
            grant_role_permissions(role, permissions)
