"""Materialized paths of the area tree: the path format, its field and its lookup.

Every area has a path ("2025/19/05977/"), and units, memberships and ratings copy the
path of their area, so "everything under this area" is one prefix condition on one
indexed column (docs/DECISIONS.md, "Measured facts the code relies on").
"""

from django.db import models
from django.db.models import Lookup

PATH_SEPARATOR = "/"


def province_path(path: str) -> str:
    """The path of the province holding ``path`` (any area, unit, membership or rating
    path, or the province's own): its first two segments ("2025/19/05977/v.../" ->
    "2025/19/")."""
    return PATH_SEPARATOR.join(path.split(PATH_SEPARATOR)[:2]) + PATH_SEPARATOR


def ancestor_paths(path: str) -> list[str]:
    """The paths of ``path``'s ancestors and its own, from the top ("2025/19/05977/" ->
    ["2025/", "2025/19/", "2025/19/05977/"])."""
    parts = [p for p in path.split(PATH_SEPARATOR) if p]
    return [PATH_SEPARATOR.join(parts[: i + 1]) + PATH_SEPARATOR for i in range(len(parts))]


class PathField(models.CharField):
    """A materialized path: the ancestors' segments joined by "/", ending with "/".

    Why a materialized path rather than a parent id walked recursively, ltree or
    django-mptt: "everything under this node" becomes one prefix condition on one indexed
    column, on SQLite as on PostgreSQL; inserts touch one row (mptt renumbers and locks
    the table); and the tree never moves: an area does not change parents, the 2025
    reorganisation made a second tree instead. Measured on this kind of machine the path
    prefix is 4x faster than a recursive CTE or ltree (docs/DECISIONS.md,
    "Measured facts the code relies on").
    """


@PathField.register_lookup
class DescendantOf(Lookup):
    """``path__descendant_of=node.path``: the node itself and everything under it.

    PostgreSQL: ``LIKE 'prefix%'``, served by the ``varchar_pattern_ops`` index Django
    adds for ``db_index=True``. SQLite's LIKE is case-insensitive and cannot use a plain
    index, so there the same set is written as a range: every path under "a/b/" sorts
    between "a/b/" and "a/b0" ("0" is the character after "/"), and SQLite compares
    text bytewise, so the range is exact and uses the index.
    """

    lookup_name = "descendant_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        direct = self.rhs_is_direct_value()
        if connection.vendor == "sqlite":
            if direct:
                upper = rhs_params[0][:-1] + "0"
                return f"({lhs} >= %s AND {lhs} < %s)", [
                    *lhs_params,
                    rhs_params[0],
                    *lhs_params,
                    upper,
                ]
            upper = f"substr({rhs}, 1, length({rhs}) - 1) || '0'"
            return (
                f"({lhs} >= {rhs} AND {lhs} < {upper})",
                [*lhs_params, *rhs_params, *lhs_params, *rhs_params, *rhs_params],
            )
        if direct:
            # Paths hold only [0-9a-z/], never a LIKE wildcard.
            return f"{lhs} LIKE %s", [*lhs_params, f"{rhs_params[0]}%"]
        return f"{lhs} LIKE ({rhs} || '%%')", [*lhs_params, *rhs_params]
