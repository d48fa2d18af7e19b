"""Whether the portal can send e-mail: ``EMAIL_HOST`` is set (docs/CONFIGURATION.md).

Without it nothing is sent and the pages that would send mail say so; the notifications
stay in the portal."""

from django.conf import settings


def email_configured() -> bool:
    """Whether an SMTP server is configured (``EMAIL_HOST`` not empty)."""
    return bool(getattr(settings, "EMAIL_HOST", ""))
