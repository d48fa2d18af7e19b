"""The public statistics pages' table of the daily work: activities recorded by year,
citizens' opinions (received, answered, overdue on the day) and "Dân vận khéo" models
(registered, recognised), from the same figure set as the open API
(``reports.daily_work``). Counts only."""

from django.utils.translation import gettext_lazy as _

from reports.reports.base import INT, TEXT, Column
from reports.reports.public import StatsReport


class DailyWorkReport(StatsReport):
    slug = "hoat-dong"
    title = _("Hoạt động, ý kiến nhân dân, mô hình “Dân vận khéo”")
    note = _(
        "Ý kiến quá hạn: chưa có trả lời sau số ngày tỉnh quy định, tính đến ngày xem. "
        "Mô hình được công nhận: theo quyết định của cấp ủy xã hoặc tỉnh."
    )
    columns = (
        Column("item", _("Chỉ tiêu"), TEXT),
        Column("count", _("Số lượng"), INT),
    )

    def rows(self):
        s = self.stats
        rows = [
            {
                "item": str(_("Hoạt động năm {year}")).format(year=year),
                "count": count,
            }
            for year, count in s["activities"].items()
        ]
        opinions, models = s["opinions"], s["models"]
        rows += [
            {"item": _("Ý kiến, kiến nghị đã tiếp nhận"), "count": opinions["received"]},
            {"item": _("Ý kiến đã được trả lời"), "count": opinions["answered"]},
            {"item": _("Ý kiến quá hạn chưa trả lời"), "count": opinions["overdue"]},
            {"item": _("Mô hình “Dân vận khéo” đã đăng ký"), "count": models["registered"]},
            {"item": _("Mô hình “Dân vận khéo” được công nhận"), "count": models["recognised"]},
        ]
        return rows
