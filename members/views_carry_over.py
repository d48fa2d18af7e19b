"""The carry-over wizard (chuyển sang địa bàn mới): choose a legacy province, preview it
per 2025 commune, send villages of split communes to another piece, apply, see the new
rosters, undo. For provincial staff of the successor province and system
administrators; the writes are ``members.carry_over``'s, the code the
``carry_over_2025`` command runs too."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from accounts.access import scope_of
from accounts.choices import StaffRole
from accounts.mixins import StaffRequiredMixin
from members.carry_over import carry_over_apply, carry_over_plan, carry_over_undo
from units.choices import Edition, Level
from units.models import Area, Reorganisation, Succession, Unit
from units.models_lineage import ReorganisationKind

MESSAGE_APPLIED = _(
    "Đã chuyển {province} sang địa bàn mới: {blocs} khối, {teams} tổ, {memberships} lượt tham gia."
)
MESSAGE_NOTHING = _("{province} không còn khối, tổ nào để chuyển.")
MESSAGE_UNDONE = _("Đã hoàn tác lượt chuyển của {province}.")

#: The query parameter (and form field) of a village's chosen commune: "thon-<id>".
ASSIGNMENT_PREFIX = "thon-"


def carry_over_provinces(user) -> list[Area]:
    """The legacy provinces ``user`` may carry over: those whose successor province the
    account covers, for provincial staff; every one for a system administrator. Each
    carries ``successor``."""
    scope = scope_of(user)
    if scope.role not in (StaffRole.SYSTEM_ADMIN, StaffRole.PROVINCE_STAFF):
        return []
    links = (
        Succession.objects.official()
        .filter(level=Level.PROVINCE, predecessor__edition=Edition.LEGACY)
        .select_related("predecessor", "successor")
        .order_by("successor__code", "predecessor__code")
    )
    provinces = []
    for link in links:
        if scope.covers(link.successor.path):
            link.predecessor.successor = link.successor
            provinces.append(link.predecessor)
    return provinces


class CarryOverAccessMixin(StaffRequiredMixin):
    """The province of the URL, when the user may carry it (404 otherwise)."""

    def province(self) -> Area:
        code = self.kwargs["code"]
        for province in carry_over_provinces(self.request.user):
            if province.code == code:
                return province
        raise Http404

    def assignments(self, data) -> dict[int, int]:
        """{legacy village id: 2025 commune id} from "thon-<id>" fields."""
        result = {}
        for key, value in data.items():
            if key.startswith(ASSIGNMENT_PREFIX):
                try:
                    result[int(key.removeprefix(ASSIGNMENT_PREFIX))] = int(value)
                except ValueError:
                    continue
        return result


class CarryOverListView(StaffRequiredMixin, TemplateView):
    """The legacy provinces the user may carry, with the carry-overs already made."""

    template_name = "members/carry_over_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        provinces = carry_over_provinces(self.request.user)
        context["provinces"] = provinces
        context["batches"] = (
            Reorganisation.objects.filter(
                kind=ReorganisationKind.CARRY_OVER, area__in=[p.pk for p in provinces]
            )
            .select_related("area", "created_by")
            .order_by("-created_at")[:20]
        )
        return context


class CarryOverPreviewView(CarryOverAccessMixin, TemplateView):
    """The preview of one legacy province (GET, with the chosen communes of villages
    of split communes in the query string) and the apply (POST, the same choices)."""

    template_name = "members/carry_over_preview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        province = self.province()
        assignments = kwargs.get("assignments", self.assignments(self.request.GET))
        plan = carry_over_plan(legacy_province=province, assignments=assignments)
        context.update(
            province=province,
            plan=plan,
            counts=plan.counts(),
            errors=kwargs.get("errors") or plan.errors,
            prefix=ASSIGNMENT_PREFIX,
        )
        return context

    def post(self, request, *args, **kwargs):
        province = self.province()
        assignments = self.assignments(request.POST)
        result = carry_over_apply(
            legacy_province=province, assignments=assignments, acting_user=request.user
        )
        if result.errors:
            context = self.get_context_data(assignments=assignments, errors=result.errors)
            return self.render_to_response(context)
        if result.reorganisation is None:
            messages.info(request, str(MESSAGE_NOTHING).format(province=province.name))
            return redirect("members:carry_over_list")
        messages.success(
            request, str(MESSAGE_APPLIED).format(province=province.name, **result.counts)
        )
        for commune_plan in result.plan.communes:
            for warning in commune_plan.warnings:
                messages.warning(request, warning)
        return redirect("members:carry_over_batch", pk=result.reorganisation.pk)


class CarryOverBatchView(StaffRequiredMixin, TemplateView):
    """One carry-over: what it created (links to the new rosters) and its undo."""

    template_name = "members/carry_over_batch.html"

    def batch(self) -> Reorganisation:
        allowed = [p.pk for p in carry_over_provinces(self.request.user)]
        return get_object_or_404(
            Reorganisation.objects.select_related("area", "created_by"),
            pk=self.kwargs["pk"],
            kind=ReorganisationKind.CARRY_OVER,
            area__in=allowed,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = self.batch()
        units = Unit.objects.filter(pk__in=batch.details.get("units", [])).select_related(
            "area__parent"
        )
        context.update(
            batch=batch,
            units=units.order_by("area_path", "kind") if not batch.undone_at else [],
            errors=kwargs.get("errors", []),
        )
        return context


class CarryOverUndoView(CarryOverBatchView, View):
    """Undo a carry-over (POST)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        batch = self.batch()
        try:
            carry_over_undo(reorganisation=batch, acting_user=request.user)
        except ValidationError as exc:
            context = self.get_context_data(errors=exc.messages)
            return self.render_to_response(context)
        messages.success(request, str(MESSAGE_UNDONE).format(province=batch.area.name))
        return redirect(reverse("members:carry_over_preview", args=[batch.area.code]))
