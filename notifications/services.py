"""Every write of notifications: ``notify`` (the one door every event goes through),
marking read, the e-mail preference."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.models import EmailPreference, Notification
from notifications.tasks import send_immediate

TEXT_MAX = Notification._meta.get_field("text").max_length
KEY_MAX = Notification._meta.get_field("key").max_length


def _clip(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def notify(
    users: Iterable, kind: str, text: str, link: str = "", *, key=None, immediate=False
) -> list[Notification]:
    """Tell each of ``users`` (accounts; None and inactive accounts are skipped, each
    account once) ``text`` about ``link``. With ``key`` an account already told of that
    event is not told again. ``immediate``: the e-mail goes out now through the worker
    (``notifications.tasks.send_immediate``, once the transaction commits), not in the
    day's digest. Returns the notifications made."""
    recipients = {u.pk: u for u in users if u is not None and u.is_active}
    key = _clip(key or "", KEY_MAX)
    if key:
        told = Notification.objects.filter(recipient_id__in=list(recipients), key=key)
        for pk in told.values_list("recipient_id", flat=True):
            recipients.pop(pk, None)
    if not recipients:
        return []
    rows = [
        Notification(
            recipient=user,
            kind=kind,
            text=_clip(text, TEXT_MAX),
            link=link,
            key=key,
            immediate=immediate,
        )
        for user in recipients.values()
    ]
    try:
        with transaction.atomic():
            made = Notification.objects.bulk_create(rows)
    except IntegrityError:
        # Another process told some of them of the same event meanwhile.
        made = []
        for row in rows:
            with transaction.atomic():
                obj, created = Notification.objects.get_or_create(
                    recipient=row.recipient, key=key, defaults={
                        "kind": kind, "text": row.text, "link": link, "immediate": immediate
                    },
                )  # fmt: skip
            if created:
                made.append(obj)
    if immediate and made:
        ids = [n.pk for n in made]
        transaction.on_commit(lambda: send_immediate.enqueue(ids))
    return made


def notification_open(*, user, notification: Notification) -> Notification:
    """Mark ``user``'s own ``notification`` read (opening it)."""
    if notification.recipient_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of ``user`` read; returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def email_preference_set(*, user, email_enabled: bool) -> EmailPreference:
    """Turn ``user``'s notification e-mail on or off."""
    preference, _created = EmailPreference.objects.update_or_create(
        user=user, defaults={"email_enabled": email_enabled}
    )
    return preference
