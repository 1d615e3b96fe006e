"""Tables of cases and hand-offs with translated headers and statuses."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.i18n import tr


def show(frame: pd.DataFrame, columns: list[str], empty_key: str) -> None:
    """Render `columns` of `frame` with headers from the catalogue, or the empty message."""
    if frame.empty:
        st.info(tr(empty_key))
        return
    view = frame[columns].copy()
    if "status" in view:
        view["status"] = view["status"].map(lambda s: tr(f"status.{s}"))
    st.dataframe(
        view.rename(columns={c: tr(f"col.{c}") for c in columns}),
        hide_index=True,
        width="stretch",
    )
