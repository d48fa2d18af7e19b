from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Thông báo")

    def ready(self):
        # The events of the apps below (a rating returned or decided) reach the people
        # concerned through receivers connected here: those apps never import this one.
        from notifications import events

        events.connect()
