"""Choices of the news app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleStatus(models.TextChoices):
    """Where an article stands.

    A scheduled article is public from its ``publish_at`` on, whether or not the
    ``publish_scheduled`` job has run yet (``news.models.public_q``): the job only
    turns the status into "published" and refreshes the cached pages.
    """

    DRAFT = "draft", _("Bản nháp")
    SCHEDULED = "scheduled", _("Hẹn giờ đăng")
    PUBLISHED = "published", _("Đã đăng")
    ARCHIVED = "archived", _("Lưu trữ")


#: Statuses that are public once ``publish_at`` has passed.
LIVE_STATUSES = (ArticleStatus.PUBLISHED, ArticleStatus.SCHEDULED)

#: Widths of the resized copies of every uploaded image, largest first (px).
IMAGE_WIDTHS = (1200, 800, 400)
