from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Đánh giá, xếp loại")

    def ready(self):
        from accounts.access import grant_role_permissions
        from accounts.choices import StaffRole

        models = ["evaluation", "memberrating", "evidencefile"]
        view = [f"evaluations.view_{m}" for m in [*models, "criteriaset"]]
        write = [f"evaluations.{a}_{m}" for m in models for a in ("add", "change")]
        # Commune staff assess their units and enter the commune committee's proposal;
        # district (legacy) and provincial staff decide; only the province issues
        # criteria and reopens a locked result.
        grant_role_permissions(
            StaffRole.COMMUNE_OFFICER,
            [*view, *write, "evaluations.self_assess", "evaluations.propose"],
        )
        grant_role_permissions(
            StaffRole.DISTRICT_STAFF,
            [*view, *write, "evaluations.self_assess", "evaluations.propose",
             "evaluations.decide"],
        )  # fmt: skip
        grant_role_permissions(
            StaffRole.PROVINCE_STAFF,
            [*view, *write, "evaluations.self_assess", "evaluations.propose",
             "evaluations.decide", "evaluations.reopen", "evaluations.manage_criteria",
             "evaluations.add_criteriaset", "evaluations.change_criteriaset"],
        )  # fmt: skip
