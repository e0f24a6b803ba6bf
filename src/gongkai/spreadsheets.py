"""Spreadsheet cells that stay data: no formula ever reaches a file gongkai writes.

Text that a spreadsheet program would take for a formula ("=HYPERLINK(…)",
"+1+cmd|…", "-2+3", "@SUM(…)", a leading tab or carriage return) comes from
people outside the body — an applicant's name, a report uploaded by anyone, a
section of prose.  Written as is, openpyxl stores "=…" as a live formula and
Excel or WPS turns the other prefixes into one as soon as the cell is edited or
a CSV file is opened (CSV injection, OWASP).  Every XLSX and CSV writer of the
platform therefore puts its cells through this module:

- XLSX (:func:`xlsx_put`, :func:`xlsx_append`): such text is stored as a string
  cell with the ``quotePrefix`` style — the file keeps the text unchanged and a
  spreadsheet program shows it as text, also after the cell is edited.  Numbers
  (``int``, ``float``, ``Decimal``) stay numbers, a negative number included.
- CSV (:func:`csv_row`): CSV has no types, so such text gets a leading
  apostrophe (the OWASP advice); :func:`csv_text` takes it off again, so the
  escaping is reversible.  Text that is a plain number ("-5", "+3.5") is left
  alone: a spreadsheet reads it as that number, never as a formula.

Pure Python, no Django; openpyxl is only touched through the cells passed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal

# What makes a spreadsheet program start a formula (OWASP "CSV Injection"), and
# the full-width forms an input method produces, which WPS and Excel with a
# Chinese or Japanese IME also accept as the start of a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_PLAIN_NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_ESCAPE = "'"


def is_formula_like(text: str) -> bool:
    """True when ``text`` would be (or would turn into) a formula in a spreadsheet.

    Leading spaces are looked through (LibreOffice and some importers trim
    them); a plain signed number such as "-5" is data, not a formula.
    """
    if not text:
        return False
    if not text.lstrip(" \u3000").startswith(FORMULA_PREFIXES):
        return False
    return _PLAIN_NUMBER_RE.match(text.strip()) is None


_NUMBERS = (int, float, Decimal)
_KEEP = (bool, date, datetime, time)


def xlsx_put(cell, value):
    """Set ``cell.value`` (an openpyxl cell) so that text is always text; returns the cell.

    Numbers, dates and booleans are stored as they are; ``None`` clears the cell.
    """
    if value is None or isinstance(value, _NUMBERS + _KEEP):
        cell.value = value
        return cell
    text = value if isinstance(value, str) else str(value)
    cell.value = text
    # openpyxl makes "=…" a formula ('f') and "#N/A"-like text an error ('e').
    if cell.data_type != "s":
        cell.data_type = "s"
    if is_formula_like(text):
        cell.quotePrefix = True
    return cell


def xlsx_append(ws, values: Iterable) -> None:
    """``ws.append(values)`` with every text cell written through :func:`xlsx_put`."""
    values = list(values)
    ws.append(values)
    if not values:
        return
    row = ws.max_row  # append writes below every existing row
    for column, value in enumerate(values, start=1):
        if value is not None and not isinstance(value, _NUMBERS + _KEEP):
            xlsx_put(ws.cell(row=row, column=column), value)


def csv_cell(value) -> str:
    """The text of one CSV field: formula-like text gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, _NUMBERS):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    text = value if isinstance(value, str) else str(value)
    # Apostrophes already in front of formula-like text get one more, so that
    # csv_text(csv_cell(x)) == x for every x.
    if is_formula_like(text.lstrip(_ESCAPE)):
        return _ESCAPE + text
    return text


def csv_row(values: Iterable) -> list[str]:
    """A row for ``csv.writer.writerow``: every field through :func:`csv_cell`."""
    return [csv_cell(v) for v in values]


def csv_text(field: str) -> str:
    """The original text of a field written by :func:`csv_cell` (the apostrophe taken off)."""
    if field.startswith(_ESCAPE) and is_formula_like(field.lstrip(_ESCAPE)):
        return field[1:]
    return field
