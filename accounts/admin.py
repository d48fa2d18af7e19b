"""Django admin for administrative areas and units (blocs and teams).

An admin page is a door like a staff page: what it lists and opens is the account's
scope (``accounts.selectors``). The area tree (``units``) knows no account, so the admin
of its models is registered here, in the first app that does (docs/DECISIONS.md);
``members/admin.py`` extends ``UnitAdmin`` with the roster.
"""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.selectors import areas_visible_to, units_visible_to
from portal.forms import ServiceAdminMixin, ServiceModelForm
from portal.text import fold
from units.models import Area, Succession, Unit
from units.services import UNIT_EDITABLE_FIELDS, unit_create, unit_update


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    """Areas with diacritic-insensitive search, edition and level filters, and the parent
    chain; the list reads a constant number of queries (parents joined up to the province)."""

    list_display = ["name", "code", "level", "edition", "parent_chain", "valid_until"]
    list_filter = ["edition", "level", "type_word"]
    search_fields = ["search_name", "code"]
    list_select_related = ["parent__parent__parent"]
    readonly_fields = [
        "path", "search_name", "parent_chain", "lineage", "created_at", "updated_at",
    ]  # fmt: skip
    autocomplete_fields = ["parent"]
    list_per_page = 50
    fields = [
        "edition", "level", "code", "name", "short_name", "type_word", "parent",
        "parent_chain", "valid_from", "valid_until", "lineage", "path", "search_name",
        "created_at", "updated_at",
    ]  # fmt: skip

    @admin.display(description=_("thuộc"))
    def parent_chain(self, obj: Area) -> str:
        """ "Huyện B › Tỉnh C", from the joined parents (no query per row)."""
        names, node = [], obj.parent
        while node is not None:
            names.append(node.name)
            node = node.parent if node.parent_id else None
        return " › ".join(names) or "—"

    @admin.display(description=_("sắp xếp đơn vị hành chính 2025"))
    def lineage(self, obj: Area) -> str:
        """The areas this one came from (2025) or went to (legacy), from the lineage."""
        if obj.pk is None:
            return "—"
        links = Succession.objects.filter(Q(predecessor=obj) | Q(successor=obj))
        rows = []
        for link in links.select_related("predecessor", "successor").order_by(
            "-is_default", "predecessor__path", "successor__path"
        ):
            if link.successor_id == obj.pk:
                rows.append(_("từ {area} ({share})").format(
                    area=link.predecessor.name, share=_share(link)
                ))  # fmt: skip
            else:
                rows.append(_("sang {area} ({share})").format(
                    area=link.successor.name, share=_share(link)
                ))  # fmt: skip
        return "; ".join(str(r) for r in rows) or "—"

    def get_search_results(self, request, queryset, search_term):
        # The search column holds folded names, so fold the term the same way:
        # "dak lak" and "Đắk Lắk" both find Tỉnh Đắk Lắk.
        return super().get_search_results(request, queryset, fold(search_term))

    def get_queryset(self, request):
        # Scoped like every other read (accounts.access): the change list, the change pages
        # and the autocomplete of a unit's area offer the account's areas only; a
        # sibling commune's villages are not there, and their pages answer "does not exist".
        queryset = areas_visible_to(request.user)
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def get_readonly_fields(self, request, obj=None):
        # Official areas keep their identity; only villages are edited freely.
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly += ["edition", "level", "parent"]
        return readonly


def _share(link: Succession) -> str:
    if link.whole:
        return str(_("toàn bộ"))
    return str(_("một phần, phần mặc định") if link.is_default else _("một phần"))


class UnitAdminForm(ServiceModelForm):
    class Meta:
        model = Unit
        fields = ["kind", "area", *UNIT_EDITABLE_FIELDS]
        help_texts = {"name": _("Để trống: đặt tên theo địa bàn, ví dụ “Tổ dân vận Thôn Nà Pục”.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "name" in self.fields:
            self.fields["name"].required = False

    def call_service(self, data: dict) -> Unit:
        values = {f: data[f] for f in UNIT_EDITABLE_FIELDS if f in data}
        if self.instance.pk:
            return unit_update(unit=self.instance, acting_user=self.acting_user, **values)
        values.pop("kind", None)
        return unit_create(
            kind=data.get("kind"), area=data.get("area"), acting_user=self.acting_user, **values
        )


@admin.register(Unit)
class UnitAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Blocs and teams: search by folded name or commune code, filters by kind, status and
    edition; area and commune joined, so the list reads a constant number of queries.

    Founding and editing go through ``unit_create`` / ``unit_update``; a unit never moves
    (the area is fixed once founded) and dissolving ends its memberships, so the status is
    changed by ``members.services.unit_dissolve``, not here. ``members/admin.py`` extends
    this admin with the roster (``members`` builds on ``units``, never the reverse).
    """

    form = UnitAdminForm
    list_display = ["name", "kind", "area", "commune", "status"]
    list_filter = ["kind", "status", "area__edition"]
    search_fields = ["search_name", "commune__code"]
    list_select_related = ["area", "commune"]
    autocomplete_fields = ["area"]
    list_per_page = 50
    readonly_fields = ["commune", "status", "dissolved_on", "created_at", "updated_at"]
    fields = [
        "kind", "area", "commune", "name", "decision_number", "decision_date",
        "rules_adopted", "rules_adopted_on", "status", "dissolved_on", "created_at",
        "updated_at",
    ]  # fmt: skip

    def get_search_results(self, request, queryset, search_term):
        # Folded names: "khoi dan van bang thanh" finds "Khối dân vận Xã Bằng Thành".
        return super().get_search_results(request, queryset, fold(search_term))

    def get_queryset(self, request):
        queryset = units_visible_to(request.user)
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The autocomplete only offers the account's areas, but the form field checks the
        # posted id against its own queryset: scope it too, so that a forged id of another
        # commune's area is "not a valid choice" rather than a unit founded there.
        if db_field.name == "area":
            kwargs["queryset"] = areas_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly.append("area")
        return readonly
