"""Tables of cases and hand-offs with translated headers and statuses."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.i18n import tr

BADGE_COLOURS = {"red": "#f8d0cc", "yellow": "#fdebb3", "green": "#d5eedc", "paused": "#e2e5ec"}
NOTHING = "—"  # drawn where a text is missing: Streamlit would draw "None"
# Widths (px) of the long text columns, so that a table fits beside the menu on a 1366 px
# screen (about 1,000 px) instead of scrolling sideways; a longer text ends in "…".
WIDTHS = {"service": 150, "unit": 150, "from_unit": 150, "to_unit": 150, "reason": 160,
          "return_reason": 160, "comment": 160, "dispute_reason": 160, "waiting_hours": 110}


def dashed(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """The text columns of `frame` with a dash for each missing value (no handler yet, no
    answer yet)."""
    return {c: frame[c].fillna(NOTHING) for c in frame.columns
            if (frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c]))
            and frame[c].hasnans}


def show(frame: pd.DataFrame, columns: list[str], empty_key: str) -> None:
    """Render `columns` of `frame` with headers from the catalogue, or the empty message."""
    if frame.empty:
        st.info(tr(empty_key))
        return
    changed = dashed(frame[columns])
    if "status" in columns:
        changed["status"] = frame["status"].map({s: tr(f"status.{s}")
                                                 for s in frame["status"].unique()})
    badges = {b: tr(f"queue.badge.{b}") for b in BADGE_COLOURS}
    if "badge" in columns:  # the label itself, which screen readers read out too
        changed["badge"] = frame["badge"].map(lambda b: [badges[b]])
    if "receipt_no" in columns:
        changed["receipt_no"] = "case?receipt=" + frame["receipt_no"]
    headers = {c: tr(f"col.{c}") for c in columns}
    config = {headers[c]: st.column_config.Column(width=WIDTHS[c]) for c in columns
              if c in WIDTHS}
    config |= {headers[c]: st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")
               for c in columns if pd.api.types.is_datetime64_any_dtype(frame[c])}
    if "badge" in columns:
        # The time-limit badge is a coloured label: red overdue, yellow due soon, grey paused.
        config[headers["badge"]] = st.column_config.MultiselectColumn(
            options=list(badges.values()), color=list(BADGE_COLOURS.values()))
    if "receipt_no" in columns:
        # Each receipt number opens its case file.
        config[headers["receipt_no"]] = st.column_config.LinkColumn(display_text=r"receipt=(.*)")
    st.dataframe(frame[columns].assign(**changed).rename(columns=headers), hide_index=True,
                 width="stretch", column_config=config)


def pick_row(frame: pd.DataFrame, form_key: str, label: str, button: str,
             describe: tuple[str, ...] = ("receipt_no", "service")) -> pd.Series | None:
    """A form to choose one row of `frame`; returns that row when the button is pressed."""
    with st.form(form_key):
        choice = st.selectbox(label, frame.index, format_func=lambda i: " · ".join(
            str(frame.at[i, column]) for column in describe))
        if st.form_submit_button(button, type="primary"):
            return frame.loc[choice]
    return None


def plain(frame: pd.DataFrame, empty_key: str = "admin.empty") -> None:
    """A table whose headers are already in the user's language, or the empty message."""
    if frame.empty:
        st.info(tr(empty_key))
        return
    st.dataframe(frame.assign(**dashed(frame)), hide_index=True, width="stretch")
