"""Notification e-mail: one message at once for a return, at most one digest per account
and day for the rest (docs/NOTIFICATIONS.md, "E-mail").

Sent through Django's e-mail (the SMTP settings of docs/CONFIGURATION.md) by the
background worker (``notifications.tasks``). Nothing is sent when e-mail is not
configured, to an account without an address, or to one that turned e-mail off; those
notifications stay in the portal only. Messages are written in the portal's language.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.names import display_name
from notifications.models import EmailPreference, Notification
from portal.formats import day as day_text
from portal.mail import email_configured

SUBJECT_IMMEDIATE = _("[{portal}] {kind}")
SUBJECT_DIGEST = _("[{portal}] {count} thông báo mới ngày {day}")
#: Notifications listed in one digest at most (the rest: "and N more" with the link).
DIGEST_MAX_ITEMS = 30


def written_name(user) -> str:
    """The account's name in written order ("Nguyễn Văn An"), else its user name."""
    return display_name(user)


def absolute(link: str) -> str:
    return settings.DANVAN_SITE_URL.rstrip("/") + link if link.startswith("/") else link


def _mailable_users():
    """Active accounts with an address that did not turn e-mail off."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .exclude(email_preference__email_enabled=False)
    )


def _message(user, subject: str, template: str, context: dict) -> EmailMessage:
    body = render_to_string(
        template,
        {
            "name": written_name(user),
            "PORTAL_NAME": settings.DANVAN_PORTAL_NAME,
            "list_url": absolute("/can-bo/thong-bao/"),
            **context,
        },
    )
    return EmailMessage(subject=subject, body=body, to=[user.email])


def send_immediate(notification_ids) -> int:
    """E-mail each of these notifications not yet e-mailed, one message each; returns
    the messages sent."""
    if not email_configured():
        return 0
    rows = list(
        Notification.objects.filter(
            pk__in=list(notification_ids),
            emailed_at__isnull=True,
            recipient__in=_mailable_users(),
        ).select_related("recipient")
    )
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for n in rows:
            subject = str(SUBJECT_IMMEDIATE).format(
                portal=settings.DANVAN_PORTAL_NAME, kind=n.get_kind_display()
            )
            messages.append(
                _message(
                    n.recipient,
                    subject,
                    "notifications/email/immediate.txt",
                    {"notification": n, "url": absolute(n.link)},
                )
            )
    sent = get_connection().send_messages(messages) if messages else 0
    Notification.objects.filter(pk__in=[n.pk for n in rows]).update(emailed_at=timezone.now())
    return sent or 0


def send_digests(*, day: datetime.date) -> int:
    """Each account's digest of ``day``: its unread notifications not yet e-mailed, at
    most one digest per account and day (an account is claimed with a conditional
    update, so two workers never send it twice); returns the digests sent."""
    if not email_configured():
        return 0
    waiting = Notification.objects.filter(emailed_at__isnull=True, read_at__isnull=True)
    users = _mailable_users().filter(pk__in=waiting.values("recipient_id")).order_by("pk")
    sent = 0
    connection = get_connection()
    for user in users:
        EmailPreference.objects.get_or_create(user=user)
        claimed = (
            EmailPreference.objects.filter(user=user)
            .filter(Q(last_digest_on__isnull=True) | Q(last_digest_on__lt=day))
            .update(last_digest_on=day)
        )
        if not claimed:
            continue
        rows = list(waiting.filter(recipient=user).order_by("-created_at", "-pk"))
        with translation.override(settings.LANGUAGE_CODE):
            subject = str(SUBJECT_DIGEST).format(
                portal=settings.DANVAN_PORTAL_NAME, count=len(rows), day=day_text(day)
            )
            message = _message(
                user,
                subject,
                "notifications/email/digest.txt",
                {
                    "items": [(n, absolute(n.link)) for n in rows[:DIGEST_MAX_ITEMS]],
                    "more": max(0, len(rows) - DIGEST_MAX_ITEMS),
                },
            )
        with transaction.atomic():
            sent += connection.send_messages([message]) or 0
            Notification.objects.filter(pk__in=[n.pk for n in rows]).update(
                emailed_at=timezone.now()
            )
    return sent
