"""Who is logged in, for the header of every staff page."""

from django import template

from accounts.access import user_role
from accounts.choices import StaffRole
from accounts.names import display_name

register = template.Library()


@register.simple_tag
def staff_identity(user) -> dict | None:
    """The name and role of a logged-in staff account ({"name", "role"}), or None for
    the public and for accounts without a role."""
    role = user_role(user)
    if role is None:
        return None
    return {"name": display_name(user), "role": StaffRole(role).label}
