"""The citizen's receipt, as shown after intake."""

from __future__ import annotations

import streamlit as st

from components.i18n import lang, tr
from portal.intake import Receipt


def receipt_card(receipt: Receipt) -> None:
    en = lang() == "en"
    with st.container(border=True):
        st.subheader(tr("receipt.title"))
        st.markdown(f"**{tr('receipt.number')}**")
        st.code(receipt.receipt_no, language=None)
        rows = {
            tr("receipt.service"): receipt.service_en if en else receipt.service_zh,
            tr("receipt.due"): receipt.due_date.isoformat(),
            tr("receipt.unit"): receipt.unit_en if en else receipt.unit_zh,
            tr("receipt.status"): tr(f"status.{receipt.status}"),
        }
        for label, value in rows.items():
            st.markdown(f"**{label}**：{value}" if not en else f"**{label}**: {value}")
