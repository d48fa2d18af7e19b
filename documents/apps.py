from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Văn bản")

    def ready(self):
        from accounts.access import grant_role_permissions
        from accounts.choices import StaffRole

        # News editors keep the documents section as they keep the news: they create,
        # edit, publish and unpublish documents and attach or remove their files.
        # Documents are never deleted (a replaced one stays, linked to its
        # replacement). System administrators have everything.
        grant_role_permissions(
            StaffRole.NEWS_EDITOR,
            [
                "documents.view_document",
                "documents.add_document",
                "documents.change_document",
                "documents.view_attachment",
                "documents.add_attachment",
                "documents.delete_attachment",
            ],
        )
