"""Activities pages (staff, /can-bo/hoat-dong/): the work home with the queues panel and
the units to record for, the short entry form, the lists with filters, the export,
the photos. Thin: reads through ``work.selectors`` (an object outside the user's area
answers 404 like a missing one), writes through ``work.services``."""

import os

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from accounts.mixins import StaffRequiredMixin
from accounts.selectors import units_visible_to
from members.views import ServiceFormView
from portal.forms import ServiceForm
from work import selectors, services
from work.dashboard import work_panel
from work.filtersets import ActivityFilterSet, activity_filter
from work.forms import ActivityForm
from work.photos import MAX_PHOTOS, variant_name
from work.workbooks import activities_workbook

LIST_PAGE_SIZE = 30
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

MESSAGE_RECORDED = _("Đã ghi hoạt động “{kind}” của {unit} ngày {date}.")
MESSAGE_UPDATED = _("Đã cập nhật hoạt động.")
MESSAGE_DELETED = _("Đã xoá hoạt động “{kind}” của {unit} ngày {date}.")
MESSAGE_PHOTO_DELETED = _("Đã xoá một ảnh của hoạt động.")
ERROR_FILTER = _("Bộ lọc không hợp lệ, chưa xuất được danh sách:")


#: Parameters that are not filters typed in the form (links and paging pass them).
NOT_TYPED = {"page", "unit", "area"}


def filters_typed(request) -> bool:
    """Whether the reader typed a filter (the filter form then stays open)."""
    return any(value for key, value in request.GET.items() if key not in NOT_TYPED)


def day_text(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


class WorkMixin(StaffRequiredMixin):
    """Portal staff whose role has ``permission`` (work/apps.py): anonymous visitors go
    to the login page, other accounts (news editors) get 403."""

    permission = "work.view_activity"

    def test_func(self):
        return super().test_func() and self.request.user.has_perm(self.permission)


class WorkHomeView(WorkMixin, TemplateView):
    """/can-bo/hoat-dong/: the queues panel of the user's area, and the units the user
    records for (searchable), each with "record an activity" and "record an opinion"."""

    template_name = "work/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:100]
        context.update(
            panel=work_panel(self.request.user, today=timezone.localdate()),
            query=query,
            units=selectors.units_for_entry(user=self.request.user, query=query),
            unit_limit=selectors.UNIT_CHOICE_LIMIT,
            can_record=self.request.user.has_perm("work.add_activity"),
            can_manage_settings=self.request.user.has_perm("work.manage_settings"),
        )
        return context


# --- Activities ---------------------------------------------------------------------------


class ActivityListView(WorkMixin, FilterView):
    """Every activity of the user's area, newest first, filtered by place, unit, kind
    and period; 30 a page; "Xuất Excel" exports the same rows."""

    template_name = "work/activity_list.html"
    filterset_class = ActivityFilterSet
    paginate_by = LIST_PAGE_SIZE
    context_object_name = "activities"

    def get_filterset(self, filterset_class):
        return activity_filter(self.request.user, self.request.GET)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filtered"] = filters_typed(self.request)
        return context


class ActivityExportView(WorkMixin, View):
    """The activity list's rows (same filters) as .xlsx in the import layout. An invalid
    filter is refused (400) rather than ignored, which would export more rows than the
    page showed."""

    def get(self, request):
        filterset = activity_filter(request.user, request.GET)
        if not filterset.is_valid():
            lines = [str(ERROR_FILTER)]
            for name, errors in filterset.errors.items():
                label = filterset.form.fields[name].label if name in filterset.form.fields else ""
                lines += [f"{label}: {error}" if label else str(error) for error in errors]
            return HttpResponse("\n".join(lines), status=400, content_type="text/plain")
        content = activities_workbook(filterset.qs)
        response = HttpResponse(content, content_type=XLSX)
        name = f"hoat-dong-{timezone.localdate().isoformat()}.xlsx"
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response


class UnitFormView(WorkMixin, ServiceFormView):
    """A form recording something of one unit of the user's area (404 outside it)."""

    permission = "work.add_activity"
    context_object_name = "unit"

    def get_queryset(self):
        return units_visible_to(self.request.user).select_related("area", "commune")


class ActivityCreateView(UnitFormView):
    """The short entry form for one unit, usable on a phone: kind, date (today unless
    told), place, people, work-days, a few words and photos."""

    template_name = "work/activity_form.html"
    form_class = ActivityForm

    def get_initial(self):
        return {"date": timezone.localdate()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, max_photos=MAX_PHOTOS, creating=True)

    def perform(self, form):
        activity = services.activity_create(
            unit=self.object,
            acting_user=self.request.user,
            photos=form.cleaned_data["photos"],
            **form.activity_data(),
        )
        messages.success(
            self.request,
            str(MESSAGE_RECORDED).format(
                kind=activity.get_kind_display(), unit=self.object, date=day_text(activity.date)
            ),
        )
        return activity


class ActivityDetailView(WorkMixin, DetailView):
    """One activity with its photos and who recorded it."""

    template_name = "work/activity_detail.html"
    context_object_name = "activity"

    def get_queryset(self):
        return selectors.activity_get_queryset(self.request.user).prefetch_related("photos")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs, can_change=self.request.user.has_perm("work.change_activity")
        )


class ActivityFormView(WorkMixin, ServiceFormView):
    permission = "work.change_activity"
    context_object_name = "activity"

    def get_queryset(self):
        return selectors.activity_get_queryset(self.request.user)

    def success_url_for(self, result) -> str:
        return reverse("work:activity_detail", args=[self.object.pk])


class ActivityUpdateView(ActivityFormView):
    """Correct an activity and add photos up to the limit."""

    template_name = "work/activity_form.html"
    form_class = ActivityForm

    def get_initial(self):
        return {field: getattr(self.object, field) for field in services.ACTIVITY_FIELDS}

    def get_context_data(self, **kwargs):
        left = MAX_PHOTOS - self.object.photos.count()
        return super().get_context_data(
            **kwargs, unit=self.object.unit, max_photos=left, creating=False
        )

    def perform(self, form):
        activity = services.activity_update(
            activity=self.object,
            acting_user=self.request.user,
            photos=form.cleaned_data["photos"],
            **form.activity_data(),
        )
        messages.success(self.request, str(MESSAGE_UPDATED))
        return activity


class ActivityDeleteView(ActivityFormView):
    """Remove an activity recorded by mistake (after a confirmation)."""

    template_name = "work/activity_delete.html"
    form_class = ServiceForm

    def perform(self, form):
        activity = self.object
        text = str(MESSAGE_DELETED).format(
            kind=activity.get_kind_display(), unit=activity.unit, date=day_text(activity.date)
        )
        unit = activity.unit
        services.activity_delete(activity=activity, acting_user=self.request.user)
        messages.success(self.request, text)
        return unit

    def success_url_for(self, result) -> str:
        return f"{reverse('work:activity_list')}?unit={result.pk}"


# --- Photos ---------------------------------------------------------------------------------


class PhotoView(WorkMixin, View):
    """A photo of an activity of the user's area, ``?w=400`` for a smaller copy. Never
    public: the URL is scoped like the activity (404 outside the area)."""

    def get(self, request, pk):
        photo = get_object_or_404(selectors.photos_visible_to(request.user), pk=pk)
        width = request.GET.get("w", "")
        name = variant_name(photo, int(width) if width.isdigit() else None)
        try:
            handle = photo.file.storage.open(name, "rb")
        except (FileNotFoundError, OSError):
            raise Http404 from None
        response = FileResponse(handle, content_type="image/jpeg")
        response["Cache-Control"] = "private, max-age=86400"
        response["Content-Disposition"] = content_disposition_header(False, os.path.basename(name))
        return response


class PhotoDeleteView(WorkMixin, View):
    """POST: remove one photo, then back to the activity."""

    permission = "work.change_activity"

    def post(self, request, pk):
        photo = get_object_or_404(
            selectors.photos_visible_to(request.user).select_related("activity"), pk=pk
        )
        activity = services.photo_delete(photo=photo, acting_user=request.user)
        messages.success(request, str(MESSAGE_PHOTO_DELETED))
        return redirect("work:activity_detail", activity.pk)
