"""Where each row belongs: the village of a team row and the unit of every row, found
among the stored ones or planned as new (docs/ROSTER_IMPORT.md, "Units" and "Villages").

The village rule is ``units.services.VillageIndex.match``, the one place it lives; here
it sees the commune's stored villages plus the file's own new ones.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from members.imports.contract import COL_VILLAGE, ImportPlan
from members.imports.rows import Row
from members.imports.stored import Stored
from members.imports.write import Writes
from portal.copy import build
from portal.text import fold
from units.choices import UnitKind
from units.models import Area, Unit, unit_default_name
from units.services import (
    ERROR_VILLAGE_AMBIGUOUS,
    VillageAmbiguous,
    VillageIndex,
    village_build,
    village_name_accentless,
    village_name_key,
)

#: Warnings (plan notes, not errors): a new village whose name differs only by its
#: diacritics from a stored one, or from another new one of the file.
NOTE_VILLAGE_SIMILAR = _(
    "Thôn, tổ dân phố “{name}” sẽ được tạo mới; {commune} đã có {others}: "
    "kiểm tra lại dấu nếu là cùng một nơi."
)
NOTE_VILLAGE_SIMILAR_IN_FILE = _(
    "Tệp ghi {names} ở {commune}: sẽ tạo thành các thôn, tổ dân phố khác nhau; "
    "kiểm tra lại dấu nếu là cùng một nơi."
)


class Places:
    """Villages and units for the rows of one plan. New ones go to ``writes`` and are
    listed in the plan (``new_villages``, ``new_units``), once each."""

    def __init__(
        self,
        *,
        plan: ImportPlan,
        stored: Stored,
        writes: Writes,
        error: Callable[[Row, str, str], None],
    ):
        self.plan = plan
        self.stored = stored
        self.writes = writes
        self.error = error
        self.new_units: dict[tuple, Unit] = {}
        self.village_keys: dict[int, str] = {}  # id(village) -> village_name_key
        self.kind_labels: dict[str, str] = {}  # unit kind -> its label, translated

    def resolve_villages(self, rows: list[Row]) -> None:
        """Set each team row's village by ``VillageIndex.match``, among the commune's
        stored villages and the new ones of the file, whatever the order of the rows:
        names with diacritics first (an exact match, else a new village), then names
        typed without diacritics, which then see every village in play ("thon na" with
        both "Thôn Na" and "Thôn Nà" is ambiguous: a row error). A dict lookup per row."""
        team_rows = [r for r in rows if r.ok and r.commune is not None and r.kind != UnitKind.BLOC]
        names = {r.village for r in team_rows}
        accentless_names = {name for name in names if village_name_accentless(name)}
        for accentless in (False, True):
            for row in team_rows:
                if (row.village in accentless_names) != accentless:
                    continue
                index = self.stored.villages[row.commune.pk]
                found = index.match(row.village)
                if isinstance(found, VillageAmbiguous):
                    self.error(
                        row,
                        COL_VILLAGE,
                        ERROR_VILLAGE_AMBIGUOUS.format(
                            name=row.village,
                            commune=row.commune.name,
                            candidates=found.names(),
                        ),
                    )
                    continue
                row.area = found if found is not None else self._new_village(row, index)
        self._note_similar_villages()

    def _new_village(self, row: Row, index: VillageIndex) -> Area:
        area = village_build(commune=row.commune, name=row.village)
        index.add(area)
        self.writes.villages.append(area)
        self.plan.new_villages.append(f"{row.village} ({row.commune.name})")
        return area

    def _note_similar_villages(self) -> None:
        """Warn about new villages whose name differs only by diacritics from a stored
        village of the commune, or from another new village of the file: a new name is
        a new village (the rule), but it may be a typing slip."""
        grouped: set[tuple[int, str]] = set()
        for village in self.writes.villages:
            commune = village.parent
            similar = self.stored.villages[commune.pk].similar(village.name)
            stored = [v for v in similar if v.pk is not None]
            if stored:
                self.plan.notes.append(
                    NOTE_VILLAGE_SIMILAR.format(
                        name=village.name,
                        commune=commune.name,
                        others=", ".join(f"“{v.name}”" for v in stored),
                    )
                )
            elif len(similar) > 1 and (commune.pk, fold(village.name)) not in grouped:
                grouped.add((commune.pk, fold(village.name)))
                self.plan.notes.append(
                    NOTE_VILLAGE_SIMILAR_IN_FILE.format(
                        names=", ".join(f"“{v.name}”" for v in similar),
                        commune=commune.name,
                    )
                )

    def unit_for(self, row: Row) -> tuple[Unit, str]:
        """The unit a row belongs to (found or planned) and its label. A bloc row goes
        to the commune's unit, a team row to its village's; the stored one is the
        active unit, else the last dissolved one."""
        commune = row.commune
        if row.kind == UnitKind.BLOC:
            area = commune
            row.unit_key = ("bloc", commune.pk)
        else:
            area = row.area
            key = self.village_keys.get(id(area))
            if key is None:
                key = self.village_keys[id(area)] = village_name_key(area.name)
            row.unit_key = ("team", commune.pk, key)
        unit = self.stored.units.get(area.pk) if area.pk else None
        if unit is None:
            unit = self.new_units.get(row.unit_key)
            if unit is None:
                kind_label = self.kind_labels.get(row.kind)
                if kind_label is None:  # translated once per kind, not once per unit
                    kind_label = self.kind_labels[row.kind] = str(UnitKind(row.kind).label)
                name = unit_default_name(row.kind, area, kind_label)
                unit = build(Unit, kind=row.kind, area=area, name=name)
                self.new_units[row.unit_key] = unit
                self.writes.units.append(unit)
                self.plan.new_units.append(label(unit, commune))
        return unit, label(unit, commune)


def label(unit: Unit, commune: Area) -> str:
    """ "Tổ dân vận Thôn Nà Pục — Xã Bằng Thành"; a bloc's name already says its
    commune."""
    if unit.kind == UnitKind.BLOC:
        return unit.name
    return f"{unit.name} — {commune.name}"
