"""Hand-offs: what other units sent mine, parts we are doing, what we sent, what came back,
and, for managers, disputes to decide."""

import streamlit as st

from components import handoff_inbox as tabs_of
from components.feedback import reported, show_confirmation
from components.guard import require_page
from components.i18n import lang, tr
from portal import access, inbox, settings
from portal.uow import UnitOfWork

actor = require_page("handoffs")
st.title(tr("page.handoffs"))
st.caption(tr("handoff.caption", hours=settings.current().accept_within_working_hours))
show_confirmation()

with reported(stop=True):
    frames = {
        "incoming": inbox.incoming(UnitOfWork(), actor, lang()),
        "in_hand": inbox.parts_in_hand(UnitOfWork(), actor, lang()),
        "sent": inbox.sent(UnitOfWork(), actor, lang()),
        "returned": inbox.returned(UnitOfWork(), actor, lang()),
    }
    if access.may(actor.role, "handoff.decide"):
        frames["to_decide"] = inbox.disputes(UnitOfWork(), actor, lang())

late = int(frames["incoming"]["late"].sum() + frames["sent"]["late"].sum())
if late:
    st.warning(tr("handoff.late_warning", count=late))
labels = [tr(f"handoff.tab.{key}", count=len(frame)) for key, frame in frames.items()]
for tab, (key, frame) in zip(st.tabs(labels), frames.items(), strict=True):
    with tab:
        getattr(tabs_of, key)(actor, frame)
