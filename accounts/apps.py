from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Tài khoản cán bộ")

    def ready(self):
        # Imported here, not at the top: accounts.access reads the auth models, which
        # exist only once the app registry is ready.
        from accounts.access import sync_role_groups
        from accounts.names import install_full_name

        # Names in Vietnamese order ("Nguyễn Văn Tỉnh") wherever an account is named.
        install_full_name()

        # One group per role with its permissions, after every migrate (docs/ROLES.md).
        post_migrate.connect(sync_role_groups, dispatch_uid="accounts.sync_role_groups")
        name_third_party_apps()


#: Vietnamese names of the third-party apps and models the admin lists, which their
#: packages give as plain English text (not translatable): docs/DECISIONS.md.
THIRD_PARTY_APP_NAMES = {
    "axes": _("Chặn đăng nhập sai"),
    "django_tasks_database": _("Tác vụ nền"),
    "otp_totp": _("Xác thực hai lớp"),
}


def name_third_party_apps() -> None:
    from django.apps import apps

    for label, name in THIRD_PARTY_APP_NAMES.items():
        if label in apps.app_configs:
            apps.app_configs[label].verbose_name = name
    if "otp_totp" in apps.app_configs:
        meta = apps.get_model("otp_totp", "TOTPDevice")._meta
        meta.verbose_name = _("thiết bị TOTP")
        meta.verbose_name_plural = _("thiết bị TOTP")
