"""Who is logged in, for the header of every staff page, and which staff pages the menu
offers."""

from django import template

from accounts.access import user_role
from accounts.choices import StaffRole
from accounts.names import display_name
from accounts.selectors import user_is_portal_staff

register = template.Library()


@register.simple_tag
def staff_identity(user) -> dict | None:
    """The name and role of a logged-in staff account ({"name", "role"}), or None for
    the public and for accounts without a role."""
    role = user_role(user)
    if role is None:
        return None
    return {"name": display_name(user), "role": StaffRole(role).label}


@register.filter
def uses_rosters(user) -> bool:
    """Whether the menu offers the staff roster pages (rosters, members, ratings, daily
    work): the accounts those pages let in (``user_is_portal_staff``), not every account
    that may open the admin (a news editor may, for the news only)."""
    return user_is_portal_staff(user)
