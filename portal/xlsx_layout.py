"""What calamine does not give of an .xlsx sheet: its column widths.

The error report (portal/spreadsheets.py) streams the rows with calamine, which gives
values and merged ranges but not the widths; they sit in the sheet's ``<cols>`` element,
before its rows, so the sheet's XML is parsed only up to ``<sheetData>``. Call this only
on a file that passed ``portal.workbook_guard.check_workbook`` (no DOCTYPE, no entity,
bounded sizes).
"""

from __future__ import annotations

import io
import zipfile
from xml.etree.ElementTree import fromstring, iterparse

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def column_widths(data: bytes, sheet_name: str, *, columns: int) -> dict[int, float]:
    """{1-based column: width} of the custom widths of the sheet ``sheet_name`` in its
    first ``columns`` columns. Nothing when anything is amiss (widths are a nicety)."""
    widths: dict[int, float] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # The parts passed check_workbook: no document type, so no entity.
            book = fromstring(archive.read("xl/workbook.xml"))  # noqa: S314
            ids = {s.get("name"): s.get(_REL_ID) for s in book.iter(f"{_MAIN}sheet")}
            links = fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
            target = next(r.get("Target") for r in links if r.get("Id") == ids[sheet_name])
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            with archive.open(path) as stream:
                for _event, element in iterparse(stream, events=("start",)):  # noqa: S314
                    if element.tag == f"{_MAIN}sheetData":
                        break
                    if element.tag == f"{_MAIN}col" and element.get("width"):
                        low, high = int(element.get("min")), int(element.get("max"))
                        for index in range(low, min(high, columns) + 1):
                            widths[index] = float(element.get("width"))
    except Exception:  # a sheet without its widths is still the report
        return {}
    return widths
