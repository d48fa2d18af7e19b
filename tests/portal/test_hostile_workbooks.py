"""Hostile workbooks (tests/hostile_files.py) are refused by the one reader before
python-calamine builds anything, each with a whole-file message, and reading any of them
stays within about 300 MB (measured in a subprocess: a process that dies proves it)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from portal.spreadsheets import ERROR_TOO_MANY_ROWS, RowError, SheetLayout, read_table
from portal.workbook_guard import (
    ERROR_FAR_CELL,
    ERROR_TOO_MANY_CELLS,
    ERROR_TOO_MANY_PARTS,
    ERROR_UNPACKED_TOO_LARGE,
    ERROR_XML_DECLARATIONS,
)
from tests import hostile_files

HEADER = ["Mã", "Tên hộ"]
LAYOUT = SheetLayout(
    marker="Tên hộ", columns=("Mã", "Tên hộ"), required=("Mã",), no_header="Không có tiêu đề."
)
ROOT = Path(__file__).resolve().parents[2]


def read(data: bytes):
    errors, notes = [], []
    table = read_table(data, filename="ho.xlsx", layout=LAYOUT, errors=errors, notes=notes)
    return table, errors


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return {
        "far_corner": hostile_files.far_corner(HEADER),
        "zip_bomb": hostile_files.zip_bomb(HEADER, inflated_mb=64),
        "million_rows": hostile_files.million_rows(HEADER),
        "billion_laughs": hostile_files.billion_laughs(HEADER),
        "external_entity": hostile_files.external_entity(HEADER),
    }


EXPECTED = {
    "far_corner": ERROR_FAR_CELL.format(cell="XFD1048576", limit="100,201"),
    "zip_bomb": ERROR_UNPACKED_TOO_LARGE.format(filename="ho.xlsx", limit="200"),
    "million_rows": ERROR_TOO_MANY_ROWS.format(limit="100,000"),
    "billion_laughs": ERROR_XML_DECLARATIONS.format(filename="ho.xlsx"),
    "external_entity": ERROR_XML_DECLARATIONS.format(filename="ho.xlsx"),
}


def test_a_sound_handmade_workbook_is_read():
    """The control: the same builder, within the limits, is read as usual."""
    table, errors = read(hostile_files.plain(HEADER, [["A1", "Hộ 1"], ["A2", "Hộ 2"]]))
    assert errors == []
    assert [cells for _, cells in table.rows] == [["A1", "Hộ 1"], ["A2", "Hộ 2"]]


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_each_hostile_workbook_is_refused_with_one_message(files, kind):
    table, errors = read(files[kind])
    assert table is None
    assert errors == [RowError(0, "", EXPECTED[kind])]


def test_the_inflated_size_of_all_parts_is_limited(settings):
    settings.DANVAN_IMPORT_MAX_UNPACKED_BYTES = 10_000
    rows = [[f"A{i}", f"Hộ số {i}"] for i in range(1000)]
    _table, errors = read(hostile_files.plain(HEADER, rows))
    message = ERROR_UNPACKED_TOO_LARGE.format(filename="ho.xlsx", limit="0")
    assert errors == [RowError(0, "", message)]


def test_the_number_of_parts_is_limited(settings):
    settings.DANVAN_IMPORT_MAX_PARTS = 100
    _table, errors = read(hostile_files.many_parts(HEADER, parts=200))
    message = ERROR_TOO_MANY_PARTS.format(filename="ho.xlsx", count="205", limit="100")
    assert errors == [RowError(0, "", message)]


def test_cells_holding_something_are_limited_and_styled_empty_cells_are_not(settings):
    """The cell limit counts cells holding a value and the area up to the farthest one;
    an empty cell with a style (what spreadsheets write for formatting) is not data."""
    settings.DANVAN_IMPORT_MAX_CELLS = 50
    rows = [[f"A{i}", f"Hộ {i}"] for i in range(30)]
    _table, errors = read(hostile_files.plain(HEADER, rows))
    assert errors == [RowError(0, "", ERROR_TOO_MANY_CELLS.format(cell="A26", limit="50"))]
    empty_far = (
        '<row r="1">'
        '<c r="A1" t="inlineStr"><is><t>Mã</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Tên hộ</t></is></c></row>'
        '<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>2</v></c></row>'
        '<row r="1048576"><c r="XFD1048576" s="1"/></row>'
    )
    sheet = f"{hostile_files._SHEET_HEAD}<sheetData>{empty_far}</sheetData></worksheet>"
    table, errors = read(hostile_files.package(sheet))
    assert errors == []
    assert [cells for _, cells in table.rows] == [[1.0, 2.0]]


def test_cells_without_references_are_placed_and_counted_exactly(settings):
    """Rows and cells without an ``r`` attribute (allowed by the format) go through the
    exact scan: the 3 rows of 20 cells are 60 cells, over a limit of 50."""
    settings.DANVAN_IMPORT_MAX_CELLS = 50
    _table, errors = read(hostile_files.wide(HEADER, columns=20, rows=3))
    assert errors == [RowError(0, "", ERROR_TOO_MANY_CELLS.format(cell="A3", limit="50"))]


def test_a_csv_is_limited_in_cells_too(settings):
    settings.DANVAN_IMPORT_MAX_CELLS = 100
    data = ("Mã,Tên hộ\n" + "," * 200 + "\n").encode()
    _table, errors = read(data)
    assert errors == [RowError(0, "", ERROR_TOO_MANY_CELLS.format(cell="—", limit="100"))]


CHILD = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
import django
django.setup()
from portal.spreadsheets import SheetLayout, read_table
layout = SheetLayout(marker="Tên hộ", columns=("Mã", "Tên hộ"), required=("Mã",), no_header="-")
out = {}
for path in sys.argv[1:]:
    errors = []
    with open(path, "rb") as handle:
        data = handle.read()
    table = read_table(data, filename="ho.xlsx", layout=layout, errors=errors, notes=[])
    out[os.path.basename(path)] = [table is None, [e.message for e in errors]]
    del data, table
# The peak of this program's own memory: VmHWM starts afresh at exec, whereas ru_maxrss
# keeps the parent's size at the fork (a test worker's hundreds of MB).
with open("/proc/self/status") as status:
    hwm = next(line for line in status if line.startswith("VmHWM:"))
out["peak_mb"] = int(hwm.split()[1]) / 1024
print(json.dumps(out))
"""


def test_reading_every_hostile_workbook_stays_under_300_mb(files, tmp_path):
    """One process reads them all; its peak resident size (VmHWM) is what the
    worst of them cost. Before the guard, the far corner alone aborted the process."""
    paths = []
    for kind, data in files.items():
        path = tmp_path / f"{kind}.xlsx"
        path.write_bytes(data)
        paths.append(str(path))
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    for kind in files:
        refused, messages = out[f"{kind}.xlsx"]
        assert refused and len(messages) == 1, (kind, messages)
    print(f"peak of the reading process: {out['peak_mb']:.0f} MB")
    assert out["peak_mb"] <= 300, out["peak_mb"]


@pytest.mark.parametrize("ref", ["A99999999", "a2000000", "ZZZZ9"])
def test_references_beyond_the_sheet_are_followed_too(ref):
    """A reference longer than any real one (8 digits, 4 letters, lower case) goes to the
    exact scan, which follows it like the reader would, and is refused."""
    body = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Mã</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Tên hộ</t></is></c></row>'
        f'<row><c r="{ref}"><v>1</v></c></row>'
    )
    sheet = f"{hostile_files._SHEET_HEAD}<sheetData>{body}</sheetData></worksheet>"
    table, errors = read(hostile_files.package(sheet))
    assert table is None
    assert len(errors) == 1 and errors[0].row == 0
