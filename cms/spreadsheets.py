"""Spreadsheet exports that a spreadsheet program cannot run as formulas.

Every CSV or XLSX the project writes goes through Wagtail's
SpreadsheetExportMixin (reports, the ledger's list); mixing
SafeSpreadsheetExportMixin in before it makes every text cell that starts
like a formula (=, +, -, @, or a tab, carriage return or line feed before
one) start with an apostrophe instead, which spreadsheets show as text.
Numbers and dates are left as they are.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_safe(value):
    """The value, with a text that a spreadsheet would run made inert."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeSpreadsheetExportMixin:
    """Put before Wagtail's SpreadsheetExportMixin (or a view built on it)."""

    def preprocess_field_value(self, field, value, export_format):
        return spreadsheet_safe(
            super().preprocess_field_value(field, value, export_format)
        )
