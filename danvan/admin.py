"""Admin site titles, and years printed as years.

The portal groups thousands ("1.265", USE_THOUSAND_SEPARATOR), and the admin prints every
integer column through ``display_for_field``, so a birth year or a criteria year came out
as "1.985" and "2.026". A column whose field name ends in "year" is a year: printed as
it is, in lists and in read-only fields alike.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin import helpers, utils
from django.contrib.admin.templatetags import admin_list
from django.db import models

admin.site.site_header = settings.DANVAN_PORTAL_NAME
admin.site.site_title = settings.DANVAN_PORTAL_NAME
admin.site.index_title = settings.DANVAN_ORGANIZATION_NAME

_display_for_field = utils.display_for_field


def display_for_field(value, field, empty_value_display, *args, **kwargs):
    """Django's, except that a year is never grouped by thousands."""
    if (
        isinstance(field, models.IntegerField)
        and field.name.endswith("year")
        and isinstance(value, int)
    ):
        return str(value)
    return _display_for_field(value, field, empty_value_display, *args, **kwargs)


# The change list and the read-only fields import the function by name.
for module in (utils, helpers, admin_list):
    module.display_for_field = display_for_field
