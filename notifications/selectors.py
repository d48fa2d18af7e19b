"""What an account reads of its notifications: its own, never anybody else's."""

from django.db.models import F, QuerySet

from notifications.models import EmailPreference, Notification


def notifications_of(user) -> QuerySet:
    """``user``'s notifications, unread first, newest first within each."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by(
        F("read_at").desc(nulls_first=True), "-created_at", "-pk"
    )


def unread_count(user) -> int:
    """How many of ``user``'s notifications are unread (one query)."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def email_enabled(user) -> bool:
    """Whether ``user`` wants notifications by e-mail: yes unless the account said no."""
    preference = EmailPreference.objects.filter(user=user).first()
    return preference is None or preference.email_enabled
