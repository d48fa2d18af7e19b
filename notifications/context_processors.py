"""The unread count in the staff header, on every page of a logged-in account."""

from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_count


def unread(request):
    """``NOTIFICATIONS_UNREAD``: the account's unread notifications, counted when a
    template first reads it (one query per request, none for the public or a page that
    does not show the header)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"NOTIFICATIONS_UNREAD": 0}
    cached = getattr(request, "_danvan_unread", None)
    if cached is None:
        cached = SimpleLazyObject(lambda: unread_count(user))
        request._danvan_unread = cached
    return {"NOTIFICATIONS_UNREAD": cached}
