"""Hostile workbooks, built by hand as raw .xlsx parts (openpyxl refuses to write most
of them): each one is small on disk and meant to cost a naive reader gigabytes, minutes
or a file it should never read. docs/SECURITY.md ("Uploaded workbooks") lists them.

Every builder takes the header cells so that the file looks like the import it is sent
to (a roster, a score sheet, an activity list): the reader must refuse it on its shape,
not on a missing column.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from xml.sax.saxutils import escape

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def column_letter(index: int) -> str:
    """1 -> A, 16384 -> XFD."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(row: int, column: int, value) -> str:
    ref = f"{column_letter(column)}{row}"
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def _row(row: int, values) -> str:
    cells = "".join(_cell(row, column, v) for column, v in enumerate(values, start=1))
    return f'<row r="{row}">{cells}</row>'


def package(sheet_xml: bytes | str, *, workbook: str = _WORKBOOK, extra=()) -> bytes:
    """An .xlsx holding ``sheet_xml`` as its one sheet (deflated), plus ``extra`` parts."""
    if isinstance(sheet_xml, str):
        sheet_xml = sheet_xml.encode()
    return _archive([sheet_xml], workbook=workbook, extra=extra)


def _archive(pieces, *, workbook: str = _WORKBOOK, extra=()) -> bytes:
    """The zip: the fixed parts, the sheet streamed from the byte strings of ``pieces``
    (it may be far larger than memory allows), then ``extra`` (name, text) parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for piece in pieces:
                part.write(piece)
        for name, content in extra:
            archive.writestr(name, content)
    return buffer.getvalue()


def plain(header: list[str], rows: list[list]) -> bytes:
    """A sound workbook: the header in row 1, then ``rows`` (the control case)."""
    body = _row(1, header) + "".join(_row(i, r) for i, r in enumerate(rows, start=2))
    return package(f"{_SHEET_HEAD}<sheetData>{body}</sheetData></worksheet>")


def far_corner(header: list[str]) -> bytes:
    """A header and one cell at the sheet's last cell, XFD1048576 (about 2 KB): a reader
    that builds the sheet's whole range asks for 17 billion cells."""
    body = _row(1, header) + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return package(f"{_SHEET_HEAD}<sheetData>{body}</sheetData></worksheet>")


def streamed(header: list[str], pieces) -> bytes:
    """An .xlsx whose sheet is the header row then the byte strings of ``pieces``."""
    head = f"{_SHEET_HEAD}<sheetData>{_row(1, header)}".encode()
    return _archive(itertools.chain([head], pieces, [b"</sheetData></worksheet>"]))


def zip_bomb(header: list[str], *, inflated_mb: int = 1024) -> bytes:
    """A sheet whose one part inflates to ``inflated_mb`` MB of blank space (a few MB on
    disk): XML allows any amount of whitespace between elements."""
    chunk = b" " * (1024 * 1024)
    return streamed(header, (chunk for _ in range(inflated_mb)))


def million_rows(header: list[str], *, rows: int = 1_000_000) -> bytes:
    """A header and ``rows`` one-cell rows (a couple of MB on disk)."""

    def batches():
        for start in range(2, rows + 2, 10_000):
            stop = min(start + 10_000, rows + 2)
            yield "".join(
                f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(start, stop)
            ).encode()

    return streamed(header, batches())


def billion_laughs(header: list[str]) -> bytes:
    """A sheet whose DTD defines an entity that expands to 10^9 "lol"s (3 GB of text)."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    )
    body = _row(1, header) + '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<!DOCTYPE worksheet [{entities}]>"
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{body}</sheetData></worksheet>"
    )
    return package(sheet)


def external_entity(header: list[str], *, target: str = "file:///etc/passwd") -> bytes:
    """A sheet with an external entity (XXE): a reader that resolves it copies a file of
    the server (or fetches a URL) into the cell."""
    body = _row(1, header) + '<row r="2"><c r="A2" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "{target}">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{body}</sheetData></worksheet>"
    )
    return package(sheet)


def many_parts(header: list[str], *, parts: int = 20_000) -> bytes:
    """A sound sheet in an archive of ``parts`` tiny extra members."""
    body = _row(1, header) + _row(2, ["x"] * len(header))
    extra = [(f"xl/media/p{i}.xml", "<a/>") for i in range(parts)]
    return package(f"{_SHEET_HEAD}<sheetData>{body}</sheetData></worksheet>", extra=extra)


def wide(header: list[str], *, columns: int = 16_384, rows: int = 3) -> bytes:
    """Rows filled out to ``columns`` cells without any cell reference (the cells of a
    row are then placed one after another)."""
    row = "<row>" + "<c><v>1</v></c>" * columns + "</row>"
    body = _row(1, header) + row * rows
    return package(f"{_SHEET_HEAD}<sheetData>{body}</sheetData></worksheet>")


HOSTILE = {
    "far_corner": far_corner,
    "zip_bomb": zip_bomb,
    "million_rows": million_rows,
    "billion_laughs": billion_laughs,
    "external_entity": external_entity,
}
