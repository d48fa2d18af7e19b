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
from evaluations.forms.steps import ReasonForm, not_rated_form, reopen_form, return_form
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
    #: The name of this step's form on the rating's page (``origin_page``).
    form_key = ""

    def make_form(self, data=None, rating=None):
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

    def origin_page(self, rating, form):
        """The rating's page that holds this step's card, rendered with ``form`` (its
        errors beside the field); None when there is none for this user."""
        from evaluations.views.unit_ratings import DecisionView, ProposalView

        user = self.request.user
        if self.form_key == "return_form" and rating.stage == Stage.PROPOSAL:
            view_class = ProposalView
        elif user.has_perm(stages.DECIDE):
            view_class = DecisionView
        else:
            return None
        view = view_class()
        view.setup(self.request, pk=rating.pk)
        view.load()
        return view.render_with(**{self.form_key: form})

    def get(self, request, pk):
        rating = self.get_rating(pk)
        return self.render_to_response(self.context(rating, self.make_form(rating=rating)))

    def post(self, request, pk):
        rating = self.get_rating(pk)
        form = self.make_form(request.POST, rating=rating)
        if form.is_valid():
            try:
                self.perform(rating, form.cleaned_data)
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, str(self.message).format(unit=self.rating_name(rating)))
                return redirect(self.success_url(rating))
        # The error beside the field, on the page the user came from.
        page = self.origin_page(rating, form) if self.form_key else None
        return page or self.render_to_response(self.context(rating, form))

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
    form_key = "return_form"

    def make_form(self, data=None, rating=None):
        return return_form(data, rating=rating)

    def perform(self, rating, data):
        rating_return(
            acting_user=self.request.user,
            rating=rating,
            comment=data["text"],
            to_stage=data.get("to_stage") or None,
        )

    def success_url(self, rating) -> str:
        if self.request.user.has_perm(stages.DECIDE) and rating.stage == Stage.PROPOSAL:
            return reverse("evaluations:decision_list") + f"?year={rating.year}"
        return sheet_url(rating)


class NotRatedView(ReasonActionView):
    permission = stages.NOT_RATED_PERMISSION
    heading = _("Không xếp loại")
    submit_label = _("Ghi không xếp loại")
    message = MESSAGE_NOT_RATED
    form_key = "not_rated_form"

    def make_form(self, data=None, rating=None):
        return not_rated_form(data)

    def perform(self, rating, data):
        rating_not_rated(acting_user=self.request.user, rating=rating, reason=data["text"])


class ReopenView(ReasonActionView):
    permission = stages.REOPEN_PERMISSION
    heading = _("Mở lại xếp loại đã khóa")
    submit_label = _("Mở lại")
    message = MESSAGE_REOPENED
    form_key = "reopen_form"

    def make_form(self, data=None, rating=None):
        return reopen_form(data)

    def perform(self, rating, data):
        rating_reopen(acting_user=self.request.user, rating=rating, reason=data["text"])
