"""Exports of tables to CSV and Excel that a spreadsheet cannot turn into formulas."""

from __future__ import annotations

import io

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: object) -> object:
    """A text cell starting like a formula gets a leading apostrophe, so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.apply(lambda column: column.map(defuse) if column.dtype == object
                       or pd.api.types.is_string_dtype(column) else column)


def to_csv(frame: pd.DataFrame) -> bytes:
    # UTF-8 with a byte-order mark: Excel on Chinese Windows then reads the names right.
    return _safe(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, sheet: str = "queue") -> bytes:
    buffer = io.BytesIO()
    _safe(frame).to_excel(buffer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()
