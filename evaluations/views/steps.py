"""The steps of a rating that need a written reason (return, not rated, reopen), for a
unit's rating here and a member's in ``evaluations.views.member_ratings``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from evaluations import stages
from evaluations.choices import Stage
from evaluations.forms.steps import ReasonForm, return_form
from evaluations.services.steps import rating_not_rated, rating_reopen, rating_return
from evaluations.views.base import RatingsMixin, evaluation_or_404, sheet_url

MESSAGE_RETURNED = _("Đã trả lại {unit} kèm ý kiến.")
MESSAGE_NOT_RATED = _("Đã ghi {unit} không xếp loại.")
MESSAGE_REOPENED = _("Đã mở lại xếp loại của {unit}.")


class ReasonActionView(RatingsMixin, TemplateView):
    """A step that needs a written reason (return, not rated, reopen): its own small
    page, which also shows the error when the reason is missing. The steps are the same
    for a unit's and a member's rating (``rating_*``); ``get_rating``,
    ``rating_name`` and ``success_url`` say which rating it is about."""

    template_name = "evaluations/reason_form.html"
    heading = ""
    submit_label = ""
    message = ""

    def make_form(self, data=None):
        return ReasonForm(data)

    def perform(self, rating, text):
        raise NotImplementedError

    def get_rating(self, pk):
        return evaluation_or_404(self.request, pk)

    def rating_name(self, rating) -> str:
        return rating.unit.name

    def rating_unit(self, rating):
        return rating.unit

    def success_url(self, rating) -> str:
        if self.request.user.has_perm(stages.DECIDE):
            return reverse("evaluations:decision", args=[rating.pk])
        return sheet_url(rating)

    def get(self, request, pk):
        rating = self.get_rating(pk)
        return self.render_to_response(self.context(rating, self.make_form()))

    def post(self, request, pk):
        rating = self.get_rating(pk)
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                self.perform(rating, form.cleaned_data["text"])
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, str(self.message).format(unit=self.rating_name(rating)))
                return redirect(self.success_url(rating))
        return self.render_to_response(self.context(rating, form))

    def context(self, rating, form):
        return self.get_context_data(
            rating=rating,
            rating_name=self.rating_name(rating),
            unit=self.rating_unit(rating),
            year=rating.year,
            form=form,
            heading=self.heading,
            submit_label=self.submit_label,
            back_url=self.success_url(rating),
        )


class ReturnView(ReasonActionView):
    """Send a rating back one step with a required comment: a decision pending goes
    back to the commune (deciders), a proposal back to the unit (the commune)."""

    heading = _("Trả lại kèm ý kiến")
    submit_label = _("Trả lại")
    message = MESSAGE_RETURNED

    def make_form(self, data=None):
        return return_form(data)

    def perform(self, rating, text):
        rating_return(acting_user=self.request.user, rating=rating, comment=text)

    def success_url(self, rating) -> str:
        if self.request.user.has_perm(stages.DECIDE) and rating.stage == Stage.PROPOSAL:
            return reverse("evaluations:decision_list") + f"?year={rating.year}"
        return sheet_url(rating)


class NotRatedView(ReasonActionView):
    permission = stages.NOT_RATED_PERMISSION
    heading = _("Không xếp loại")
    submit_label = _("Ghi không xếp loại")
    message = MESSAGE_NOT_RATED

    def make_form(self, data=None):
        return ReasonForm(data, label=_("Lý do không xếp loại"))

    def perform(self, rating, text):
        rating_not_rated(acting_user=self.request.user, rating=rating, reason=text)


class ReopenView(ReasonActionView):
    permission = stages.REOPEN_PERMISSION
    heading = _("Mở lại xếp loại đã khóa")
    submit_label = _("Mở lại")
    message = MESSAGE_REOPENED

    def make_form(self, data=None):
        return ReasonForm(data, label=_("Lý do mở lại"))

    def perform(self, rating, text):
        rating_reopen(acting_user=self.request.user, rating=rating, reason=text)
