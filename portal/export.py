"""Exports of tables to CSV and Excel that a spreadsheet cannot turn into formulas."""

from __future__ import annotations

import io
import re

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Spreadsheets skip these before deciding whether a cell is a formula.
_LEADING = " \t\r\n\ufeff\u00a0\u3000"
# A line break inside a value can end the row in a spreadsheet and start a new one.
_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")


def defuse(value: object) -> object:
    """Text made safe for a cell: line breaks become spaces, and a value a spreadsheet would
    read as a formula (even after spaces or a byte-order mark) gets a leading apostrophe."""
    if not isinstance(value, str):
        return value
    value = _BREAKS.sub(" ", value)
    if value.lstrip(_LEADING).startswith(FORMULA_STARTS) or value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    safe = frame.apply(lambda column: column.map(defuse) if column.dtype == object
                       or pd.api.types.is_string_dtype(column) else column)
    safe.columns = [defuse(str(c)) for c in frame.columns]
    return safe


def to_csv(frame: pd.DataFrame) -> bytes:
    # UTF-8 with a byte-order mark: Excel on Chinese Windows then reads the names right.
    return _safe(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, sheet: str = "queue") -> bytes:
    buffer = io.BytesIO()
    _safe(frame).to_excel(buffer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()
