"""CSV exports that are safe to open in a spreadsheet."""

from collections.abc import Iterable

# A cell starting with one of these is run as a formula by spreadsheet programs (OWASP: CSV
# injection); text written by members (names, reasons, titles) must never be.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Text that a spreadsheet would run is prefixed with an apostrophe; numbers, dates and
    other values are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def spreadsheet_row(values: Iterable[object]) -> list[object]:
    return [spreadsheet_safe(value) for value in values]
