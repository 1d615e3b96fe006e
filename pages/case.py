"""The case file: everything recorded about one case, found by its receipt number."""

import streamlit as st

from components import attachments, case_actions, case_handoff
from components import casefile as view
from components.feedback import reported, show_confirmation
from components.guard import page_title, require_page
from components.i18n import lang, tr
from portal.casework import casefile
from portal.handoffs import inbox
from portal.uow import UnitOfWork

actor = require_page("case")
page_title("case")
show_confirmation()

receipt_no = st.text_input(tr("receipt.number"), value=st.query_params.get("receipt", ""),
                           placeholder="LX-20261126-000123").strip()
if receipt_no:
    st.query_params["receipt"] = receipt_no
    with reported(stop=True):
        case = casefile.open_case(UnitOfWork(), actor, receipt_no)
        handoffs = inbox.for_case(UnitOfWork(), actor, case.id, lang())
    case_handoff.banner(handoffs)
    view.header(case)
    case_actions.panel(actor, case)
    case_handoff.panel(actor, case, handoffs)
    view.details(actor, case)
    attachments.section(actor, case)
    case_handoff.parts(case.id)
    view.timeline(case)
