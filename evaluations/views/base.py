"""What every ratings screen shares: who may open it, the year it is about, the rating
it shows (404 outside the user's area)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.mixins import StaffRequiredMixin
from accounts.selectors import user_is_portal_staff
from evaluations import stages
from evaluations.choices import YEAR_MAX, YEAR_MIN
from evaluations.periods import YEAR, is_period_code, period_query
from evaluations.selectors.criteria import default_year
from evaluations.selectors.scope import evaluation_get_queryset

MESSAGE_DRAFT_SAVED = _("Đã lưu nháp.")


def year_param(request, user) -> int:
    """The year asked for in ``?year=``, else the default year of the user."""
    value = request.GET.get("year", "")
    if value.isdigit() and YEAR_MIN <= int(value) <= YEAR_MAX:
        return int(value)
    return default_year(user)


def period_param(request) -> str:
    """The period asked for in ``?period=`` (a code of evaluations.periods, also read
    from a form's hidden field); the whole year when absent or unknown."""
    value = request.POST.get("period") or request.GET.get("period") or YEAR
    return value if is_period_code(value) else YEAR


def check_year(year: int) -> None:
    """A year in a URL outside YEAR_MIN–YEAR_MAX is a page that does not exist."""
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Http404


class RatingsMixin(StaffRequiredMixin):
    """Portal staff with ``permission`` (the role's group): anonymous visitors go to the
    login page, other accounts get 403."""

    permission = stages.VIEW_RATINGS

    def test_func(self):
        user = self.request.user
        return user_is_portal_staff(user) and user.has_perm(self.permission)


def evaluation_or_404(request, pk):
    """The rating ``pk`` of the user's area; 404 outside it, like a missing one."""
    return get_object_or_404(evaluation_get_queryset(request.user), pk=pk)


def sheet_url(evaluation) -> str:
    """The unit's self-assessment page of the rating's period."""
    url = reverse("evaluations:sheet", args=[evaluation.unit_id, evaluation.year])
    return url + period_query(evaluation.period)
