"""Django admin for people, memberships, blocs' and teams' rosters, and roster imports.

Every write goes through ``members.services`` (``ServiceModelForm``: the form's clean()
calls the service, inside the admin's transaction); inlines are read-only with links to
the membership's own page, where its changes go through the services too. Change lists
join what they print, so they read a constant number of queries whatever the number of
rows (tests/members/test_admin.py).
"""

import functools
import logging

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin import UnitAdmin
from accounts.selectors import areas_visible_to, units_visible_to
from audit.choices import EXPORT_ROSTER_SELECTED
from audit.services import record_export
from members import views_imports
from members.models import Membership, Person
from members.models_imports import ImportJob, ImportJobStatus
from members.selectors import memberships_visible_to, people_visible_to
from members.services import (
    PERSON_FIELDS,
    membership_add,
    membership_end,
    membership_update,
    person_create,
    person_update,
)
from members.workbooks import roster_export
from portal.forms import ServiceAdminMixin, ServiceModelForm
from portal.text import fold
from units.choices import Level
from units.models import Area, Unit

logger = logging.getLogger(__name__)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _ordered(admin_instance, request, queryset):
    """``queryset`` with the admin's ordering, as ``ModelAdmin.get_queryset`` does."""
    ordering = admin_instance.get_ordering(request)
    return queryset.order_by(*ordering) if ordering else queryset


class FoldedSearchMixin:
    """Search columns hold folded text (no diacritics, lower case): fold the term the
    same way, so "nguyen van a" and "Nguyễn Văn A" find the same people."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))


# --- Read-only roster inlines ------------------------------------------------------------


class RosterInlinesMixin:
    """The roster inline only on existing objects: a new unit or person has no seats."""

    def get_inlines(self, request, obj):
        return super().get_inlines(request, obj) if obj is not None else []


class ReadOnlyMembershipInline(admin.TabularInline):
    """Seats shown, never edited here: each row links to the membership's own page,
    whose changes go through the services (a seat is ended, never deleted)."""

    model = Membership
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("vai trò"))
    def role_display(self, obj: Membership) -> str:
        return obj.role_label  # "Trưởng khối", "Tổ phó" ...


class UnitMembershipInline(ReadOnlyMembershipInline):
    fields = ["person", "role_display", "start_date", "end_date", "end_reason"]
    readonly_fields = fields
    verbose_name_plural = _("danh sách thành viên (kể cả đã thôi)")

    def get_queryset(self, request):
        return (
            memberships_visible_to(request.user)
            .select_related("person", "unit")
            .order_by("end_date", "role", "person__search_name", "pk")
        )


class PersonMembershipInline(ReadOnlyMembershipInline):
    fields = ["unit", "role_display", "start_date", "end_date", "end_reason"]
    readonly_fields = fields
    verbose_name_plural = _("tham gia các khối, tổ")

    def get_queryset(self, request):
        return (
            memberships_visible_to(request.user)
            .select_related("person", "unit")
            .order_by("end_date", "unit__area_path", "pk")
        )


# --- Units with their roster -------------------------------------------------------------


admin.site.unregister(Unit)


@admin.register(Unit)
class UnitRosterAdmin(RosterInlinesMixin, UnitAdmin):
    """``accounts.admin.UnitAdmin`` plus what belongs to rosters: the number of current
    members (one correlated count per printed row, inside the list's own query) and the
    roster inline."""

    list_display = [*UnitAdmin.list_display, "active_members"]
    inlines = [UnitMembershipInline]
    change_list_template = "admin/members/unit_change_list.html"

    def get_queryset(self, request):
        current = (
            Membership.objects.filter(unit=OuterRef("pk"), end_date__isnull=True)
            .order_by()
            .values("unit")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                active_member_count=Coalesce(
                    Subquery(current, output_field=IntegerField()), Value(0)
                )
            )
        )

    def has_delete_permission(self, request, obj=None):
        # A unit is dissolved (its seats end, as history), never deleted.
        return False

    @admin.display(description=_("thành viên đang tham gia"), ordering="active_member_count")
    def active_members(self, obj: Unit) -> int:
        return obj.active_member_count

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "import_url": _import_url(self, request)}
        return super().changelist_view(request, extra_context)


def _import_url(model_admin, request) -> str | None:
    """The admin door of the roster import, for users who may add memberships."""
    membership_admin = model_admin.admin_site._registry.get(Membership)
    if membership_admin is None or not membership_admin.has_add_permission(request):
        return None
    return reverse("admin:members_membership_import")


# --- People ------------------------------------------------------------------------------


class PersonAdminForm(ServiceModelForm):
    class Meta:
        model = Person
        fields = [*PERSON_FIELDS, "province"]

    def call_service(self, data: dict) -> Person:
        values = {f: data[f] for f in PERSON_FIELDS if f in data}
        if self.instance.pk:
            return person_update(person=self.instance, acting_user=self.acting_user, **values)
        return person_create(province=data["province"], acting_user=self.acting_user, **values)


@admin.register(Person)
class PersonAdmin(RosterInlinesMixin, FoldedSearchMixin, ServiceAdminMixin, admin.ModelAdmin):
    """People: search by name without diacritics or by phone; filters by gender, Party
    membership and ethnicity; their seats in blocs and teams, read-only.

    Created and changed through ``person_create`` / ``person_update``; merging and
    splitting records are on the staff pages (``person_merge`` / ``person_split``).
    """

    form = PersonAdminForm
    list_display = [
        "full_name", "birth_year", "gender", "ethnicity", "party_member", "phone",
        "province", "active_seats",
    ]  # fmt: skip
    list_filter = ["gender", "party_member", "ethnicity"]
    search_fields = ["search_name", "phone"]
    list_select_related = ["province"]
    list_per_page = 50
    inlines = [PersonMembershipInline]
    readonly_fields = ["created_at", "updated_at"]
    fields = [*PERSON_FIELDS, "province", "created_at", "updated_at"]

    def get_queryset(self, request):
        # Counted within the account's scope: a seat in another commune is not shown,
        # not even as a number.
        current = (
            memberships_visible_to(request.user)
            .filter(person=OuterRef("pk"), end_date__isnull=True)
            .order_by()
            .values("person")
            .annotate(n=Count("pk"))
            .values("n")
        )
        queryset = people_visible_to(request.user).annotate(
            active_seat_count=Coalesce(Subquery(current, output_field=IntegerField()), Value(0))
        )
        return _ordered(self, request, queryset)

    def has_delete_permission(self, request, obj=None):
        # Duplicates are merged (person_merge), departures are ended: never deleted here.
        return False

    @admin.display(description=_("đang tham gia"), ordering="active_seat_count")
    def active_seats(self, obj: Person) -> int:
        return obj.active_seat_count

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # The province scopes the identity rule: a record stays in its province.
            readonly.append("province")
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "province":
            # The provinces the account works in: those that hold one of its areas (all of
            # them for a system administrator). A forged id is "not a valid choice".
            kwargs["queryset"] = (
                Area.objects.filter(level=Level.PROVINCE)
                .filter(
                    Exists(
                        areas_visible_to(request.user).filter(path__descendant_of=OuterRef("path"))
                    )
                )
                .order_by("edition", "code")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- Memberships -------------------------------------------------------------------------


class MembershipAddForm(ServiceModelForm):
    class Meta:
        model = Membership
        fields = ["unit", "person", "role", "start_date"]

    def call_service(self, data: dict) -> Membership:
        return membership_add(
            unit=data["unit"],
            person=data["person"],
            role=data["role"],
            start_date=data.get("start_date"),
            acting_user=self.acting_user,
        )


class MembershipChangeForm(ServiceModelForm):
    class Meta:
        model = Membership
        fields = ["role", "start_date", "end_date", "end_reason"]

    def call_service(self, data: dict) -> Membership:
        membership = self.instance
        was_open = membership.end_date is None
        membership = membership_update(
            membership=membership,
            role=data["role"],
            start_date=data.get("start_date"),
            acting_user=self.acting_user,
        )
        if was_open and data.get("end_date"):
            membership = membership_end(
                membership=membership,
                end_date=data["end_date"],
                end_reason=data.get("end_reason") or "",
                acting_user=self.acting_user,
            )
        return membership


class CurrentFilter(admin.SimpleListFilter):
    """Current seats (no end recorded) or history."""

    title = _("tình trạng")
    parameter_name = "tinh_trang"

    def lookups(self, request, model_admin):
        return [("dang", _("Đang tham gia")), ("thoi", _("Đã thôi"))]

    def queryset(self, request, queryset):
        if self.value() == "dang":
            return queryset.filter(end_date__isnull=True)
        if self.value() == "thoi":
            return queryset.filter(end_date__isnull=False)
        return queryset


class EndMembershipsForm(forms.Form):
    """The date and reason of the admin action "end selected memberships"."""

    end_date = forms.DateField(label=_("Ngày thôi"), widget=AdminDateWidget)
    end_reason = forms.CharField(label=_("Lý do thôi"), max_length=200, required=False)


@admin.register(Membership)
class MembershipAdmin(FoldedSearchMixin, ServiceAdminMixin, admin.ModelAdmin):
    """Seats: filters by role, kind of unit and current / ended; search by the person's
    name (without diacritics), phone or the unit's name. Adding, changing and ending go
    through ``membership_add`` / ``membership_update`` / ``membership_end``; nothing is
    deleted. The change list links to the roster import (the admin door of the same flow
    as the staff page and ``import_roster``) and exports the selected rows."""

    list_display = [
        "person_name", "birth_year", "role_display", "unit", "commune", "start_date",
        "end_date", "is_current",
    ]  # fmt: skip
    list_filter = ["role", "unit__kind", CurrentFilter, "unit__area__edition"]
    search_fields = ["person__search_name", "person__phone", "unit__search_name"]
    list_select_related = ["person", "unit__commune"]
    autocomplete_fields = ["unit", "person"]
    list_per_page = 50
    actions = ["end_selected", "export_selected_xlsx"]

    # --- Lists and forms ---------------------------------------------------------------

    def get_queryset(self, request):
        return _ordered(self, request, memberships_visible_to(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The autocompletes only offer what the account sees, but the form checks a posted
        # id against the field's queryset: scope it the same way, so that a forged unit
        # or person of another commune is "not a valid choice" and nothing is written.
        if db_field.name == "unit":
            kwargs["queryset"] = units_visible_to(request.user)
        elif db_field.name == "person":
            kwargs["queryset"] = people_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        # A departure is recorded by ending the seat; history is never deleted here.
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = MembershipChangeForm if obj is not None else MembershipAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["unit", "person", "role", "start_date"]
        return ["unit", "person", "role", "start_date", "end_date", "end_reason", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        readonly = ["unit", "person", "created_at"]
        if obj.end_date is not None:
            readonly += ["end_date", "end_reason"]
        return readonly

    @admin.display(description=_("họ và tên"), ordering="person__search_name")
    def person_name(self, obj: Membership) -> str:
        return obj.person.full_name

    @admin.display(description=_("năm sinh"), ordering="person__birth_year")
    def birth_year(self, obj: Membership) -> str | None:
        # Text, not a number: a year is never grouped by thousands ("1985", not "1.985").
        year = obj.person.birth_year
        return None if year is None else str(year)

    @admin.display(description=_("vai trò"), ordering="role")
    def role_display(self, obj: Membership) -> str:
        return obj.role_label

    @admin.display(description=_("xã"), ordering="unit__commune__name")
    def commune(self, obj: Membership) -> str:
        return obj.unit.commune.name

    @admin.display(description=_("đang tham gia"), boolean=True, ordering="end_date")
    def is_current(self, obj: Membership) -> bool:
        return obj.end_date is None

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "import_url": _import_url(self, request),
            "template_url": reverse("members:roster_template"),
        }
        return super().changelist_view(request, extra_context)

    # --- Actions -----------------------------------------------------------------------

    @admin.action(description=_("Kết thúc các thành viên đã chọn"), permissions=["change"])
    def end_selected(self, request, queryset):
        """Ask for the date and reason, then end each seat through ``membership_end``;
        a seat the service refuses (already ended, date before its start) is named."""
        form = EndMembershipsForm(
            request.POST if "apply" in request.POST else None,
            initial={"end_date": timezone.localdate()},
        )
        if form.is_bound and form.is_valid():
            ended, refused = 0, []
            for membership in queryset.select_related("person", "unit"):
                try:
                    membership_end(
                        membership=membership,
                        end_date=form.cleaned_data["end_date"],
                        end_reason=form.cleaned_data["end_reason"],
                        acting_user=request.user,
                    )
                except ValidationError as exc:
                    refused.append(f"{membership.person}: {' '.join(exc.messages)}")
                else:
                    ended += 1
            if ended:
                self.message_user(
                    request,
                    ngettext(
                        "Đã kết thúc %(n)d thành viên.", "Đã kết thúc %(n)d thành viên.", ended
                    )
                    % {"n": ended},
                    messages.SUCCESS,
                )
            for line in refused:
                self.message_user(request, line, messages.WARNING)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Kết thúc các thành viên đã chọn"),
            "opts": self.model._meta,
            "form": form,
            "memberships": queryset.select_related("person", "unit"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/members/membership/end_selected.html", context)

    @admin.action(description=_("Xuất danh sách đã chọn (Excel)"), permissions=["view"])
    def export_selected_xlsx(self, request, queryset):
        """The selected seats in the roster workbook layout (the staff export's writer)."""
        rows = queryset.select_related("unit__area", "unit__commune", "person").order_by(
            "area_path", "unit__kind", "unit_id", "role", "person__search_name", "pk"
        )
        content = roster_export(rows, fmt="xlsx")
        # Exports of personal data are recorded (Personal Data Protection Law, Decree
        # 356/2025/NĐ-CP).
        record_export(
            user=request.user,
            filters=request.GET,  # the change list's filters the rows were selected from
            rows=rows.count(),
            fmt="xlsx",
            what=EXPORT_ROSTER_SELECTED,
        )
        logger.info("roster export (admin) user=%s rows=selected", request.user.get_username())
        day = timezone.localdate().strftime("%d-%m-%Y")
        response = HttpResponse(content, content_type=XLSX_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            True, _("Danh sách thành viên {day}.xlsx").format(day=day)
        )
        return response

    # --- The admin door of the roster import ----------------------------------------------

    def get_urls(self):
        def door(view_class):
            view = view_class.as_view(door=views_imports.ADMIN_DOOR, admin_site=self.admin_site)

            @functools.wraps(view)
            def guarded(request, *args, **kwargs):
                if not self.has_add_permission(request):
                    raise PermissionDenied
                return view(request, *args, **kwargs)

            return self.admin_site.admin_view(guarded)

        name = "members_membership_import"
        return [
            path("nhap-excel/", door(views_imports.ImportUploadView), name=name),
            path("nhap-excel/<int:pk>/", door(views_imports.ImportJobView), name=f"{name}_job"),
            path(
                "nhap-excel/<int:pk>/trang-thai/",
                door(views_imports.ImportJobStatusView),
                name=f"{name}_status",
            ),
            path(
                "nhap-excel/<int:pk>/xac-nhan/",
                door(views_imports.ImportJobConfirmView),
                name=f"{name}_confirm",
            ),
            path(
                "nhap-excel/<int:pk>/bao-cao-loi/",
                door(views_imports.ImportJobReportView),
                name=f"{name}_report",
            ),
            *super().get_urls(),
        ]


# --- Import jobs ---------------------------------------------------------------------------


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Uploaded rosters and what became of them, read-only: each opens on the import page.
    Staff see their own uploads, superusers everyone's; a superuser may delete old jobs
    (the uploaded file holds personal data), which never touches the rosters."""

    list_display = ["filename", "created_by", "status", "counts_text", "created_at", "open_link"]
    list_display_links = None
    list_filter = ["status"]
    search_fields = ["filename"]
    list_select_related = ["created_by"]
    date_hierarchy = None

    def get_queryset(self, request):
        return _ordered(self, request, ImportJob.objects.visible_to(request.user).light())

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description=_("thêm / cập nhật / không đổi / lỗi"))
    def counts_text(self, obj: ImportJob) -> str:
        if obj.status not in (ImportJobStatus.VALIDATED, ImportJobStatus.DONE):
            return "—"
        return (
            f"{obj.created_count} / {obj.updated_count} / {obj.unchanged_count} / {obj.error_count}"
        )

    @admin.display(description=_("mở"))
    def open_link(self, obj: ImportJob) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:members_membership_import_job", args=[obj.pk]),
            _("Xem"),
        )
