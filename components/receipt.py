"""The citizen's receipt after intake: on screen, printed from the browser, and as a PDF."""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from components.i18n import lang, tr
from components.printing import print_button
from components.text import labelled
from portal import settings
from portal.intake import receipts
from portal.intake.intake import Receipt

# While printing the receipt: nothing of the page but the receipt itself.
PRINT_CSS = """<style>@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stSidebarCollapsedControl"],
  [data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"]
    > :not(:has(.st-key-receipt)):not(.st-key-receipt) { display: none !important; }
  [data-testid="stMain"] { margin: 0 !important; }
}</style>"""


def base_url() -> tuple[str, bool]:
    """The address the receipt's link is built on, and whether it is the configured public
    one (else this browser's, which a citizen's phone may not reach)."""
    if configured := settings.current().public_base_url:
        return configured, True
    parts = urlsplit(st.context.url or "")
    return (f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""), False


def receipt_card(receipt: Receipt) -> None:
    base, public = base_url()
    if not public:
        st.warning(tr("receipt.no_public_url"), icon=":material/link_off:")
    with st.container(border=True, key="receipt"):
        st.subheader(tr("receipt.title"))
        st.markdown(f"**{tr('receipt.number')}**")
        st.code(receipt.receipt_no, language=None)
        text, code = st.columns([3, 1])
        with text:
            for line in receipts.rows(receipt, lang(), base):
                labelled(line.label, line.value)
        code.image(receipts.qr_png(receipt, base), width=160)
        st.caption(tr("receipt.lookup_how"))
    with st.container(horizontal=True):
        print_button(label_key="receipt.print", css=PRINT_CSS)
        st.download_button(tr("receipt.pdf"), lambda: receipts.to_pdf(receipt, lang(), base),
                           file_name=f"{receipt.receipt_no}.pdf", mime="application/pdf",
                           icon=":material/picture_as_pdf:", on_click="ignore")
        st.page_link("pages/case.py", label=tr("receipt.open_case"),
                     icon=":material/folder_open:", query_params={"receipt": receipt.receipt_no})
