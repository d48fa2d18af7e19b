"""Staff pages that reorganise villages: one page per commune listing its villages in
force, with the merge form and, per village, rename and move. Thin: the services in
``members.reorganise`` write; an area outside the user's set answers 404."""

from django.contrib import messages
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import areas_visible_to, communes_visible_to
from members import reorganise
from members.forms_reorganise import VillageMergeForm, VillageMoveForm, VillageRenameForm
from members.views import ServiceFormView
from portal.paths import province_path
from units.choices import Level
from units.models import Area, Reorganisation

MESSAGE_MERGED = _("Đã sáp nhập {count} thôn, tổ dân phố thành {name} từ ngày {date}.")
MESSAGE_RENAMED = _("Đã đổi tên {old} thành {name} từ ngày {date}.")
MESSAGE_MOVED = _("Đã chuyển {name} sang {commune} từ ngày {date}.")


def _day(value) -> str:
    return value.strftime("%d/%m/%Y")


def villages_in_force(user, commune: Area):
    """The commune's villages in force today, as ``user`` may see them."""
    return (
        areas_visible_to(user)
        .filter(parent=commune, level=Level.VILLAGE)
        .active_on(timezone.localdate())
        .order_by("search_name")
    )


class _ReorganiseView(ServiceFormView):
    def _warn(self, reorganisation: Reorganisation) -> None:
        for warning in reorganisation.details.get("warnings", []):
            messages.warning(self.request, warning)

    def success_url_for(self, result):
        return reverse("members:village_reorganise", args=[result.area_id])


class VillageReorganiseView(_ReorganiseView):
    """The commune's villages in force, the merge form, links to rename and move each
    village, and the reorganisations already made in the commune."""

    template_name = "members/village_reorganise.html"
    form_class = VillageMergeForm
    context_object_name = "commune"

    def get_queryset(self):
        return communes_visible_to(self.request.user).select_related("parent__parent")

    def get_form_kwargs(self):
        villages = villages_in_force(self.request.user, self.object)
        return {**super().get_form_kwargs(), "villages": villages}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["villages"] = list(villages_in_force(self.request.user, self.object))
        context["reorganisations"] = Reorganisation.objects.filter(
            area=self.object, undone_at__isnull=True
        ).order_by("-effective_on", "-pk")[:20]
        return context

    def perform(self, form):
        data = form.cleaned_data
        reorganisation = reorganise.village_merge(
            villages=data["villages"],
            name=data["name"],
            effective_on=data["effective_on"],
            acting_user=self.request.user,
        )
        messages.success(
            self.request,
            str(MESSAGE_MERGED).format(
                count=len(data["villages"]), name=data["name"], date=_day(data["effective_on"])
            ),
        )
        self._warn(reorganisation)
        return reorganisation


class _VillageView(_ReorganiseView):
    context_object_name = "village"

    def get_queryset(self):
        return (
            areas_visible_to(self.request.user)
            .filter(level=Level.VILLAGE)
            .active_on(timezone.localdate())
            .select_related("parent__parent")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["commune"] = self.object.parent
        return context


class VillageRenameView(_VillageView):
    template_name = "members/village_rename.html"
    form_class = VillageRenameForm

    def get_initial(self):
        return {"name": self.object.name}

    def perform(self, form):
        old = self.object.name
        reorganisation = reorganise.village_rename(
            village=self.object,
            name=form.cleaned_data["name"],
            effective_on=form.cleaned_data["effective_on"],
            acting_user=self.request.user,
        )
        messages.success(
            self.request,
            str(MESSAGE_RENAMED).format(
                old=old, name=self.object.name, date=_day(reorganisation.effective_on)
            ),
        )
        return reorganisation


class VillageMoveView(_VillageView):
    template_name = "members/village_move.html"
    form_class = VillageMoveForm

    def get_form_kwargs(self):
        communes = (
            communes_visible_to(self.request.user)
            .filter(path__startswith=province_path(self.object.path))
            .exclude(pk=self.object.parent_id)
            .active_on(timezone.localdate())
            .order_by("search_name")
        )
        return {**super().get_form_kwargs(), "communes": communes}

    def perform(self, form):
        commune = form.cleaned_data["commune"]
        reorganisation = reorganise.village_move(
            village=self.object,
            commune=commune,
            effective_on=form.cleaned_data["effective_on"],
            acting_user=self.request.user,
        )
        messages.success(
            self.request,
            str(MESSAGE_MOVED).format(
                name=self.object.name, commune=commune.name, date=_day(reorganisation.effective_on)
            ),
        )
        self._warn(reorganisation)
        return reorganisation
