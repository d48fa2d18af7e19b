"""Safe cells: text that a spreadsheet will show, never run.

Every workbook and CSV the project writes (roster exports and template, import error
reports, score sheets, reports) puts its text through here, so the guard is written once.

The rule (docs/ROSTER_IMPORT.md, "Export and template"): a text starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return would run as a formula when the file is
opened or a cell is edited. Such a text is written as text with a leading quote prefix:

- in .xlsx a string cell (``data_type = "s"``, which stops openpyxl from storing ``=…``
  as a formula) with Excel's quote-prefix flag, what Excel itself stores when a user
  types a leading apostrophe: the value stays the text, to the letter;
- in .csv the text behind an apostrophe (``'=…``), which ``csv_unquote`` removes again on
  import, so an exported file imports back unchanged.

django-import-export's own option strips only a leading ``=`` (its issue #1543), which is
why the project does not rely on it.
"""

#: First characters that make a spreadsheet run a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The quote prefix of a guarded CSV cell.
QUOTE = "'"


def runs_as_formula(text) -> bool:
    """Whether a spreadsheet would run ``text`` as a formula."""
    return isinstance(text, str) and text.startswith(FORMULA_STARTS)


def csv_text(value) -> str:
    """``value`` as a CSV cell: "" for None, formula-like text behind the quote prefix."""
    text = "" if value is None else str(value)
    return QUOTE + text if runs_as_formula(text) else text


def csv_unquote(cell: str) -> str:
    """Undo ``csv_text``'s guard on a CSV cell read back: "'=x" -> "=x". Only before a
    formula start, so "'Tổ 1" (a name typed with an apostrophe) stays as it is."""
    if len(cell) > 1 and cell[0] == QUOTE and runs_as_formula(cell[1:]):
        return cell[1:]
    return cell


def text_cell(cell, value: str | None, *, text_format: bool = False):
    """Set an openpyxl cell (a worksheet cell or a ``WriteOnlyCell``) to ``value`` as
    text: a string cell, with the quote-prefix flag when the text looks like a formula,
    and the text number format "@" when ``text_format`` (so Excel keeps the leading
    zeros of a code or a phone when the cell is edited). Returns the cell."""
    cell.value = value
    if not isinstance(value, str):
        return cell
    cell.data_type = "s"
    if text_format:
        cell.number_format = "@"
    if runs_as_formula(value):
        cell.quotePrefix = True
    return cell
