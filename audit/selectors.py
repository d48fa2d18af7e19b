"""Reads of the audit trail that depend on the user (the history tables of
``portal.audit``).

A history row is visible exactly when the object it records is within the user's scope,
judged on the row itself: the path columns the history tables copy from their models
(``Area.path``, ``Unit.area_path``, ``Membership.area_path``, the person's province)
take the same ``accounts.access.Scope`` condition as every other scoped read, so "the
history of my area" is one indexed query per kind, and personal data in a diff is only
ever shown to staff whose area covers the person. Accounts' history (no area of its
own) is for system administrators only.

The pages list several kinds at once: the matching rows of each kind's history table
are combined with UNION, sorted by time and cut to one page; then each kind's rows of
the page are loaded with the row before them (for the old -> new values) and the names
they point at. The number of queries depends on the number of kinds, never on the number
of rows (tests/audit/test_audit.py counts them).
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import operator
import uuid
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.db.models import (
    CharField,
    Exists,
    ForeignKey,
    ManyToManyField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.utils import get_m2m_reverse_field_name

from accounts.access import Scope, scope_of
from accounts.selectors import user_is_portal_staff
from portal import formats
from portal.audit import ACTION_LABELS, KINDS, AuditKind, Door

HISTORY_PAGE_SIZE = 50

#: Fields whose values the pages never show, only that they changed.
SECRET_FIELDS = {"password"}


def can_view_audit(user) -> bool:
    """Whether the history pages are open to ``user``: portal staff (a roster role)
    whose group has ``audit.view_audit``."""
    return user_is_portal_staff(user) and user.has_perm("audit.view_audit")


def kinds_visible_to(user) -> list[AuditKind]:
    """Audited kinds whose history ``user`` may read, in declaration order."""
    if not can_view_audit(user):
        return []
    everything = scope_of(user).everything
    return [kind for kind in KINDS.values() if everything or not kind.admin_only]


# --- Scoping -------------------------------------------------------------------------------


def _any(conditions: list[Q]) -> Q | None:
    return functools.reduce(operator.or_, conditions) if conditions else None


def _scope_condition(kind: AuditKind, scope: Scope, *, history: bool) -> Q | None:
    """The condition that keeps what ``scope`` reaches of ``kind``: on its history rows
    (``history=True``) or on the live objects. None when nothing can match."""
    conditions = [scope.q(path) for path in kind.paths]
    for other_key, column in kind.via:
        other = KINDS[other_key]
        inner = _any([scope.q(path) for path in other.paths])
        if inner is None:
            continue
        model = other.history_model if history else other.model
        pointer = OuterRef("id" if history else "pk")
        conditions.append(Q(Exists(model.objects.filter(inner, **{column: pointer}))))
    return _any(conditions)


def history_rows_visible_to(kind: AuditKind, scope: Scope):
    """``kind``'s history rows within ``scope``."""
    rows = kind.history_model.objects.all()
    if scope.everything:
        return rows
    condition = None if kind.admin_only else _scope_condition(kind, scope, history=True)
    return rows.none() if condition is None else rows.filter(condition)


def objects_visible_to(kind: AuditKind, scope: Scope):
    """``kind``'s live objects within ``scope`` (for objects older than the trail)."""
    objects = kind.model._default_manager.all()
    if scope.everything:
        return objects
    condition = None if kind.admin_only else _scope_condition(kind, scope, history=False)
    return objects.none() if condition is None else objects.filter(condition)


# --- Filters and pages ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class HistoryFilters:
    """What the history list is narrowed to; every field optional."""

    kind: str = ""
    door: str = ""
    username: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    batch_id: uuid.UUID | None = None
    # An area within the user's scope (areas_visible_to): only what lies under it.
    area: object = None


@dataclasses.dataclass(frozen=True)
class ObjectTarget:
    """The object of an object-history page."""

    kind: AuditKind
    pk: int
    label: str
    detail_url: str = ""
    exists: bool = True


@dataclasses.dataclass
class Change:
    label: str
    old: str
    new: str


@dataclasses.dataclass
class HistoryEntry:
    """One history row as the pages show it."""

    kind: AuditKind
    history_id: int
    object_id: int
    object_label: str
    object_url: str
    when: datetime.datetime
    user_label: str
    username: str
    door: str
    door_label: str
    action: str
    action_label: str
    changes: list[Change]
    reason: str
    batch_id: uuid.UUID | None
    # An update whose previous state was never recorded (data older than the trail).
    no_previous: bool = False


@dataclasses.dataclass
class HistoryPage:
    entries: list[HistoryEntry]
    number: int
    has_previous: bool
    has_next: bool


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _common_filters(rows, filters: HistoryFilters):
    if filters.door:
        rows = rows.filter(door=filters.door)
    if filters.username:
        rows = rows.filter(history_user__username__icontains=filters.username)
    if filters.date_from:
        rows = rows.filter(history_date__gte=_local_midnight(filters.date_from))
    if filters.date_to:
        day_after = filters.date_to + datetime.timedelta(days=1)
        rows = rows.filter(history_date__lt=_local_midnight(day_after))
    if filters.batch_id:
        rows = rows.filter(batch_id=filters.batch_id)
    return rows


def _effective_scope(user, filters: HistoryFilters) -> Scope:
    scope = scope_of(user)
    if filters.area is not None:
        # The area was chosen among areas_visible_to(user): its subtree is within scope.
        return Scope(role=scope.role, paths=(filters.area.path,))
    return scope


def _parts(user, filters: HistoryFilters, target: ObjectTarget | None):
    """(kind, rows) pairs to combine: every visible kind (or the one asked for), or, for
    an object page, the object's rows and the rows of the kinds it includes."""
    scope = _effective_scope(user, filters)
    visible = {kind.key: kind for kind in kinds_visible_to(user)}
    if target is not None:
        wanted = [(target.kind, "id")]
        wanted += [(KINDS[key], column) for key, column in target.kind.includes if key in visible]
        parts = [
            (kind, history_rows_visible_to(kind, scope).filter(**{column: target.pk}))
            for kind, column in wanted
        ]
    else:
        kinds = [visible[filters.kind]] if filters.kind in visible else list(visible.values())
        if filters.area is not None:
            kinds = [kind for kind in kinds if not kind.admin_only]
        parts = [(kind, history_rows_visible_to(kind, scope)) for kind in kinds]
    return [(kind, _common_filters(rows, filters)) for kind, rows in parts]


_ORDER = ("-history_date", "-history_id")


def _keys(parts, limit: int) -> list[dict]:
    """One query: (kind, history id, date) of the newest ``limit`` rows of all parts.

    Where the database allows it (PostgreSQL), each part is sorted and cut to ``limit``
    before the UNION, so a province's million history rows are never all sorted."""
    selects = [
        rows.annotate(audit_kind=Value(kind.key, output_field=CharField()))
        .values("audit_kind", "history_id", "history_date")
        .order_by(*_ORDER)
        for kind, rows in parts
        if not rows.query.is_empty()
    ]
    if not selects:
        return []
    if len(selects) == 1:
        return list(selects[0][:limit])
    if connection.features.supports_slicing_ordering_in_compound:
        selects = [select[:limit] for select in selects]
    else:
        selects = [select.order_by() for select in selects]
    combined = selects[0].union(*selects[1:], all=True)
    return list(combined.order_by(*_ORDER)[:limit])


def history_page(
    *,
    user,
    filters: HistoryFilters | None = None,
    target: ObjectTarget | None = None,
    page: int = 1,
    page_size: int = HISTORY_PAGE_SIZE,
) -> HistoryPage:
    """One page of history rows ``user`` may see, newest first: the history of the
    user's area (narrowed by ``filters``), or of one object (``target``, from
    ``object_history_target``). Pages say whether there is a next one instead of
    counting every row of a province."""
    filters = filters or HistoryFilters()
    page = max(1, page)
    offset = (page - 1) * page_size
    keys = _keys(_parts(user, filters, target), offset + page_size + 1)
    window = keys[offset : offset + page_size]
    return HistoryPage(
        entries=_entries(window),
        number=page,
        has_previous=page > 1,
        has_next=len(keys) > offset + page_size,
    )


def object_history_target(*, user, kind_key: str, pk: int) -> ObjectTarget:
    """The object whose history ``user`` asks for; 404 when the kind is unknown, or the
    object neither exists nor ever existed within the user's scope (the same answer)."""
    kind = next((k for k in kinds_visible_to(user) if k.key == kind_key), None)
    if kind is None:
        raise Http404
    scope = scope_of(user)
    live = objects_visible_to(kind, scope).select_related(*kind.related).filter(pk=pk).first()
    if live is not None:
        return ObjectTarget(
            kind=kind, pk=pk, label=str(live), detail_url=_detail_url(kind, live, "pk")
        )
    last = (
        history_rows_visible_to(kind, scope)
        .filter(id=pk)
        .select_related(*kind.related)
        .order_by(*_ORDER)
        .first()
    )
    if last is None:
        raise Http404
    return ObjectTarget(kind=kind, pk=pk, label=_object_label(kind, last), exists=False)


def _detail_url(kind: AuditKind, obj, pk_attname: str) -> str:
    if kind.detail_url is None:
        return ""
    name, column = kind.detail_url
    value = getattr(obj, pk_attname if column == "id" else column)
    try:
        return reverse(name, args=[value]) if value is not None else ""
    except NoReverseMatch:
        return ""


# --- Entries -------------------------------------------------------------------------------


def _object_label(kind: AuditKind, row) -> str:
    """The object as it was at ``row``, named without a query: the foreign keys its
    name needs (``kind.related``) come joined with the row."""
    instance = row.history_object
    for name in kind.related:
        related = getattr(row, name)
        if related is None:
            if getattr(row, kind.history_model._meta.get_field(name).attname) is not None:
                return f"{capfirst(kind.label)} #{row.id}"  # what it pointed at is gone
            continue
        setattr(instance, name, related)
    try:
        return str(instance)
    except ObjectDoesNotExist:
        return f"{capfirst(kind.label)} #{row.id}"


_SHOWN_FIELDS: dict[str, list] = {}


def _shown_fields(kind: AuditKind) -> list:
    """Fields a change lists, in the model's order: what staff can edit (derived
    columns such as paths and folded names are left out)."""
    if kind.key not in _SHOWN_FIELDS:
        names = {f.name for f in kind.model._meta.fields if f.editable and not f.primary_key}
        _SHOWN_FIELDS[kind.key] = [
            field for field in kind.history_model._meta.fields if field.name in names
        ]
    return _SHOWN_FIELDS[kind.key]


def _raw_changes(kind: AuditKind, row, previous) -> list[tuple]:
    """(field, old, new) of ``row`` against the row before it, in the model's order."""
    fields = _shown_fields(kind)
    m2m = [kind.model._meta.get_field(f.name) for f in row._history_m2m_fields]
    if previous is None:
        created = []
        for field in fields:
            value = field.value_from_object(row)
            if value in (None, "", False) or field.name in kind.related:
                continue
            created.append((field, None, value))
        return created
    delta = row.diff_against(previous, included_fields=[f.name for f in fields + m2m])
    by_name = {change.field: change for change in delta.changes}
    ordered = []
    for field in [*fields, *m2m]:
        change = by_name.get(field.name)
        if change is not None:
            ordered.append((field, change.old, change.new))
    return ordered


def _references(raw: list[tuple]) -> dict:
    """Ids each changed foreign key or many-to-many field points at, by model."""
    wanted = defaultdict(set)
    for field, old, new in raw:
        if isinstance(field, ForeignKey):
            wanted[field.related_model].update(v for v in (old, new) if v is not None)
        elif isinstance(field, ManyToManyField):
            reverse_name = get_m2m_reverse_field_name(field)
            for rows in (old, new):
                wanted[field.related_model].update(r[reverse_name] for r in rows or ())
    return wanted


def _names(wanted: dict) -> dict:
    """``{(model, id): name}`` in one query per model; an object deleted since is named
    from its last history row."""
    names = {}
    for model, ids in wanted.items():
        found = model._default_manager.in_bulk(ids)
        names.update({(model, pk): str(obj) for pk, obj in found.items()})
        missing = ids - found.keys()
        history = getattr(model, "history", None) if missing else None
        if history is not None:
            for row in history.model.objects.filter(id__in=missing).order_by("id", *_ORDER):
                names.setdefault(
                    (model, row.id), _("{name} (đã xóa)").format(name=row.history_object)
                )
    return names


def _show(field, value, names: dict) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(field, ForeignKey):
        return names.get((field.related_model, value), f"#{value}")
    if isinstance(field, ManyToManyField):
        reverse_name = get_m2m_reverse_field_name(field)
        labels = [names.get((field.related_model, r[reverse_name]), "#?") for r in value]
        return ", ".join(sorted(labels)) or "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, datetime.datetime):
        return formats.day_time(value)
    if isinstance(value, datetime.date):
        return formats.day(value)
    if isinstance(value, Decimal | float):
        return formats.number(value)
    return str(value)


def _change(field, old, new, names: dict, *, listing: bool = False) -> Change:
    """One field's change for the page; ``listing``: the values of a new object (or of
    one whose previous state was never recorded), shown without an "old" side."""
    label = capfirst(field.verbose_name)
    if field.name in SECRET_FIELDS:
        return Change(label, "", _("đã đặt") if listing else _("đã đổi"))
    return Change(label, "" if listing else _show(field, old, names), _show(field, new, names))


def _user_label(user) -> tuple[str, str]:
    if user is None:
        return "—", ""
    return (user.get_full_name() or user.get_username()), user.get_username()


def _entries(keys: list[dict]) -> list[HistoryEntry]:
    """The rows of ``keys`` (kind, history id) as entries, in the keys' order: per kind,
    one query for the rows (user and named foreign keys joined, the previous row's id
    as a subquery) and one for the previous rows; then one per model named in a change."""
    ids_by_kind = defaultdict(list)
    for key in keys:
        ids_by_kind[key["audit_kind"]].append(key["history_id"])

    loaded = {}
    for key, ids in ids_by_kind.items():
        kind = KINDS[key]
        model = kind.history_model
        previous_id = (
            model.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
            .order_by("-history_id")
            .values("history_id")[:1]
        )
        rows = list(
            model.objects.filter(history_id__in=ids)
            .select_related("history_user", *kind.related)
            .annotate(previous_id=Subquery(previous_id))
        )
        wanted = [row.previous_id for row in rows if row.previous_id and row.history_type != "+"]
        previous = model.objects.in_bulk(wanted)
        for row in rows:
            if row.history_type == "-":
                raw = []
            elif row.history_type == "+":
                raw = _raw_changes(kind, row, None)
            else:
                raw = _raw_changes(kind, row, previous.get(row.previous_id))
            loaded[(key, row.history_id)] = (kind, row, raw)

    wanted = defaultdict(set)
    for _kind, _row, raw in loaded.values():
        for model, ids in _references(raw).items():
            wanted[model] |= ids
    names = _names(wanted)

    entries = []
    for key in keys:
        found = loaded.get((key["audit_kind"], key["history_id"]))
        if found is None:
            continue
        kind, row, raw = found
        no_previous = row.history_type == "~" and row.previous_id is None
        user_label, username = _user_label(row.history_user)
        entries.append(
            HistoryEntry(
                kind=kind,
                history_id=row.history_id,
                object_id=row.id,
                object_label=_object_label(kind, row),
                object_url=reverse("audit:object_history", args=[kind.key, row.id]),
                when=row.history_date,
                user_label=user_label,
                username=username,
                door=row.door,
                door_label=str(Door(row.door).label) if row.door in Door.values else row.door,
                action=row.history_type,
                action_label=str(ACTION_LABELS.get(row.history_type, row.history_type)),
                changes=[
                    _change(field, old, new, names, listing=row.history_type == "+" or no_previous)
                    for field, old, new in raw
                ],
                reason=row.history_change_reason or "",
                batch_id=row.batch_id,
                no_previous=no_previous,
            )
        )
    return entries
