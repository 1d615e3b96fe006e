"""Holiday calendar: public holidays and make-up working days, which due dates count with."""

import pandas as pd
import streamlit as st

from components.calendar_notice import calendar_notice
from components.feedback import acted, reported, show_confirmation
from components.guard import page_title, require_page
from components.i18n import tr
from portal.admin import holidays
from portal.uow import UnitOfWork

actor = require_page("holidays")
page_title("holidays")
st.caption(tr("holidays.caption"))
show_confirmation()

with reported(stop=True):
    calendar_notice(actor)
    days = holidays.listing(UnitOfWork(), actor)
kinds = {k: tr(f"holidays.kind.{k}") for k in holidays.KINDS}
table = st.data_editor(
    pd.DataFrame([d.__dict__ for d in days], columns=["day", "kind", "name_zh", "name_en"]),
    num_rows="dynamic", width="stretch", hide_index=True, key="holidays_table",
    column_config={
        "day": st.column_config.DateColumn(tr("holidays.day"), format="YYYY-MM-DD", required=True),
        "kind": st.column_config.SelectboxColumn(tr("holidays.kind"), options=list(kinds),
                                                 required=True, format_func=kinds.__getitem__),
        "name_zh": st.column_config.TextColumn(tr("holidays.name_zh"), max_chars=40),
        "name_en": st.column_config.TextColumn(tr("holidays.name_en"), max_chars=40),
    })
if st.button(tr("holidays.save"), type="primary"):
    rows = table.dropna(how="all").fillna("")
    edited = [holidays.Day(pd.Timestamp(r["day"]).date() if r["day"] != "" else None,
                           r["kind"], str(r["name_zh"]), str(r["name_en"]))
              for _, r in rows.iterrows()]
    acted(lambda: holidays.save(UnitOfWork(), actor, edited),
          lambda changed: tr("holidays.saved", n=changed), "holidays.")
