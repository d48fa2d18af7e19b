"""The periodic report as a Word document in the Party's layout (Hướng dẫn
36-HD/VPTW): the issuing committee with the report's number at the top left, "ĐẢNG
CỘNG SẢN VIỆT NAM" with the place and date at the top right, the title, the body
(the written sections around the figures from the records), the recipients and the
signature block. python-docx; Times New Roman 14 as the committees print."""

import datetime
import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from evaluations.choices import DEFAULT_SCALE
from exemplars.choices import ExemplarField
from reports.periodic.periods import Period
from units.choices import Level
from units.models import Area
from work.choices import ActivityKind

PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"
PLACEHOLDER = "(Nội dung do cán bộ hoàn thiện.)"

#: The written sections, in the order of the body, with their headings.
SECTIONS = (
    ("situation", "I. TÌNH HÌNH NHÂN DÂN"),
    ("results", "II. KẾT QUẢ CÔNG TÁC DÂN VẬN"),
    ("shortcomings", "III. HẠN CHẾ, NGUYÊN NHÂN"),
    ("proposals", "IV. PHƯƠNG HƯỚNG, ĐỀ XUẤT, KIẾN NGHỊ"),
)


def _number(n) -> str:
    """1.265: the Vietnamese thousands separator."""
    return f"{n or 0:,}".replace(",", ".")


def committee_lines(area: Area) -> tuple[str, str, str]:
    """(the committee above, the issuing body, the number line) of ``area``'s report."""
    name = area.short_name or area.name
    if area.level == Level.PROVINCE:
        return (f"TỈNH ỦY {name}".upper(), "BAN TUYÊN GIÁO VÀ DÂN VẬN", "Số      -BC/BTGDVTU")
    province = area.parent
    while province is not None and province.level != Level.PROVINCE:
        province = province.parent
    above = f"ĐẢNG BỘ TỈNH {province.short_name or province.name}" if province else ""
    return (above.upper(), f"ĐẢNG ỦY {area.name}".upper(), "Số      -BC/ĐU")


def date_line(area: Area, day: datetime.date) -> str:
    return f"{area.short_name or area.name}, ngày {day.day} tháng {day.month} năm {day.year}"


def _font(document) -> None:
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)


def _centred(cell_or_doc, text: str, *, bold=False, italic=False, underline=False, size=None):
    paragraph = cell_or_doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    if size:
        run.font.size = Pt(size)
    return paragraph


def _header(document, area: Area, day: datetime.date) -> None:
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    above, body, number = committee_lines(area)
    left.paragraphs[0].text = ""
    _centred(left, above, size=13)
    _centred(left, body, bold=True, size=13)
    _centred(left, "*", size=13)
    _centred(left, number, size=13)
    _centred(right, PARTY, bold=True, underline=True, size=14)
    _centred(right, date_line(area, day), italic=True, size=14)


def _table(document, headings: list[str], rows: list[list]) -> None:
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headings, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value if isinstance(value, str) else _number(value)


def _figures(document, figures: dict, period: Period) -> None:
    activities = figures["activities"]
    document.add_paragraph("1. Hoạt động của Khối dân vận, Tổ dân vận").runs[0].bold = True
    rows = [
        [str(kind.label), *(activities["by_kind"][kind.value][k] for k in _ACTIVITY_COLUMNS)]
        for kind in ActivityKind
    ]
    rows.append(["Tổng cộng", *(activities["total"][k] for k in _ACTIVITY_COLUMNS)])
    _table(
        document,
        ["Loại hoạt động", "Số hoạt động", "Người tham gia", "Người dân tiếp cận", "Ngày công"],
        rows,
    )
    opinions = figures["opinions"]
    hot = opinions["hot_spots"]
    document.add_paragraph("2. Tiếp nhận, giải quyết ý kiến, kiến nghị của nhân dân").runs[
        0
    ].bold = True
    _table(
        document,
        ["Chỉ tiêu", "Số lượng"],
        [
            ["Ý kiến, kiến nghị tiếp nhận trong kỳ", opinions["received"]],
            ["Đã trả lời trong kỳ", opinions["answered"]],
            ["Trong đó trả lời đúng hạn", opinions["answered_in_time"]],
            ["Quá hạn chưa trả lời (cuối kỳ)", opinions["overdue"]],
            ["Đang chờ trả lời (cuối kỳ)", opinions["waiting"]],
            ["Điểm nóng phát sinh trong kỳ", hot["flagged"]],
            ["Điểm nóng đã giải quyết trong kỳ", hot["resolved"]],
            ["Điểm nóng còn theo dõi (cuối kỳ)", hot["open"]],
        ],
    )
    models = figures["models"]
    document.add_paragraph("3. Mô hình “Dân vận khéo”").runs[0].bold = True
    rows = [
        [str(field.label), models["by_field"][field.value]["registered"],
         models["by_field"][field.value]["recognised"]]
        for field in ExemplarField
    ]  # fmt: skip
    rows.append(["Tổng cộng", models["registered"], models["recognised"]])
    _table(document, ["Lĩnh vực", "Đăng ký trong kỳ", "Được công nhận trong kỳ"], rows)
    roster = figures["roster"]
    document.add_paragraph("4. Củng cố Khối dân vận, Tổ dân vận").runs[0].bold = True
    _table(
        document,
        ["Chỉ tiêu", "Số lượng"],
        [
            ["Lượt thành viên tham gia mới trong kỳ", roster["joined"]],
            ["Lượt thành viên thôi tham gia trong kỳ", roster["left"]],
            ["Lượt thành viên cuối kỳ", roster["in_force"]],
        ],
    )
    if figures.get("ratings") is not None:
        ratings = figures["ratings"]
        document.add_paragraph(f"5. Kết quả xếp loại năm {period.year}").runs[0].bold = True
        _table(
            document,
            ["Mức xếp loại", "Số đơn vị"],
            [[label, ratings["levels"][str(level)]] for level, label, _min in DEFAULT_SCALE]
            + [["Tổng cộng", ratings["total"]]],
        )


_ACTIVITY_COLUMNS = ("count", "participants", "people_reached", "work_days")


def report_document(
    *,
    area: Area,
    period: Period,
    figures: dict,
    day: datetime.date,
    sections: dict | None = None,
    recipients: tuple[str, ...] = (),
) -> bytes:
    """The .docx of the report of ``area`` for ``period`` dated ``day``: ``figures``
    from ``reports.periodic.figures.periodic_figures``, ``sections`` the written parts
    by key (``SECTIONS``; missing ones get a placeholder for staff to complete)."""
    sections = sections or {}
    document = Document()
    _font(document)
    _header(document, area, day)
    _centred(document, "BÁO CÁO", bold=True, size=15)
    _centred(
        document,
        f"Tình hình nhân dân và kết quả công tác dân vận {period.label}",
        bold=True,
    )
    _centred(document, "-----")
    for key, heading in SECTIONS:
        document.add_paragraph(heading).runs[0].bold = True
        if key == "results":
            _figures(document, figures, period)
        for line in (sections.get(key) or PLACEHOLDER).splitlines():
            document.add_paragraph(line)
    _footer(document, area, recipients)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _footer(document, area: Area, recipients: tuple[str, ...]) -> None:
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.paragraphs[0].text = ""
    paragraph = left.add_paragraph()
    run = paragraph.add_run("Nơi nhận:")
    run.bold, run.italic = True, True
    default = (
        ("- Ban Thường vụ Tỉnh ủy (để báo cáo),", "- Lưu Văn phòng.")
        if area.level == Level.PROVINCE
        else ("- Ban Tuyên giáo và Dân vận Tỉnh ủy (để báo cáo),", "- Lưu Văn phòng Đảng ủy.")
    )
    for line in recipients or default:
        left.add_paragraph(line).runs[0].font.size = Pt(12)
    signer = "T/M BAN THƯỜNG VỤ" if area.level != Level.PROVINCE else "TRƯỞNG BAN"
    _centred(right, signer, bold=True)
    _centred(right, "(Ký, ghi rõ họ tên)", italic=True, size=12)
