"""The score sheet of an area and year as a workbook: download it, fill it in Excel,
import it back.

One row per unit (bloc or team), one column per criteria item ("1.1 (tối đa 10)") and
per gate ("K1: … (Có/Không)"), and a "Gửi (x)" column that submits the row. The import
follows the roster import's rules (members.imports): the file is read by the same
reader (``read_table`` with a ``SheetLayout``), every row is checked before anything is
written, a file with any error writes nothing, and every error names its sheet row and
column. The writes go through ``evaluation_self_assess`` / ``evaluation_propose``, so the
permissions, the area check and the audit trail are exactly those of the screens.

``reader`` holds what the score sheet shares with the roster workbook (the reader and
its words); ``layout`` the sheet's columns and what a row shows; ``download`` writes the
workbook; ``upload`` reads it back and saves it.
"""
