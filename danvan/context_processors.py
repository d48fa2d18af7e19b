"""Template context shared by every page."""

from django.conf import settings


def portal(request):
    """The portal's name and owning body, both settings."""
    return {
        "PORTAL_NAME": settings.DANVAN_PORTAL_NAME,
        "ORGANIZATION_NAME": settings.DANVAN_ORGANIZATION_NAME,
    }
