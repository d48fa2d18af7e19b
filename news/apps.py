from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("Tin tức")

    def ready(self):
        from accounts.access import grant_role_permissions
        from accounts.choices import StaffRole

        # News editors write, publish and archive news and keep its categories; they
        # see no roster (accounts.access.scope_of). System administrators have everything.
        grant_role_permissions(
            StaffRole.NEWS_EDITOR,
            [
                "news.view_article",
                "news.add_article",
                "news.change_article",
                "news.publish_article",
                "news.view_category",
                "news.add_category",
                "news.change_category",
                "news.view_image",
                "news.add_image",
                "news.change_image",
            ],
        )
