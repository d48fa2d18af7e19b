"""Bulk INSERT of new model objects, through PostgreSQL's COPY where the database has it.

``insert_rows(model, objs)`` does what ``model.objects.bulk_create(objs)`` does for the
writers of many rows (imports, the demo generator, the carry-over): the objects get
their ids, their ``auto_now`` / ``auto_now_add`` dates, and the ids of the related
objects saved just before them. On PostgreSQL it sends them with ``COPY ... FROM STDIN``
(psycopg 3): the ids are reserved first from the table's sequence (one
``SELECT nextval(...) FROM generate_series(1, n)``), then every row goes out with its
id, so Django never compiles an INSERT of thousands of parameters and psycopg never
builds the arrays Django 5.2 sends a bulk insert as (docs/PERFORMANCE.md, "COPY").
Elsewhere (SQLite) it is ``bulk_create``.

Nothing is committed here: the COPY runs in the caller's transaction, so an error after
it (or in it) rolls it back with everything else. No signal is sent (``bulk_create``
sends none either); history rows are the caller's business (``portal.audit.bulk_insert``
writes them with ``copy_to_history``).
"""

from __future__ import annotations

import contextlib
import datetime
import enum
import functools
import gc
import operator
import uuid

from django.db import connections, models, router
from django.db.models import signals
from django.db.models.base import ModelState
from django.utils import timezone

#: Values psycopg adapts exactly as Django's stock fields would store them; any other value
#: (a lazy translation, a Decimal, JSON ...) goes through the field's ``get_db_prep_save``,
#: and so do fields that prepare values their own way (``_split``).
_SENT_AS_IS = frozenset({str, int, bool, type(None), datetime.date, datetime.datetime, uuid.UUID})
_PREP_METHODS = ("get_prep_value", "get_db_prep_value", "get_db_prep_save", "pre_save")


def uses_copy(model) -> bool:
    """Whether ``insert_rows`` sends ``model``'s rows with COPY (PostgreSQL)."""
    return connections[router.db_for_write(model)].vendor == "postgresql"


def insert_rows(model, objs: list, *, batch_size: int = 2000) -> list:
    """Insert the new objects ``objs`` of ``model`` (all in one table: no multi-table
    inheritance) and give them their ids; COPY on PostgreSQL, ``bulk_create`` elsewhere.
    Returns ``objs``."""
    if not objs:
        return objs
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        model._default_manager.using(alias).bulk_create(objs, batch_size=batch_size)
        return objs
    opts = model._meta
    fields = list(opts.concrete_fields)
    _prepare(fields, objs, alias)
    quote = connection.ops.quote_name
    table = quote(opts.db_table)
    with connection.cursor() as cursor:
        pk_name = opts.pk.attname
        missing = [o for o in objs if getattr(o, pk_name) is None]
        if missing:
            # The sequence's name first: ``nextval(pg_get_serial_sequence(...))`` in
            # the same SELECT looks the sequence up again for every row (ten times
            # slower than a constant).
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [opts.db_table, opts.pk.column])
            (sequence,) = cursor.fetchone()
            cursor.execute(
                "SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                [sequence, len(missing)],
            )
            for obj, (pk,) in zip(missing, cursor.fetchall(), strict=True):
                setattr(obj, pk_name, pk)
        direct, prepared = _split(fields, connection)
        columns = ", ".join(quote(f.column) for f in [*direct, *prepared])
        get_direct = operator.attrgetter(*[f.attname for f in direct])
        prepare = [_prepared(f, connection) for f in prepared]
        preps = [f.get_db_prep_save for f in direct]
        raw = cursor.cursor  # psycopg's own cursor under Django's wrapper
        sendable = set(_SENT_AS_IS)
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            write = copy.write_row
            for obj in objs:
                row = get_direct(obj)
                if len(direct) == 1:
                    row = (row,)
                if not sendable.issuperset(map(type, row)) and not _text_choices(row, sendable):
                    row = [
                        v if type(v) in sendable else prep(v, connection)
                        for v, prep in zip(row, preps, strict=True)
                    ]
                write([*row, *(get(obj) for get in prepare)] if prepare else row)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias
    return objs


def _text_choices(row, sendable: set) -> bool:
    """Whether the values of ``row`` whose type is not in ``sendable`` are all text
    choices (``Role.MEMBER``: a ``str`` enum); their types join ``sendable``. A stock
    text field hands such a value to psycopg as it is (``CharField.to_python`` keeps
    a ``str``), and psycopg sends its text: the same as preparing it, without a call per
    value of every row."""
    new = {type(v) for v in row} - sendable
    if all(issubclass(k, str) and issubclass(k, enum.Enum) for k in new):
        sendable |= new
        return True
    return False


def _prepare(fields: list, objs: list, alias: str) -> None:
    """What ``bulk_create`` does to each object before sending it: the dates of
    ``auto_now`` / ``auto_now_add`` fields (one moment for the whole batch) and the ids of
    related objects saved since they were attached (``Membership(person=new_person)``)."""
    now = timezone.now()
    dated = [
        f.attname
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    # Other fields that fill themselves in on save (a file field commits its file).
    saving = [
        f
        for f in fields
        if f.attname not in dated
        and not isinstance(f, models.DateField)
        and type(f).pre_save is not models.Field.pre_save
    ]
    related = [
        (f.name, f.attname, f.related_model._meta.pk.attname)
        for f in fields
        if f.is_relation and f.many_to_one
    ]
    # The attributes are written straight into each object's ``__dict__``: a date field
    # has no setter, and a foreign key's id set to its cached object's id keeps that
    # object cached, as ``Model.save()`` does (a setter per value was a third of the
    # writing's Python time).
    dates = dict.fromkeys(dated, now)
    for obj in objs:
        values = obj.__dict__
        values.update(dates)
        for field in saving:
            setattr(obj, field.attname, field.pre_save(obj, True))
        cache = obj._state.fields_cache
        for name, attname, target_pk in related:
            target = cache.get(name)
            if target is None:
                continue
            pk = getattr(target, target_pk)
            if pk is None:
                # What Django says for a save() with an unsaved related object.
                raise ValueError(
                    f"bulk insert prohibited to prevent data loss due to unsaved "
                    f"related object '{name}'."
                )
            if values.get(attname) != pk:
                values[attname] = pk


def _split(fields: list, connection) -> tuple[list, list]:
    """The fields whose attribute is sent as it is when its type is one of
    ``_SENT_AS_IS`` (stock fields; date-times only when ``_prepare`` set them, aware),
    and the others, always sent through ``get_db_prep_save``."""
    direct, prepared = [], []
    for field in fields:
        base = getattr(models, field.get_internal_type(), None)
        stock = base is not None and all(
            getattr(type(field), name) is getattr(base, name) for name in _PREP_METHODS
        )
        if isinstance(field, models.DateTimeField) and not (field.auto_now or field.auto_now_add):
            stock = False
        (direct if stock else prepared).append(field)
    return direct, prepared


def _prepared(field, connection):
    attname, prep = field.attname, field.get_db_prep_save
    return lambda obj: prep(getattr(obj, attname), connection)


def build(model, **values):
    """``model(**values)`` for the writers that build thousands of new objects: the same
    unsaved instance (field defaults, then ``values``: attribute names, or field names
    given a related object, whose id is taken and which is cached as ``Model()`` does),
    built without ``Model.__init__``'s per-field keyword handling, several times
    cheaper. Models with ``pre_init`` / ``post_init`` receivers get ``model(**values)``."""
    defaults, relations, per_object = _build_plan(model)
    if defaults is None:
        return model(**values)
    obj = model.__new__(model)
    state = obj._state = ModelState()
    attributes = obj.__dict__
    attributes.update(defaults)
    for attname, default in per_object:
        attributes[attname] = default()
    for name, value in values.items():
        attname = relations.get(name)
        if attname is None:
            attributes[name] = value
        else:
            attributes[attname] = None if value is None else value.pk
            state.fields_cache[name] = value
    return obj


@functools.cache
def _build_plan(model) -> tuple:
    """The constant defaults of ``model``'s concrete fields by attribute name
    (``Field.get_default``, as ``Model()`` takes them), its foreign keys' attribute names
    by field name, and (attribute name, ``get_default``) of the fields whose default is a
    callable; (None, None, None) when ``model`` has ``pre_init`` / ``post_init``
    receivers (looked at once: receivers connect at start-up)."""
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return None, None, None
    fields = model._meta.concrete_fields
    computed = [f for f in fields if f.has_default() and callable(f.default)]
    defaults = {f.attname: f.get_default() for f in fields if f not in computed}
    relations = {f.name: f.attname for f in fields if f.many_to_one}
    return defaults, relations, tuple((f.attname, f.get_default) for f in computed)


@contextlib.contextmanager
def collector_paused():
    """Python's cyclic garbage collector off for the block, for a writer that builds
    tens of thousands of objects it keeps (an import's rows, people and seats): each
    automatic collection walks every object still alive, again and again as they pile
    up, a third of an 18,000-row import's CPU (docs/PERFORMANCE.md, "Third pass").

    At the end the objects alive are frozen (``gc.freeze``) before the collector is on
    again: otherwise the first collection after the block walks them all once more
    while the caller still holds them. The next block unfreezes them first, so they
    (and any cycle among them that is garbage by then) are collected as usual from the
    oldest generation; nothing stays frozen for longer than until the next block. A
    collector that was off stays off and nothing is frozen."""
    if not gc.isenabled():
        yield
        return
    gc.unfreeze()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
