"""Members' ratings: a roster's levels of a year, one member's rating with its steps and
history, and the steps with a written reason on it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from accounts.selectors import units_visible_to
from evaluations import stages
from evaluations.choices import Stage
from evaluations.forms.member_ratings import RosterRatingForm
from evaluations.forms.steps import not_rated_form, reopen_form, return_form
from evaluations.selectors.member_ratings import roster_ratings
from evaluations.selectors.scope import member_rating_get_queryset
from evaluations.services.member_ratings import member_ratings_step
from evaluations.views.base import RatingsMixin, check_year
from evaluations.views.steps import NotRatedView, ReopenView, ReturnView

MESSAGE_MEMBERS_RATED = _("Đã ghi mức xếp loại của {count} thành viên.")
MESSAGE_NOTHING_CHOSEN = _("Chưa chọn mức nào.")


class MemberRatingsView(RatingsMixin, TemplateView):
    """A roster's member ratings for a year: each member's level at every step, and
    one form that records the current step of every member the user may rate."""

    permission = stages.VIEW_MEMBER_RATINGS
    template_name = "evaluations/member_ratings.html"

    def load(self):
        check_year(self.kwargs["year"])
        user = self.request.user
        self.unit = get_object_or_404(
            units_visible_to(user).select_related("area", "commune"), pk=self.kwargs["unit_pk"]
        )
        self.year = self.kwargs["year"]
        self.rows = roster_ratings(user=user, unit=self.unit, year=self.year)

    def make_form(self, data=None):
        return RosterRatingForm(data, rows=self.rows, user=self.request.user)

    def get(self, request, *args, **kwargs):
        self.load()
        return self.render(self.make_form())

    def post(self, request, *args, **kwargs):
        self.load()
        form = self.make_form(request.POST)
        if form.is_valid():
            levels = form.levels()
            if not levels:
                messages.info(request, str(MESSAGE_NOTHING_CHOSEN))
                return redirect(request.path)
            try:
                done = member_ratings_step(acting_user=request.user, year=self.year, levels=levels)
            except ValidationError as exc:
                for key, errors in exc.message_dict.items():
                    field = f"level_{key}"
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, str(MESSAGE_MEMBERS_RATED).format(count=len(done)))
                return redirect(request.path)
        return self.render(form)

    def render(self, form):
        labels = dict(Stage.choices)
        for row in self.rows:
            row.stage_label = labels[row.stage] if row.rating else _("Chưa đánh giá")
        return self.render_to_response(
            self.get_context_data(
                unit=self.unit,
                year=self.year,
                rows=self.rows,
                form=form,
                any_editable=any(r.editable for r in self.rows),
                years=[self.year - 1, self.year, self.year + 1],
            )
        )


def _member_rating(request, pk):
    return get_object_or_404(member_rating_get_queryset(request.user), pk=pk)


def _member_rating_url(rating) -> str:
    return reverse("evaluations:member_rating", args=[rating.pk])


#: The written reasons a change of a rating may bring, with their labels.
CHANGE_NOTES = (
    ("return_comment", _("Ý kiến khi trả lại:")),
    ("adjust_reason", _("Lý do điều chỉnh:")),
    ("not_rated_reason", _("Lý do không xếp loại:")),
    ("reopen_reason", _("Lý do mở lại:")),
)


def _member_rating_changes(rating, limit=30) -> list:
    """The rating's changes, newest first, each with the step it left the rating at and
    the reasons written with it (a reason is shown where it first appears)."""
    changes = list(rating.history.select_related("history_user").order_by("history_date"))
    before = {}
    for change in changes:
        change.notes = [
            (label, getattr(change, field))
            for field, label in CHANGE_NOTES
            if getattr(change, field) and getattr(change, field) != before.get(field)
        ]
        before = {field: getattr(change, field) for field, _label in CHANGE_NOTES}
    return changes[::-1][:limit]


class MemberRatingView(RatingsMixin, TemplateView):
    """One member's rating of a year: each step with its level, who took it and when,
    the comments and reasons, the changes so far; and the steps with a written reason
    the user may take (return one step, not rated, reopen), as for a unit's rating."""

    permission = stages.VIEW_MEMBER_RATINGS
    template_name = "evaluations/member_rating.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        rating = _member_rating(self.request, self.kwargs["pk"])
        membership = rating.membership
        steps = [
            (_("Tự đánh giá"), rating.self_level, rating.self_by, rating.self_at),
            (
                _("Đảng ủy xã đề xuất"),
                rating.proposed_level,
                rating.proposed_by,
                rating.proposed_at,
            ),
            (_("Cấp trên quyết định"), rating.decided_level, rating.decided_by, rating.decided_at),
        ]
        context.update(
            rating=rating,
            evaluation=rating,
            membership=membership,
            unit=membership.unit,
            year=rating.year,
            steps=steps,
            changes=_member_rating_changes(rating),
            can_return=stages.can_return(user, rating),
            can_not_rated=stages.can_close(user, rating),
            can_reopen=stages.can_reopen(user, rating),
            return_form=kwargs.get("return_form") or return_form(rating=rating),
            not_rated_form=kwargs.get("not_rated_form") or not_rated_form(),
            reopen_form=kwargs.get("reopen_form") or reopen_form(),
        )
        return context


class MemberRatingActionMixin:
    """The reason-steps of ``ReasonActionView`` on a member's rating: the rating of the
    user's area (404 outside it), back to its page afterwards."""

    def get_rating(self, pk):
        return _member_rating(self.request, pk)

    def rating_name(self, rating) -> str:
        return rating.membership.person.full_name

    def rating_unit(self, rating):
        return rating.membership.unit

    def success_url(self, rating) -> str:
        return _member_rating_url(rating)

    def origin_page(self, rating, form):
        view = MemberRatingView()
        view.setup(self.request, pk=rating.pk)
        return view.render_to_response(view.get_context_data(pk=rating.pk, **{self.form_key: form}))


class MemberReturnView(MemberRatingActionMixin, ReturnView):
    permission = stages.VIEW_MEMBER_RATINGS


class MemberNotRatedView(MemberRatingActionMixin, NotRatedView):
    pass


class MemberReopenView(MemberRatingActionMixin, ReopenView):
    pass
