"""What a notification is about."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    RATING_RETURNED = "rating_returned", _("Đánh giá bị trả lại")
    RATING_DECIDED = "rating_decided", _("Đánh giá đã được quyết định")
    RATING_DUE = "rating_due", _("Bước đánh giá sắp đến hạn")
    RATING_LATE = "rating_late", _("Bước đánh giá quá hạn")
    OPINION_DUE = "opinion_due", _("Ý kiến sắp đến hạn trả lời")
    OPINION_OVERDUE = "opinion_overdue", _("Ý kiến quá hạn trả lời")
    REPORT_DUE = "report_due", _("Báo cáo định kỳ sắp đến hạn")
    REPORT_LATE = "report_late", _("Báo cáo định kỳ chưa gửi, quá hạn")


#: Kinds whose e-mail goes out at once (the worker, right after the event), not in the
#: day's digest: a return asks for work again.
IMMEDIATE_KINDS = (Kind.RATING_RETURNED,)
