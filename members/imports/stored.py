"""What the database holds for the communes a file names, loaded in a fixed number of
queries whatever the number of rows, then looked up in memory (a dict lookup per row).

First the communes of the codes (checking each row's code, commune name and scope), then
the rosters of those communes: villages, units, memberships and the people of their
provinces. A test asserts that 10 and 60 rows take the same number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from accounts.access import scope_of
from members.imports.contract import COL_CODE, COL_COMMUNE, EDITION_WORDS
from members.imports.rows import Row, commune_name_matches
from members.models import Membership, Person
from members.selectors import people_visible_to
from portal.paths import province_path
from units.choices import Edition, Level, UnitStatus
from units.models import Area, Unit
from units.selectors import predecessor_province_ids
from units.services import VillageIndex

ERROR_CODE_UNKNOWN = _("Không có xã, phường mã {code} trong danh mục đơn vị hành chính {edition}.")
ERROR_CODE_OTHER_EDITION = _(
    "Không có xã, phường mã {code} trong danh mục đơn vị hành chính {edition}; "
    "mã này là {name} trong danh mục {other}: hãy chọn đúng danh mục khi nhập."
)
ERROR_COMMUNE_NAME = _("Tên xã “{value}” không khớp với mã {code}: mã {code} là {name}.")
ERROR_OUT_OF_SCOPE = _("{name} (mã {code}) ngoài địa bàn bạn quản lý.")


class Stored:
    """The stored communes, provinces, villages, units, memberships and people that the
    rows of one file can meet, indexed the way the planner looks them up."""

    def __init__(self):
        self.communes: dict[str, Area] = {}  # by code
        self.provinces: dict[str, Area] = {}  # by path
        self.villages: dict[int, VillageIndex] = defaultdict(VillageIndex)  # by commune id
        self.units: dict[int, Unit] = {}  # by area id: the active unit, else the last one
        #: (unit id, folded name, birth year) -> seats
        self.members: dict[tuple, list[Membership]] = defaultdict(list)
        #: (province id, folded name, birth year) -> people, oldest first
        self.people: dict[tuple, list[Person]] = defaultdict(list)

    def load_communes(
        self,
        rows: list[Row],
        *,
        edition: str,
        scope: Callable[[Area], bool] | None,
        error: Callable[[Row, str, str], None],
    ) -> None:
        """The communes of the rows' codes in ``edition`` and their provinces (two
        queries, three when a code is unknown). Sets each row's commune, or reports
        through ``error`` why it has none: unknown code (naming the commune of the other
        edition when there is one), a "Xã" cell naming another commune, a commune
        outside ``scope``."""
        codes = {r.code for r in rows if r.code}
        if not codes:
            return
        self.communes = {
            a.code: a
            for a in Area.objects.filter(edition=edition, level=Level.COMMUNE, code__in=codes)
        }
        unknown = codes - set(self.communes)
        other = Edition.LEGACY if edition == Edition.V2025 else Edition.V2025
        other_names = {}
        if unknown:
            other_names = dict(
                Area.objects.filter(
                    edition=other, level=Level.COMMUNE, code__in=unknown
                ).values_list("code", "name")
            )
        province_paths = {province_path(a.path) for a in self.communes.values()}
        self.provinces = {a.path: a for a in Area.objects.filter(path__in=province_paths)}
        allowed = {}
        matches: dict[tuple[str, int], bool] = {}

        def names_match(name: str, commune: Area) -> bool:
            """``commune_name_matches``, once per name and commune of the file."""
            key = (name, commune.pk)
            if key not in matches:
                matches[key] = commune_name_matches(name, commune)
            return matches[key]

        for row in rows:
            if not row.code:
                continue
            commune = self.communes.get(row.code)
            if commune is None:
                if row.code in other_names:
                    message = ERROR_CODE_OTHER_EDITION.format(
                        code=row.code,
                        edition=EDITION_WORDS[edition],
                        name=other_names[row.code],
                        other=EDITION_WORDS[other],
                    )
                else:
                    message = ERROR_CODE_UNKNOWN.format(
                        code=row.code, edition=EDITION_WORDS[edition]
                    )
                error(row, COL_CODE, message)
                continue
            row.commune = commune
            if row.commune_name and not names_match(row.commune_name, commune):
                error(
                    row,
                    COL_COMMUNE,
                    ERROR_COMMUNE_NAME.format(
                        value=row.commune_name, code=row.code, name=commune.name
                    ),
                )
            if scope is not None:
                if commune.pk not in allowed:
                    allowed[commune.pk] = bool(scope(commune))
                if not allowed[commune.pk]:
                    error(
                        row,
                        COL_CODE,
                        ERROR_OUT_OF_SCOPE.format(name=commune.name, code=commune.code),
                    )

    def load_rosters(self, *, acting_user=None) -> None:
        """Villages, units, memberships and people of the communes and provinces the
        file names: five queries, six when a member is recorded in another province."""
        commune_ids = [a.pk for a in self.communes.values()]
        if not commune_ids:
            return
        villages = Area.objects.filter(level=Level.VILLAGE, parent_id__in=commune_ids)
        for village in villages.order_by("pk"):
            self.villages[village.parent_id].add(village)
        units = Unit.objects.filter(commune_id__in=commune_ids).order_by("dissolved_on", "pk")
        for unit in units:
            current = self.units.get(unit.area_id)
            if current is None or current.status != UnitStatus.ACTIVE:
                self.units[unit.area_id] = unit
        unit_by_id = {u.pk: u for u in self.units.values()}
        # Their creation and change moments are never read here (a changed row gets a new
        # ``updated_at``): not loaded, 36,000 time stamps less to parse on a re-import.
        unread = ("created_at", "updated_at")
        memberships = list(Membership.objects.filter(unit_id__in=list(unit_by_id)).defer(*unread))
        province_ids = [p.pk for p in self.provinces.values()]
        # Across the border: a 2025 province's people include those recorded in the
        # legacy provinces merged into it, matched as the 2025 province's (one query).
        merged = predecessor_province_ids(province_ids)
        alias = {old: new for new, olds in merged.items() for old in olds}
        candidates = Person.objects.filter(province_id__in=[*province_ids, *alias]).defer(*unread)
        if acting_user is not None and not scope_of(acting_user).everything:
            # The identity rule recognises only people the importer may see: a person
            # seated only in another commune is neither matched nor revealed nor
            # overwritten; a second record is made, which provincial staff can merge.
            candidates = candidates.filter(pk__in=people_visible_to(acting_user).values("pk"))
        people = {p.pk: p for p in candidates}
        missing = {m.person_id for m in memberships} - set(people)
        if missing:
            people.update((p.pk, p) for p in Person.objects.filter(pk__in=missing).defer(*unread))
        for person in people.values():
            province_id = alias.get(person.province_id, person.province_id)
            key = (province_id, person.search_name, person.birth_year)
            self.people[key].append(person)
        for key in self.people:
            self.people[key].sort(key=lambda p: p.pk)
        for membership in memberships:
            # Cached objects, so that fill_derived_fields and the matching never query.
            membership.unit = unit_by_id[membership.unit_id]
            person = people[membership.person_id]
            membership.person = person
            key = (membership.unit_id, person.search_name, person.birth_year)
            self.members[key].append(membership)
