"""The queue: my cases, my unit's, or a manager's units; filtered, searched, soonest due first."""

import streamlit as st

from components import bulk_actions, tables
from components.catalogue import service_options
from components.feedback import acted, reported, show_confirmation
from components.guard import page_title, require_page
from components.i18n import lang, tr
from components.queue_filters import badge_counts, export_buttons, queue_filter
from components.shared_reads import reminders
from portal.casework import queue
from portal.uow import UnitOfWork

actor = require_page("queue")
page_title("queue")
st.caption(tr("queue.caption"))
show_confirmation()


with reported(stop=True):
    if due_soon := reminders(actor, lang()):
        st.warning(tr("supervision.reminders", receipts="、".join(due_soon)))
    flt = queue_filter(actor, service_options())
    counts = queue.badge_counts(UnitOfWork(), actor, flt)
    badge_counts(counts)
    pages = max(1, -(-counts["total"] // queue.PAGE_SIZE))
    page = st.number_input(tr("queue.page"), 1, pages, 1, key="queue_page") - 1 if pages > 1 else 0
    language = lang()
    frame = queue.unit_queue(UnitOfWork(), actor, language, flt, page)
    tables.show(frame, ["badge", "receipt_no", "service", "citizen", "status", "assignee",
                        "received_at", "due_date"], "queue.empty")
    if not frame.empty:
        export_buttons(lambda: queue.unit_queue(UnitOfWork.reading(), actor, language, flt,
                                                page_size=queue.EXPORT_MAX), "queue_export")
        bulk_actions.panel(actor, frame)

    claimable = frame[(frame["unit_id"] == actor.unit_id) & frame["assignee"].isna()
                      & frame["status"].isin(["received", "reopened"])]
    if not claimable.empty:
        row = tables.pick_row(claimable, "claim", tr("queue.select"), tr("queue.claim"))
        if row is not None:
            acted(lambda: queue.claim(UnitOfWork(), actor, int(row["id"]), int(row["version"])),
                  tr("queue.claimed", receipt_no=row["receipt_no"]))
