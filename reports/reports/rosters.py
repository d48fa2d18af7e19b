"""Rosters to complete: active units of the user's area that break a roster-health
condition (``members.health``, the same conditions as the roster pages), counted in SQL,
and the lists of them."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.selectors import units_visible_to
from members.health import CONDITIONS, CONDITIONS_BY_KEY, units_with_roster_counts
from reports.reports.base import INT, TEXT, Column
from reports.reports.staff import StaffListReport, StaffReport, list_url
from units.choices import UnitStatus
from units.models import area_exists_q


class RosterHealthReport(StaffReport):
    """Active units whose roster breaks a health condition, counted in SQL over the
    roster counts (one query whatever the number of units)."""

    slug = "danh-sach"
    title = _("Danh sách thành viên cần kiện toàn")
    columns = (
        Column("item", _("Vấn đề"), TEXT),
        Column("units", _("Số đơn vị"), INT),
    )

    def get_queryset(self):
        return units_with_roster_counts(
            units_visible_to(self.user).filter(
                area_exists_q(self.today),
                status=UnitStatus.ACTIVE,
                area_path__descendant_of=self.edition_prefix,
            )
        )

    def figures(self) -> dict:
        if not hasattr(self, "_figures"):
            aggregates = {"units": Count("pk")}
            for condition in CONDITIONS:
                aggregates[condition.key] = Count("pk", filter=condition.where())
            self._figures = self.get_queryset().aggregate(**aggregates)
        return self._figures

    def rows(self):
        f = self.figures()
        rows = [
            {
                "item": _("Đơn vị đang hoạt động"),
                "units": f["units"],
                "links": {"units": list_url("don-vi", self.edition)},
            }
        ]
        for condition in CONDITIONS:
            key = condition.key
            rows.append(
                {
                    "item": condition.label(),
                    "units": f[key],
                    "links": {"units": list_url(key, self.edition)},
                }
            )
        return rows


class UnitListReport(StaffListReport):
    """Active units of the user's area, all of them or those with one roster problem,
    with their counts of current members."""

    columns = (
        Column("name", _("Đơn vị"), TEXT),
        Column("commune", _("Xã"), TEXT),
        Column("members", _("Thành viên hiện tại"), INT),
        Column("heads", _("Số trưởng khối, tổ trưởng"), INT),
    )

    @property
    def title(self):
        condition = CONDITIONS_BY_KEY.get(self.kind)
        return condition.label() if condition else _("Đơn vị đang hoạt động")

    def get_queryset(self):
        units = units_with_roster_counts(
            units_visible_to(self.user).filter(
                area_exists_q(self.today),
                status=UnitStatus.ACTIVE,
                area_path__descendant_of=self.edition_prefix,
            )
        )
        condition = CONDITIONS_BY_KEY.get(self.kind)
        if condition is not None:
            units = units.filter(condition.where())
        return units.select_related("commune").order_by("area_path", "kind", "pk")

    def rows_of(self, objects):
        return [
            {
                "name": unit.name,
                "commune": unit.commune.name,
                "members": unit.active_count,
                "heads": unit.head_count,
                "links": {"name": reverse("members:unit_detail", args=[unit.pk])},
            }
            for unit in objects
        ]
