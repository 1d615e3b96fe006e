"""KPI tiles."""

from __future__ import annotations

import streamlit as st

from components.i18n import tr


def kpi_row(values: dict[str, int]) -> None:
    """One tile per figure; keys are message keys of the labels."""
    for column, (key, value) in zip(st.columns(len(values)), values.items(), strict=True):
        column.metric(tr(key), f"{value:,}", border=True)
