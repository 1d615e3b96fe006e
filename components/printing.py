"""Printing a page from the browser: only its content goes on paper."""

from __future__ import annotations

import streamlit as st

from components.i18n import tr

# While printing: no menu, header, toolbar or buttons.
PRINT_CSS = """<style>@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  .stButton, [data-testid="stDownloadButton"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stExpander"] { display: none !important; }
  [data-testid="stMain"] { margin: 0 !important; }
}</style>"""


def print_button(where=st, label_key: str = "app.print", css: str = PRINT_CSS) -> None:
    """Hide from print what `css` hides (the page's chrome by default), and a button that
    opens the browser's print dialog."""
    st.html(css)
    if where.button(tr(label_key), icon=":material/print:"):
        st.html("<script>window.print()</script>", unsafe_allow_javascript=True)
