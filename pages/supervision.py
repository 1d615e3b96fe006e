"""Supervision: overdue cases escalated to me, reports from below, late hand-offs, bounced cases
and extensions to decide."""

import streamlit as st

from components import tables
from components.feedback import acted, reported, show_confirmation
from components.guard import page_title, require_page
from components.i18n import lang, tr
from portal.casework import extensions, supervision
from portal.handoffs import inbox
from portal.uow import UnitOfWork

actor = require_page("supervision")
page_title("supervision")
st.caption(tr("supervision.caption"))
show_confirmation()

COLUMNS = ["at", "receipt_no", "service", "unit", "assignee", "due_date", "status"]
with reported(stop=True):
    notices = {level: supervision.notices(UnitOfWork(), actor, lang(), (level,))
               for level in ("supervision", "report")}
    pending = extensions.pending_in_scope(UnitOfWork(), actor, lang())
    late = inbox.late(UnitOfWork(), actor, lang())
    bounced = inbox.bounced_cases(UnitOfWork(), actor, lang())

tabs = st.tabs([tr(f"supervision.tab.{level}", count=len(frame))
                for level, frame in notices.items()]
               + [tr("supervision.tab.late_handoffs", count=len(late)),
                  tr("supervision.tab.bounced", count=len(bounced)),
                  tr("supervision.tab.extensions", count=len(pending))])
for tab, frame in zip(tabs, notices.values(), strict=False):
    with tab:
        tables.show(frame, COLUMNS, "supervision.none")
with tabs[2]:
    tables.show(late, ["receipt_no", "service", "from_unit", "to_unit", "requested_at",
                       "waiting_hours"], "supervision.no_late")
with tabs[3]:
    tables.show(bounced, ["receipt_no", "service", "unit", "status", "due_date"],
                "supervision.no_bounced")

with tabs[-1]:
    tables.show(pending, ["receipt_no", "service", "unit", "requested_by", "requested_at",
                          "due_date", "new_due", "reason"], "supervision.no_extensions")
    if not pending.empty:
        with st.form("decide_extension"):
            labels = {i: f"{pending.at[i, 'receipt_no']} · {pending.at[i, 'new_due']}"
                      for i in pending.index}
            pick = st.selectbox(tr("extension.pick"), list(labels), format_func=labels.__getitem__)
            decisions = {True: tr("extension.approve"), False: tr("extension.refuse")}
            approve = st.radio(tr("extension.decision"), list(decisions), horizontal=True,
                               format_func=decisions.__getitem__)
            note = st.text_area(tr("extension.note"), max_chars=2000)
            if st.form_submit_button(tr("extension.decide"), type="primary"):
                acted(lambda: extensions.decide(UnitOfWork(), actor, int(pending.at[pick, "id"]),
                                                approve, note),
                      tr("extension.decided", receipt_no=pending.at[pick, "receipt_no"]))
