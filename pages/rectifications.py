"""Rectifications: bad reviews in the units I oversee, to fix and to call the citizen back."""

import streamlit as st

from components import tables
from components.dynamic_form import field_error
from components.feedback import acted, reported, show_confirmation
from components.guard import page_title, require_page
from components.i18n import lang, tr
from components.rating import call_back_fields
from portal.casework import rectification
from portal.uow import UnitOfWork

actor = require_page("rectifications")
page_title("rectifications")
st.caption(tr("rectification.caption"))
show_confirmation()

with reported(stop=True):
    items = rectification.open_items(UnitOfWork(), actor, lang())
    items["rating"] = items["rating"].map(lambda r: tr(f"rating.{r}"))
tables.show(items, ["receipt_no", "service", "unit", "rating", "comment", "opened_at",
                    "due_date"], "rectification.none")
if not items.empty:
    errors = st.session_state.get("rectification_errors", {})
    with st.form("close_rectification"):
        labels = {i: f"{items.at[i, 'receipt_no']} · {items.at[i, 'unit']}" for i in items.index}
        pick = st.selectbox(tr("rectification.pick"), list(labels), format_func=labels.__getitem__)
        action_taken = st.text_area(tr("rectification.action_taken"), max_chars=2000)
        field_error(errors, "action_taken")
        call = call_back_fields(actor, errors)
        if st.form_submit_button(tr("rectification.close"), type="primary"):
            acted(lambda: rectification.close(UnitOfWork(), actor, int(items.at[pick, "id"]),
                                              action_taken, call),
                  tr("rectification.closed", receipt_no=items.at[pick, "receipt_no"]),
                  errors_key="rectification_errors")
