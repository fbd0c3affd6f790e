"""Spreadsheet exports that a spreadsheet program cannot run as formulas.

Every CSV or XLSX the project writes goes through Wagtail's
SpreadsheetExportMixin (reports, the ledger's list); mixing
SafeSpreadsheetExportMixin in before it makes every text cell that starts
like a formula (=, +, -, @, or a tab, carriage return or line feed before
one) start with an apostrophe instead, which spreadsheets show as text.
Numbers and dates are left as they are. CSV downloads start with a UTF-8 byte
order mark: Excel in Japan reads BOM-less UTF-8 as Shift_JIS.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
UTF8_BOM = "\ufeff"


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

    def stream_csv(self, queryset):
        yield UTF8_BOM
        yield from super().stream_csv(queryset)

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response
