"""Where units stand on each map, for the statistics (docs/REORGANISATION.md,
"Statistics on either map")."""

import datetime

from django.db.models import Q

from portal.paths import PATH_SEPARATOR
from reports.models import Versions
from units.choices import LEGACY_VALID_UNTIL, V2025_VALID_FROM, Edition, Level

#: The column that places a unit on each map. On the legacy map a unit stands at its
#: area; on the 2025 map at ``Unit.map_path``: its area for a 2025 unit, the 2025 commune
#: (or village) that succeeded its area for a legacy one. Since a legacy unit is never in
#: force after 30/06/2025 and a 2025 unit never before 01/07/2025, one condition on it
#: counts the 2025 map at any date, before the reform on the new borders.
UNIT_PATH = {Edition.LEGACY: "area_path", Edition.V2025: "map_path"}

#: Length of a 2025 commune's path ("2025/19/01843/"): every 2025 commune has a code.
V2025_COMMUNE_KEY = len(f"{Edition.V2025}{PATH_SEPARATOR}19{PATH_SEPARATOR}01843{PATH_SEPARATOR}")


def map_path_field(edition: str, via: str = "") -> str:
    """The placing column of a unit on ``edition``'s map, from a unit (``via`` "") or
    from a seat or a rating (``via`` "unit__"). Seats and ratings copy their unit's area
    path, which serves the legacy map without a join."""
    if edition == Edition.LEGACY:
        return "area_path"
    return f"{via}{UNIT_PATH[edition]}"


def map_version(path: str, versions: Versions) -> str:
    """The version figures under ``path`` are cached under: the province's, and on the
    2025 map also the legacy map's (its units stand on the new borders before the
    reform, so a write in a legacy province changes them)."""
    version = versions.of_province(path)
    if path.startswith(f"{Edition.V2025}{PATH_SEPARATOR}"):
        version += f"+{versions.of_edition(Edition.LEGACY)}"
    return version


#: The dates a map's areas exist between (docs/REORGANISATION.md, "Validity").
MAP_DATES = {
    Edition.LEGACY: (None, LEGACY_VALID_UNTIL),
    Edition.V2025: (V2025_VALID_FROM, None),
}


def counted_areas(edition: str, day: datetime.date) -> Q:
    """The areas a map's figures count and list on ``day``: the map's own areas whatever
    the date (a map is read on either side of the reform), except villages a
    reorganisation ended or created within the map's life (a merge, a move: their own
    valid-until or valid-from), which count only while they exist."""
    start, end = MAP_DATES[edition]
    ended = Q(valid_until__lt=day) & ~Q(valid_until=end) if end else Q(valid_until__lt=day)
    started = Q(valid_from__gt=day) & ~Q(valid_from=start) if start else Q(valid_from__gt=day)
    village = Q(level=Level.VILLAGE) & ~ended & ~started
    return ~Q(level=Level.VILLAGE) | village
