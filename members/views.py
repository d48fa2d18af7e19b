"""Staff interface views: thin. Reads go through the ``*_visible_to(user)`` selectors
(an object outside the user's set answers 404, like one that does not exist); writes go
through the services, whose ``ValidationError`` becomes form errors."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, TemplateView
from django.views.generic.detail import SingleObjectMixin
from django_filters.views import FilterView

from accounts.mixins import StaffRequiredMixin
from accounts.selectors import commune_search, communes_visible_to
from members import selectors, services
from members.filtersets import MembershipFilterSet, membership_filter
from members.forms import (
    BlocCreateForm,
    CommuneSearchForm,
    MembershipAddForm,
    MembershipEndForm,
    MembershipUpdateForm,
    PersonMergeForm,
    PersonSplitForm,
    TeamCreateForm,
    UnitDissolveForm,
    UnitUpdateForm,
)
from members.health import roster_size
from units import selectors as unit_selectors
from units import services as unit_services
from units.choices import Edition, UnitKind, UnitStatus

MEMBER_LIST_PAGE_SIZE = 50

MESSAGE_MEMBER_ADDED = _("Đã thêm {person} vào {unit}.")
MESSAGE_PERSON_RECOGNISED = _(
    "{person} đã có hồ sơ trong tỉnh (cùng họ tên, năm sinh và số điện thoại): lượt tham "
    "gia mới được ghi vào hồ sơ đó. Nếu không phải cùng một người, hãy tách hồ sơ."
)
MESSAGE_MEMBERSHIP_UPDATED = _("Đã cập nhật thông tin của {person}.")
MESSAGE_MEMBERSHIP_ENDED = _("{person} thôi tham gia {unit} từ ngày {date}.")
MESSAGE_UNIT_CREATED = _("Đã lập {unit}.")
MESSAGE_UNIT_UPDATED = _("Đã cập nhật {unit}.")
MESSAGE_UNIT_DISSOLVED = _("Đã giải thể {unit} từ ngày {date}.")
MESSAGE_PEOPLE_MERGED = _("Đã gộp hồ sơ trùng vào hồ sơ của {person}.")
MESSAGE_PERSON_SPLIT = _("Đã tách {count} lượt tham gia sang hồ sơ mới của {person}.")


def _day(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


class ServiceFormView(StaffRequiredMixin, SingleObjectMixin, FormView):
    """A form about one object of the user's visible set (404 outside it), written by
    a service in ``perform``; the service's ``ValidationError`` goes back on the form
    and nothing is written."""

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except ValidationError as exc:
            form.add_service_error(exc)
            return self.form_invalid(form)
        return redirect(self.success_url_for(result))

    def perform(self, form):
        raise NotImplementedError

    def success_url_for(self, result) -> str:
        return result.get_absolute_url()


# --- Communes -------------------------------------------------------------------------


class StaffHomeView(StaffRequiredMixin, TemplateView):
    """Start page: find a commune of either edition by name (diacritics optional) or
    by its 5-digit code."""

    template_name = "members/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = CommuneSearchForm(self.request.GET or None)
        query = form.cleaned_data["q"] if form.is_valid() else ""
        communes = list(commune_search(user=self.request.user, query=query)) if query else []
        context.update(
            form=form,
            query=query,
            communes=communes,
            edition_labels=dict(Edition.choices),
        )
        return context


class CommuneDetailView(StaffRequiredMixin, DetailView):
    """A commune's bloc (or the button to found it), a row per village with its team
    or the action to found one, and the form that founds a team for a named village."""

    template_name = "members/commune_detail.html"
    context_object_name = "commune"

    def get_queryset(self):
        return communes_visible_to(self.request.user).select_related("parent__parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        overview = selectors.commune_overview(user=self.request.user, commune=self.object)
        context.update(
            overview=overview,
            lineage=self.lineage(),
            # A commune that has ceased (a legacy one after 30/06/2025): its rosters are
            # history, no founding form (the services refuse it anyway).
            ended=unit_services.area_ended_before(self.object, timezone.localdate()),
            team_form=kwargs.get("team_form") or TeamCreateForm(),
            edition_label=Edition(self.object.edition).label,
        )
        return context

    def lineage(self) -> list:
        """The 2025 commune's predecessors, or the legacy commune's successors
        (units.models.Succession); those the user may open carry ``visible``."""
        commune = self.object
        if commune.edition == Edition.V2025:
            areas = unit_selectors.predecessor_communes(commune)
        else:
            areas = unit_selectors.successor_communes(commune)
        visible = set(
            communes_visible_to(self.request.user)
            .filter(pk__in=[a.pk for a in areas])
            .values_list("pk", flat=True)
        )
        for area in areas:
            area.visible = area.pk in visible
        return areas


class CommuneFormView(ServiceFormView):
    """A unit founded in a commune; the page states the size the unit should have."""

    unit_kind = UnitKind.BLOC

    def get_queryset(self):
        return communes_visible_to(self.request.user).select_related("parent__parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["commune"] = self.object
        context["roster_size"] = roster_size(self.unit_kind)
        return context


class BlocCreateView(CommuneFormView):
    """Found the commune's Khối dân vận."""

    template_name = "members/bloc_form.html"
    form_class = BlocCreateForm
    unit_kind = UnitKind.BLOC

    def perform(self, form):
        unit = unit_services.unit_create(
            kind=UnitKind.BLOC,
            area=self.object,
            acting_user=self.request.user,
            **form.unit_data(),
        )
        messages.success(self.request, str(MESSAGE_UNIT_CREATED).format(unit=unit))
        return unit


class TeamCreateView(CommuneFormView):
    """Found a Tổ dân vận for a village of the commune, creating the village when the
    commune has none of that name (``team_create_for_village``)."""

    template_name = "members/team_form.html"
    form_class = TeamCreateForm
    unit_kind = UnitKind.TEAM

    def get_initial(self):
        return {"village_name": self.request.GET.get("thon", "")[:150]}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["overview"] = selectors.commune_overview(
            user=self.request.user, commune=self.object
        )
        return context

    def perform(self, form):
        unit = unit_services.team_create_for_village(
            commune=self.object,
            village_name=form.cleaned_data["village_name"],
            kind=form.cleaned_data["kind"],
            acting_user=self.request.user,
            **form.unit_data(),
        )
        messages.success(self.request, str(MESSAGE_UNIT_CREATED).format(unit=unit))
        return unit


# --- Units ----------------------------------------------------------------------------


class UnitDetailView(StaffRequiredMixin, DetailView):
    """A unit's roster: current members (heads first) with the health warnings, and
    the past members under "Đã thôi"."""

    template_name = "members/unit_detail.html"
    context_object_name = "unit"

    def get_queryset(self):
        return selectors.unit_get_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["roster"] = selectors.unit_roster(user=self.request.user, unit=self.object)
        context["is_active"] = self.object.status == UnitStatus.ACTIVE
        return context


class UnitFormView(ServiceFormView):
    context_object_name = "unit"

    def get_queryset(self):
        return selectors.unit_get_queryset(self.request.user)


class UnitUpdateView(UnitFormView):
    """Change a unit's name, kind (team / community team) and founding details."""

    template_name = "members/unit_form.html"
    form_class = UnitUpdateForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "unit": self.object}

    def perform(self, form):
        unit = unit_services.unit_update(
            unit=self.object, acting_user=self.request.user, **form.unit_data()
        )
        messages.success(self.request, str(MESSAGE_UNIT_UPDATED).format(unit=unit))
        return unit


class UnitDissolveView(UnitFormView):
    """Dissolve a unit: its current members' seats end on that day, as history."""

    template_name = "members/unit_dissolve.html"
    form_class = UnitDissolveForm

    def perform(self, form):
        day = form.cleaned_data["dissolved_on"]
        unit = services.unit_dissolve(
            unit=self.object, dissolved_on=day, acting_user=self.request.user
        )
        messages.success(
            self.request, str(MESSAGE_UNIT_DISSOLVED).format(unit=unit, date=_day(day))
        )
        return unit


class MembershipCreateView(UnitFormView):
    """Add a member to a unit. The person is recognised by the identity rule (same
    folded name and birth year, phones that agree, within the province) or created."""

    template_name = "members/membership_add.html"
    form_class = MembershipAddForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "unit": self.object}

    def perform(self, form):
        # A blank field keeps what a recognised person's record holds: membership_add's
        # rule, the same for every door (the form gives an unticked box as None).
        membership = services.membership_add(
            unit=self.object,
            acting_user=self.request.user,
            role=form.cleaned_data["role"],
            start_date=form.cleaned_data["start_date"],
            **form.person_data(),
        )
        person = membership.person
        messages.success(
            self.request, str(MESSAGE_MEMBER_ADDED).format(person=person, unit=self.object)
        )
        if person.memberships.exclude(pk=membership.pk).exists():
            messages.info(self.request, str(MESSAGE_PERSON_RECOGNISED).format(person=person))
        return self.object


# --- Memberships ----------------------------------------------------------------------


class MembershipFormView(ServiceFormView):
    context_object_name = "membership"

    def get_queryset(self):
        return selectors.membership_get_queryset(self.request.user)

    def success_url_for(self, result) -> str:
        return result.unit.get_absolute_url()


class MembershipUpdateView(MembershipFormView):
    """Change a seat's role and start date, and the person's details."""

    template_name = "members/membership_form.html"
    form_class = MembershipUpdateForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "membership": self.object}

    def perform(self, form):
        membership = services.membership_update(
            membership=self.object,
            acting_user=self.request.user,
            role=form.cleaned_data["role"],
            start_date=form.cleaned_data["start_date"],
            **form.person_data(),
        )
        messages.success(
            self.request, str(MESSAGE_MEMBERSHIP_UPDATED).format(person=membership.person)
        )
        return membership


class MembershipEndView(MembershipFormView):
    """Record a departure: the seat moves to the unit's history with its date and
    reason; nothing is deleted."""

    template_name = "members/membership_end.html"
    form_class = MembershipEndForm

    def perform(self, form):
        membership = services.membership_end(
            membership=self.object,
            end_date=form.cleaned_data["end_date"],
            end_reason=form.cleaned_data["end_reason"],
            acting_user=self.request.user,
        )
        messages.success(
            self.request,
            str(MESSAGE_MEMBERSHIP_ENDED).format(
                person=membership.person, unit=membership.unit, date=_day(membership.end_date)
            ),
        )
        return membership


class MembershipListView(StaffRequiredMixin, FilterView):
    """Every membership the user may see, filtered (``MembershipFilterSet``) and paged."""

    template_name = "members/membership_list.html"
    filterset_class = MembershipFilterSet
    paginate_by = MEMBER_LIST_PAGE_SIZE
    context_object_name = "memberships"

    def get_filterset(self, filterset_class):
        return membership_filter(self.request.user, self.request.GET)


# --- People ---------------------------------------------------------------------------


class PersonDetailView(StaffRequiredMixin, DetailView):
    """A person's details and every seat they hold or held."""

    template_name = "members/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return selectors.person_get_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = selectors.person_memberships(
            user=self.request.user, person=self.object
        )
        return context


class PersonFormView(ServiceFormView):
    context_object_name = "person"

    def get_queryset(self):
        return selectors.person_get_queryset(self.request.user)


class PersonMergeView(PersonFormView):
    """Fold a duplicate record of the same province (or of a province linked to it by the
    2025 reorganisation) into this person: search by name,
    then merge one of the matches (``person_merge``)."""

    template_name = "members/person_merge.html"
    form_class = PersonMergeForm

    def get_form_kwargs(self):
        candidates = (
            selectors.people_visible_to(self.request.user)
            .filter(province__in=unit_selectors.provinces_linked(self.object.province_id))
            .exclude(pk=self.object.pk)
        )
        return {**super().get_form_kwargs(), "candidates": candidates}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", self.object.full_name).strip()[:100]
        context.update(
            query=query,
            candidates=selectors.merge_candidates(
                user=self.request.user, person=self.object, query=query
            ),
        )
        return context

    def perform(self, form):
        person = services.person_merge(
            keep=self.object,
            duplicate=form.cleaned_data["duplicate"],
            acting_user=self.request.user,
        )
        messages.success(self.request, str(MESSAGE_PEOPLE_MERGED).format(person=person))
        return person

    def success_url_for(self, result) -> str:
        return _person_url(result)


class PersonSplitView(PersonFormView):
    """Move the seats that belong to someone else to a new record (``person_split``)."""

    template_name = "members/person_split.html"
    form_class = PersonSplitForm

    def get_form_kwargs(self):
        memberships = (
            selectors.memberships_visible_to(self.request.user)
            .filter(person=self.object)
            .select_related("unit")
            .order_by("end_date", "pk")
        )
        return {
            **super().get_form_kwargs(),
            "person": self.object,
            "memberships": memberships,
        }

    def perform(self, form):
        chosen = list(form.cleaned_data["memberships"])
        new_person = services.person_split(
            person=self.object,
            memberships=chosen,
            acting_user=self.request.user,
            **form.person_data(),
        )
        messages.success(
            self.request,
            str(MESSAGE_PERSON_SPLIT).format(count=len(chosen), person=new_person),
        )
        return new_person

    def success_url_for(self, result) -> str:
        return _person_url(result)


def _person_url(person) -> str:
    return reverse("members:person_detail", args=[person.pk])
