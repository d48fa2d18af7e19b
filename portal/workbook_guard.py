"""Look at an uploaded .xlsx before any reader opens it: a hostile workbook is refused
here, in bounded memory and time, with a message for the person who sent it.

python-calamine (the reader, portal/spreadsheets.py) builds a sheet's whole range in
memory from the cell references the sheet holds: a 2 KB file with one value at
``XFD1048576`` makes it ask for hundreds of GiB and abort the process (no exception to
catch). A zip entry's compressed size says nothing about its inflated size, and an XML
part may declare entities (billion laughs) or external entities (XXE). So before the
reader runs, ``check_workbook``:

1. reads the zip's directory: number of parts, total inflated size, compression ratio
   of every large part (``DANVAN_IMPORT_MAX_PARTS``, ``DANVAN_IMPORT_MAX_UNPACKED_BYTES``,
   ``DANVAN_IMPORT_MAX_RATIO``);
2. streams every XML part through expat in 64 KB chunks (never the whole part in
   memory; zipfile stops at the declared size) and refuses any document type
   declaration, so no entity is ever defined, expanded or fetched;
3. in each worksheet, follows the cells that hold something (a value, an inline string
   or a formula; styled empty cells are ignored, as the reader does) and stops at the
   first that goes past the limits: the last row (``DANVAN_IMPORT_MAX_ROWS`` data rows
   plus the title rows), the number of such cells and the area of the range from A1 to
   the farthest row and column (``DANVAN_IMPORT_MAX_CELLS``), which is what the reader
   allocates. Shared strings count as cells too.

What passes costs the reader at most about ``DANVAN_IMPORT_MAX_CELLS`` cells; docs/SECURITY.md
("Uploaded workbooks") gives the measured peak memory. This module imports nothing of
the project.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext_lazy as _

ERROR_TOO_MANY_PARTS = _(
    "Tệp “{filename}” chứa quá nhiều thành phần ({count}, tối đa {limit}): đây không phải "
    "một bảng tính bình thường. Hãy mở bằng Excel hoặc LibreOffice rồi lưu lại thành .xlsx."
)
ERROR_UNPACKED_TOO_LARGE = _(
    "Tệp “{filename}” khi giải nén lớn hơn {limit} MB (hoặc nén bất thường): hệ thống "
    "không đọc tệp này. Hãy xoá các trang tính, hình ảnh không cần thiết hoặc chia nhỏ tệp."
)
ERROR_XML_DECLARATIONS = _(
    "Tệp “{filename}” chứa khai báo XML (DOCTYPE, ENTITY) mà bảng tính Excel không bao "
    "giờ có: hệ thống không đọc tệp này. Hãy mở bằng Excel hoặc LibreOffice rồi lưu lại."
)
ERROR_TOO_MANY_ROWS = _("Tệp có hơn {limit} dòng dữ liệu: hãy chia thành nhiều tệp nhỏ hơn.")
ERROR_FAR_CELL = _(
    "Trang tính có dữ liệu ở ô {cell}, ngoài giới hạn {limit} dòng: hãy xoá các ô thừa ở "
    "cuối trang tính (hoặc chia thành nhiều tệp nhỏ hơn)."
)
ERROR_TOO_MANY_CELLS = _(
    "Bảng tính quá lớn: vùng dữ liệu đến ô {cell} có hơn {limit} ô. Hãy xoá các cột, "
    "dòng thừa hoặc chia thành nhiều tệp nhỏ hơn."
)

#: A part smaller than this is not judged on its ratio (tiny XML compresses well).
RATIO_FLOOR = 1024 * 1024
_CHUNK = 64 * 1024
# Any reference a reader might believe, however far (limits decide, not the pattern).
_REF = re.compile(r"([A-Za-z]+)([0-9]+)$")


def limits() -> dict[str, int]:
    """The limits in force (settings, with the defaults of docs/CONFIGURATION.md)."""
    return {
        "rows": getattr(settings, "DANVAN_IMPORT_MAX_ROWS", 100_000),
        "cells": getattr(settings, "DANVAN_IMPORT_MAX_CELLS", 2_500_000),
        "parts": getattr(settings, "DANVAN_IMPORT_MAX_PARTS", 1_000),
        "unpacked": getattr(settings, "DANVAN_IMPORT_MAX_UNPACKED_BYTES", 200 * 1024 * 1024),
        "ratio": getattr(settings, "DANVAN_IMPORT_MAX_RATIO", 100),
    }


class Refused(Exception):
    """The file is refused: ``message`` says why, in the reader's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def column_number(letters: str) -> int:
    """A -> 1, XFD -> 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def check_workbook(data: bytes, *, filename: str, header_slack: int) -> None:
    """Raise ``Refused`` when the .xlsx in ``data`` is beyond the limits or hostile;
    return None when a reader may open it. A zip that cannot be read at all is left to
    the reader (which reports it as corrupt)."""
    import io

    limit = limits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return
    with archive:
        infos = archive.infolist()
        if len(infos) > limit["parts"]:
            raise Refused(
                str(ERROR_TOO_MANY_PARTS).format(
                    filename=filename, count=f"{len(infos):,}", limit=f"{limit['parts']:,}"
                )
            )
        unpacked = _refused_size(filename, limit)
        total = 0
        for info in infos:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if total > limit["unpacked"] or (
                info.file_size > RATIO_FLOOR and ratio > limit["ratio"]
            ):
                raise unpacked
        max_row = limit["rows"] + header_slack + 1
        for info in infos:
            name = info.filename
            if not name.lower().endswith((".xml", ".rels")):
                continue
            if name.startswith("xl/worksheets/"):
                scan = _SheetScan(
                    name, max_rows=limit["rows"], max_row=max_row, max_cells=limit["cells"]
                )
                if _fast_sheet_scan(archive, info, scan, filename, unpacked):
                    continue
                scan = _SheetScan(  # the exact scan starts afresh
                    name, max_rows=limit["rows"], max_row=max_row, max_cells=limit["cells"]
                )
            elif name == "xl/sharedStrings.xml":
                scan = _StringsScan(name, max_cells=limit["cells"])
            else:
                scan = _Scan(name)
            _parse(archive, info, scan, filename, unpacked)


def _refused_size(filename: str, limit: dict) -> Refused:
    return Refused(
        str(ERROR_UNPACKED_TOO_LARGE).format(filename=filename, limit=_mb(limit["unpacked"]))
    )


# A cell that holds something, written as Excel, LibreOffice and openpyxl write it: the
# reference first, then straight into its value, inline string or formula.
_VALUED_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*>\s*<(?:v|is|f)\b')
# A cell whose reference the fast path does not read (``<c>``, or attributes before the
# reference, or another form of it): the exact scan decides. One search, no list built.
_ODD_CELL = re.compile(rb'<c(?:>| (?!r="[A-Z]{1,3}[0-9]{1,7}"))')


def _fast_sheet_scan(archive, info, scan: _SheetScan, filename: str, unpacked) -> bool:
    """The worksheet's limits with regular expressions over 64 KB chunks (about 20 times
    faster than an expat callback per element). True when the part was judged; False
    when some valued cell is written in a way the fast path does not follow, and the
    exact expat scan must decide."""
    carry, read = b"", 0
    try:
        with archive.open(info) as part:
            while True:
                chunk = part.read(_CHUNK)
                read += len(chunk)
                if read > info.file_size:
                    raise unpacked
                buffer = carry + chunk
                if b"<!DOCTYPE" in buffer or b"<!ENTITY" in buffer:
                    raise Refused(str(ERROR_XML_DECLARATIONS).format(filename=filename))
                if chunk:
                    cut = buffer.rfind(b"<c")
                    if cut <= 0:
                        cut = max(len(buffer) - 64, 0)
                    buffer, carry = buffer[:cut], buffer[cut:]
                # Every cell written <c r="A1" (no prefix, the reference first, at most
                # XFD9999999), or the exact scan decides.
                if b":c " in buffer or b":c>" in buffer or _ODD_CELL.search(buffer):
                    return False
                cells = _VALUED_CELL.findall(buffer)
                if cells:
                    scan.count_many(cells, rows=buffer.count(b"<row"))
                if not chunk:
                    return True
    except _Beyond as beyond:
        raise Refused(beyond.message) from None
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, RuntimeError):
        return True  # a broken zip: the reader reports the file as corrupt


def _parse(archive, info, scan: _Scan, filename: str, unpacked: Refused) -> None:
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = scan.doctype
    parser.EntityDeclHandler = scan.doctype
    parser.StartElementHandler = scan.start
    if isinstance(scan, _SheetScan):
        parser.EndElementHandler = scan.end
    read = 0
    try:
        with archive.open(info) as part:
            while chunk := part.read(_CHUNK):
                read += len(chunk)
                if read > info.file_size:  # zipfile stops there; a lying size is refused
                    raise unpacked
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Declarations:
        raise Refused(str(ERROR_XML_DECLARATIONS).format(filename=filename)) from None
    except _Beyond as beyond:
        raise Refused(beyond.message) from None
    except (expat.ExpatError, zipfile.BadZipFile, EOFError, OSError, ValueError, RuntimeError):
        return  # broken XML or zip: the reader reports the file as corrupt


class _Declarations(Exception):
    pass


class _Beyond(Exception):
    def __init__(self, message: str):
        self.message = message


@dataclass
class _Scan:
    """Any XML part: only the document type declaration is looked at."""

    name: str

    def doctype(self, *args):
        raise _Declarations

    def start(self, tag, attributes):
        pass


class _StringsScan(_Scan):
    def __init__(self, name: str, *, max_cells: int):
        super().__init__(name)
        self.max_cells = max_cells
        self.count = 0

    def start(self, tag, attributes):
        if tag == "si" or tag.endswith(":si"):
            self.count += 1
            if self.count > self.max_cells:
                raise _Beyond(
                    str(ERROR_TOO_MANY_CELLS).format(cell="—", limit=f"{self.max_cells:,}")
                )


class _SheetScan(_Scan):
    """Follows a worksheet's rows and cells: the farthest row and column holding
    something, and how many cells do."""

    def __init__(self, name: str, *, max_rows: int, max_row: int, max_cells: int):
        super().__init__(name)
        self.max_rows = max_rows
        self.max_row = max_row
        self.max_cells = max_cells
        self.row = 0
        self.column = 0
        self.pending = False  # the current <c> has not been counted yet
        self.far_row = 0
        self.far_column = 0
        self.cells = 0
        self.rows = 0  # rows holding something
        self.counted_row = 0

    def start(self, tag, attributes):
        tag = tag.rpartition(":")[2]
        if tag == "row":
            number = attributes.get("r")
            self.row = int(number) if number and number.isdigit() else self.row + 1
            self.column = 0
        elif tag == "c":
            match = _REF.match(attributes.get("r", ""))
            if match:
                self.column = column_number(match.group(1).upper())
                self.row = int(match.group(2)) or self.row
            else:
                self.column += 1
            self.pending = True
        elif tag in ("v", "is", "f") and self.pending:
            self.pending = False
            self._count()

    def end(self, tag):
        if tag.rpartition(":")[2] == "c":
            self.pending = False

    def count_many(self, cells: list[tuple[bytes, bytes]], *, rows: int) -> None:
        """Count a chunk of (column letters, row digits) of cells holding something;
        ``rows`` the row elements of the chunk (an upper bound of the rows holding
        something, which is what the limit is for)."""
        before = (self.far_row, self.far_column)
        self.cells += len(cells)
        self.rows += rows
        letters, digits = zip(*cells, strict=True)
        far_row = max(map(int, set(digits)))
        far_column = max(column_number(c.decode()) for c in set(letters))
        self.far_row = max(self.far_row, far_row)
        self.far_column = max(self.far_column, far_column)
        if (
            self.far_row > self.max_row
            or self.cells > self.max_cells
            or (self.far_row * self.far_column > self.max_cells)
        ):
            # Name the first cell past a limit, as the exact scan does.
            self.cells -= len(cells)
            self.rows -= rows
            self.far_row, self.far_column = before
            for column, row in cells:
                self.row, self.column = int(row), column_number(column.decode())
                if self.row != self.counted_row:
                    self.counted_row = self.row
                    self.rows += 1
                self.cells += 1
                self._check()

    def _count(self):
        self.cells += 1
        if self.row != self.counted_row:
            self.counted_row = self.row
            self.rows += 1
        self.far_row = max(self.far_row, self.row)
        self.far_column = max(self.far_column, self.column)
        self._check()

    def _check(self):
        self.far_row = max(self.far_row, self.row)
        self.far_column = max(self.far_column, self.column)
        cell = f"{column_letters(self.column)}{self.row}"
        if self.row > self.max_row:
            if self.rows > self.max_rows:  # many rows, not one stray cell far away
                raise _Beyond(str(ERROR_TOO_MANY_ROWS).format(limit=f"{self.max_rows:,}"))
            raise _Beyond(str(ERROR_FAR_CELL).format(cell=cell, limit=f"{self.max_row:,}"))
        if self.cells > self.max_cells or self.far_row * self.far_column > self.max_cells:
            raise _Beyond(str(ERROR_TOO_MANY_CELLS).format(cell=cell, limit=f"{self.max_cells:,}"))
