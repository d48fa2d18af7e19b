"""The history of a unit's rating: every step with what it changed."""

from django.views.generic import TemplateView

from evaluations.selectors.history import rating_history
from evaluations.views.base import RatingsMixin, evaluation_or_404


class HistoryView(RatingsMixin, TemplateView):
    """Each step of a unit's rating, newest first: the items' scores changed from
    what to what, the gate answers changed, the evidence added or removed, who, when
    and through which door. Open to everyone who may read the rating (404 outside the
    user's area)."""

    template_name = "evaluations/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evaluation = evaluation_or_404(self.request, kwargs["pk"])
        context.update(
            evaluation=evaluation,
            unit=evaluation.unit,
            year=evaluation.year,
            entries=rating_history(evaluation),
        )
        return context
