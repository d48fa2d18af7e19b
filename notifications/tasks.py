"""Notification e-mail in the background (docs/TASKS.md): the web request that made a
notification never waits for the mail server."""

import datetime

from django_tasks import task

from notifications import mail


@task()
def send_immediate(notification_ids: list[int]) -> int:
    """E-mail these notifications at once (a return)."""
    return mail.send_immediate(notification_ids)


@task()
def send_digests(day: str) -> int:
    """Send the digests of ``day`` (ISO date)."""
    return mail.send_digests(day=datetime.date.fromisoformat(day))
