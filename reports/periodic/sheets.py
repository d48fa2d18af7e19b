"""The figures of a periodic report as an .xlsx workbook: one sheet, a row per figure
(section, item, number), the same figures as the Word document. Text cells go through
``portal.cells.text_cell`` (the one safe-cell writer)."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from evaluations.choices import DEFAULT_SCALE
from exemplars.choices import ExemplarField
from portal.cells import text_cell
from reports.periodic.periods import Period
from units.models import Area
from work.choices import ActivityKind

ACTIVITY_ITEMS = (
    ("count", "số hoạt động"),
    ("participants", "người tham gia"),
    ("people_reached", "người dân tiếp cận"),
    ("work_days", "ngày công"),
)


def figure_rows(figures: dict) -> list[tuple[str, str, int]]:
    """(section, item, number) of every figure of the report."""
    rows = []
    activities = figures["activities"]
    for kind in ActivityKind:
        for key, words in ACTIVITY_ITEMS:
            rows.append(("Hoạt động", f"{kind.label}: {words}", activities["by_kind"][kind][key]))
    for key, words in ACTIVITY_ITEMS:
        rows.append(("Hoạt động", f"Tổng cộng: {words}", activities["total"][key]))
    opinions, hot = figures["opinions"], figures["opinions"]["hot_spots"]
    rows += [
        ("Ý kiến, kiến nghị", "Tiếp nhận trong kỳ", opinions["received"]),
        ("Ý kiến, kiến nghị", "Đã trả lời trong kỳ", opinions["answered"]),
        ("Ý kiến, kiến nghị", "Trả lời đúng hạn", opinions["answered_in_time"]),
        ("Ý kiến, kiến nghị", "Quá hạn chưa trả lời (cuối kỳ)", opinions["overdue"]),
        ("Ý kiến, kiến nghị", "Đang chờ trả lời (cuối kỳ)", opinions["waiting"]),
        ("Điểm nóng", "Phát sinh trong kỳ", hot["flagged"]),
        ("Điểm nóng", "Đã giải quyết trong kỳ", hot["resolved"]),
        ("Điểm nóng", "Còn theo dõi (cuối kỳ)", hot["open"]),
    ]
    models = figures["models"]
    for field in ExemplarField:
        counts = models["by_field"][field.value]
        rows.append(("Mô hình “Dân vận khéo”", f"{field.label}: đăng ký", counts["registered"]))
        rows.append(("Mô hình “Dân vận khéo”", f"{field.label}: công nhận", counts["recognised"]))
    roster = figures["roster"]
    rows += [
        ("Thành viên", "Tham gia mới trong kỳ", roster["joined"]),
        ("Thành viên", "Thôi tham gia trong kỳ", roster["left"]),
        ("Thành viên", "Lượt thành viên cuối kỳ", roster["in_force"]),
    ]
    if figures.get("ratings") is not None:
        for level, label, _minimum in DEFAULT_SCALE:
            rows.append(("Xếp loại", label, figures["ratings"]["levels"][str(level)]))
    return rows


def figures_workbook(*, area: Area, period: Period, figures: dict) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "So lieu"
    text_cell(sheet.cell(row=1, column=1), f"{area.name}: số liệu {period.label}")
    sheet.cell(row=1, column=1).font = Font(bold=True)
    for column, heading in enumerate(("Mục", "Chỉ tiêu", "Số lượng"), start=1):
        cell = sheet.cell(row=3, column=column)
        text_cell(cell, heading)
        cell.font = Font(bold=True)
    for number, (section, item, value) in enumerate(figure_rows(figures), start=4):
        text_cell(sheet.cell(row=number, column=1), section)
        text_cell(sheet.cell(row=number, column=2), str(item))
        sheet.cell(row=number, column=3, value=value or 0)
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 48
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
