"""The unit queue: open cases of my unit, soonest due first; claim one."""

import streamlit as st

from components import tables
from components.feedback import reported
from components.guard import require_page
from components.i18n import lang, tr
from portal import queue
from portal.uow import UnitOfWork

actor = require_page("queue")
st.title(tr("page.queue"))
st.caption(tr("queue.caption"))

with reported():
    total = queue.open_count(UnitOfWork(), actor)
    pages = max(1, -(-total // queue.PAGE_SIZE))
    st.metric(tr("queue.open_count"), f"{total:,}")
    page = st.number_input(tr("queue.page"), 1, pages, 1) - 1 if pages > 1 else 0
    frame = queue.unit_queue(UnitOfWork(), actor, lang(), page)
    tables.show(frame, ["receipt_no", "service", "citizen", "status", "assignee", "received_at",
                        "due_date"], "queue.empty")

    claimable = frame[(frame["unit_id"] == actor.unit_id) & frame["assignee"].isna()
                      & frame["status"].isin(["received", "reopened"])]
    if not claimable.empty:
        row = tables.pick_row(claimable, "claim", tr("queue.select"), tr("queue.claim"))
        if row is not None:
            queue.claim(UnitOfWork(), actor, int(row["id"]), int(row["version"]))
            st.session_state["flash"] = tr("queue.claimed", receipt_no=row["receipt_no"])
            st.rerun()

if flash := st.session_state.pop("flash", None):
    st.success(flash)
