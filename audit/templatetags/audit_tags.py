"""Template helpers of the audit trail: ``{% load audit_tags %}``."""

from django import template
from django.urls import reverse

from portal.audit import import_batch_id

register = template.Library()


@register.filter
def import_history_url(job) -> str:
    """The history page of every row an import job wrote (/can-bo/lich-su/?batch=...)."""
    return f"{reverse('audit:history')}?batch={import_batch_id(job)}"
