# ruff: noqa: E501 -- the documents' prose is kept one sentence a line.
"""The guidance documents the domain knows by number, for the demo data
(``manage.py generate_demo``): their real numbers, dates and issuing bodies with
summaries written for this project, each with a one-page PDF drawn here (Pillow, already
a dependency, writes the PDF; the page says it is a demo summary, not the original).

All writes go through ``documents.services`` (no acting user: the system). A second run
adds nothing: a document already there (same number, issuer and date) is left alone.
"""

import dataclasses
import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from documents import services
from documents.choices import DocumentType
from documents.models import Document
from portal.audit import audit_context
from units.models import Area

DEMO_REASON = "Dữ liệu mẫu (generate_demo)"
FONTS = {
    False: ("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", "/usr/share/fonts/dejavu/DejaVuSerif.ttf"),
    True: ("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf", "/usr/share/fonts/dejavu/DejaVuSerif-Bold.ttf"),
}  # fmt: skip
#: An A4 page at 120 dots per inch, black and white (a few dozen kilobytes).
PAGE = (992, 1403)
DPI = 120
MARGIN = 90
NOTE = "Bản tóm tắt minh họa do dữ liệu mẫu của cổng thông tin tạo ra, không phải văn bản gốc."


@dataclasses.dataclass(frozen=True)
class DemoDocument:
    doc_type: str
    number: str
    issuer: str
    issued_on: datetime.date
    title: str
    summary: str
    #: Where the document applies: (edition, province code) pairs, the first loaded wins.
    areas: tuple = ()


DOCUMENTS = (
    DemoDocument(
        DocumentType.GUIDANCE, "01/HDLB-TC-DV", "Ban Dân vận Trung ương - Ban Tổ chức Trung ương",
        datetime.date(2000, 5, 25),
        "Về chức năng, nhiệm vụ, tổ chức bộ máy và biên chế cán bộ của Ban Dân vận địa phương",
        "Hướng dẫn liên ngành về việc ban dân vận cấp tỉnh, cấp huyện làm gì, được tổ chức thế nào và có bao nhiêu cán bộ.\n"
        "Ở xã, phường, thị trấn, hướng dẫn là căn cứ thành lập Khối dân vận cơ sở từ 7 đến 13 thành viên, do bí thư hoặc phó bí thư đảng ủy làm trưởng khối, với đại diện chính quyền, Mặt trận và các đoàn thể.",
    ),
    DemoDocument(
        DocumentType.GUIDANCE, "19-HD/BDV", "Ban Dân vận Tỉnh ủy Bắc Giang", datetime.date(2005, 6, 27),
        "Về nội dung hoạt động công tác dân vận ở thôn, bản, cụm dân cư",
        "Hướng dẫn đưa công tác dân vận xuống tận thôn, bản, cụm dân cư và lập Tổ dân vận ở mỗi thôn, bản, tổ dân phố.\n"
        "Bí thư chi bộ làm tổ trưởng; trưởng thôn và trưởng ban công tác Mặt trận làm tổ phó; tổ nắm tình hình nhân dân, tuyên truyền, vận động và báo cáo với chi bộ.",
        (("legacy", "24"), ("2025", "24")),
    ),
    DemoDocument(
        DocumentType.GUIDANCE, "267-HD/DVTU", "Ban Dân vận Tỉnh ủy Bắc Kạn", datetime.date(2008, 8, 7),
        "Kiện toàn công tác tổ chức và nội dung hoạt động của khối dân vận cơ sở",
        "Hướng dẫn các đảng ủy xã, phường, thị trấn kiện toàn Khối dân vận cơ sở: ai tham gia, ai làm trưởng khối, khối làm việc theo quy chế nào.\n"
        "Khối họp định kỳ, nắm tâm tư của người dân, tham mưu cho cấp ủy và vận động nhân dân thực hiện các chủ trương, chính sách ở địa phương.",
        (("legacy", "06"), ("2025", "19")),
    ),
    DemoDocument(
        DocumentType.CONCLUSION, "214-KL/TU", "Ban Thường vụ Tỉnh ủy Bắc Giang", datetime.date(2023, 1, 31),
        "Về Đề án thành lập và hoạt động của Tổ Dân vận cộng đồng ở thôn, tổ dân phố trên địa bàn tỉnh Bắc Giang",
        "Kết luận cho phép lập Tổ Dân vận cộng đồng ở thôn, tổ dân phố, có cả người dân cùng tham gia, làm thử ở các huyện rồi mở rộng ra toàn tỉnh.\n"
        "Hằng năm các tổ được đánh giá, xếp loại theo bộ tiêu chí do Ban Dân vận Tỉnh ủy hướng dẫn.",
        (("legacy", "24"), ("2025", "24")),
    ),
    DemoDocument(
        DocumentType.REGULATION, "366-QĐ/TW", "Bộ Chính trị", datetime.date(2025, 8, 30),
        "Về kiểm điểm, đánh giá, xếp loại chất lượng đối với tập thể, cá nhân trong hệ thống chính trị",
        "Quy định cách kiểm điểm, đánh giá và xếp loại chất lượng tập thể, cá nhân trong hệ thống chính trị theo thang 100 điểm.\n"
        "Việc đánh giá có thể làm theo nhiệm kỳ, hằng năm, hằng quý hoặc khi cần, coi trọng tiêu chí đo đếm được và kết quả cụ thể.",
    ),
)  # fmt: skip


def _font(size: int, *, bold: bool = False):
    for path in FONTS[bold]:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def _lines(draw, text: str, font, width: int) -> list[str]:
    """``text`` cut into lines no wider than ``width`` pixels, at spaces."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def demo_pdf(document: Document) -> bytes:
    """One A4 page in the Party's document layout (issuer and number on the left, the
    Party's name and the date on the right, the type and title centred), the summary,
    and a line saying it is a demo summary. Black and white, about ten kilobytes."""
    page = Image.new("1", PAGE, 1)
    draw = ImageDraw.Draw(page)
    small, body, bold, heading = _font(22), _font(25), _font(23, bold=True), _font(34, bold=True)
    width = PAGE[0]
    text_width = width - 2 * MARGIN
    left, right = width // 4, width * 3 // 4
    y = MARGIN
    for line in _lines(draw, document.issuer.upper(), bold, width // 2 - MARGIN):
        draw.text((left, y), line, font=bold, fill=0, anchor="ma")
        y += 32
    draw.text((left, y + 8), f"Số {document.number}", font=small, fill=0, anchor="ma")
    draw.text((right, MARGIN), "ĐẢNG CỘNG SẢN VIỆT NAM", font=bold, fill=0, anchor="ma")
    day = document.issued_on
    dated = f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"
    draw.text((right, MARGIN + 48), dated, font=small, fill=0, anchor="ma")
    y = max(y + 110, MARGIN + 200)
    kind = services.type_label(document.doc_type).upper()
    draw.text((width // 2, y), kind, font=heading, fill=0, anchor="ma")
    y += 56
    for line in _lines(draw, document.title, bold, text_width - 80):
        draw.text((width // 2, y), line, font=bold, fill=0, anchor="ma")
        y += 34
    y += 40
    for paragraph in document.summary.splitlines():
        for line in _lines(draw, paragraph, body, text_width):
            draw.text((MARGIN, y), line, font=body, fill=0)
            y += 36
        y += 14
    note = _lines(draw, NOTE, small, text_width)
    y = PAGE[1] - MARGIN - 30 * len(note)
    for line in note:
        draw.text((MARGIN, y), line, font=small, fill=0)
        y += 30
    buffer = io.BytesIO()
    page.save(
        buffer, "PDF", resolution=DPI, title=str(document), subject=document.title,
        author=document.issuer, creator="danvan generate_demo",
    )  # fmt: skip
    return buffer.getvalue()


def _area(pairs) -> Area | None:
    for edition, code in pairs:
        area = Area.objects.filter(edition=edition, code=code).first()
        if area is not None:
            return area
    return None


def documents_generate() -> int:
    """The guidance documents of ``DOCUMENTS``, published, each with its PDF; returns
    how many were added (0 on a second run)."""
    added = 0
    with transaction.atomic(), audit_context(reason=DEMO_REASON):
        for item in DOCUMENTS:
            if Document.objects.filter(
                number=item.number, issuer=item.issuer, issued_on=item.issued_on
            ).exists():
                continue
            document = services.document_create(
                acting_user=None,
                doc_type=item.doc_type,
                number=item.number,
                issuer=item.issuer,
                issued_on=item.issued_on,
                title=item.title,
                summary=item.summary,
                area=_area(item.areas),
                is_published=True,
            )
            name = f"{services.type_label(item.doc_type)} {item.number.replace('/', '-')}.pdf"
            upload = SimpleUploadedFile(name, demo_pdf(document), "application/pdf")
            services.attachment_add(document=document, upload=upload, acting_user=None)
            added += 1
    return added
