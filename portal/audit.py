"""The audit trail's machinery: who changed what, when, through which door, and why.

Every create, update and delete of the audited models (areas, units, people,
memberships, staff profiles, accounts, import jobs; evaluations and news when they come)
leaves a row in that model's history table, written by django-simple-history. Each row
holds the object's values after the change, the time, the acting user
(``history_user``), the reason (``history_change_reason``), plus two columns of ours
(``AuditedHistoricalModel`` below): the door (web, admin, import, command,
system) and the batch id that ties together the rows of one import.

Why django-simple-history (docs/AUDIT.md): it works the same on SQLite and PostgreSQL
(django-pghistory's triggers do nothing on SQLite, which development and the tests use);
it records bulk writes through ``bulk_create_with_history`` / ``bulk_update_with_history``
(django-auditlog records nothing for them, and imports write in bulk); a history table per
model keeps the real columns (``area_path``), so "the history of my area" is the same
indexed path-prefix query as every other scoped read; and ``diff_against`` gives old ->
new per field. It is maintained (Django 5.2 supported) and BSD-licensed.

Where the who / door / reason come from: an *audit context* (a ``contextvars`` variable,
so it is right per thread and per async task), set by

- ``AuditMiddleware`` for every web request: door "admin" under the admin's URL prefix,
  "web" elsewhere, the request's user;
- the roster import (``members.tasks`` and ``import_roster``): door "import", the
  uploader, one batch id per import;
- every management command (``install_command_door``, from ``UnitsConfig.ready``): door
  "command" unless the command sets a more precise one;
- any code that wants to add a reason: ``with audit_context(reason="..."):``.

A single ``save()`` / ``delete()`` takes all of it from the context (``history_user``
below is the ``get_user`` of every ``AuditedHistory``; the door and batch columns default
to the context). Bulk writes go through ``bulk_create`` / ``bulk_update`` here, which
pass the same values to simple-history explicitly.

Adding a model to the trail is one line on the model (docs/AUDIT.md):
``history = AuditedHistory(kind="news", paths=("area_path",))``, then ``makemigrations``.
The pages that read the trail and the record of personal-data exports are the ``audit``
app; this module is what every app's models need, so it sits under all of them.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
import sys
import uuid
from collections.abc import Iterable

from django.core.management.base import BaseCommand
from django.db import connections, models, router
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from portal.copy import insert_rows


class Door(models.TextChoices):
    """Through which door a change came in."""

    WEB = "web", _("Trang cán bộ")
    ADMIN = "admin", _("Trang quản trị")
    IMPORT = "import", _("Nhập Excel")
    COMMAND = "command", _("Dòng lệnh")
    SYSTEM = "system", _("Hệ thống")


#: Labels of simple-history's ``history_type``.
ACTION_LABELS = {"+": _("Thêm mới"), "~": _("Cập nhật"), "-": _("Xóa")}


# --- The audit context ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class AuditContext:
    """Who is acting, through which door, why, and in which batch (an import)."""

    door: str | None = None
    user: object = None
    reason: str = ""
    batch_id: uuid.UUID | None = None


# The default is a frozen dataclass: immutable, safe to share.
_context: contextvars.ContextVar[AuditContext] = contextvars.ContextVar(
    "danvan_audit_context",
    default=AuditContext(),  # noqa: B039
)


def current() -> AuditContext:
    """The audit context in force (an empty one outside any ``audit_context``)."""
    return _context.get()


@contextlib.contextmanager
def audit_context(*, door: str | None = None, user=None, reason: str | None = None, batch_id=None):
    """Within the block, every history row records this door, user, reason and batch.

    What is not given (None, or an empty reason) is inherited from the enclosing
    context, so a service can add a reason inside a web request without losing the
    request's user and door. Nested blocks restore the outer context on exit.
    """
    outer = _context.get()
    changes = {"door": door, "user": user, "reason": reason or None, "batch_id": batch_id}
    inner = dataclasses.replace(outer, **{k: v for k, v in changes.items() if v is not None})
    token = _context.set(inner)
    try:
        yield inner
    finally:
        _context.reset(token)


def acting_user():
    """The context's user when it is a logged-in account, else None (anonymous visitors
    and the command line)."""
    user = _context.get().user
    if user is None:
        return None
    try:
        return user if user.is_authenticated else None
    except AttributeError:
        return None


def current_door() -> str:
    """The door of the context: "system" when nothing set one (a task, a test)."""
    return _context.get().door or Door.SYSTEM


def current_batch_id() -> uuid.UUID | None:
    return _context.get().batch_id


def current_reason() -> str | None:
    return _context.get().reason or None


def history_user(instance=None, request=None, **kwargs):
    """``get_user`` of every ``AuditedHistory``: the acting user of the audit context."""
    return acting_user()


def new_batch_id() -> uuid.UUID:
    return uuid.uuid4()


#: Namespace of the batch ids derived from import jobs (``import_batch_id``).
_IMPORT_NAMESPACE = uuid.UUID("6f1d7c52-8a43-4f0e-9b57-3c1f1e0d2a90")


def import_batch_id(job) -> uuid.UUID:
    """The batch id of an import job's rows: derived from the job (its id and upload
    time), so the job page can link to its rows without storing anything more."""
    created = job.created_at.isoformat() if job.created_at else ""
    return uuid.uuid5(_IMPORT_NAMESPACE, f"import-job:{job.pk}:{created}")


# --- Management commands -------------------------------------------------------------------


def _command_door(execute):
    @functools.wraps(execute)
    def execute_with_door(self, *args, **options):
        if _context.get().door is not None:
            return execute(self, *args, **options)
        with audit_context(door=Door.COMMAND):
            return execute(self, *args, **options)

    execute_with_door.danvan_audit = True
    return execute_with_door


def install_command_door() -> None:
    """Run every management command in door "command" (createsuperuser, load_divisions,
    shell ...). Django has no hook around commands, so ``BaseCommand.execute`` is
    wrapped once, from ``UnitsConfig.ready`` (units is the lowest audited app). A
    command that knows better (import_roster: door "import") sets its own context
    inside."""
    if not getattr(BaseCommand.execute, "danvan_audit", False):
        BaseCommand.execute = _command_door(BaseCommand.execute)


# --- Web requests --------------------------------------------------------------------------


class AuditMiddleware:
    """Every request runs in an audit context: door "admin" under the admin's URL
    prefix, "web" elsewhere, and the request's user (still lazy: an anonymous page never
    loads it). Must come after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._admin_prefix = None

    def admin_prefix(self) -> str:
        if self._admin_prefix is None:
            try:
                self._admin_prefix = reverse("admin:index")
            except NoReverseMatch:
                self._admin_prefix = "/admin/"
        return self._admin_prefix

    def __call__(self, request):
        door = Door.ADMIN if request.path.startswith(self.admin_prefix()) else Door.WEB
        with audit_context(door=door, user=getattr(request, "user", None)):
            return self.get_response(request)


# --- Historical models ---------------------------------------------------------------------


@dataclasses.dataclass
class AuditKind:
    """One audited model as the history pages know it.

    ``paths``: path columns of the model (and so of its history rows) that scope it, as
    ``accounts.access.Scope.q`` takes them; empty (and no ``via``) means only users who see
    everything (system administrators) see its history. ``via``: (kind, column) pairs:
    a row is also visible when a visible row of that kind points at it through that
    column (a person through the memberships that seat them). ``includes``: (kind,
    column) pairs shown on this object's history page too (a unit's page lists the
    changes of its memberships). ``related``: foreign keys joined to name the object.
    ``detail_url``: (URL name, column) of the object's own page.
    """

    key: str
    model: type
    history_model: type
    paths: tuple[str, ...] = ()
    via: tuple[tuple[str, str], ...] = ()
    includes: tuple[tuple[str, str], ...] = ()
    related: tuple[str, ...] = ()
    detail_url: tuple[str, str] | None = None

    @property
    def label(self):
        return self.model._meta.verbose_name

    @property
    def admin_only(self) -> bool:
        return not self.paths and not self.via


#: Columns no history table keeps (see ``AuditedHistory``).
NOT_RECORDED = ("search_name", "created_at", "updated_at")

#: Audited kinds by key, in the order their models were declared.
KINDS: dict[str, AuditKind] = {}


class AuditedHistoricalModel(models.Model):
    """What every history row holds besides simple-history's who / when / what / why:
    the door the change came through and the batch (one import) it belongs to.

    Both default to the audit context, so a single ``save()`` fills them without any
    signal; bulk writes pass them explicitly (``bulk_create`` below). Abstract, so it
    needs no app of its own: each history table gets the two columns.
    """

    door = models.CharField(_("kênh"), max_length=8, choices=Door.choices, default=current_door)
    # Indexed: "every row of this import" is one lookup (/can-bo/lich-su/?batch=...).
    batch_id = models.UUIDField(
        _("mã lượt nhập"), null=True, blank=True, default=current_batch_id, db_index=True
    )

    class Meta:
        abstract = True


class AuditedHistory(HistoricalRecords):
    """``HistoricalRecords`` with this portal's defaults: the historical base with the
    door and batch columns, the user and reason from the audit context, 64-bit history
    ids, unlimited reasons, Vietnamese names; and the kind's place on the history pages
    (``AuditKind``'s arguments).

    ``skip_update_fields``: a ``save(update_fields=...)`` touching only these fields
    writes no history (an account's ``last_login`` on every login).

    ``table_name``: the history table's name when it is not the default
    ``<app>_historical<model>`` (a model moved between apps keeps its table); the
    many-to-many history tables follow it (``<table_name>_<field>``).

    Columns in ``NOT_RECORDED`` are left out of every history table when the model has
    them: they are derived (the folded name) or repeat what the history row says anyway
    (its own date), and fewer columns keep bulk history inserts in fewer statements.
    """

    def __init__(
        self,
        *,
        kind: str | None = None,
        paths: Iterable[str] = (),
        via: Iterable[tuple[str, str]] = (),
        includes: Iterable[tuple[str, str]] = (),
        related: Iterable[str] = (),
        detail_url: tuple[str, str] | None = None,
        skip_update_fields: Iterable[str] = (),
        **kwargs,
    ):
        kwargs["excluded_fields"] = [*NOT_RECORDED, *(kwargs.get("excluded_fields") or ())]
        kwargs.setdefault("bases", [AuditedHistoricalModel])
        kwargs.setdefault("get_user", history_user)
        kwargs.setdefault("history_id_field", models.BigAutoField(primary_key=True))
        kwargs.setdefault(
            "history_change_reason_field",
            models.TextField(_("lý do"), null=True, blank=True),
        )
        super().__init__(**kwargs)
        self.kind = kind
        self.kind_options = {
            "paths": tuple(paths),
            "via": tuple(via),
            "includes": tuple(includes),
            "related": tuple(related),
            "detail_url": detail_url,
        }
        self.skip_update_fields = frozenset(skip_update_fields)

    def finalize(self, sender, **kwargs):
        if sender is self.cls:
            names = {field.name for field in sender._meta.fields}
            self.excluded_fields = [f for f in self.excluded_fields if f in names]
        super().finalize(sender, **kwargs)
        if sender is not self.cls:
            return
        history_model = getattr(sender, self.manager_name).model
        if not hasattr(sys.modules.get(history_model.__module__), history_model.__name__):
            # A model outside the app's models.py (members.models_imports) gets the app
            # package as its module, where the class is not: point at where it is, so
            # that ``manage.py shell`` and pickling find it.
            history_model.__module__ = self.module
        if self.kind is None:
            return
        KINDS[self.kind] = AuditKind(
            key=self.kind, model=sender, history_model=history_model, **self.kind_options
        )

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        if not self.user_set_verbose_name:
            options["verbose_name"] = format_lazy(_("lịch sử {}"), model._meta.verbose_name)
            options["verbose_name_plural"] = format_lazy(
                _("lịch sử {}"), model._meta.verbose_name_plural
            )
        return options

    def get_meta_options_m2m(self, through_model):
        options = super().get_meta_options_m2m(through_model)
        if self.table_name is not None:
            # "staffprofile_areas" -> "_areas", after the history table's own name.
            suffix = through_model._meta.model_name.removeprefix(self.cls._meta.model_name)
            options["db_table"] = f"{self.table_name}{suffix}"
        return options

    def get_change_reason_for_object(self, instance, history_type, using):
        return super().get_change_reason_for_object(instance, history_type, using) or (
            current_reason()
        )

    def post_save(self, instance, created, using=None, update_fields=None, **kwargs):
        if (
            not created
            and update_fields
            and self.skip_update_fields
            and set(update_fields) <= self.skip_update_fields
        ):
            return
        if (
            not created
            and not self.get_change_reason_for_object(instance, "~", using)
            and self._same_as_last_record(instance)
        ):
            # A save that changes nothing (a form sent back as it was) is no event; one
            # given a reason (a file added to a document) is.
            return
        super().post_save(instance, created, using=using, update_fields=update_fields, **kwargs)

    def _same_as_last_record(self, instance) -> bool:
        """Whether every recorded field of ``instance`` equals its latest history row
        (one query; False when it has none)."""
        last = getattr(instance, self.manager_name).order_by("-history_date", "-pk").first()
        if last is None:
            return False
        return all(
            getattr(last, field.attname) == getattr(instance, field.attname)
            for field in self.fields_included(instance)
        )


# --- Bulk writes ---------------------------------------------------------------------------


def _bulk_history_arguments() -> dict:
    context = _context.get()
    return {
        "default_user": acting_user(),
        "default_change_reason": context.reason or None,
        "default_date": timezone.now(),
        "custom_historical_attrs": {"door": current_door(), "batch_id": context.batch_id},
    }


def bulk_create(model, objs: list, *, batch_size: int | None = None) -> list:
    """``model.objects.bulk_create(objs)`` plus one history row per object ("created"),
    with the audit context's user, door, reason and batch, in the same transaction.

    Needs the new ids back from the database: PostgreSQL and SQLite 3.35+ return them.
    """
    if not objs:
        return objs
    return bulk_create_with_history(objs, model, batch_size=batch_size, **_bulk_history_arguments())


def bulk_update(model, objs: list, fields: list[str], *, batch_size: int | None = None) -> int:
    """``model.objects.bulk_update(objs, fields)`` plus one history row per object
    ("changed") holding its new values, with the audit context's user, door, reason and
    batch. Pass only objects that really changed: every object gets a row."""
    if not objs:
        return 0
    return bulk_update_with_history(
        objs, model, fields, batch_size=batch_size, **_bulk_history_arguments()
    )


def copy_to_history(model, pks: list, history_type: str, *, batch_size: int = 5000) -> None:
    """One history row per row ``pks`` of ``model`` holding its current values, written
    by the database itself (``INSERT INTO history SELECT ... FROM table``), with the
    audit context's user, door, reason and batch and ``history_type`` ("+", "~", "-").

    What ``bulk_history_create`` writes, without building a Python object per row and
    per history row: the carry-over of a province (40,000 history rows and more) spends
    most of its time there otherwise (docs/PERFORMANCE.md, "Carry-over")."""
    if not pks:
        return
    history = model.history.model
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = [f.column for f in history.tracked_fields]
    extra = ["history_date", "history_type", "history_user_id", "history_change_reason"]
    extra += ["door", "batch_id"]
    arguments = _bulk_history_arguments()
    user = arguments["default_user"]
    values = [
        history._meta.get_field("history_date").get_db_prep_value(
            arguments["default_date"], connection
        ),
        history_type,
        user.pk if user is not None else None,
        arguments["default_change_reason"],
        arguments["custom_historical_attrs"]["door"],
        history._meta.get_field("batch_id").get_db_prep_value(
            arguments["custom_historical_attrs"]["batch_id"], connection
        ),
    ]
    target = ", ".join(quote(c) for c in [*columns, *extra])
    source = ", ".join(quote(c) for c in columns)
    pk_column = quote(model._meta.pk.column)
    insert = (
        f"INSERT INTO {quote(history._meta.db_table)} ({target}) "  # noqa: S608
        f"SELECT {source}, %s, %s, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement whatever the number: the ids as one array parameter.
            cursor.execute(f"{insert}WHERE {pk_column} = ANY(%s)", [*values, list(pks)])
            return
        for start in range(0, len(pks), batch_size):
            chunk = list(pks[start : start + batch_size])
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"{insert}WHERE {pk_column} IN ({marks})", [*values, *chunk])


def bulk_insert(model, objs: list, *, batch_size: int = 2000) -> list:
    """``bulk_create`` plus a history row per object ("created"), the history written by
    the database (``copy_to_history``): the fast path of large batches. The rows go out
    with ``portal.copy.insert_rows``: PostgreSQL's COPY, ``bulk_create`` on SQLite (3.35+
    returns the new ids). The history rows hold what ``bulk_create`` above writes, with
    the same audit context (tests/test_copy.py compares them)."""
    if not objs:
        return objs
    insert_rows(model, objs, batch_size=batch_size)
    pk_name = model._meta.pk.attname
    copy_to_history(model, [getattr(o, pk_name) for o in objs], "+")
    return objs


def bulk_set(model, objs: list, *, batch_size: int = 2000, **values) -> int:
    """Give every object of ``objs`` the same ``values`` (and a new ``updated_at`` when
    the model has one): one ``UPDATE ... WHERE id IN (...)`` per batch, much cheaper than
    ``bulk_update``'s CASE per row, plus one history row per object ("changed",
    ``copy_to_history``), with the audit context's user, door, reason and batch. The
    objects get the values too; ``set_by_pk`` does the same from ids alone."""
    values = _with_updated_at(model, values)
    for obj in objs:
        for field, value in values.items():
            setattr(obj, field, value)
    return set_by_pk(model, [o.pk for o in objs], batch_size=batch_size, **values)


def set_by_pk(model, pks: list, *, batch_size: int = 2000, **values) -> int:
    """``bulk_set`` for the rows ``pks`` without loading them."""
    if not pks:
        return 0
    values = _with_updated_at(model, values)
    for start in range(0, len(pks), batch_size):
        chunk = pks[start : start + batch_size]
        model._default_manager.filter(pk__in=chunk).update(**values)
    copy_to_history(model, pks, "~")
    return len(pks)


def _with_updated_at(model, values: dict) -> dict:
    if "updated_at" not in values and any(f.name == "updated_at" for f in model._meta.fields):
        return {**values, "updated_at": timezone.now()}
    return values


def delete_by_pk(model, pks: list, *, batch_size: int = 2000) -> int:
    """Delete the rows ``pks`` in bulk, with one history row each ("deleted") holding
    its last values, with the audit context's user, door, reason and batch.

    ``QuerySet.delete()`` would send a signal per object (one history insert each); the
    rows are deleted here without signals or cascades (``_raw_delete``), so the caller
    must know that nothing points at them (an undo checks it first)."""
    if not pks:
        return 0
    copy_to_history(model, pks, "-")
    for start in range(0, len(pks), batch_size):
        queryset = model._default_manager.filter(pk__in=pks[start : start + batch_size])
        queryset._raw_delete(queryset.db)
    return len(pks)
