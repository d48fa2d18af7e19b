"""The generator: villages, blocs, teams, people and seats of one province, drawn from
one seeded ``random.Random`` in a fixed order, then written in bulk with their audit
trail (see the package docstring for why bulk writes and how the rules still hold)."""

from __future__ import annotations

import dataclasses
import datetime
import random

from django.db import transaction
from django.utils import timezone

from members.choices import KINH, Gender, Role
from members.demo.names import MOBILE_PREFIXES, person_name
from members.demo.positions import (
    BLOC_CORE,
    BLOC_ELDER,
    BLOC_EXTRA,
    BLOC_FRONT_CHAIR,
    BLOC_HEADS,
    BLOC_VICE_CHAIRS,
    BLOC_VILLAGE_SECRETARY,
    COMMUNITY_MEMBERS,
    FOUNDED,
    LAST_END,
    TEAM_DEPUTY_SECRETARY,
    TEAM_ELDERS,
    TEAM_EXTRA,
    TEAM_FARMERS,
    TEAM_FRONT_HEAD,
    TEAM_HEAD,
    TEAM_HEAD_AND_VILLAGE_HEAD,
    TEAM_MILITIA,
    TEAM_RESPECTED,
    TEAM_SECURITY,
    TEAM_VETERANS,
    TEAM_VILLAGE_HEAD,
    TEAM_WOMEN,
    TEAM_YOUTH,
    Position,
    date_between,
)
from members.demo.regions import province_profile
from members.demo.scope import DEFAULT_SEED, communes_of
from members.demo.villages import URBAN_TYPES, VILLAGE_HEAD, village_name
from members.demo.weighted import Weighted, blend, loose_key
from members.models import Membership, Person
from portal import audit
from units.choices import Edition, Level, UnitKind, UnitStatus
from units.models import Area, Unit, units_map_2025
from units.signals import data_changed

#: Rows per INSERT. Large enough that a province is a few statements per table; SQLite
#: lowers it to its 999-parameter limit by itself.
BATCH_SIZE = 2000
#: The reason on the audit trail's rows of demo data.
DEMO_REASON = "Dữ liệu mẫu (generate_demo)"

#: Villages created per commune that has none, by scale and edition. A 2025 commune
#: merges about three legacy ones, so it gets three times the villages: both editions
#: then hold about 80,000 villages nationally, like the real country.
VILLAGES_PER_COMMUNE = {
    ("small", Edition.LEGACY): (4, 8),
    ("small", Edition.V2025): (4, 8),
    ("province", Edition.LEGACY): (4, 12),
    ("province", Edition.V2025): (14, 34),
    ("national", Edition.LEGACY): (4, 12),
    ("national", Edition.V2025): (14, 34),
}

#: Roster sizes. Blocs lean to the top of 7-13 (Bắc Kạn: 1,265 members in 108 blocs,
#: 11.7 each); teams to the bottom of 7-10 (Bắc Giang 8.5, Nậm Pồ 7.4 per team).
BLOC_SIZES = {7: 2, 8: 3, 9: 4, 10: 8, 11: 15, 12: 25, 13: 43}
TEAM_SIZES = {7: 35, 8: 35, 9: 20, 10: 10}

#: Shares of units with an extra ended membership (history), of communes where a bloc
#: member also sits in a village team, and of teams that are community teams.
HISTORY_SHARE = 0.08
CADRE_IN_TEAM_SHARE = 0.30
VILLAGE_HEAD_IN_BLOC_SHARE = 0.10
COMMUNITY_TEAM_SHARE = 0.04
#: Bắc Giang piloted community teams in 2023 (docs/DEMO.md): more of them there.
COMMUNITY_TEAM_SHARE_BY_PROVINCE = {"bacgiang": 0.25, "bacninh": 0.12}
RULES_ADOPTED_SHARE = 0.85

END_REASONS = {
    "Chuyển công tác": 40,
    "Nghỉ hưu": 20,
    "Theo nguyện vọng cá nhân": 12,
    "Vì lý do sức khỏe": 10,
    "Chuyển nơi cư trú": 10,
    "Do sắp xếp tổ chức bộ máy": 8,
}


@dataclasses.dataclass
class DemoCounts:
    """What a run created."""

    provinces: int = 0
    communes: int = 0
    villages: int = 0
    blocs: int = 0
    teams: int = 0
    community_teams: int = 0
    memberships: int = 0
    ended: int = 0
    people: int = 0
    people_in_two_units: int = 0
    units_kept: int = 0

    def add(self, other: DemoCounts) -> None:
        for field in dataclasses.fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))

    @property
    def created_anything(self) -> bool:
        return bool(self.villages or self.blocs or self.teams or self.memberships)


BLOC_HEAD_TABLE = Weighted(dict(BLOC_HEADS))
END_REASON_TABLE = Weighted(END_REASONS)
BLOC_SIZE_TABLE = Weighted(BLOC_SIZES)
TEAM_SIZE_TABLE = Weighted(TEAM_SIZES)


def _leaning(table: Weighted, item: str, share: float) -> Weighted:
    """``table`` with ``share`` of the weight moved onto ``item``: a village's people are
    mostly of its main group, with neighbours from the rest of the province."""
    weights = {k: (1 - share) * w / table.total for k, w in table.as_dict().items()}
    weights[item] = weights.get(item, 0.0) + share
    return Weighted(weights)


class _Roster:
    """The generator of one province. Everything is drawn from one ``Random`` seeded
    with the seed and the province, in a fixed order, so the same seed gives the same
    rosters whatever else the run covers."""

    def __init__(self, *, province: Area, scale: str, seed: int, today: datetime.date):
        self.province = province
        self.edition = province.edition
        self.scale = scale
        self.rng = random.Random(f"{seed}/{province.path}")  # noqa: S311 - reproducible on purpose
        self.today = today
        self.profile = province_profile(province)
        # Wards and towns are more Kinh than the countryside around them.
        self.urban_ethnicities = Weighted(
            {e: w * (4 if e == KINH else 1) for e, w in self.profile.ethnicities.as_dict().items()}
        )
        self.community_share = COMMUNITY_TEAM_SHARE_BY_PROVINCE.get(
            loose_key(province.short_name or province.name), COMMUNITY_TEAM_SHARE
        )
        self.phones: set[str] = set()
        self.villages: list[Area] = []
        self.units: list[Unit] = []
        self.people: list[Person] = []
        self.memberships: list[Membership] = []
        self.counts = DemoCounts(provinces=1)

    # People ---------------------------------------------------------------------------

    def phone(self) -> str:
        """A mobile number not yet given to anyone in this run's province."""
        rng = self.rng
        while True:
            number = f"{MOBILE_PREFIXES.pick(rng)}{rng.randrange(10_000_000):07d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def person(self, position: Position, *, ethnicities: Weighted, fmt: dict) -> Person:
        rng = self.rng
        gender = Gender.FEMALE if rng.random() < position.women else Gender.MALE
        born = rng.randint(*position.born)
        ethnicity = ethnicities.pick(rng)
        person = Person(
            full_name=person_name(
                rng, ethnicity=ethnicity, gender=gender, born=born, south=self.profile.south
            ),
            gender=gender,
            birth_year=born,
            ethnicity=ethnicity,
            party_member=rng.random() < position.party,
            phone=self.phone(),
            position=position.title.format(**fmt),
            province=self.province,
        )
        person.fill_derived_fields()
        self.people.append(person)
        return person

    def seat(self, unit: Unit, person: Person, role: str, start, end=None, reason="") -> None:
        membership = Membership(
            unit=unit, person=person, role=role, start_date=start, end_date=end, end_reason=reason
        )
        membership.fill_derived_fields()
        self.memberships.append(membership)
        self.counts.memberships += 1
        self.counts.ended += end is not None

    def roster(self, unit: Unit, seats: list, *, founded, ethnicities, fmt, given=None) -> dict:
        """Create the people of ``seats`` ((position, role) pairs, head first) and seat
        them. ``given`` maps a seat index to a person who already exists (the same
        person in two units). Sometimes one seat changed hands: the predecessor's
        membership is kept, ended, and the current holder joined a little later."""
        rng = self.rng
        given = given or {}
        people = {}
        starts = {}
        for index, (position, role) in enumerate(seats):
            person = given.get(index) or self.person(position, ethnicities=ethnicities, fmt=fmt)
            if role == Role.HEAD:
                person.party_member = True  # a Party secretary or deputy secretary
            people[index] = person
            starts[index] = founded
        if rng.random() < HISTORY_SHARE and len(seats) > 1:
            index = rng.randrange(1, len(seats))  # any seat but the head's
            position, role = seats[index]
            last = min(LAST_END, self.today - datetime.timedelta(days=31))
            ended = date_between(rng, founded + datetime.timedelta(days=120), last)
            if ended > founded and index not in given:
                predecessor = self.person(position, ethnicities=ethnicities, fmt=fmt)
                self.seat(unit, predecessor, role, founded, ended, END_REASON_TABLE.pick(rng))
                starts[index] = min(ended + datetime.timedelta(days=rng.randint(1, 30)), self.today)
        for index, (_position, role) in enumerate(seats):
            self.seat(unit, people[index], role, starts[index])
        return people

    # Villages -------------------------------------------------------------------------

    def new_villages(self, commune: Area) -> tuple[list[Area], list[str]]:
        """Name and build the villages of a commune that has none, with the main ethnic
        group of each."""
        rng = self.rng
        low, high = VILLAGES_PER_COMMUNE[(self.scale, self.edition)]
        urban = commune.type_word in URBAN_TYPES
        table = self.urban_ethnicities if urban else self.profile.ethnicities
        taken: set[str] = set()
        numbers: dict[str, int] = {}
        villages, groups = [], []
        for _ in range(rng.randint(low, high)):
            group = table.pick(rng)
            word, name = village_name(
                rng,
                style=self.profile.style,
                urban=urban,
                group=group,
                taken=taken,
                numbers=numbers,
            )
            taken.add(name)
            village = Area(
                edition=commune.edition,
                level=Level.VILLAGE,
                parent=commune,
                name=name,
                short_name=name,
                type_word=word,
                valid_from=commune.valid_from,
                valid_until=commune.valid_until,
            )
            village.fill_derived_fields()
            villages.append(village)
            groups.append(group)
        self.villages.extend(villages)
        self.counts.villages += len(villages)
        return villages, groups

    # Units ----------------------------------------------------------------------------

    def founding(self, kind: str) -> tuple[datetime.date, str]:
        """A founding decision of the commune's Party committee: date and number."""
        rng = self.rng
        start, end = FOUNDED[(self.edition, UnitKind.BLOC if kind == UnitKind.BLOC else "team")]
        founded = min(date_between(rng, start, end), self.today)
        return founded, f"{rng.randint(5, 380)}-QĐ/ĐU"

    def unit(self, kind: str, area: Area, founded, number: str) -> Unit:
        rng = self.rng
        rules_on = None
        if rng.random() < RULES_ADOPTED_SHARE:
            rules_on = min(founded + datetime.timedelta(days=rng.randint(7, 45)), self.today)
        unit = Unit(
            kind=kind,
            area=area,
            decision_number=number,
            decision_date=founded,
            rules_adopted=rules_on is not None,
            rules_adopted_on=rules_on,
            status=UnitStatus.ACTIVE,
        )
        unit.fill_derived_fields()
        self.units.append(unit)
        return unit

    def commune(self, commune: Area, villages: list[Area], active: set[int]) -> None:
        """Fill one commune: its bloc when it has none, villages when it has none, a team
        in every village without one."""
        rng = self.rng
        self.counts.communes += 1
        if villages:
            table = self.urban_ethnicities if commune.type_word in URBAN_TYPES else None
            groups = [(table or self.profile.ethnicities).pick(rng) for _ in villages]
        else:
            villages, groups = self.new_villages(commune)
        needs_bloc = commune.pk not in active
        teamless = [(v, g) for v, g in zip(villages, groups, strict=True) if v.pk not in active]
        self.counts.units_kept += (not needs_bloc) + len(villages) - len(teamless)
        if not needs_bloc and not teamless:
            return

        # The same person in two units of the commune: a commune officer who also sits
        # in a village team, or a village's Party secretary who sits in the bloc.
        cadre_at = secretary_at = None
        if needs_bloc and teamless:
            if rng.random() < CADRE_IN_TEAM_SHARE:
                cadre_at = rng.randrange(len(teamless))
            if rng.random() < VILLAGE_HEAD_IN_BLOC_SHARE:
                secretary_at = rng.randrange(len(teamless))
        cadre = secretary = None
        if needs_bloc:
            village_name = teamless[secretary_at][0].name if secretary_at is not None else ""
            cadre, secretary = self.bloc(
                commune, groups, village_name=village_name, want_cadre=cadre_at is not None
            )
        team_founded, team_number = self.founding(UnitKind.TEAM)
        for index, (village, group) in enumerate(teamless):
            self.team(
                village,
                group,
                founded=team_founded,
                number=team_number,
                head=secretary if index == secretary_at else None,
                cadre=cadre if index == cadre_at else None,
            )

    def bloc(self, commune: Area, groups: list[str], *, village_name: str, want_cadre: bool):
        """The commune's bloc: a Party committee (deputy) secretary as head, the Front's
        chair and often a People's Council or Committee vice-chair as deputies, then the
        heads of the mass organisations and other officers. Returns a member who will
        also sit in a team (or None) and the village secretary (or None)."""
        rng = self.rng
        founded, number = self.founding(UnitKind.BLOC)
        unit = self.unit(UnitKind.BLOC, commune, founded, number)
        self.counts.blocs += 1
        ethnicities = blend(
            self.profile.ethnicities, Weighted(dict.fromkeys(groups, 1) or {KINH: 1})
        )

        vice_chairs = BLOC_VICE_CHAIRS[:]
        rng.shuffle(vice_chairs)
        seats = [(BLOC_HEAD_TABLE.pick(rng), Role.HEAD), (BLOC_FRONT_CHAIR, Role.DEPUTY)]
        if rng.random() < 0.6:
            seats.append((vice_chairs.pop(), Role.DEPUTY))
        extras = vice_chairs + BLOC_EXTRA
        if ethnicities.as_dict().get(KINH, 0) / ethnicities.total < 0.8:
            extras.append(BLOC_ELDER)
        rng.shuffle(extras)
        members = BLOC_CORE + extras
        if village_name:
            members.insert(2, BLOC_VILLAGE_SECRETARY)
        size = BLOC_SIZE_TABLE.pick(rng)
        seats += [(position, Role.MEMBER) for position in members[: size - len(seats)]]

        fmt = {"t": commune.type_word, "s": commune.short_name, "v": village_name}
        people = self.roster(unit, seats, founded=founded, ethnicities=ethnicities, fmt=fmt)
        secretary = next(
            (people[i] for i, (p, _r) in enumerate(seats) if p is BLOC_VILLAGE_SECRETARY), None
        )
        candidates = [
            people[i] for i, (_p, role) in enumerate(seats)
            if role == Role.MEMBER and people[i] is not secretary
        ]  # fmt: skip
        cadre = rng.choice(candidates) if want_cadre and candidates else None
        return cadre, secretary

    def team(self, village: Area, group: str, *, founded, number, head=None, cadre=None):
        """A village team: the Party cell secretary heads it; the village head and the
        head of the Front's village committee are the usual deputies; the heads of the
        village branches of the mass organisations are members."""
        rng = self.rng
        if rng.random() < 0.2:  # some teams were set up by a decision of their own
            founded, number = self.founding(UnitKind.TEAM)
        community = rng.random() < self.community_share
        kind = UnitKind.COMMUNITY_TEAM if community else UnitKind.TEAM
        unit = self.unit(kind, village, founded, number)
        self.counts.teams += 1
        self.counts.community_teams += community
        type_word = village.type_word
        urban = type_word in ("tổ dân phố", "khu phố")

        if rng.random() < 0.25:
            seats = [(TEAM_HEAD_AND_VILLAGE_HEAD, Role.HEAD), (TEAM_FRONT_HEAD, Role.DEPUTY)]
            if rng.random() < 0.3:
                seats.append((TEAM_DEPUTY_SECRETARY, Role.DEPUTY))
            members = []
        else:
            seats = [(TEAM_HEAD, Role.HEAD), (TEAM_VILLAGE_HEAD, Role.DEPUTY)]
            if rng.random() < 0.8:
                seats.append((TEAM_FRONT_HEAD, Role.DEPUTY))
                members = []
            else:
                members = [TEAM_FRONT_HEAD]
        members.append(TEAM_WOMEN)
        if community:
            members += COMMUNITY_MEMBERS
        if not urban:
            members.append(TEAM_FARMERS)
        members += [TEAM_VETERANS, TEAM_YOUTH]
        if not urban:
            members.append(TEAM_MILITIA.get(type_word, TEAM_MILITIA[None]))
        members += [TEAM_SECURITY[self.edition], TEAM_ELDERS]
        extras = TEAM_EXTRA + ([TEAM_RESPECTED] if group != KINH else [])
        rng.shuffle(extras)
        members += extras
        size = TEAM_SIZE_TABLE.pick(rng) - (cadre is not None)
        seats += [(position, Role.MEMBER) for position in members[: size - len(seats)]]

        fmt = {"h": VILLAGE_HEAD.get(type_word, "Trưởng thôn")}
        given = {0: head} if head is not None else {}
        self.roster(
            unit,
            seats,
            founded=founded,
            ethnicities=_leaning(self.profile.ethnicities, group, 0.75),
            fmt=fmt,
            given=given,
        )
        if cadre is not None:
            self.seat(unit, cadre, Role.MEMBER, founded)
        self.counts.people_in_two_units += (cadre is not None) + (head is not None)

    # Writing --------------------------------------------------------------------------

    def write(self, batch_size: int) -> None:
        """Everything of the province, one INSERT per table and batch: villages first
        (units point at them), then units, people, memberships; each with its audit
        trail rows (portal.audit), one INSERT per history table and batch."""
        with audit.audit_context(reason=DEMO_REASON):
            audit.bulk_create(Area, self.villages, batch_size=batch_size)
            audit.bulk_create(Unit, self.units, batch_size=batch_size)
            if any(u.map_path is None for u in self.units):  # legacy units: 2025 place
                units_map_2025(Unit.objects.filter(map_path__isnull=True))
            audit.bulk_create(Person, self.people, batch_size=batch_size)
            audit.bulk_create(Membership, self.memberships, batch_size=batch_size)
        # Bulk writes send no model signal: this province's statistics become stale.
        data_changed.send(sender=Membership, province_paths=[self.province.path])
        self.counts.people = len(self.people)


@transaction.atomic
def rosters_generate(
    *,
    province: Area,
    scale: str,
    seed: int = DEFAULT_SEED,
    communes: list[Area] | None = None,
    batch_size: int = BATCH_SIZE,
) -> DemoCounts:
    """Generate blocs, villages, teams, people and memberships in ``communes`` of
    ``province`` (every commune when None), topping up what exists.

    One transaction per province: an interrupted national run leaves whole provinces,
    and the next run fills the rest. Reads: at most three queries (communes, active
    units, existing villages); writes: one INSERT per table and batch.
    """
    if communes is None:
        communes = communes_of(province)
    active = set(
        Unit.objects.filter(status=UnitStatus.ACTIVE, area_path__descendant_of=province.path)
        .order_by()
        .values_list("area_id", flat=True)
    )
    villages_by_commune: dict[int, list[Area]] = {}
    for village in Area.objects.filter(
        level=Level.VILLAGE, path__descendant_of=province.path
    ).order_by("path"):
        villages_by_commune.setdefault(village.parent_id, []).append(village)

    # A legacy province's rosters stop when its areas do (30/06/2025): no seat of a
    # legacy unit starts after it, so the carry-over can take every roster across.
    today = timezone.localdate()
    if province.valid_until is not None:
        today = min(today, province.valid_until)
    roster = _Roster(province=province, scale=scale, seed=seed, today=today)
    for commune in communes:
        roster.commune(commune, villages_by_commune.get(commune.pk, []), active)
    roster.write(batch_size)
    return roster.counts
