"""The data versions that keep cached statistics exact, one per province."""

import hashlib

from django.db import connections, models, router
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from portal.paths import province_path
from units.models import Area

#: The version row bumped by a write whose provinces are unknown (the divisions
#: loader): every province's figures depend on it too.
EVERYWHERE = "*"


class ProvinceVersion(models.Model):
    """A number that grows with every change to the areas, units, people, memberships,
    ratings or criteria of one province (``path``: the province's path, "legacy/06/",
    which names its edition too; ``EVERYWHERE`` for a write anywhere). Cached statistics
    are keyed by the versions they depend on, so a write in one province makes only that
    province's figures (and the country's sum) unreachable, across all web workers, and
    a writer locks only its own province's row until it commits. Rows are created on
    the first write (a missing row reads as 0)."""

    path = models.CharField(_("đường dẫn tỉnh"), max_length=40, primary_key=True)
    version = models.BigIntegerField(_("phiên bản dữ liệu"), default=0)

    class Meta:
        verbose_name = _("phiên bản dữ liệu")
        verbose_name_plural = _("phiên bản dữ liệu")

    def __str__(self):
        return f"{self.path} {self.version}"


class StatTotal(models.Model):
    """The statistics' exact aggregates (reports.aggregates): the sum of the events of
    ``key`` under ``node`` (a path: "legacy/" for the legacy map's whole installation,
    "legacy/06/" a province ...) falling on ``day`` at ``grain`` (0 the day itself, 1 the
    month starting on ``day``, 2 the year). Filled by the log's compaction and by
    ``rebuild_stats``; PostgreSQL only."""

    pk = models.CompositePrimaryKey("node", "grain", "day", "key")
    node = models.CharField(max_length=120)
    key = models.SmallIntegerField()
    grain = models.SmallIntegerField()
    day = models.DateField()
    total = models.BigIntegerField()

    def __str__(self):
        return f"{self.node} {self.key} {self.grain} {self.day} {self.total}"


class StatLog(models.Model):
    """What the statistics' logging triggers (reports/aggregates_sql.py) keep of a row
    of a counted table a statement wrote: its id (``item``) and, when it existed before
    the statement (an update or a delete), its counted columns as they were. Narrow,
    appended without touching any shared row; folded into ``StatTotal`` by
    ``reports.aggregates.compact``, which deletes exactly the rows it consumed."""

    seq = models.BigAutoField(primary_key=True)
    item = models.BigIntegerField()
    existed = models.BooleanField()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.item} {'~' if self.existed else '+'}"


class StatLogMembership(StatLog):
    person_id = models.BigIntegerField(null=True)
    unit_id = models.BigIntegerField(null=True)
    start_date = models.DateField(null=True)
    end_date = models.DateField(null=True)
    area_path = models.CharField(max_length=120, null=True)  # noqa: DJ001 (an image)


class StatLogUnit(StatLog):
    kind = models.CharField(max_length=16, null=True)  # noqa: DJ001 (an image)
    area_id = models.BigIntegerField(null=True)
    commune_id = models.BigIntegerField(null=True)
    area_path = models.CharField(max_length=120, null=True)  # noqa: DJ001 (an image)
    map_path = models.CharField(max_length=120, null=True)  # noqa: DJ001 (an image)
    decision_date = models.DateField(null=True)
    dissolved_on = models.DateField(null=True)
    area_from = models.DateField(null=True)
    area_until = models.DateField(null=True)


class StatLogPerson(StatLog):
    gender = models.CharField(max_length=6, null=True)  # noqa: DJ001 (an image)
    ethnicity = models.CharField(max_length=20, null=True)  # noqa: DJ001 (an image)
    party_member = models.BooleanField(null=True)


class StatLogEvaluation(StatLog):
    """A rating's image: what the approved ratings of a year count (``reports_stattotal``
    keys ``APPROVED + year``)."""

    unit_id = models.BigIntegerField(null=True)
    year = models.IntegerField(null=True)
    period = models.CharField(max_length=8, null=True)  # noqa: DJ001 (an image)
    stage = models.CharField(max_length=16, null=True)  # noqa: DJ001 (an image)


class StatLogArea(StatLog):
    """An area's image: the communes and villages a map counts (keys ``communes``,
    ``villages``)."""

    edition = models.CharField(max_length=8, null=True)  # noqa: DJ001 (an image)
    level = models.CharField(max_length=10, null=True)  # noqa: DJ001 (an image)
    path = models.CharField(max_length=120, null=True)  # noqa: DJ001 (an image)
    valid_from = models.DateField(null=True)
    valid_until = models.DateField(null=True)


class Versions:
    """Every version, read in one query (``data_versions``)."""

    def __init__(self, rows: dict[str, int]):
        self.rows = rows

    def everywhere(self) -> int:
        return self.rows.get(EVERYWHERE, 0)

    def of_province(self, path: str) -> str:
        """The version a figure of the province holding ``path`` is cached under."""
        return f"{self.everywhere()}.{self.rows.get(province_path(path), 0)}"

    def of_edition(self, edition: str) -> str:
        """A digest of the versions of every province of ``edition``: the key of the
        country's figures."""
        prefix = f"{edition}/"
        material = ";".join(
            f"{path}={v}" for path, v in sorted(self.rows.items()) if path.startswith(prefix)
        )
        digest = hashlib.sha256(material.encode()).hexdigest()[:24]
        return f"{self.everywhere()}.{digest}"

    def token(self) -> str:
        """A digest of every version: changes with any write anywhere (areas found by
        code and the editions loaded are cached under it)."""
        material = ";".join(f"{path}={v}" for path, v in sorted(self.rows.items()))
        return hashlib.sha256(material.encode()).hexdigest()[:24]


def data_versions() -> Versions:
    """Every province's version, in one query (a few dozen short rows). Every public
    page reads it (its HTTP version, portal/http_cache.py), so the query is written
    out: building it through the ORM cost three times the query itself."""
    connection = connections[router.db_for_read(ProvinceVersion)]
    table = connection.ops.quote_name(ProvinceVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT path, version FROM {table}")  # noqa: S608 (our table)
        return Versions(dict(cursor.fetchall()))


def _bump(queryset) -> bool:
    return bool(queryset.update(version=F("version") + 1))


def bump_version(path: str) -> None:
    """Make the cached statistics of the province holding ``path`` stale (``EVERYWHERE``:
    of every province). Runs inside the writer's transaction: readers see the new
    version exactly when they can see the new data; concurrent writers of other
    provinces do not wait for this one."""
    key = path if path == EVERYWHERE else province_path(path)
    if _bump(ProvinceVersion.objects.filter(path=key)):
        return
    _row, created = ProvinceVersion.objects.get_or_create(path=key, defaults={"version": 1})
    if not created:  # created meanwhile by a concurrent writer, now committed
        _bump(ProvinceVersion.objects.filter(path=key))


def bump_province_id(province_id: int) -> None:
    """``bump_version`` for the province of id ``province_id`` (a person's), in one
    query when the province's row exists."""
    path = Area.objects.filter(pk=province_id).values("path")[:1]
    if not ProvinceVersion.objects.filter(path=models.Subquery(path)).update(
        version=F("version") + 1
    ):
        bump_version(Area.objects.values_list("path", flat=True).get(pk=province_id))


def bump_versions(paths=None) -> None:
    """``bump_version`` for each province holding one of ``paths``, in path order (two
    writers never wait for each other in opposite orders); every province when
    ``paths`` is None."""
    if paths is None:
        bump_version(EVERYWHERE)
        return
    for path in sorted({province_path(p) for p in paths}):
        bump_version(path)


# The written part of the periodic reports (reports/periodic/).
from reports.periodic.models import PeriodicReport  # noqa: E402, F401
