from datetime import date
from decimal import Decimal

from config.csvexport import spreadsheet_row, spreadsheet_safe


def test_text_a_spreadsheet_would_run_is_quoted():
    for text in ("=1+1", "+33 6", "-2", "@A1", "\tx", "\rx"):
        assert spreadsheet_safe(text) == "'" + text


def test_plain_text_and_other_values_are_left_alone():
    row = ["anna", "", -3, 2.5, Decimal("-1.5"), date(2026, 12, 1), None]
    assert spreadsheet_row(row) == row
