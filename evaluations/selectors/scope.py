"""The ratings, criteria sets and evidence a user may see: every read of the ratings
screens, the admin and the reports starts here (``accounts.access.scope_of`` on the area path
copied onto each rating)."""

from django.db.models import Q, QuerySet

from accounts.access import scope_of
from evaluations.models import CriteriaSet, Evaluation, EvidenceFile, MemberRating
from evaluations.stages import MANAGE_CRITERIA
from portal.paths import province_path


def evaluations_visible_to(user) -> QuerySet:
    """Unit ratings ``user`` may see: those of units under the account's areas."""
    return scope_of(user).apply(Evaluation.objects.all(), "area_path")


def member_ratings_visible_to(user) -> QuerySet:
    """Member ratings ``user`` may see: those of seats under the account's areas."""
    return scope_of(user).apply(MemberRating.objects.all(), "area_path")


def criteria_sets_visible_to(user) -> QuerySet:
    """Criteria sets of the provinces ``user`` works in: a set is visible when the
    user's scope covers its province (provincial staff), or when the province lies
    above one of the user's areas (district and commune staff read the criteria they
    are rated against)."""
    scope = scope_of(user)
    if scope.everything:
        return CriteriaSet.objects.all()
    if scope.is_empty:
        return CriteriaSet.objects.none()
    above = {province_path(p) for p in scope.paths}
    return CriteriaSet.objects.filter(scope.q("province__path") | Q(province__path__in=above))


def criteria_sets_managed_by(user) -> QuerySet:
    """Sets ``user`` may change: of provinces the scope covers, with the permission."""
    if not user.has_perm(MANAGE_CRITERIA):
        return CriteriaSet.objects.none()
    return scope_of(user).apply(CriteriaSet.objects.all(), "province__path")


def can_manage(user, criteria_set: CriteriaSet) -> bool:
    """Whether ``user`` may change ``criteria_set``: the permission, and its province
    in the scope."""
    return user.has_perm(MANAGE_CRITERIA) and scope_of(user).covers(criteria_set.province.path)


def evaluation_get_queryset(user) -> QuerySet:
    """Unit ratings of the user's area, with what a rating's pages show beside them."""
    return evaluations_visible_to(user).select_related(
        "unit__area", "unit__commune", "criteria_set__province", "decided_by"
    )


def member_rating_get_queryset(user) -> QuerySet:
    """Member ratings of the user's area, with what their page shows (the member, the
    roster's unit and commune, who took each step)."""
    return member_ratings_visible_to(user).select_related(
        "membership__person",
        "membership__unit__commune",
        "self_by",
        "proposed_by",
        "decided_by",
    )


def criteria_set_get_queryset(user) -> QuerySet:
    """Criteria sets ``user`` may read, with their province and source."""
    return criteria_sets_visible_to(user).select_related("province", "copied_from")


def evidence_get_queryset(user) -> QuerySet:
    """Evidence files ``user`` may open: those of ratings in the user's area."""
    return EvidenceFile.objects.filter(evaluation__in=evaluations_visible_to(user)).select_related(
        "evaluation"
    )
