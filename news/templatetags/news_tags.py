"""Template helpers of the news pages."""

from django import template
from django.utils.safestring import mark_safe

from news.sanitize import clean_body

register = template.Library()


@register.filter
def article_body(value: str) -> str:
    """An article body ready to print. Bodies are sanitized on save already; cleaning
    again here (cheap, and the pages are cached) means a row written by any other path
    (a raw SQL fix, an old revision) can never put a script on a public page."""
    return mark_safe(clean_body(value or ""))  # noqa: S308 (sanitized by nh3 just above)
