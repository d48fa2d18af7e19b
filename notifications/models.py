"""Notifications: what each staff account is told, and whether it wants e-mail.

A notification belongs to one account (``recipient``) and is only ever read by it
(``notifications.selectors``). It keeps its text and the link to the thing it is about as
they were written (stored data, in the portal's language), when it was read and when it
went out by e-mail. ``key`` names the event ("opinion-overdue:12:2026-03-01"): an event
told twice (the daily command run again) does not make a second row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from notifications.choices import Kind


class Notification(models.Model):
    """One thing told to one account: a rating returned, a deadline near."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("nội dung"), max_length=500)
    link = models.CharField(_("liên kết"), max_length=300, blank=True)
    key = models.CharField(_("mã sự kiện"), max_length=120, blank=True, default="")
    #: Sent by e-mail at once (a return), not in the day's digest.
    immediate = models.BooleanField(_("gửi ngay"), default=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~Q(key=""),
                name="%(app_label)s_%(class)s_unique_recipient_key",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notifications_unread"),
            models.Index(fields=["emailed_at", "immediate"], name="notifications_to_mail"),
        ]

    def __str__(self):
        return self.text

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailPreference(models.Model):
    """Whether an account wants its notifications by e-mail (yes unless it said no), and
    the day its last digest went out (at most one a day)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="email_preference",
    )
    email_enabled = models.BooleanField(_("nhận thông báo qua thư điện tử"), default=True)
    last_digest_on = models.DateField(_("ngày gửi bản tin gần nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("tùy chọn thư điện tử")
        verbose_name_plural = _("tùy chọn thư điện tử")

    def __str__(self):
        return f"{self.user_id}: {self.email_enabled}"
