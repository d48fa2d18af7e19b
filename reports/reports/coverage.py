"""Coverage of the user's area: communes without an active bloc, villages without an
active team, and the lists of them."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.selectors import areas_visible_to
from reports.reports.base import CODE, INT, PERCENT, TEXT, Column, percent
from reports.reports.staff import StaffListReport, StaffReport, active_unit_exists, list_url
from units.choices import TEAM_KINDS, Level, UnitKind


class CoverageGapReport(StaffReport):
    """Communes without an active bloc, villages without an active team."""

    slug = "khoang-trong"
    title = _("Độ phủ trong địa bàn: nơi chưa có đơn vị")
    columns = (
        Column("item", _("Cấp"), TEXT),
        Column("total", _("Tổng số"), INT),
        Column("covered", _("Đã có đơn vị"), INT),
        Column("missing", _("Chưa có"), INT),
        Column("percent", _("Tỷ lệ đã có (%)"), PERCENT),
    )

    def get_queryset(self):
        return areas_visible_to(self.user).filter(
            edition=self.edition, level__in=[Level.COMMUNE, Level.VILLAGE]
        )

    def figures(self) -> dict:
        if not hasattr(self, "_figures"):
            commune, village = Q(level=Level.COMMUNE), Q(level=Level.VILLAGE)
            self._figures = self.get_queryset().aggregate(
                communes=Count("pk", filter=commune),
                communes_missing=Count(
                    "pk", filter=commune & ~Q(active_unit_exists([UnitKind.BLOC], day=self.today))
                ),
                villages=Count("pk", filter=village),
                villages_missing=Count(
                    "pk", filter=village & ~Q(active_unit_exists(TEAM_KINDS, day=self.today))
                ),
            )
        return self._figures

    def rows(self):
        f = self.figures()
        rows = []
        for key, label, list_all, list_missing in (
            ("communes", _("Xã có Khối dân vận"), "xa", "xa-chua-co-khoi"),
            ("villages", _("Thôn có Tổ dân vận"), "thon", "thon-chua-co-to"),
        ):
            total, missing = f[key], f[f"{key}_missing"]
            rows.append(
                {
                    "item": label,
                    "total": total,
                    "covered": total - missing,
                    "missing": missing,
                    "percent": percent(total - missing, total),
                    "links": {
                        "total": list_url(list_all, self.edition),
                        "missing": list_url(list_missing, self.edition),
                    },
                }
            )
        return rows


class AreaListReport(StaffListReport):
    """Communes or villages of the user's area, all of them or those without a unit."""

    row_header = "name"
    columns = (
        Column("name", _("Tên"), TEXT),
        Column("code", _("Mã"), CODE),
        Column("parent", _("Trực thuộc"), TEXT),
        Column("unit", _("Đơn vị"), TEXT),
    )
    TITLES = {
        "xa": _("Xã, phường, thị trấn trong địa bàn"),
        "xa-chua-co-khoi": _("Xã, phường, thị trấn chưa có Khối dân vận"),
        "thon": _("Thôn, tổ dân phố trong địa bàn"),
        "thon-chua-co-to": _("Thôn, tổ dân phố chưa có Tổ dân vận"),
    }

    @property
    def title(self):
        return self.TITLES[self.kind]

    def get_queryset(self):
        communes = self.kind.startswith("xa")
        kinds = [UnitKind.BLOC] if communes else list(TEAM_KINDS)
        areas = (
            areas_visible_to(self.user)
            .filter(edition=self.edition, level=Level.COMMUNE if communes else Level.VILLAGE)
            .annotate(has_unit=active_unit_exists(kinds, day=self.today))
            .select_related("parent__parent")
            .order_by("path")
        )
        if self.kind.endswith(("chua-co-khoi", "chua-co-to")):
            areas = areas.filter(has_unit=False)
        return areas

    def rows_of(self, objects):
        rows = []
        for area in objects:
            commune = area if area.level == Level.COMMUNE else area.parent
            parent = area.parent
            row = {
                "code": area.code or "",
                "name": area.name,
                "parent": ", ".join(
                    a.name for a in (parent, parent.parent if parent else None) if a
                ),
                "unit": _("Đã có") if area.has_unit else _("Chưa có"),
                "links": {"name": reverse("members:commune_detail", args=[commune.pk])},
            }
            rows.append(row)
        return rows
