"""Reads of the "Dân vận khéo" models.

Staff pages take their rows from ``exemplars_visible_to(user)``, built on
``accounts.access.scope_of`` (the account's areas and everything under them, one prefix
condition on the copied ``area_path``): a model outside them answers 404 like a missing
one. The public side reads ``exemplars_public()`` only: recognised and typical models.
"""

from django.db.models import Q, QuerySet

from accounts.access import scope_of
from accounts.selectors import areas_visible_to, user_is_portal_staff
from exemplars.choices import PUBLIC_STATUSES
from exemplars.models import REGISTRY_LEVELS, Exemplar, ExemplarPhoto
from units.choices import Level
from units.models import Area
from units.selectors import edition_default

CODE_LEVELS = {2: Level.PROVINCE, 3: Level.DISTRICT, 5: Level.COMMUNE}


def can_use_exemplars(user) -> bool:
    """Whether the staff pages of the models are open to ``user``: portal staff whose
    role holds the models' permissions (roster roles, not news editors)."""
    return user_is_portal_staff(user) and user.has_perm("exemplars.view_exemplar")


def exemplars_visible_to(user) -> QuerySet:
    return scope_of(user).apply(Exemplar.objects.all(), "area_path")


def exemplar_get_queryset(user) -> QuerySet:
    """The user's models with their area (and its parent, for the heading)."""
    return exemplars_visible_to(user).select_related("area__parent", "recorded_by")


def exemplars_public() -> QuerySet:
    """Recognised and typical models: what the public gallery shows."""
    return Exemplar.objects.filter(status__in=PUBLIC_STATUSES)


def photos_readable_by(user) -> QuerySet:
    """Photos of public models, and of the models of the user's area."""
    scope = scope_of(user)
    if scope.everything:
        return ExemplarPhoto.objects.all()
    condition = Q(exemplar__status__in=PUBLIC_STATUSES)
    if not scope.is_empty:
        condition |= scope.q("exemplar__area_path")
    return ExemplarPhoto.objects.filter(condition)


def photos_visible_to(user) -> QuerySet:
    return scope_of(user).apply(ExemplarPhoto.objects.all(), "exemplar__area_path")


def registry_area(*, user, code: str) -> Area | None:
    """The area of official ``code`` (a commune's 5 digits, a province's 2, a legacy
    district's 3) within the user's areas, on the default map when both have it."""
    code = (code or "").strip()
    level = CODE_LEVELS.get(len(code)) if code.isdigit() else None
    if level is None or level not in REGISTRY_LEVELS:
        return None
    default = edition_default()
    areas = areas_visible_to(user).filter(level=level, code=code).select_related("parent")
    return min(areas, key=lambda a: (a.edition != default, a.path), default=None)
