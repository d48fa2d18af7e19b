"""The units of the user's area for a year with their ratings, and the deciders' list
with bulk approval."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from evaluations import stages
from evaluations.chains import ChainBook, takers_q
from evaluations.choices import Stage
from evaluations.forms.steps import BulkSelectionForm
from evaluations.periods import period_label
from evaluations.scoring import number_text
from evaluations.selectors.criteria import criteria_set_years, period_choices
from evaluations.selectors.overview import STAGE_LABELS, attach_labels, rating_overview
from evaluations.selectors.scope import evaluation_get_queryset
from evaluations.services.ratings import evaluations_approve, quota_warning
from evaluations.views.base import RatingsMixin, period_param, year_param

PAGE_SIZE = 50
MESSAGE_BULK_APPROVED = _("Đã phê duyệt {count} đơn vị.")


class OverviewView(RatingsMixin, TemplateView):
    """Every unit of the user's area for a year, with its stage, totals and level;
    filters; one page of rows at a time."""

    template_name = "evaluations/overview.html"
    decision_mode = False
    #: The stage the list opens on when the address names none ("?stage=" lists all).
    default_stage = None

    def filters(self):
        filters = self.request.GET
        if self.default_stage and "stage" not in filters:
            filters = filters.copy()
            filters["stage"] = self.default_stage
        return filters

    def restrict(self, user):
        """A further condition on the rows (none on the overview)."""
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        year = year_param(self.request, user)
        period = period_param(self.request)
        late = self.request.GET.get("late") == "1"
        today = timezone.localdate()
        filters = self.filters()
        overview = rating_overview(
            user=user,
            year=year,
            period=period,
            filters=filters,
            late_on=today if late else None,
            restrict=self.restrict(user),
        )
        page = Paginator(overview.rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        years = sorted({*criteria_set_years(user), year}, reverse=True)
        context.update(
            year=year,
            years=years,
            period=period,
            period_label=period_label(year, period),
            periods=period_choices(user, year),
            late=late,
            today=today,
            overview=overview,
            filter=overview.filterset,
            page_obj=page,
            rows=attach_labels(page.object_list),
            stage_summary=[
                (key, label, overview.stage_counts.get(key, 0))
                for key, label in STAGE_LABELS.items()
            ],
            decision_mode=self.decision_mode,
            current_stage=filters.get("stage", ""),
            can_decide=user.has_perm(stages.DECIDE),
            can_self_assess=user.has_perm(stages.SELF_ASSESS),
        )
        return context


class DecisionListView(OverviewView):
    """The overview for deciders: tick the ratings waiting for a decision and approve
    them together (after a confirmation that shows the quota warnings). It opens on the
    ratings waiting for a decision; the other stages are one link away."""

    permission = stages.DECIDE
    decision_mode = True
    default_stage = Stage.DECISION

    def restrict(self, user):
        """The ratings waiting for a decision are those the user takes: their
        province's chain for their kind gives the decision to the user's role."""
        waiting_for_me = takers_q(user, Stage.DECISION, ChainBook())
        return ~Q(stage_key=Stage.DECISION) | waiting_for_me


class BulkApproveView(RatingsMixin, View):
    """Approve the ticked ratings as proposed: first a confirmation page with the
    quota warnings, then ``evaluations_approve`` (all or nothing)."""

    permission = stages.DECIDE
    template_name = "evaluations/bulk_confirm.html"

    def get(self, request):
        return redirect("evaluations:decision_list")

    def post(self, request):
        ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
        book = ChainBook()
        candidates = [
            e
            for e in evaluation_get_queryset(request.user).filter(stage=Stage.DECISION, pk__in=ids)
            if stages.can_take(request.user, e, book)
        ]
        form = BulkSelectionForm(request.POST, evaluations=candidates)
        year = request.POST.get("year", "")
        period = period_param(request)
        chosen, warnings = [], []
        if form.is_valid():
            wanted = set(form.cleaned_data["ids"])
            chosen = [e for e in candidates if e.pk in wanted]
            if request.POST.get("confirm"):
                try:
                    evaluations_approve(acting_user=request.user, evaluations=chosen)
                except ValidationError as exc:
                    for message in exc.messages:
                        form.add_error(None, message)
                else:
                    messages.success(request, str(MESSAGE_BULK_APPROVED).format(count=len(chosen)))
                    url = reverse("evaluations:decision_list")
                    query = {"year": year if year.isdigit() else "", "period": period}
                    query = urlencode({k: v for k, v in query.items() if v})
                    return redirect(f"{url}?{query}" if query else url)
            warnings = quota_warning(evaluations=chosen)
        for evaluation in chosen:
            evaluation.proposed_total_text = number_text(evaluation.proposed_total)
        return render(
            request,
            self.template_name,
            {"form": form, "chosen": chosen, "warnings": warnings, "year": year, "period": period},
        )
