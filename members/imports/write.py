"""Writing a plan: bulk inserts and updates in dependency order, each with its history
rows, and the progress the upload page shows.

No query runs per row: one INSERT or UPDATE per table and batch of objects, inside the
transaction ``roster_import`` opens (members/imports/__init__.py, which sets the batch
size and how often progress is reported).
"""

from __future__ import annotations

from django.utils import timezone

from members.models import Membership, Person
from portal import audit
from units.models import Area, Unit, units_map_2025

_PERSON_UPDATE_FIELDS = [
    "full_name", "search_name", "gender", "ethnicity", "party_member", "phone", "position",
    "province", "updated_at",
]  # fmt: skip
_MEMBERSHIP_UPDATE_FIELDS = ["role", "start_date", "end_date", "updated_at"]


class Progress:
    """Maps the work to ``progress(done_rows, total_rows)``: checking the rows is the
    first half of the bar, writing them the second, so a bar never sits at 100 % while
    the database is still busy. Checking reports every ``every`` rows."""

    def __init__(self, callback, total: int, *, every: int):
        self.callback = callback
        self.total = total
        self.every = every

    def checked(self, done: int) -> None:
        if self.callback and done % self.every == 0:
            self.callback(done // 2, self.total)

    def written(self, done: int, of: int) -> None:
        if self.callback and of:
            self.callback(self.total // 2 + (self.total - self.total // 2) * done // of, self.total)

    def done(self) -> None:
        if self.callback:
            self.callback(self.total, self.total)


class Writes:
    """The objects a plan creates and changes, written by ``apply`` in dependency order."""

    def __init__(self):
        self.villages: list[Area] = []
        self.units: list[Unit] = []
        self.people: list[Person] = []
        self.changed_people: dict[int, Person] = {}
        self.memberships: list[Membership] = []
        self.changed_memberships: dict[int, Membership] = {}

    def apply(self, progress: Progress, *, batch_size: int) -> None:
        """Bulk writes, each object's derived columns filled first (bulk writes skip
        ``save()``). Ended memberships are updated before new ones are inserted, so a
        member who left and rejoined never has two open seats, even for a moment.

        Every object written gets its history row in the same transaction
        (``portal.audit.bulk_insert``: COPY on PostgreSQL, the history copied by the
        database; ``bulk_update`` for changed rows), with the audit context's user, door
        and batch id (``roster_import`` makes sure there is one); unchanged rows are not
        written, so they get none.
        """
        now = timezone.now()
        for village in self.villages:
            village.fill_derived_fields()
        audit.bulk_insert(Area, self.villages, batch_size=batch_size)
        for unit in self.units:
            unit.fill_derived_fields()
        audit.bulk_insert(Unit, self.units, batch_size=batch_size)
        unplaced = [u.pk for u in self.units if u.map_path is None]
        if unplaced:  # legacy units: their 2025 place (these units only, as ``Unit.save``)
            units_map_2025(Unit.objects.filter(pk__in=unplaced), placed_only=True)
        for person in self.people:
            person.fill_derived_fields()
        audit.bulk_insert(Person, self.people, batch_size=batch_size)
        changed = list(self.changed_people.values())
        for person in changed:
            person.fill_derived_fields()
            person.updated_at = now
        audit.bulk_update(Person, changed, _PERSON_UPDATE_FIELDS, batch_size=batch_size)
        changed = list(self.changed_memberships.values())
        for membership in changed:
            membership.fill_derived_fields()
            membership.updated_at = now
        audit.bulk_update(Membership, changed, _MEMBERSHIP_UPDATE_FIELDS, batch_size=batch_size)
        # Inserted chunk by chunk (the bulk of the writing) to move the progress bar.
        total = len(self.memberships)
        for start in range(0, total, batch_size):
            chunk = self.memberships[start : start + batch_size]
            for membership in chunk:
                membership.fill_derived_fields()
            audit.bulk_insert(Membership, chunk, batch_size=batch_size)
            progress.written(start + len(chunk), total)

    def provinces(self) -> set[str]:
        """Paths in the provinces written in (any path inside a province names it): the
        areas, units and seats written, and the people's own provinces (one query for
        those not loaded with their province)."""
        paths = {a.path for a in self.villages} | {u.area_path for u in self.units}
        paths |= {m.area_path for m in self.memberships}
        paths |= {m.area_path for m in self.changed_memberships.values()}
        unknown = set()
        for person in [*self.people, *self.changed_people.values()]:
            if Person.province.is_cached(person):
                paths.add(person.province.path)
            else:
                unknown.add(person.province_id)
        if unknown:
            paths |= set(Area.objects.filter(pk__in=unknown).values_list("path", flat=True))
        return paths
