"""The citizen's receipt: shown after intake, printable from the browser, and downloadable."""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from components.i18n import lang, tr
from components.printing import print_button
from components.text import labelled
from portal import receipts
from portal.intake import Receipt


def lookup_url() -> str:
    """The public status page's address, as seen from this browser."""
    parts = urlsplit(st.context.url or "")
    return f"{parts.scheme}://{parts.netloc}/status" if parts.netloc else "/status"


def receipt_card(receipt: Receipt) -> None:
    with st.container(border=True):
        st.subheader(tr("receipt.title"))
        st.markdown(f"**{tr('receipt.number')}**")
        st.code(receipt.receipt_no, language=None)
        for label, value in receipts.rows(receipt, lang(), lookup_url()):
            labelled(label, value)
    print_column, download_column, _ = st.columns([1, 1, 3])
    print_button(print_column, "receipt.print")
    download_column.download_button(
        tr("receipt.download"), receipts.to_html(receipt, lang(), lookup_url()),
        file_name=f"{receipt.receipt_no}.html", mime="text/html", icon=":material/download:")
