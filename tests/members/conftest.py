"""Fixtures for the roster import, export and workbook tests.

Official areas come from the real package (``divisions_load``), one province at a time;
the package read is cached for the session so each test only pays for the writes.
"""

import csv
import datetime
import functools
import io
from pathlib import Path

import pytest

from members.imports import COLUMNS
from units import services as unit_services
from units.models import Area

#: Rosters saved by LibreOffice (tests/samples/README.md).
SAMPLES = Path(__file__).resolve().parents[1] / "samples"

_official_areas = functools.cache(unit_services.official_areas)


@pytest.fixture
def load_province(db, monkeypatch):
    """``load_province(edition, code)``: the official province, its districts (legacy)
    and communes, as ``load_divisions --edition E --province CODE`` loads them."""
    monkeypatch.setattr(unit_services, "official_areas", _official_areas)

    def load(edition: str, code: str) -> Area:
        unit_services.divisions_load(edition=edition, provinces=[code])
        return Area.objects.get(edition=edition, level="province", code=code)

    return load


@pytest.fixture
def thai_nguyen(load_province):
    """Thái Nguyên (19) in the 2025 edition: the province of the 2025 samples."""
    return load_province("2025", "19")


@pytest.fixture
def lao_cai_legacy(load_province):
    """Lào Cai (10) in the legacy edition: the province of the legacy samples."""
    return load_province("legacy", "10")


#: A valid team row of Thái Nguyên (2025), by contract column.
TEAM_ROW = {
    "Mã xã": "01843",
    "Xã": "Phường Bắc Kạn",
    "Thôn/Tổ dân phố": "Tổ 1",
    "Đơn vị": "Tổ dân vận",
    "Họ và tên": "Hoàng Văn Thử",
    "Giới tính": "Nam",
    "Năm sinh": 1975,
    "Dân tộc": "Tày",
    "Đảng viên": "Có",
    "Chức vụ": "Bí thư chi bộ",
    "Vai trò": "Tổ trưởng",
    "Số điện thoại": "0912345678",
    "Ngày tham gia": "15/01/2024",
    "Ngày thôi": "",
}
#: A valid bloc row of the same commune.
BLOC_ROW = {
    **TEAM_ROW,
    "Thôn/Tổ dân phố": "",
    "Đơn vị": "Khối dân vận",
    "Họ và tên": "Lục Thị Khối",
    "Giới tính": "Nữ",
    "Năm sinh": 1980,
    "Chức vụ": "Phó Bí thư Đảng ủy",
    "Vai trò": "Trưởng khối",
    "Số điện thoại": "0987654321",
}


def team_rows(count: int, *, villages: int = 1, **overrides) -> list[dict]:
    """``count`` distinct members spread over ``villages`` villages of one commune."""
    rows = []
    for i in range(count):
        rows.append(
            {
                **TEAM_ROW,
                "Thôn/Tổ dân phố": f"Tổ {i % villages + 1}",
                "Họ và tên": f"Nông Văn Thành Viên {i}",
                "Năm sinh": 1960 + i % 40,
                "Vai trò": "Thành viên",
                "Số điện thoại": f"09{i:08d}",
                **overrides,
            }
        )
    return rows


def xlsx_bytes(
    rows: list[dict],
    *,
    headers=COLUMNS,
    title_rows: tuple = (),
    sheet_title: str = "Danh sách",
    extra_sheets: dict | None = None,
) -> bytes:
    """An .xlsx written with openpyxl: optional title rows above the header, values as
    given (numbers stay numbers, dates become real date cells)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for title in title_rows:
        sheet.append([title])
    sheet.append(list(headers))
    for row in rows:
        sheet.append([_plain(row.get(h, "")) for h in headers])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
    for title, sheet_rows in (extra_sheets or {}).items():
        extra = workbook.create_sheet(title)
        for row in sheet_rows:
            extra.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _plain(value):
    return None if value == "" else value


def csv_bytes(rows: list[dict], *, headers=COLUMNS, bom: bool = True, delimiter=",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")
