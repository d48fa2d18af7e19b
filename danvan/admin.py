"""Admin site titles."""

from django.conf import settings
from django.contrib import admin

admin.site.site_header = settings.DANVAN_PORTAL_NAME
admin.site.site_title = settings.DANVAN_PORTAL_NAME
admin.site.index_title = settings.DANVAN_ORGANIZATION_NAME
