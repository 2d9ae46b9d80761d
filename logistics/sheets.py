"""Spreadsheet cells written the same way by every export: people's text stays text, money is a number.

A spreadsheet runs text that starts with ``=`` as a formula (and ``+ - @`` become one when the cell is
edited), so an asset named ``=HYPERLINK(…)`` would be a live link in the bureau's copy of the register.
Every export writes its rows with ``append_row`` (or its cells with ``cell``) instead of raw values.
"""
from decimal import Decimal

from openpyxl.cell import WriteOnlyCell

MONEY_FORMAT = "#,##0.00"
# What a spreadsheet takes for the start of a formula (OWASP "CSV injection"), tab and return included.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(sheet, value, *, number_format=None):
    """A cell for sheet (normal or write-only): text starting like a formula is a literal string cell
    (shown and kept as text, also when edited); a Decimal is money, a number shown as 1,234.50."""
    c = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        c.data_type = "s"
        c.quotePrefix = True
    elif isinstance(value, Decimal) and number_format is None:
        number_format = MONEY_FORMAT
    if number_format:
        c.number_format = number_format
    return c


def append_row(sheet, values):
    """Append one row of values to sheet, each written by ``cell``; returns the sheet's new last row number."""
    sheet.append([cell(sheet, v) for v in values])
    return getattr(sheet, "max_row", None)
