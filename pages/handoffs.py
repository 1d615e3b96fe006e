"""Hand-offs: what other units sent mine, parts we are doing, what we sent, what came back,
and, for managers, disputes to decide."""

import streamlit as st

from components import handoff_inbox
from components.feedback import reported, show_confirmation
from components.guard import page_title, require_page
from components.i18n import lang, tr
from portal import access, settings
from portal.handoffs import inbox
from portal.uow import UnitOfWork

actor = require_page("handoffs")
# Each tab: its list, and what it offers on it.
TABS = {"incoming": (inbox.incoming, handoff_inbox.incoming),
        "in_hand": (inbox.parts_in_hand, handoff_inbox.in_hand),
        "sent": (inbox.sent, handoff_inbox.sent),
        "returned": (inbox.returned, handoff_inbox.returned),
        "to_decide": (inbox.disputes, handoff_inbox.to_decide)}
page_title("handoffs")
st.caption(tr("handoff.caption", hours=settings.current().accept_within_working_hours))
show_confirmation()

with reported(stop=True):
    frames = {key: listed(UnitOfWork(), actor, lang()) for key, (listed, _) in TABS.items()
              if key != "to_decide" or access.may(actor.role, "handoff.decide")}

late = int(frames["incoming"]["late"].sum() + frames["sent"]["late"].sum())
if late:
    st.warning(tr("handoff.late_warning", count=late))
labels = [tr(f"handoff.tab.{key}", count=len(frame)) for key, frame in frames.items()]
for tab, (key, frame) in zip(st.tabs(labels), frames.items(), strict=True):
    with tab:
        TABS[key][1](actor, frame)
