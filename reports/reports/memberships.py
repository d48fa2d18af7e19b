"""Seats held in the user's area over the last five years."""

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from members.selectors import memberships_visible_to
from reports.maps import map_path_field
from reports.reports.base import INT, TEXT, YEAR, Column
from reports.reports.staff import StaffReport, url_with_query
from units.models import unit_in_force_q


def trend_years(today: datetime.date, count: int = 5) -> list[int]:
    return list(range(today.year - count + 1, today.year + 1))


def trend_day(year: int, today: datetime.date) -> datetime.date:
    """31/12 of a past year; today for the year in progress."""
    return min(datetime.date(year, 12, 31), today)


class MembershipTrendReport(StaffReport):
    """Seats held on 31/12 of each of the last five years (today for this year): the
    count of the member list filtered on that day, which each figure links to."""

    slug = "xu-huong-thanh-vien"
    title = _("Số lượt thành viên theo năm (ngày 31/12, năm nay: hôm nay)")
    columns = (
        Column("year", _("Năm"), YEAR),
        Column("day", _("Ngày"), TEXT),
        Column("memberships", _("Số lượt thành viên"), INT),
    )

    def get_queryset(self):
        # Placed on the edition's map as the statistics place them: on the 2025 map the
        # legacy seats before the reform count on the new borders (reports.stats).
        placed = f"{map_path_field(self.edition, 'unit__')}__descendant_of"
        return memberships_visible_to(self.user).filter(**{placed: self.edition_prefix})

    def rows(self):
        days = {year: trend_day(year, self.today) for year in trend_years(self.today)}
        counts = self.get_queryset().aggregate(
            **{
                f"y{year}": Count(
                    "pk",
                    filter=(Q(start_date__isnull=True) | Q(start_date__lte=day))
                    & (Q(end_date__isnull=True) | Q(end_date__gte=day))
                    & unit_in_force_q(day, "unit__"),
                )
                for year, day in days.items()
            }
        )
        rows = []
        for year, day in sorted(days.items(), reverse=True):
            shown = day.strftime("%d/%m/%Y")
            rows.append(
                {
                    "year": year,
                    "day": shown,
                    "memberships": counts[f"y{year}"],
                    "links": {
                        "memberships": url_with_query(
                            "members:membership_list",
                            "/can-bo/thanh-vien/",
                            active_on=shown,
                            edition=self.edition,
                        )
                    },
                }
            )
        return rows
