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
