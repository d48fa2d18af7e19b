"""Every write to administrative areas goes through here."""

import dataclasses
import datetime
import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import audit, formats
from portal.copy import build
from portal.text import fold, normalize
from units.choices import (
    EDITION_LEVELS,
    LEGACY_VALID_UNTIL,
    TEAM_KINDS,
    V2025_VALID_FROM,
    VILLAGE_TYPE_WORDS,
    Edition,
    Level,
    UnitKind,
)
from units.models import Area, Unit, units_copy_area_dates
from units.selectors import successor_communes
from units.signals import data_changed
from units.successions import SuccessionLoadResult, successions_load

logger = logging.getLogger(__name__)

ERROR_UNKNOWN_EDITION = _("Danh mục không hợp lệ: chọn 2025 hoặc legacy.")
ERROR_UNKNOWN_PROVINCE = _("Không có tỉnh/thành phố mã {codes} trong danh mục {edition}.")
ERROR_VILLAGE_NEEDS_COMMUNE = _("Thôn, tổ dân phố phải thuộc một xã, phường, thị trấn, đặc khu.")
ERROR_VILLAGE_NAME_EMPTY = _("Chưa nhập tên thôn, tổ dân phố.")
ERROR_VILLAGE_AMBIGUOUS = _(
    "Tên “{name}” không có dấu nên không rõ là thôn, tổ dân phố nào của {commune}: "
    "{candidates}. Hãy ghi tên có đủ dấu."
)
ERROR_AREA_ENDED = _(
    "{area} chỉ tồn tại đến ngày {until} (sắp xếp đơn vị hành chính): không thể {action} "
    "vào ngày {day}."
)
ERROR_AREA_SUCCESSORS = _("Địa bàn kế thừa từ ngày {since}: {successors}.")
ERROR_AREA_NOT_YET = _("{area} chỉ tồn tại từ ngày {since}: không thể {action} vào ngày {day}.")
#: What was refused, for the messages above.
ACTION_FOUND = _("lập đơn vị")
ACTION_SEAT = _("thêm thành viên")
ACTION_RATE = _("bắt đầu đánh giá")
ERROR_UNIT_EXISTS = _("{area} đã có {kind} đang hoạt động.")
ERROR_UNIT_KIND_AREA = _("Khối dân vận đặt ở xã; Tổ dân vận đặt ở thôn, tổ dân phố.")

#: Table of the vietnamadminunits package for each edition.
_PACKAGE_TABLES = {Edition.LEGACY: "admin_units_legacy", Edition.V2025: "admin_units"}

#: Fields compared to decide whether a loaded area changed.
_COMPARED_FIELDS = ("name", "short_name", "type_word", "valid_from", "valid_until")


@dataclasses.dataclass(frozen=True)
class OfficialArea:
    """One area as the official list describes it."""

    level: str
    code: str | None
    name: str
    short_name: str
    type_word: str
    parent_key: tuple[str, str | None] | None
    province_code: str

    @property
    def key(self) -> tuple[str, str | None]:
        """Identity within an edition: the code, or the parent's code for the commune-level
        stand-in of an island district without communes."""
        if self.code:
            return (self.level, self.code)
        return (self.level, f"in:{self.parent_key[1]}")


@dataclasses.dataclass
class LoadResult:
    """What ``divisions_load`` did, by level."""

    created: dict[str, int] = dataclasses.field(default_factory=dict)
    updated: dict[str, int] = dataclasses.field(default_factory=dict)
    unchanged: dict[str, int] = dataclasses.field(default_factory=dict)
    #: The official links between the two editions, refreshed after every load.
    successions: SuccessionLoadResult | None = None

    def summary(self) -> str:
        parts = []
        for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
            total = sum(d.get(level, 0) for d in (self.created, self.updated, self.unchanged))
            if total:
                parts.append(
                    f"{level}: created={self.created.get(level, 0)} "
                    f"updated={self.updated.get(level, 0)} "
                    f"unchanged={self.unchanged.get(level, 0)}"
                )
        if self.successions is not None:
            parts.append(self.successions.summary())
        return "; ".join(parts)


def _type_and_name(type_word: str, short_name: str) -> tuple[str, str]:
    """("Thành Phố", "Bắc Kạn") -> ("thành phố", "Thành phố Bắc Kạn"): the package
    capitalises some type words inconsistently."""
    type_word = normalize(type_word).lower()
    short_name = normalize(short_name)
    return type_word, f"{type_word.capitalize()} {short_name}"


def official_areas(edition: str) -> list[OfficialArea]:
    """Provinces, districts (legacy) and communes of ``edition`` from vietnamadminunits,
    parents before children, in code order."""
    from vietnamadminunits.database import get_data

    legacy = edition == Edition.LEGACY
    fields = ["province", "provinceShort", "provinceCode", "ward", "wardShort", "wardType"]
    fields += ["wardCode"]
    if legacy:
        fields += ["district", "districtShort", "districtType", "districtCode"]
    rows = get_data(fields=fields, table=_PACKAGE_TABLES[edition])

    provinces: dict[str, OfficialArea] = {}
    districts: dict[str, OfficialArea] = {}
    communes: dict[tuple, OfficialArea] = {}
    for row in rows:
        p_code = row["provinceCode"]
        if p_code not in provinces:
            p_type = "thành phố" if row["province"].lower().startswith("thành phố") else "tỉnh"
            p_type, p_name = _type_and_name(p_type, row["provinceShort"])
            provinces[p_code] = OfficialArea(
                Level.PROVINCE, p_code, p_name, normalize(row["provinceShort"]), p_type, None,
                p_code,
            )  # fmt: skip
        parent_key = (Level.PROVINCE, p_code)
        if legacy:
            d_code = row["districtCode"]
            if d_code not in districts:
                d_type, d_name = _type_and_name(row["districtType"], row["districtShort"])
                districts[d_code] = OfficialArea(
                    Level.DISTRICT, d_code, d_name, normalize(row["districtShort"]), d_type,
                    parent_key, p_code,
                )  # fmt: skip
            parent_key = (Level.DISTRICT, d_code)
        if row["wardCode"]:
            c_type, c_name = _type_and_name(row["wardType"], row["wardShort"])
            short = normalize(row["wardShort"])
            area = OfficialArea(
                Level.COMMUNE, row["wardCode"], c_name, short, c_type, parent_key, p_code
            )
        else:
            # An island district with no commune level: the district itself works at
            # commune level, so it gets a commune-level area of the same name, no code.
            district = districts[parent_key[1]]
            area = OfficialArea(
                Level.COMMUNE, None, district.name, district.short_name, district.type_word,
                parent_key, p_code,
            )  # fmt: skip
        communes[area.key] = area

    ordered = [*provinces.values(), *districts.values(), *communes.values()]
    return sorted(ordered, key=lambda a: (_LEVEL_ORDER[a.level], a.code or a.key[1]))


_LEVEL_ORDER = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}


def _validity(edition: str) -> dict:
    if edition == Edition.LEGACY:
        return {"valid_from": None, "valid_until": LEGACY_VALID_UNTIL}
    return {"valid_from": V2025_VALID_FROM, "valid_until": None}


def _existing_key(area: Area, parent_codes: dict[int, str]) -> tuple[str, str | None]:
    if area.code:
        return (area.level, area.code)
    return (area.level, f"in:{parent_codes.get(area.parent_id)}")


@transaction.atomic
def divisions_load(
    *, edition: str, provinces: Iterable[str] | None = None, acting_user=None
) -> LoadResult:
    """Create or update the official provinces, districts and communes of ``edition``.

    Idempotent: areas are matched by edition and code, so a second run changes nothing.
    Villages are never touched (they have no official list). Areas are only added or
    renamed, never deleted: rosters and ratings may point at them.

    Bulk writes keep a full national load well under the 30 s budget (a row-by-row
    ``save()`` takes minutes on SQLite); they fill the derived columns themselves, and
    write the audit trail's history rows of the areas they create or rename, with door
    "command" unless the caller set another.
    """
    if edition not in Edition.values:
        raise ValueError(str(ERROR_UNKNOWN_EDITION))
    wanted = official_areas(edition)
    if provinces:
        codes = {c.zfill(2) for c in provinces}
        known = {a.code for a in wanted if a.level == Level.PROVINCE}
        if missing := sorted(codes - known):
            raise ValueError(
                ERROR_UNKNOWN_PROVINCE.format(codes=", ".join(missing), edition=edition)
            )
        wanted = [a for a in wanted if a.province_code in codes]

    existing_rows = list(
        Area.objects.filter(edition=edition).exclude(level=Level.VILLAGE).order_by("path")
    )
    parent_codes = {a.pk: a.code for a in existing_rows}
    existing = {_existing_key(a, parent_codes): a for a in existing_rows}
    validity = _validity(edition)
    result = LoadResult()

    for level in [lv for lv in EDITION_LEVELS[edition] if lv != Level.VILLAGE]:
        to_create, to_update, now = [], [], timezone.now()
        for official in (a for a in wanted if a.level == level):
            values = {
                "name": official.name,
                "short_name": official.short_name,
                "type_word": official.type_word,
                **validity,
            }
            area = existing.get(official.key)
            if area is None:
                parent = existing[official.parent_key] if official.parent_key else None
                area = Area(edition=edition, level=level, code=official.code, parent=parent)
                for field, value in values.items():
                    setattr(area, field, value)
                area.fill_derived_fields()
                existing[official.key] = area
                to_create.append(area)
            elif any(getattr(area, f) != values[f] for f in _COMPARED_FIELDS):
                for field, value in values.items():
                    setattr(area, field, value)
                area.fill_derived_fields()
                area.updated_at = now
                to_update.append(area)
            else:
                result.unchanged[level] = result.unchanged.get(level, 0) + 1
        with audit.audit_context(door=audit.current().door or audit.Door.COMMAND):
            audit.bulk_create(Area, to_create, batch_size=2000)
            audit.bulk_update(
                Area, to_update, [*_COMPARED_FIELDS, "search_name", "updated_at"], batch_size=2000
            )
        if to_update:
            units_copy_area_dates([a.pk for a in to_update])
        result.created[level] = len(to_create)
        result.updated[level] = len(to_update)
    if any(result.created.values()) or any(result.updated.values()):
        # Bulk writes send no model signal: every province's statistics become stale
        # (reports.signals), in this transaction; the statistics' log of the areas is
        # folded once it commits (a nationwide load writes over 10,000 areas).
        data_changed.send(sender=Area, province_paths=None, large_batch=True)
    # The lineage needs both editions: it appears with the second one loaded, whichever
    # comes first, and grows with every --province load (units.successions).
    result.successions = successions_load()
    logger.info("divisions_load edition=%s %s", edition, result.summary())
    return result


def village_type_word(name: str) -> str:
    """The type word a village name starts with ("Tổ dân phố 3" -> "tổ dân phố"), longest
    match first; "thôn" when the name has none."""
    folded = fold(name)
    for word in sorted(VILLAGE_TYPE_WORDS, key=len, reverse=True):
        if folded.startswith(fold(word) + " "):
            return word
    return "thôn"


@dataclasses.dataclass(frozen=True)
class VillageAmbiguous:
    """A name typed without diacritics that folds to the name of several villages:
    ``candidates`` (by pk), so the user must type the name with its accents."""

    name: str
    candidates: tuple[Area, ...]

    def names(self) -> str:
        """ "“Thôn Na”, “Thôn Nà”": the candidates for a message."""
        return ", ".join(f"“{v.name}”" for v in self.candidates)


def village_name_key(name: str) -> str:
    """The exact key of a village name: NFC, single spaces, lower case ("Thôn  NÀ" ->
    "thôn nà"). Two names with the same key are the same village."""
    return normalize(name).lower()


def village_name_accentless(name: str) -> bool:
    """True when ``name`` carries no Vietnamese diacritic (nor đ): it equals its own
    folded form, ignoring case ("Thon Na", "ban phin")."""
    return village_name_key(name) == fold(name)


class VillageIndex:
    """The villages of one commune, indexed for ``match``: by exact key and by folded
    name. The one place the village-name rule lives (docs/ROSTER_IMPORT.md, "Villages"):
    ``village_find`` / ``village_get_or_create`` and the roster import both use it, the
    import with one index per commune of the file (a dict lookup per row)."""

    def __init__(self, villages: Iterable[Area] = ()):
        self.exact: dict[str, Area] = {}
        self.folded: dict[str, list[Area]] = {}
        for village in villages:
            self.add(village)

    def add(self, village: Area) -> None:
        """Index a village (stored or about to be created); the first of an exact key
        wins, so pass them by pk."""
        self.exact.setdefault(village_name_key(village.name), village)
        self.folded.setdefault(fold(village.name), []).append(village)

    def similar(self, name: str) -> list[Area]:
        """The villages whose folded name is that of ``name`` (same letters, any
        diacritics)."""
        return list(self.folded.get(fold(name), ()))

    def match(self, name: str) -> Area | VillageAmbiguous | None:
        """The village ``name`` means, by the rule:

        1. the village whose name is equal to ``name`` after ``normalize``, ignoring
           case (exact match wins);
        2. otherwise, when ``name`` has no diacritics at all ("thon na"), the only
           village whose folded name equals it; with two or more (“Thôn Na” and
           “Thôn Nà”) a ``VillageAmbiguous``;
        3. otherwise None: a name with diacritics that differs from every village's
           name is a new village ("Thôn Nà" next to "Thôn Na" is another village).
        """
        found = self.exact.get(village_name_key(name))
        if found is not None:
            return found
        if not village_name_accentless(name):
            return None
        candidates = self.folded.get(fold(name), ())
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            return VillageAmbiguous(normalize(name), tuple(candidates))
        return None


def village_match(name: str, villages: Iterable[Area]) -> Area | VillageAmbiguous | None:
    """``VillageIndex(villages).match(name)``: the village of ``villages`` (one commune's,
    by pk) that ``name`` means, a ``VillageAmbiguous``, or None for a new village."""
    return VillageIndex(villages).match(name)


def village_find(*, commune: Area, name: str) -> Area | VillageAmbiguous | None:
    """The village of ``commune`` that ``name`` means (``VillageIndex.match``): the same
    name ignoring case and spacing; or, for a name typed without diacritics, the only
    village with that folded name (a ``VillageAmbiguous`` when there are several); else
    None. One query: only villages with the same folded name can match."""
    candidates = Area.objects.filter(
        parent=commune, level=Level.VILLAGE, search_name=fold(name)
    ).order_by("pk")
    return village_match(name, candidates)


def village_build(*, commune: Area, name: str, type_word: str = "") -> Area:
    """A new village of ``commune``, not saved: valid while its commune is, its type
    word given or read from its name (``village_type_word``). Every door that creates
    villages builds them here (the staff pages, roster imports, village lists), as
    ``Area(...)`` would, without its per-field keyword handling (``portal.copy.build``:
    an import builds thousands)."""
    return build(
        Area,
        edition=commune.edition,
        level=Level.VILLAGE,
        parent=commune,
        name=name,
        short_name=name,
        type_word=type_word or village_type_word(name),
        valid_from=commune.valid_from,
        valid_until=commune.valid_until,
    )


def village_get_or_create(*, commune: Area, name: str, acting_user=None) -> tuple[Area, bool]:
    """The village of that name in ``commune``, created when missing.

    Villages have no official list: communes name them, and rosters refer to them by
    name. A name equal to a village's ignoring case is that village; a name typed
    without diacritics is the only village with that folded name, and a
    ValidationError naming the candidates when several have it ("thon na" with
    “Thôn Na” and “Thôn Nà”); any other name is a new village ("Thôn Nà" next to
    "Thôn Na": in Vietnamese another name). See ``VillageIndex.match``.
    """
    name = normalize(name)
    if not name:
        raise ValidationError({"name": ERROR_VILLAGE_NAME_EMPTY})
    if commune.level != Level.COMMUNE:
        raise ValidationError({"parent": ERROR_VILLAGE_NEEDS_COMMUNE})
    existing = village_find(commune=commune, name=name)
    if isinstance(existing, VillageAmbiguous):
        raise ValidationError(
            {
                "name": ERROR_VILLAGE_AMBIGUOUS.format(
                    name=name, commune=commune.name, candidates=existing.names()
                )
            }
        )
    if existing is not None:
        return existing, False
    village = village_build(commune=commune, name=name)
    village.full_clean()
    village.save()
    return village, True


def area_exists_on(area: Area, day: datetime.date) -> bool:
    """Whether ``area`` exists on ``day`` (its valid-from to valid-until, inclusive)."""
    return (area.valid_from is None or area.valid_from <= day) and (
        area.valid_until is None or day <= area.valid_until
    )


def area_not_existing_message(area: Area, day: datetime.date, action) -> str:
    """The Vietnamese refusal of ``action`` on ``area`` on ``day`` when the area does not
    exist then; a legacy area's message names its successor(s) on the 2025 map."""
    if area.valid_from is not None and day < area.valid_from:
        return str(ERROR_AREA_NOT_YET).format(
            area=area.name, since=formats.day(area.valid_from), action=action, day=formats.day(day)
        )
    message = str(ERROR_AREA_ENDED).format(
        area=area.name, until=formats.day(area.valid_until), action=action, day=formats.day(day)
    )
    commune = area.parent if area.level == Level.VILLAGE else area
    successors = successor_communes(commune) if commune.level == Level.COMMUNE else []
    if successors:
        names = ", ".join(
            f"{s.name} ({s.parent.name})" if s.parent_id else s.name for s in successors
        )
        since = successors[0].succession.effective_on
        message += " " + str(ERROR_AREA_SUCCESSORS).format(
            since=formats.day(since), successors=names
        )
    return message


def rating_reference_day(year: int, today: datetime.date | None = None) -> datetime.date:
    """The day a rating of ``year`` is about: the year's last day, or today for the
    year in progress (the statistics count the units "of a year" the same way)."""
    return min(datetime.date(year, 12, 31), today or timezone.localdate())


def area_ended_before(area: Area, day: datetime.date) -> bool:
    """Whether ``area`` had ceased to exist by ``day`` (a legacy area after 30/06/2025)."""
    return area.valid_until is not None and area.valid_until < day


def area_require_exists(
    area: Area, day: datetime.date, *, action, field: str = "area", ended_only: bool = False
) -> None:
    """Refuse (``ValidationError`` on ``field``) new work on an area that does not exist
    on ``day``: founding a unit, starting a rating; with ``ended_only``, only an area that
    had ceased by then (a seat: its start date may be the day the person joined the
    predecessor's unit, docs/REORGANISATION.md, "Validity"). Every door goes through
    the services that call this."""
    refused = area_ended_before(area, day) if ended_only else not area_exists_on(area, day)
    if refused:
        raise ValidationError({field: area_not_existing_message(area, day, action)})


@transaction.atomic
def unit_create(
    *,
    kind: str,
    area: Area,
    acting_user=None,
    name: str = "",
    decision_number: str = "",
    decision_date=None,
    rules_adopted: bool = False,
    rules_adopted_on=None,
) -> Unit:
    """Found a bloc at a commune or a team at a village, on an area that exists on the
    founding date (today when not given).

    At most one active unit per area is also a database constraint; this check gives
    the Vietnamese message before the database has to refuse.
    """
    expected = Level.COMMUNE if kind == UnitKind.BLOC else Level.VILLAGE
    if area.level != expected:
        raise ValidationError({"area": ERROR_UNIT_KIND_AREA})
    area_require_exists(area, decision_date or timezone.localdate(), action=ACTION_FOUND)
    if Unit.objects.active().filter(area=area).exists():
        raise ValidationError(
            {"area": ERROR_UNIT_EXISTS.format(area=area.name, kind=UnitKind(kind).label.lower())}
        )
    unit = Unit(
        kind=kind,
        area=area,
        name=name,
        decision_number=decision_number,
        decision_date=decision_date,
        rules_adopted=rules_adopted or bool(rules_adopted_on),
        rules_adopted_on=rules_adopted_on,
    )
    unit.fill_derived_fields()
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def team_create_for_village(
    *, commune: Area, village_name: str, kind: str = UnitKind.TEAM, acting_user=None, **fields
) -> Unit:
    """A team for the village of that name in ``commune``, creating the village when the
    commune has none of that name yet."""
    if kind not in TEAM_KINDS:
        raise ValidationError({"kind": ERROR_UNIT_KIND_AREA})
    village, _created = village_get_or_create(
        commune=commune, name=village_name, acting_user=acting_user
    )
    return unit_create(kind=kind, area=village, acting_user=acting_user, **fields)


#: Fields of a unit that staff may change after founding.
UNIT_EDITABLE_FIELDS = (
    "name",
    "kind",
    "decision_number",
    "decision_date",
    "rules_adopted",
    "rules_adopted_on",
)


@transaction.atomic
def unit_update(*, unit: Unit, acting_user=None, **fields) -> Unit:
    """Change a unit's founding details. The area and the status have their own
    services (a unit never moves; dissolving ends its memberships)."""
    for field, value in fields.items():
        if field not in UNIT_EDITABLE_FIELDS:
            raise ValueError(field)
        setattr(unit, field, value)
    if unit.kind == UnitKind.BLOC and unit.area.level != Level.COMMUNE:
        raise ValidationError({"kind": ERROR_UNIT_KIND_AREA})
    if unit.kind in TEAM_KINDS and unit.area.level != Level.VILLAGE:
        raise ValidationError({"kind": ERROR_UNIT_KIND_AREA})
    if unit.rules_adopted_on:
        unit.rules_adopted = True
    unit.name = unit.name or ""
    unit.fill_derived_fields()
    unit.full_clean()
    unit.save()
    return unit
