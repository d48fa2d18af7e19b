"""The roster import's bulk writes through ``portal.copy.insert_rows`` (COPY on
PostgreSQL): the same rows and history rows as simple-history's ``bulk_create`` path it
replaced, field by field, and all or nothing when a write fails half-way."""

import datetime
import gc
import itertools
import uuid

import pytest
from django.db import IntegrityError, transaction

from members import imports
from members.choices import Gender
from members.imports import ERROR_CONFLICT, roster_import
from members.imports.write import Writes
from members.models import Membership, Person
from portal import audit
from portal import copy as portal_copy
from reports import aggregates
from reports.stats import Place, area_stats
from tests.members.conftest import BLOC_ROW, team_rows, xlsx_bytes
from units.choices import Edition
from units.models import Area, Unit

pytestmark = pytest.mark.django_db

#: What the import writes, in the order it writes it (a row points only at earlier ones).
MODELS = (Area, Unit, Person, Membership)
#: Set by the database clock or the moment of each statement, not by the import.
MOMENTS = {"created_at", "updated_at", "history_date"}
BATCH = uuid.UUID("00000000-0000-4000-8000-000000000016")


def roster() -> bytes:
    """Two villages and their teams made by the file, a bloc, a person in two seats."""
    rows = team_rows(7, villages=2)
    officer = {**rows[0], "Thôn/Tổ dân phố": "", "Đơn vị": "Khối dân vận"}
    return xlsx_bytes([*rows, BLOC_ROW, officer])


def import_and_read(monkeypatch, user) -> dict:
    """One import (door "import", whatever the caller's) with a fixed audit context and
    fixed village path tokens, rolled back once read: what it wrote (``written``)."""
    tokens = itertools.count()
    monkeypatch.setattr("units.models.secrets.token_hex", lambda n: f"{next(tokens):08x}")
    with transaction.atomic():
        before = highest()
        context = {"user": user, "reason": "Nhập thử", "batch_id": BATCH}
        with audit.audit_context(door=audit.Door.COMMAND, **context):
            plan = roster_import(roster(), filename="a.xlsx", acting_user=user)
        assert plan.errors == [] and plan.written
        rows = written(before)
        transaction.set_rollback(True)
    return rows


def highest() -> dict:
    return {m: m.objects.order_by("-pk").values_list("pk", flat=True).first() or 0 for m in MODELS}


def written(before: dict) -> dict:
    """Every row and history row written since ``before`` (highest id per table), field
    by field; new ids (which differ between runs) as their rank among the new rows."""
    ranks = {
        model: {
            pk: i
            for i, pk in enumerate(
                model.objects.filter(pk__gt=before[model])
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        }
        for model in MODELS
    }
    out = {}
    for model in MODELS:
        history = model.history.model
        tables = (
            (model, model.objects.filter(pk__gt=before[model]).order_by("pk")),
            (history, history.objects.filter(id__gt=before[model]).order_by("id", "history_id")),
        )
        for table, queryset in tables:
            rows = []
            for values in queryset.values():
                for name in MOMENTS & set(values):
                    assert values.pop(name) is not None
                values.pop("history_id", None)
                values["id"] = ranks[model][values["id"]]
                for field in model._meta.concrete_fields:
                    new = ranks.get(field.related_model, {}) if field.many_to_one else {}
                    if values.get(field.attname) in new:
                        values[field.attname] = ("new", new[values[field.attname]])
                rows.append(values)
            out[table._meta.db_table] = rows
    return out


@pytest.mark.postgres
def test_copy_writes_exactly_what_the_orm_path_writes(thai_nguyen, django_user_model, monkeypatch):
    """The same file imported twice (rolled back in between): through COPY, then
    through simple-history's ``bulk_create_with_history`` (the path before COPY): every
    column of every row and history row is the same, the history's user, door, reason
    and batch included."""
    assert portal_copy.uses_copy(Membership)
    user = django_user_model.objects.create_user("nhap", password="x")
    by_copy = import_and_read(monkeypatch, user)

    def orm_insert(model, objs, *, batch_size=2000):
        return audit.bulk_create(model, objs, batch_size=batch_size)

    monkeypatch.setattr(audit, "bulk_insert", orm_insert)
    by_orm = import_and_read(monkeypatch, user)

    assert by_copy == by_orm
    counts = {table: len(rows) for table, rows in by_copy.items()}
    assert counts == {
        "units_area": 2, "units_historicalarea": 2, "units_unit": 3, "units_historicalunit": 3,
        "members_person": 8, "members_historicalperson": 8,
        "members_membership": 9, "members_historicalmembership": 9,
    }  # fmt: skip
    history = by_copy["members_historicalmembership"]
    assert {
        (
            h["history_type"],
            h["door"],
            h["batch_id"],
            h["history_user_id"],
            h["history_change_reason"],
        )
        for h in history
    } == {("+", audit.Door.IMPORT, BATCH, user.pk, "Nhập thử")}


def test_a_failure_half_way_writes_nothing(thai_nguyen, monkeypatch):
    """Villages, units, people and the first seats are written, then a write fails:
    the import says so and nothing stays, history rows included."""
    monkeypatch.setattr(imports, "BATCH_SIZE", 3)
    real = audit.insert_rows
    calls = []

    def failing(model, objs, **kwargs):
        result = real(model, objs, **kwargs)
        calls.append(model)
        if calls.count(Membership) == 2:
            raise IntegrityError("duplicate key value violates unique constraint")
        return result

    monkeypatch.setattr(audit, "insert_rows", failing)
    history = {model: model.history.model.objects.count() for model in MODELS}
    plan = roster_import(xlsx_bytes(team_rows(8, villages=2)), filename="a.xlsx")
    assert calls == [Area, Unit, Person, Membership, Membership]
    assert not plan.written
    assert [e.message for e in plan.errors] == [ERROR_CONFLICT]
    assert history == {model: model.history.model.objects.count() for model in MODELS}
    assert not Membership.objects.exists() and not Person.objects.exists()
    assert not Unit.objects.exists() and not Area.objects.filter(level="village").exists()


def test_an_unsaved_related_object_is_refused(thai_nguyen):
    """As ``bulk_create`` refuses it, on either path."""
    person = Person(full_name="Lò Văn Mới", province=thai_nguyen)
    seat = Membership(person=person, unit_id=1, role="member")
    with pytest.raises(ValueError, match="unsaved related object 'person'"):
        portal_copy.insert_rows(Membership, [seat])
    assert not Membership.objects.exists()


@pytest.mark.postgres
def test_the_statistics_aggregates_follow_an_import_by_copy(thai_nguyen, django_user_model):
    """COPY fires the statement triggers that keep the statistics' aggregates
    (reports.aggregates): after an import, every figure of the province and the
    country equals the straight count, before and after the log is compacted."""
    user = django_user_model.objects.create_user("nhap", password="x")
    plan = roster_import(roster(), filename="a.xlsx", acting_user=user)
    assert plan.errors == [] and plan.written
    places = [Place(edition=e) for e in (Edition.LEGACY, Edition.V2025)]
    places += [
        Place(edition=Edition.V2025, area=Area.objects.get(edition=Edition.V2025, code=code))
        for code in ("19", "01843")
    ]
    for compacted in (False, True):
        if compacted:
            aggregates.compact()
        for place in places:
            for day in (datetime.date(2025, 6, 30), datetime.date(2026, 12, 1)):
                assert aggregates.aggregate_stats(place, day) == area_stats(place, day)


@pytest.mark.postgres
def test_the_import_enqueues_the_statistics_fold_after_its_commit(
    thai_nguyen, django_user_model, settings, django_capture_on_commit_callbacks
):
    """The import does not fold the statistics' log itself: once it commits it enqueues
    ``reports.tasks.stats_compact`` (the worker runs it in production); a reader before
    the worker ran folds the log and is exact; the task then has nothing left to fold."""
    from django_tasks import default_task_backend

    from reports.models import StatLogMembership
    from reports.tasks import stats_compact

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    aggregates.compact()
    user = django_user_model.objects.create_user("nhap", password="x")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        roster_import(roster(), filename="a.xlsx", acting_user=user)
    assert not default_task_backend.results  # nothing before the commit
    for callback in callbacks:
        callback()
    assert [r.task.name for r in default_task_backend.results] == [stats_compact.name]
    assert StatLogMembership.objects.exists()  # not folded by the import
    place = Place(edition=Edition.V2025, area=Area.objects.get(edition=Edition.V2025, code="19"))
    day = datetime.date(2026, 12, 1)
    assert aggregates.aggregate_stats(place, day) == area_stats(place, day)
    assert not StatLogMembership.objects.exists()  # the reader folded it
    assert stats_compact.call() == 0


def test_text_choices_are_written_as_their_value(thai_nguyen):
    """A ``TextChoices`` member (``Gender.FEMALE``) is stored as its value, as ``save()``
    stores it, next to rows of plain text, on either path."""
    people = [
        Person(full_name="Lò Thị Một", province=thai_nguyen, gender=Gender.FEMALE),
        Person(full_name="Lò Văn Hai", province=thai_nguyen, gender="male"),
        Person(full_name="Lò Văn Ba", province=thai_nguyen, gender=Gender.MALE),
    ]
    portal_copy.insert_rows(Person, people)
    stored = Person.objects.filter(pk__in=[p.pk for p in people]).order_by("pk")
    assert list(stored.values_list("full_name", "gender")) == [
        ("Lò Thị Một", "female"),
        ("Lò Văn Hai", "male"),
        ("Lò Văn Ba", "male"),
    ]


def test_the_collector_is_paused_while_importing_and_back_after(thai_nguyen, monkeypatch):
    """No cyclic collection runs while the rows are planned and written (each one would
    walk every object the import keeps); the collector is on again afterwards, and one
    that was off stays off."""
    seen = []
    apply = Writes.apply

    def watched(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return apply(self, *args, **kwargs)

    monkeypatch.setattr(Writes, "apply", watched)
    assert gc.isenabled()
    plan = roster_import(roster(), filename="a.xlsx")
    assert plan.written and seen == [False]
    assert gc.isenabled()
    gc.disable()
    try:
        with portal_copy.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
    # What was alive at the end of a block is frozen until the next block starts.
    with portal_copy.collector_paused():
        assert gc.get_freeze_count() == 0
    assert gc.get_freeze_count() > 0
    gc.unfreeze()
