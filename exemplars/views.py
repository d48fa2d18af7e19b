"""Pages of the "Dân vận khéo" models. Staff (/can-bo/mo-hinh/): the registry of the
user's area with filters, registration, each model's page with the next step of its
cycle, corrections and photos; reads through ``exemplars.selectors`` (404 outside the
user's area), writes through ``exemplars.services``. Public (/mo-hinh/): the gallery of
recognised models with filters by province, field and year, and each one's page."""

import os

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView

from accounts.mixins import StaffRequiredMixin
from exemplars import selectors, services
from exemplars.choices import STEP_FROM, Step
from exemplars.filtersets import (
    ExemplarFilterSet,
    GalleryFilterSet,
    exemplar_filter,
    gallery_filter,
)
from exemplars.forms import STEP_FORMS, ExemplarForm
from members.views import ServiceFormView
from work.photos import MAX_PHOTOS, variant_name
from work.views import filters_typed

PAGE_SIZE = 30
GALLERY_PAGE_SIZE = 24

MESSAGE_REGISTERED = _("Đã đăng ký mô hình “{title}”.")
MESSAGE_UPDATED = _("Đã cập nhật mô hình.")
MESSAGE_STEP = _("Đã lưu: {step}.")
MESSAGE_PHOTO_DELETED = _("Đã xoá một ảnh của mô hình.")
ERROR_AREA = _("Không có xã hoặc tỉnh mã “{code}” trong địa bàn bạn phụ trách.")

#: Steps that record a review or a decision (``exemplars.decide_exemplar``).
DECISIONS = (Step.REVIEW, Step.RECOGNISE, Step.REJECT, Step.TYPICAL)


class ExemplarMixin(StaffRequiredMixin):
    """Portal staff whose role holds ``permission`` (exemplars/apps.py): anonymous
    visitors go to the login page, other accounts (news editors) get 403."""

    permission = "exemplars.view_exemplar"

    def test_func(self):
        return super().test_func() and self.request.user.has_perm(self.permission)


class ExemplarListView(ExemplarMixin, FilterView):
    """The models of the user's area, newest registered first, filtered by place,
    step, field and year; 30 a page."""

    template_name = "exemplars/list.html"
    filterset_class = ExemplarFilterSet
    paginate_by = PAGE_SIZE
    context_object_name = "exemplars"

    def get_filterset(self, filterset_class):
        return exemplar_filter(self.request.user, self.request.GET)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            filtered=filters_typed(self.request),
            can_add=self.request.user.has_perm("exemplars.add_exemplar"),
        )


class ExemplarCreateView(ExemplarMixin, FormView):
    """Register a model in a commune's (or the province's) registry: ``?area=<code>``
    fills the code."""

    permission = "exemplars.add_exemplar"
    template_name = "exemplars/form.html"
    form_class = ExemplarForm

    def get_initial(self):
        return {
            "registered_on": timezone.localdate(),
            "area_code": self.request.GET.get("area", "")[:5],
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, creating=True, max_photos=MAX_PHOTOS)

    def form_valid(self, form):
        code = form.cleaned_data["area_code"]
        area = selectors.registry_area(user=self.request.user, code=code)
        if area is None:
            form.add_error("area_code", str(ERROR_AREA).format(code=code))
            return self.form_invalid(form)
        try:
            exemplar = services.exemplar_register(
                area=area,
                acting_user=self.request.user,
                photos=form.cleaned_data["photos"],
                **form.exemplar_data(),
            )
        except ValidationError as exc:
            form.add_service_error(exc)
            return self.form_invalid(form)
        messages.success(self.request, str(MESSAGE_REGISTERED).format(title=exemplar.title))
        return redirect(exemplar.get_absolute_url())


class ExemplarDetailView(ExemplarMixin, DetailView):
    """One model: what it is, who is behind it, its cycle so far, its photos, and the
    next steps the user may take."""

    template_name = "exemplars/detail.html"
    context_object_name = "exemplar"

    def get_queryset(self):
        return selectors.exemplar_get_queryset(self.request.user).prefetch_related("photos")

    def get_context_data(self, **kwargs):
        user, status = self.request.user, self.object.status
        can_change = user.has_perm("exemplars.change_exemplar")
        can_decide = user.has_perm("exemplars.decide_exemplar")
        steps = [
            step
            for step in Step
            if status in STEP_FROM[step] and (can_decide if step in DECISIONS else can_change)
        ]
        return super().get_context_data(**kwargs, can_change=can_change, steps=steps)


class ExemplarObjectView(ExemplarMixin, ServiceFormView):
    permission = "exemplars.change_exemplar"
    context_object_name = "exemplar"

    def get_queryset(self):
        return selectors.exemplar_get_queryset(self.request.user)


class ExemplarUpdateView(ExemplarObjectView):
    """Correct a model's details, add its results and photos."""

    template_name = "exemplars/form.html"
    form_class = ExemplarForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "creating": False}

    def get_initial(self):
        return {name: getattr(self.object, name) for name in services.EDIT_FIELDS}

    def get_context_data(self, **kwargs):
        left = MAX_PHOTOS - self.object.photos.count()
        return super().get_context_data(**kwargs, creating=False, max_photos=left)

    def perform(self, form):
        exemplar = services.exemplar_update(
            exemplar=self.object,
            acting_user=self.request.user,
            photos=form.cleaned_data["photos"],
            **form.exemplar_data(),
        )
        messages.success(self.request, str(MESSAGE_UPDATED))
        return exemplar


class ExemplarStepView(ExemplarObjectView):
    """One step of the cycle (``step`` in the URL): its form, then its service. A step
    that does not fit the model's status shows why instead of the form (the service
    refuses it anyway)."""

    template_name = "exemplars/step.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs.get("step") not in Step.values:
            raise Http404
        self.step = Step(kwargs["step"])
        if self.step in DECISIONS:
            self.permission = "exemplars.decide_exemplar"
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return STEP_FORMS[self.step]

    def get_initial(self):
        form = STEP_FORMS[self.step]
        today = timezone.localdate()
        days = [name for name in form.base_fields if name.endswith(("_on", "_date"))]
        return dict.fromkeys(days, today)

    def get_context_data(self, **kwargs):
        allowed = self.object.status in STEP_FROM[self.step]
        return super().get_context_data(**kwargs, step=self.step, allowed=allowed)

    def perform(self, form):
        exemplar = services.STEP_SERVICES[self.step](
            exemplar=self.object, acting_user=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, str(MESSAGE_STEP).format(step=self.step.label))
        return exemplar


class PhotoDeleteView(ExemplarMixin, View):
    """POST: remove one photo of a model of the user's area, then back to the model."""

    permission = "exemplars.change_exemplar"

    def post(self, request, pk):
        photo = get_object_or_404(
            selectors.photos_visible_to(request.user).select_related("exemplar"), pk=pk
        )
        exemplar = services.photo_delete(photo=photo, acting_user=request.user)
        messages.success(request, str(MESSAGE_PHOTO_DELETED))
        return redirect(exemplar.get_absolute_url())


# --- Public -------------------------------------------------------------------------------


class GalleryView(FilterView):
    """/mo-hinh/: recognised and typical models, latest decision first, filtered by
    province, field and year registered. Nothing personal: the unit or person shown is
    the one the recognition decision names."""

    template_name = "exemplars/gallery.html"
    filterset_class = GalleryFilterSet
    paginate_by = GALLERY_PAGE_SIZE
    context_object_name = "exemplars"

    def get_filterset(self, filterset_class):
        return gallery_filter(self.request.GET)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, filtered=filters_typed(self.request))


class PublicDetailView(DetailView):
    """/mo-hinh/<id>/: one recognised model (404 for any other)."""

    template_name = "exemplars/public_detail.html"
    context_object_name = "exemplar"

    def get_queryset(self):
        return (
            selectors.exemplars_public().select_related("area__parent").prefetch_related("photos")
        )


class PhotoView(View):
    """A photo of a model, ``?w=400`` for a smaller copy: public once the model is
    recognised; before that only for staff whose area covers it (404 for anyone else,
    as for a missing photo)."""

    def get(self, request, pk):
        photo = get_object_or_404(
            selectors.photos_readable_by(request.user).select_related("exemplar"), pk=pk
        )
        width = request.GET.get("w", "")
        name = variant_name(photo, int(width) if width.isdigit() else None)
        try:
            handle = photo.file.storage.open(name, "rb")
        except (FileNotFoundError, OSError):
            raise Http404 from None
        response = FileResponse(handle, content_type="image/jpeg")
        public = photo.exemplar.is_public
        response["Cache-Control"] = f"{'public' if public else 'private'}, max-age=86400"
        response["Content-Disposition"] = content_disposition_header(False, os.path.basename(name))
        return response
