"""Small counts of sensitive attributes are withheld from everything public.

Party membership (political affiliation) and ethnic origin are sensitive personal data
under the Personal Data Protection Law and Decree 356/2025/NĐ-CP (in force since
01/01/2026). In a commune, a count of 2 Party members among a bloc's 14 people, or of 13
among 14, points at individuals. So for a commune (and anything below), ``party_members``
and ``ethnic_minority`` are withheld (``None``; ``null`` in the API) when the count, or
``people`` minus the count, is below ``SMALL_COUNT`` (CONTRACTS section 3). Provinces and
districts are always given. The public statistics API, the public pages and their
CSV/XLSX downloads apply ``public_figures``; staff pages inside the officer's area show
the exact figures (they read the figure set directly). docs/SECURITY.md.
"""

from django.utils.translation import gettext_lazy as _

SENSITIVE = ("party_members", "ethnic_minority")
SMALL_COUNT = 5
#: Levels whose sensitive counts may be withheld: a commune and below.
SMALL_LEVELS = frozenset({"commune", "village"})

#: What the public pages print for a withheld count, and why.
WITHHELD_TEXT = _("dưới 5")
WITHHELD_NOTE = _(
    "“dưới 5”: số đảng viên hoặc số người dân tộc thiểu số của xã, thôn không được công bố "
    "khi số đó, hoặc số người còn lại, dưới 5 người, để không nhận ra được từng người (Luật "
    "Bảo vệ dữ liệu cá nhân, Nghị định 356/2025/NĐ-CP). Cán bộ phụ trách địa bàn xem được "
    "số chính xác."
)


def withheld(stats: dict, key: str) -> bool:
    """Whether ``stats[key]`` must not be published (see the module's docstring)."""
    level = (stats.get("area") or {}).get("level", "")
    count, people = stats.get(key), stats.get("people") or 0
    if level not in SMALL_LEVELS or count is None:
        return level in SMALL_LEVELS and key in SENSITIVE
    return key in SENSITIVE and (count < SMALL_COUNT or people - count < SMALL_COUNT)


def public_figures(stats: dict) -> dict:
    """``stats`` as it may be published: the sensitive small counts set to None (a copy;
    the cached figure set is left exact for staff)."""
    hidden = [key for key in SENSITIVE if withheld(stats, key)]
    if not hidden:
        return stats
    return {**stats, **dict.fromkeys(hidden)}


def any_withheld(stats: dict) -> bool:
    return any(key in stats and stats[key] is None for key in SENSITIVE)
