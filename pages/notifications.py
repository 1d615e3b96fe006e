"""One's notifications: hand-offs to one's unit, cases assigned to one; read and unread."""

import streamlit as st

from components.feedback import acted, reported, show_confirmation
from components.guard import page_title, require_page
from components.i18n import tr
from components.text import literal, show
from portal.messaging import bell
from portal.uow import UnitOfWork

actor = require_page("notifications")
page_title("notifications")
show_confirmation()

with reported(stop=True):
    notes = bell.listing(UnitOfWork(), actor)
unread = sum(not n.read for n in notes)
if not notes:
    st.info(tr("bell.none"))
    st.stop()
st.caption(tr("bell.unread", n=unread))
if unread and st.button(tr("bell.read_all"), type="primary"):
    acted(lambda: bell.mark_read(UnitOfWork(), actor), tr("bell.marked"))
for note in notes:
    with st.container(border=True):
        badge = "" if note.read else f" :red-badge[{tr('bell.new')}]"
        st.markdown(f"**{literal(note.subject)}**{badge}")
        show(note.body)
        line = f"{note.created_at:%Y-%m-%d %H:%M}"
        if note.receipt_no:
            line += f" · [{tr('bell.open_case')}](case?receipt={note.receipt_no})"
        st.caption(line)
