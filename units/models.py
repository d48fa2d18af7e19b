"""The administrative area tree of both editions (legacy and 2025)."""

import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.audit import AuditedHistory
from portal.paths import PATH_SEPARATOR, PathField
from portal.text import fold, normalize
from units.choices import TEAM_KINDS, Edition, Level, UnitKind, UnitStatus

ERROR_BLOC_NEEDS_COMMUNE = "Khối dân vận phải đặt ở cấp xã, phường, thị trấn, đặc khu."
ERROR_TEAM_NEEDS_VILLAGE = "Tổ dân vận phải đặt ở một thôn, bản, tổ dân phố."
ERROR_DISSOLVED_NEEDS_DATE = "Đơn vị đã giải thể cần có ngày giải thể."


class AreaQuerySet(models.QuerySet):
    """Reads on areas that do not depend on who asks (areas are public facts)."""

    def subtree(self, node: "Area", *, include_self: bool = True) -> "AreaQuerySet":
        """The node and every area under it, in one indexed query."""
        queryset = self.filter(path__descendant_of=node.path)
        return queryset if include_self else queryset.exclude(pk=node.pk)

    def search(self, query: str) -> "AreaQuerySet":
        """Names containing every word of ``query``, ignoring case and diacritics."""
        queryset = self
        for word in fold(query).split():
            queryset = queryset.filter(search_name__contains=word)
        return queryset

    def active_on(self, day) -> "AreaQuerySet":
        """Areas in force on ``day`` (both bounds inclusive, open when empty)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        )


class Area(models.Model):
    """An administrative area: province, district (legacy only), commune or village.

    Each edition is its own tree. Official codes (province 2 digits, district 3,
    commune 5) are unique within an edition but overlap between editions; villages have
    no national code. The five island districts of the legacy edition that had no
    commune level (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) get one commune-level
    area of the same name without a code, so that their grassroots bloc has a place like
    everyone else's (docs/DIVISIONS.md).
    """

    edition = models.CharField(_("danh mục"), max_length=8, choices=Edition.choices)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    # NULL, not "", for "no code": the unique (edition, code) constraint skips NULLs.
    code = models.CharField(_("mã"), max_length=5, null=True, blank=True)  # noqa: DJ001
    name = models.CharField(_("tên"), max_length=150)
    short_name = models.CharField(_("tên ngắn"), max_length=150)
    type_word = models.CharField(_("loại"), max_length=30)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = PathField(_("đường dẫn cây"), max_length=120, unique=True, editable=False)
    search_name = models.CharField(_("tên không dấu"), max_length=150, editable=False)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_until = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = AreaQuerySet.as_manager()
    # The audit trail (portal.audit), scoped by the area's own path.
    history = AuditedHistory(kind="area", paths=("path",))

    class Meta:
        verbose_name = _("địa bàn")
        verbose_name_plural = _("địa bàn")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "code"],
                condition=Q(code__isnull=False),
                name="%(app_label)s_%(class)s_unique_edition_code",
            ),
            models.UniqueConstraint(
                fields=["parent", "name"],
                condition=Q(level=Level.VILLAGE),
                name="%(app_label)s_%(class)s_unique_village_name",
            ),
            models.CheckConstraint(
                condition=~Q(level=Level.VILLAGE) | Q(code__isnull=True),
                name="%(app_label)s_%(class)s_village_without_code",
            ),
            models.CheckConstraint(
                condition=(Q(level=Level.PROVINCE) & Q(parent__isnull=True))
                | (~Q(level=Level.PROVINCE) & Q(parent__isnull=False)),
                name="%(app_label)s_%(class)s_parent_by_level",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_from__lte=models.F("valid_until")),
                name="%(app_label)s_%(class)s_valid_range",
            ),
        ]
        indexes = [
            # Lists of one level of one edition (home page, filters, load_divisions).
            models.Index(fields=["edition", "level", "code"], name="units_area_ed_level_code"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        super().save(*args, **kwargs)
        if self.level in (Level.COMMUNE, Level.VILLAGE):
            # The units on this area copy its dates (a village ended by a merge, say).
            units_copy_area_dates([self.pk])

    def get_absolute_url(self):
        return reverse("admin:units_area_change", args=[self.pk])

    def fill_derived_fields(self) -> None:
        """Normalise the names and compute the search column and the path.

        Bulk writes skip ``save()``: they call this on every object first, so the
        search column and the path are never left empty.
        """
        self.name = normalize(self.name)
        self.short_name = normalize(self.short_name) or self.name
        self.type_word = normalize(self.type_word).lower()
        self.search_name = fold(self.name)
        if not self.path:
            prefix = self.parent.path if self.parent_id else f"{self.edition}{PATH_SEPARATOR}"
            self.path = f"{prefix}{self.path_segment()}{PATH_SEPARATOR}"

    def path_segment(self) -> str:
        """The official code; areas without one get a random token, fixed at creation.

        A village's name can be corrected and its row id is unknown before the insert,
        so neither is used; the token only has to be unique among its siblings.
        """
        return self.code or f"v{secrets.token_hex(4)}"

    @property
    def ancestors_from_path(self) -> list[str]:
        """Paths of the ancestors, top down (without this area)."""
        segments = self.path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR)
        return [PATH_SEPARATOR.join(segments[:i]) + PATH_SEPARATOR for i in range(2, len(segments))]

    def ancestors(self) -> AreaQuerySet:
        """The areas above this one, top down, in one query."""
        return Area.objects.filter(path__in=self.ancestors_from_path).order_by("path")

    def chain(self) -> str:
        """ "Xã A › Huyện B › Tỉnh C": the area and its ancestors, bottom up."""
        names = [self.name, *reversed([a.name for a in self.ancestors()])]
        return " › ".join(names)


def _open_or(field: str, lookup: str, day) -> Q:
    """``field`` is empty (open) or satisfies ``lookup`` against ``day``."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__{lookup}": day})


def area_exists_q(day, prefix: str = "") -> Q:
    """Units (``prefix`` "unit__" from a membership) whose area exists on ``day``: its
    valid-from to valid-until, both inclusive, copied onto the unit (``Unit.area_from``,
    ``Unit.area_until``, so no join): a legacy unit never counts after 30/06/2025, a
    2025 unit never before 01/07/2025."""
    return _open_or(f"{prefix}area_from", "lte", day) & _open_or(f"{prefix}area_until", "gte", day)


def unit_in_force_q(day, prefix: str = "") -> Q:
    """Units in force on ``day`` (``prefix``: the path to the unit, "unit__" from a
    membership): founded by then (or founding date unknown), not yet dissolved (the
    dissolution date is the first day without the unit), on an area that exists then."""
    return (
        _open_or(f"{prefix}decision_date", "lte", day)
        & _open_or(f"{prefix}dissolved_on", "gt", day)
        & area_exists_q(day, prefix)
    )


class UnitQuerySet(models.QuerySet):
    def active(self) -> "UnitQuerySet":
        """Units not dissolved (the status): at most one per area. Whether a unit counts
        on a day also depends on its area's dates: ``in_force_on``."""
        return self.filter(status=UnitStatus.ACTIVE)

    def in_force_on(self, day) -> "UnitQuerySet":
        """Units in force on ``day`` (``unit_in_force_q``)."""
        return self.filter(unit_in_force_q(day))

    def under(self, area: Area) -> "UnitQuerySet":
        """Units whose area is ``area`` or lies under it (one indexed condition, no join)."""
        return self.filter(area_path__descendant_of=area.path)


class Unit(models.Model):
    """A grassroots mass-mobilization unit: the commune's bloc (Khối dân vận cơ sở) or a
    village's team (Tổ dân vận, or its community variant).

    ``area_path`` and ``commune`` copy facts of ``area`` (which never moves): rollups and
    scoping filter units and memberships by area without joining the tree, the fastest
    of the layouts measured (docs/DECISIONS.md, "Measured facts the code relies on").
    """

    kind = models.CharField(_("loại"), max_length=16, choices=UnitKind.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="units"
    )
    commune = models.ForeignKey(
        Area,
        verbose_name=_("xã"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    area_path = PathField(_("đường dẫn địa bàn"), max_length=120, db_index=True, editable=False)
    # Where the unit stands on the 2025 map: its own path for a 2025 unit; for a legacy
    # unit the 2025 commune that succeeded its commune (the default piece), or for a
    # team the 2025 village its village was carried to. Empty while unknown (2025 map
    # not loaded). The 2025 map's statistics at any date read it (``units_map_2025``).
    map_path = PathField(
        _("đường dẫn trên bản đồ 2025"), max_length=120, null=True, db_index=True, editable=False
    )
    # The days the area exists, copied from it like the path (``unit_in_force_q``).
    area_from = models.DateField(_("địa bàn có hiệu lực từ"), null=True, editable=False)
    area_until = models.DateField(_("địa bàn có hiệu lực đến"), null=True, editable=False)
    name = models.CharField(_("tên"), max_length=200)
    search_name = models.CharField(_("tên không dấu"), max_length=200, editable=False)
    decision_number = models.CharField(_("số quyết định thành lập"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định thành lập"), null=True, blank=True)
    rules_adopted = models.BooleanField(_("đã ban hành quy chế hoạt động"), default=False)
    rules_adopted_on = models.DateField(_("ngày ban hành quy chế"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=UnitStatus.choices, default=UnitStatus.ACTIVE
    )
    dissolved_on = models.DateField(_("ngày giải thể"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = UnitQuerySet.as_manager()
    # The audit trail; a unit's history page lists its memberships' changes too.
    history = AuditedHistory(
        kind="unit",
        paths=("area_path",),
        includes=(("membership", "unit_id"),),
        detail_url=("members:unit_detail", "id"),
    )

    class Meta:
        verbose_name = _("khối, tổ dân vận")
        verbose_name_plural = _("khối, tổ dân vận")
        ordering = ["area_path", "kind"]
        constraints = [
            # One active bloc per commune and one active team per village: a bloc sits
            # on a commune and a team on a village, so "one active unit per area" says both.
            models.UniqueConstraint(
                fields=["area"],
                condition=Q(status=UnitStatus.ACTIVE),
                name="%(app_label)s_%(class)s_unique_active_per_area",
            ),
            models.CheckConstraint(
                condition=(Q(status=UnitStatus.DISSOLVED) & Q(dissolved_on__isnull=False))
                | (Q(status=UnitStatus.ACTIVE) & Q(dissolved_on__isnull=True)),
                name="%(app_label)s_%(class)s_dissolved_has_date",
            ),
            models.CheckConstraint(
                condition=Q(rules_adopted=True) | Q(rules_adopted_on__isnull=True),
                name="%(app_label)s_%(class)s_rules_date_needs_rules",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        super().save(*args, **kwargs)
        if self.map_path is None:
            units_map_2025(Unit.objects.filter(pk=self.pk))

    def get_absolute_url(self):
        return reverse("members:unit_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.area_id is None:
            return
        if self.kind == UnitKind.BLOC and self.area.level != Level.COMMUNE:
            raise ValidationError({"area": ERROR_BLOC_NEEDS_COMMUNE})
        if self.kind in TEAM_KINDS and self.area.level != Level.VILLAGE:
            raise ValidationError({"area": ERROR_TEAM_NEEDS_VILLAGE})
        if self.status == UnitStatus.DISSOLVED and not self.dissolved_on:
            raise ValidationError({"dissolved_on": ERROR_DISSOLVED_NEEDS_DATE})

    def fill_derived_fields(self) -> None:
        """Copy the area's path, dates and commune, and name the unit after its area
        when no name is given. Bulk writes call this before writing."""
        area = self.area
        self.area_path = area.path
        self.area_from, self.area_until = area.valid_from, area.valid_until
        if area.edition == Edition.V2025:
            self.map_path = area.path
        self.commune_id = area.pk if area.level == Level.COMMUNE else area.parent_id
        if not self.name:
            self.name = unit_default_name(self.kind, area)
        self.name = normalize(self.name)
        self.search_name = fold(self.name)

    @property
    def is_team(self) -> bool:
        return self.kind in TEAM_KINDS


def units_copy_area_dates(area_ids) -> int:
    """Copy the dates of the areas ``area_ids`` onto their units (one UPDATE); for the
    writes that change an area's dates without going through ``Unit.save``."""
    dates = Area.objects.filter(pk=models.OuterRef("area_id"))
    return Unit.objects.filter(area_id__in=area_ids).update(
        area_from=models.Subquery(dates.values("valid_from")[:1]),
        area_until=models.Subquery(dates.values("valid_until")[:1]),
    )


def units_map_2025(units=None, *, placed_only: bool = False) -> int:
    """Set where legacy units stand on the 2025 map (``Unit.map_path``), in one UPDATE:
    a team whose village was carried to a 2025 village (a village ``Succession``)
    stands there; any other legacy unit at the 2025 commune that succeeded its commune
    (the default piece of a split commune). ``units``: a queryset to limit the update
    (default: every legacy unit). Called after the lineage is loaded, after a unit is
    saved without a place yet, after bulk writes of units, and by whoever records
    village links (the carry-over).

    ``placed_only``: only the units a link places are written (the others keep their
    ``map_path``): for units just created without one, what the whole update does,
    without rewriting every row of a province no link reaches."""
    units = Unit.objects.all() if units is None else units
    # Only links onto the 2025 map: a village merged on the legacy map (before 2025)
    # has a village link too, to another legacy village.
    village = Succession.objects.filter(
        predecessor=models.OuterRef("area_id"),
        level=Level.VILLAGE,
        successor__edition=Edition.V2025,
    ).order_by("-is_default", "-effective_on")
    commune = Succession.objects.filter(
        predecessor=models.OuterRef("commune_id"), level=Level.COMMUNE, is_default=True
    )
    place = Coalesce(
        models.Subquery(village.values("successor__path")[:1]),
        models.Subquery(commune.values("successor__path")[:1]),
    )
    units = units.filter(area_path__descendant_of=f"{Edition.LEGACY}{PATH_SEPARATOR}")
    if placed_only:
        units = units.filter(models.Exists(village) | models.Exists(commune))
    return units.update(map_path=place)


def unit_default_name(kind: str, area: Area, kind_label: str | None = None) -> str:
    """ "Khối dân vận Xã Bằng Thành", "Tổ dân vận Thôn Nà Pục". ``kind_label``: the
    kind's label already translated, for a writer naming thousands of units."""
    return f"{kind_label or UnitKind(kind).label} {area.name}"


class SuccessionQuerySet(models.QuerySet):
    def official(self) -> "SuccessionQuerySet":
        """The national mapping of 01/07/2025 (provinces and communes), without the
        links that a carry-over or a village reorganisation recorded."""
        return self.filter(batch_id__isnull=True)


class Succession(models.Model):
    """One link of the lineage of areas: ``predecessor`` was taken over by ``successor``
    on ``effective_on`` (docs/REORGANISATION.md).

    The official mapping of the 2025 reorganisation (``load_divisions``, from the
    ``vietnamadminunits`` package) links each legacy province to the 2025 province that
    absorbed it and each legacy commune to the 2025 commune(s) it went to: ``whole`` when
    it went entirely to one commune; a commune split between several has one row per
    piece, ``is_default`` on the piece the package names as the default (the commune a
    record without a street address goes to). A commune moved whole has one row, whole
    and default. Villages have no national mapping: a carry-over or a village
    reorganisation records its own village links, with its audit ``batch_id``.
    """

    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    predecessor = models.ForeignKey(
        Area,
        verbose_name=_("địa bàn trước"),
        on_delete=models.CASCADE,
        related_name="successions_out",
    )
    successor = models.ForeignKey(
        Area,
        verbose_name=_("địa bàn kế thừa"),
        on_delete=models.CASCADE,
        related_name="successions_in",
    )
    whole = models.BooleanField(_("nhập nguyên vẹn"), default=True)
    is_default = models.BooleanField(_("phần mặc định"), default=True)
    effective_on = models.DateField(_("có hiệu lực từ"))
    batch_id = models.UUIDField(_("lô thay đổi"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = SuccessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế thừa địa bàn")
        verbose_name_plural = _("kế thừa địa bàn")
        ordering = ["level", "predecessor_id", "-is_default", "successor_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="%(app_label)s_%(class)s_unique_pair",
            ),
            models.UniqueConstraint(
                fields=["predecessor"],
                condition=Q(is_default=True),
                name="%(app_label)s_%(class)s_one_default",
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")),
                name="%(app_label)s_%(class)s_not_itself",
            ),
            models.CheckConstraint(
                condition=Q(whole=False) | Q(is_default=True),
                name="%(app_label)s_%(class)s_whole_is_default",
            ),
        ]
        indexes = [models.Index(fields=["successor", "level"], name="units_succ_successor")]

    def __str__(self):
        return f"{self.predecessor} → {self.successor}"


from units.models_lineage import Reorganisation, UnitLineage  # noqa: E402,F401
