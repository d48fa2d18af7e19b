"""Imports that know the map (docs/ROSTER_IMPORT.md, "Which list of communes").

Since 01/07/2025 two lists of communes live side by side, and 3,316 of the 3,321 new
communes reuse the code of an old one: a file read in the wrong list gives hundreds of
misleading row errors ("no such code", "the name does not match", "outside your area"),
or lands rows in the wrong commune. Before any row is checked, ``edition_mismatch``
compares the file's communes (code and, when given, name) with both lists and, when the
other list fits better, returns the one message the officer needs.

It takes plain (code, name) pairs, so any import whose rows name communes by code
(rosters, activities, criteria sheets) can ask the same question; ``edition_for_user``
is the list an upload page offers first.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from accounts.access import scope_of
from members.imports.contract import EDITION_WORDS
from members.imports.rows import commune_name_matches
from portal.paths import PATH_SEPARATOR
from units.choices import Edition, Level
from units.models import Area
from units.selectors import edition_default

ERROR_FILE_OTHER_EDITION = _(
    "Tệp này dùng danh sách xã {other}: {fit_other}/{total} xã trong tệp khớp mã và tên "
    "với danh sách đó, chỉ {fit}/{total} xã khớp danh sách {edition} đã chọn. Chưa ghi "
    "gì: hãy tải tệp lên lại và chọn danh mục “{other_label}”."
)


def other_edition(edition: str) -> str:
    return Edition.LEGACY if edition == Edition.V2025 else Edition.V2025


def _fits(pairs: set[tuple[str, str]], edition: str) -> int:
    """How many of the (code, name) pairs name a commune of ``edition``: the code is
    there and the name, when given, is that commune's (one query)."""
    codes = {code for code, _name in pairs}
    communes = {
        a.code: a for a in Area.objects.filter(edition=edition, level=Level.COMMUNE, code__in=codes)
    }
    return sum(
        1
        for code, name in pairs
        if code in communes and (not name or commune_name_matches(name, communes[code]))
    )


def edition_mismatch(communes: Iterable[tuple[str, str]], *, edition: str) -> str | None:
    """The whole-file message when the file's communes fit the other list better than
    ``edition``, else None (two queries).

    ``communes`` are the file's (code, name) pairs, name "" when the file has none. The
    other list fits better when more of the distinct pairs name one of its communes than
    one of ``edition``'s; a file that fits ``edition`` entirely is never questioned (its
    codes may exist in both lists, but then its names, or the officer's choice, decide).
    """
    pairs = {(code, name or "") for code, name in communes if code}
    if not pairs:
        return None
    total = len(pairs)
    fit = _fits(pairs, edition)
    if fit == total:
        return None
    other = other_edition(edition)
    fit_other = _fits(pairs, other)
    if fit_other <= fit:
        return None
    return str(
        ERROR_FILE_OTHER_EDITION.format(
            other=EDITION_WORDS[other],
            fit_other=fit_other,
            total=total,
            fit=fit,
            edition=EDITION_WORDS[edition],
            other_label=Edition(other).label,
        )
    )


def edition_for_user(user, loaded: list[str]) -> str:
    """The list an upload page offers first: the one every area of the user's account
    belongs to, else the default (the only one loaded, else 2025)."""
    default = edition_default(loaded)
    scope = scope_of(user)
    editions = {path.split(PATH_SEPARATOR, 1)[0] for path in scope.paths}
    if len(editions) == 1:
        (edition,) = editions
        if edition in loaded:
            return edition
    return default
