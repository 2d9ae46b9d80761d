"""Spreadsheet cells written the same way by every export: people's text stays text, money is a number.

A spreadsheet runs text that starts with ``=`` as a formula (and ``+ - @`` become one when the cell is
edited), so an asset named ``=HYPERLINK(…)`` would be a live link in the bureau's copy of the register.
Every export writes its rows with ``append_row`` (or its cells with ``cell``) instead of raw values.

An uploaded workbook (.xlsx, .docx: a zip of XML parts) is checked with ``zip_parts_problem`` before any parser
opens it: a 1 MB file can hold a part that expands to hundreds of MB (a "zip bomb").
"""
import zipfile
from decimal import Decimal

from django.utils.translation import gettext as _
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


# What an uploaded workbook may expand to. A register of 20,000 rows (the import's most) × 20 columns is about
# 24 MB of sheet XML as openpyxl writes it (inline strings; Excel's shared strings make less); parts compress
# 5–30 times. Python's zipfile never inflates a part past the size its
# header declares (it stops there and fails the checksum), so the declared sizes bound what a parser reads.
ZIP_MAX_TOTAL_BYTES = 64 * 1024 * 1024  # all parts together, uncompressed
ZIP_MAX_ENTRIES = 1000
ZIP_MAX_RATIO = 100  # uncompressed / compressed, for a part over ZIP_RATIO_FROM bytes
ZIP_RATIO_FROM = 4 * 1024 * 1024


def zip_parts_problem(file, *, max_total=ZIP_MAX_TOTAL_BYTES, max_entries=ZIP_MAX_ENTRIES, max_ratio=ZIP_MAX_RATIO):
    """None when the zip file (a path or a seekable binary file, left at its start) is within bounds; else a
    message for the user saying it cannot be read. Reads only the zip's directory, never a part."""
    try:
        with zipfile.ZipFile(file) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return _("This file could not be read as an Excel workbook. Save it again as .xlsx.")
    finally:
        if hasattr(file, "seek"):
            file.seek(0)
    too_large = _("This file expands to more than %(size)s MB when opened, more than a register can hold: "
                  "it cannot be read. Save it again as .xlsx, or split it into smaller files.") % {
        "size": max_total // (1024 * 1024)}
    if len(parts) > max_entries:
        return too_large
    total = 0
    for part in parts:
        total += part.file_size
        if total > max_total:
            return too_large
        if part.file_size > ZIP_RATIO_FROM and part.file_size > max_ratio * max(part.compress_size, 1):
            return too_large
    return None
