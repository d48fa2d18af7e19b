"""``manage.py periodic_report --area CODE --period PERIOD --output FILE.docx``
(CONTRACTS section 2): the periodic report of a province (2 digits) or a commune (5
digits) of the 2025 map, as a Word document in the Party's layout, with the figures
from the records and the written sections staff saved (placeholders where none). Exits 1 with a
Vietnamese message for an unknown area or period."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from reports.periodic.document import report_document
from reports.periodic.figures import periodic_figures
from reports.periodic.models import PeriodicReport
from reports.periodic.periods import parse_period
from reports.periodic.services import SECTION_FIELDS
from units.choices import Edition, Level
from units.models import Area

ERROR_AREA = "Không có tỉnh (2 chữ số) hoặc xã (5 chữ số) mã “{code}” theo danh mục từ 01/07/2025."
DONE = "Đã ghi báo cáo {period} của {area} vào {path}."
LEVELS = {2: Level.PROVINCE, 5: Level.COMMUNE}


class Command(BaseCommand):
    help = "Ghi báo cáo định kỳ (tháng, quý, năm) của một tỉnh hoặc xã thành tệp Word (.docx)."

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="mã tỉnh (2 chữ số) hoặc xã (5 chữ số)")
        parser.add_argument("--period", required=True, help="2026-11, 2026-Q4 hoặc 2026")
        parser.add_argument("--output", required=True, help="tệp .docx sẽ ghi")

    def handle(self, *args, area, period, output, **options):
        code = area.strip()
        level = LEVELS.get(len(code)) if code.isdigit() else None
        found = (
            Area.objects.filter(edition=Edition.V2025, level=level, code=code)
            .select_related("parent")
            .first()
            if level
            else None
        )
        if found is None:
            self.stderr.write(ERROR_AREA.format(code=code))
            sys.exit(1)
        try:
            asked = parse_period(period)
        except ValueError as exc:
            self.stderr.write(str(exc))
            sys.exit(1)
        figures = periodic_figures(path=found.path, period=asked)
        # The written sections staff saved on the report's page, if any.
        written = PeriodicReport.objects.filter(area=found, period=asked.code).first()
        sections = {f: getattr(written, f) for f in SECTION_FIELDS} if written else {}
        content = report_document(
            area=found, period=asked, figures=figures, day=timezone.localdate(), sections=sections
        )
        path = Path(output)
        path.write_bytes(content)
        self.stdout.write(DONE.format(period=asked.label, area=found.name, path=path))
