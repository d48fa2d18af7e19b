"""Applying and undoing a carry-over: one transaction, one batch id in the audit trail.

``carry_over_apply`` writes what ``carry_over_plan`` previews, through the one code path
of every continuation (``members.reorganise.units_continue``): each receiving 2025
commune gets one bloc seating the union of its source blocs' seats; each legacy team
continues as a team of the same village re-created under its 2025 commune; every legacy
seat and unit ends on 30/06/2025 ("Sắp xếp đơn vị hành chính 2025"); people move to the
successor province. ``carry_over_undo`` takes a batch back while nothing has been
written on top of it.
"""

import dataclasses
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.carry_over.plan import REASON_CARRY_OVER, CarryPlan, carry_over_plan
from members.models import Membership, Person
from members.reorganise import Continuation, areas_link, lineage_record, units_continue
from portal import audit
from units.choices import V2025_VALID_FROM, Edition, Level, UnitKind, UnitStatus
from units.models import Area, Succession, Unit, UnitLineage, unit_default_name, units_map_2025
from units.models_lineage import Reorganisation, ReorganisationKind
from units.services import village_type_word
from units.signals import data_changed

REASON_UNDO = "Hoàn tác chuyển sang địa bàn mới 2025"

ERROR_UNDO_KIND = _("Chỉ hoàn tác được một lượt chuyển sang địa bàn mới.")
ERROR_UNDO_DONE = _("Lượt chuyển này đã được hoàn tác lúc {when}.")
ERROR_UNDO_WRITTEN = _(
    "Không hoàn tác được: đã có thay đổi sau lượt chuyển ({what}). Hãy sửa trực tiếp "
    "trên địa bàn mới."
)

COUNT_KEYS = ("blocs", "teams", "villages", "memberships")


@dataclasses.dataclass
class CarryResult:
    """What a carry-over did (or, with ``dry_run``, would do): ``counts`` of what was
    created on the 2025 map, ``errors`` that stopped it (nothing written)."""

    plan: CarryPlan
    counts: dict[str, int]
    errors: list[str]
    reorganisation: Reorganisation | None = None
    people: int = 0


def _zero() -> dict[str, int]:
    return dict.fromkeys(COUNT_KEYS, 0)


@transaction.atomic
def carry_over_apply(
    *,
    legacy_province: Area,
    assignments: dict[int, int] | None = None,
    acting_user=None,
    dry_run: bool = False,
) -> CarryResult:
    """Carry ``legacy_province`` onto the 2025 map as ``carry_over_plan`` previews it.

    Nothing is written when the plan has errors or with ``dry_run``. A province already
    carried has no active legacy unit and no person left: nothing to do, zeros.
    """
    # One carry-over of a province at a time: the second waits, then finds it done.
    Area.objects.select_for_update().filter(pk=legacy_province.pk).first()
    plan = carry_over_plan(legacy_province=legacy_province, assignments=assignments)
    if plan.errors:
        return CarryResult(plan, _zero(), plan.errors)
    people = list(
        Person.objects.filter(province=legacy_province).order_by("pk").values_list("pk", flat=True)
    )
    counts = plan.counts()
    if dry_run:
        return CarryResult(plan, counts, [], people=len(people))
    if not plan.communes and not people:
        return CarryResult(plan, _zero(), [])
    assignments = {str(m.village.pk): m.target.pk for m in plan.split_teams}
    with audit.audit_context(reason=REASON_CARRY_OVER):
        reorganisation = Reorganisation(
            kind=ReorganisationKind.CARRY_OVER,
            effective_on=V2025_VALID_FROM,
            area=legacy_province,
            created_by=acting_user if getattr(acting_user, "pk", None) else None,
            details={"successor": plan.successor.pk, "assignments": assignments},
        )
        reorganisation.save()
        with audit.audit_context(batch_id=reorganisation.batch_id):
            _write(plan, reorganisation, people)
    return CarryResult(plan, counts, [], reorganisation, len(people))


def _write(plan: CarryPlan, reorganisation: Reorganisation, people: list[int]) -> None:
    villages = []
    for move in plan.teams:
        village = Area(
            edition=Edition.V2025,
            level=Level.VILLAGE,
            parent=move.target,
            name=move.name,
            short_name=move.name,
            type_word=village_type_word(move.name),
            valid_from=V2025_VALID_FROM,
            valid_until=move.target.valid_until,
        )
        village.fill_derived_fields()
        villages.append(village)
    audit.bulk_insert(Area, villages, batch_size=2000)

    continuations = [
        Continuation(sources=p.blocs, area=p.commune, kind=UnitKind.BLOC)
        for p in plan.communes
        if p.blocs
    ]
    for move, village in zip(plan.teams, villages, strict=True):
        default = unit_default_name(move.team.kind, move.village)
        name = "" if move.team.name == default else move.team.name
        continuations.append(
            Continuation(sources=[move.team], area=village, kind=move.team.kind, name=name)
        )
    carried = [m for seats in plan.seats.values() for m in seats]
    units_continue(
        continuations, effective_on=V2025_VALID_FROM, reason=REASON_CARRY_OVER, carried=carried
    )
    lineage_record(reorganisation, continuations)
    areas_link(reorganisation, [(m.village, v) for m, v in zip(plan.teams, villages, strict=True)])
    # The legacy teams now stand, on the 2025 map, where their villages went.
    units_map_2025(Unit.objects.filter(pk__in=[m.team.pk for m in plan.teams]))
    audit.set_by_pk(Person, people, province=plan.successor)
    # The statistics' log of the carry-over folded once it commits (large_batch).
    data_changed.send(
        sender=Person,
        province_paths=[plan.legacy_province.path, plan.successor.path],
        large_batch=True,
    )
    reorganisation.details.update(
        units=[c.unit.pk for c in continuations],
        villages=[v.pk for v in villages],
        later_ends=continuations[0].later_ends if continuations else {},
        warnings=[w for c in continuations for w in c.warnings],
        people=len(people),
    )
    reorganisation.save(update_fields=["details"])


# --- Undo -----------------------------------------------------------------------------


def _written_on_top(reorganisation: Reorganisation, new_units: list[int], villages) -> str:
    """What stops an undo, or "": a change by anything else than the batch, after it, to
    a unit or seat the batch wrote; a seat in a new unit that the batch did not create;
    any row that points at a new unit (a rating, an activity ...) or a new village (a
    unit, a village under it). A handful of queries, whatever the size."""
    batch, since = reorganisation.batch_id, reorganisation.created_at
    for model in (Unit, Membership):
        touched = model.history.filter(batch_id=batch).values("id")
        later = model.history.filter(history_date__gte=since, id__in=touched)
        if later.exclude(batch_id=batch).exists():
            return str(model._meta.verbose_name)
    created = Membership.history.filter(batch_id=batch, history_type="+").values("id")
    if Membership.objects.filter(unit__in=new_units).exclude(pk__in=created).exists():
        return str(Membership._meta.verbose_name)
    known = {Membership, UnitLineage}
    for relation in Unit._meta.related_objects:
        if relation.related_model in known:
            continue
        rows = relation.related_model._default_manager.filter(
            **{f"{relation.field.name}__in": new_units}
        )
        if rows.exists():
            return str(relation.related_model._meta.verbose_name)
    others = Unit.objects.filter(area__in=villages).exclude(pk__in=new_units)
    if others.exists() or Area.objects.filter(parent__in=villages).exists():
        return str(Unit._meta.verbose_name)
    return ""


@transaction.atomic
def carry_over_undo(*, reorganisation: Reorganisation, acting_user=None) -> Reorganisation:
    """Take a carry-over back: its new villages, units and seats are deleted (the audit
    trail keeps them), the legacy units and seats are in force again as before, people
    return to the legacy province. Refused once anything was written on top of it."""
    reorganisation = Reorganisation.objects.select_for_update().get(pk=reorganisation.pk)
    if reorganisation.kind != ReorganisationKind.CARRY_OVER:
        raise ValidationError(ERROR_UNDO_KIND)
    if reorganisation.undone_at:
        when = timezone.localtime(reorganisation.undone_at).strftime("%H:%M %d/%m/%Y")
        raise ValidationError(ERROR_UNDO_DONE.format(when=when))
    details, batch = reorganisation.details, reorganisation.batch_id
    new_units = list(Unit.objects.filter(pk__in=details.get("units", [])))
    links = UnitLineage.objects.filter(reorganisation=reorganisation)
    old_units = list(Unit.objects.filter(pk__in=links.values("predecessor_id")))
    villages = list(Area.objects.filter(pk__in=details.get("villages", [])))
    blocker = _written_on_top(reorganisation, [u.pk for u in new_units], villages)
    if blocker:
        raise ValidationError(ERROR_UNDO_WRITTEN.format(what=blocker))
    new_seats = list(Membership.objects.filter(unit__in=new_units).values_list("pk", flat=True))
    old_seats = list(
        Membership.history.filter(batch_id=batch, history_type="~", end_reason=REASON_CARRY_OVER)
        .values_list("id", flat=True)
        .distinct()
    )
    people = list(Person.history.filter(batch_id=batch).values_list("id", flat=True).distinct())

    with audit.audit_context(reason=REASON_UNDO, batch_id=uuid.uuid4()):
        audit.delete_by_pk(Membership, new_seats)
        links.delete()
        audit.delete_by_pk(Unit, [u.pk for u in new_units])
        carried_villages = Succession.objects.filter(batch_id=batch).values("predecessor_id")
        carried_teams = list(
            Unit.objects.filter(area__in=carried_villages).values_list("pk", flat=True)
        )
        Succession.objects.filter(batch_id=batch).delete()
        units_map_2025(Unit.objects.filter(pk__in=carried_teams))
        audit.delete_by_pk(Area, [v.pk for v in villages])
        audit.bulk_set(Unit, old_units, status=UnitStatus.ACTIVE, dissolved_on=None)
        later = details.get("later_ends", {})
        reopened = [pk for pk in old_seats if str(pk) not in later]
        audit.set_by_pk(Membership, reopened, end_date=None, end_reason="")
        for pk in (pk for pk in old_seats if str(pk) in later):
            end, reason = later[str(pk)]
            audit.set_by_pk(Membership, [pk], end_date=end, end_reason=reason)
        audit.set_by_pk(Person, people, province=reorganisation.area)
        reorganisation.undone_at = timezone.now()
        reorganisation.save(update_fields=["undone_at"])
    data_changed.send(sender=Unit, province_paths=None, large_batch=True)
    return reorganisation
