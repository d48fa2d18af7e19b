"""Time and peak memory of the streamed error report on a large workbook.

    DANVAN_IMPORT_MAX_ROWS=100000 python bench/error_report.py 99000

Builds in memory (write-only openpyxl) a sheet of ROWS households under a merged title
row, with a custom column width, gives every row one error on a known column, then runs
``portal.error_report.error_report_workbook`` once and prints its time and the process's
peak resident size before and after (``resource.getrusage``). No database.
"""

import io
import os
import resource
import sys
import time
from dataclasses import dataclass

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
django.setup()

import openpyxl  # noqa: E402

from portal.error_report import error_report_workbook  # noqa: E402
from portal.spreadsheets import RowError, SheetLayout  # noqa: E402

COLUMNS = ("Mã", "Tên hộ", "Thôn", "Số điện thoại", "Năm sinh", "Ghi chú")


@dataclass
class Plan:
    errors: list
    header_row: int = 2
    file_format: str = "xlsx"
    sheet_name: str = "Hộ"


def workbook(rows: int) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Hộ")
    sheet.column_dimensions["B"].width = 30
    sheet.append(["DANH SÁCH"])
    sheet.merged_cells.add("A1:F1")
    sheet.append(list(COLUMNS))
    for i in range(rows):
        sheet.append([f"A{i}", f"Nguyễn Văn {i}", "Thôn 1", "0912000111", 1980, "x" * 20])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 99_000
    data = workbook(rows)
    layout = SheetLayout(marker="Mã", columns=COLUMNS[:5], required=("Mã",), no_header="-")
    errors = [RowError(r, "Số điện thoại", "Số điện thoại sai.") for r in range(3, rows + 3)]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    report = error_report_workbook(
        data, filename="ho.xlsx", plan=Plan(errors), layout=layout, error_column="Lỗi"
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"rows={rows:,} file={len(data) / 1e6:.1f} MB report={len(report) / 1e6:.1f} MB "
        f"time={seconds:.1f} s peak before={before:.0f} MB after={peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
