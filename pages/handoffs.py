"""Hand-offs: send a case of my unit to another unit; accept what other units send to mine."""

import streamlit as st

from components import tables
from components.feedback import reported
from components.guard import require_page
from components.i18n import lang, tr
from portal import handoff, units
from portal.errors import InvalidInput
from portal.uow import UnitOfWork

actor = require_page("handoffs")
st.title(tr("page.handoffs"))
if flash := st.session_state.pop("flash", None):
    st.success(flash)


@st.cache_data(ttl=300, show_spinner=False)
def targets(unit_id: int, language: str) -> dict[int, str]:
    return dict(units.handoff_targets(UnitOfWork(), unit_id, language))


inbox_tab, send_tab, sent_tab = st.tabs(
    [tr("handoff.inbox_title"), tr("handoff.send_title"), tr("handoff.sent_title")])

with inbox_tab, reported():
    incoming = handoff.inbox(UnitOfWork(), actor, lang())
    tables.show(incoming, ["receipt_no", "service", "from_unit", "reason", "requested_at"],
                "handoff.inbox_empty")
    if not incoming.empty:
        row = tables.pick_row(incoming, "accept", tr("handoff.pick"), tr("handoff.accept"),
                              describe=("receipt_no", "from_unit"))
        if row is not None:
            handoff.accept(UnitOfWork(), actor, int(row["id"]))
            st.session_state["flash"] = tr("handoff.accepted", receipt_no=row["receipt_no"])
            st.rerun()

with send_tab, reported():
    own = handoff.sendable(UnitOfWork(), actor, lang())
    if own.empty:
        st.info(tr("handoff.none_to_send"))
    else:
        choices = targets(actor.unit_id, lang())
        with st.form("send"):
            case = st.selectbox(tr("handoff.case"), own.index,
                                format_func=lambda i: f"{own.at[i, 'receipt_no']} · "
                                                      f"{own.at[i, 'service']}")
            to_unit = st.selectbox(tr("handoff.to_unit"), list(choices), index=None,
                                   format_func=choices.__getitem__,
                                   placeholder=tr("handoff.to_unit_help"))
            reason = st.text_input(tr("handoff.reason"), max_chars=handoff.REASON_MAX)
            if st.form_submit_button(tr("handoff.send"), type="primary"):
                try:
                    handoff.send(UnitOfWork(), actor, int(own.at[case, "id"]), to_unit or 0,
                                 reason, int(own.at[case, "version"]))
                except InvalidInput as invalid:
                    for key in invalid.errors.values():
                        st.error(tr(key))
                else:
                    st.session_state["flash"] = tr("handoff.sent",
                                                   receipt_no=own.at[case, "receipt_no"])
                    st.rerun()

with sent_tab, reported():
    tables.show(handoff.sent(UnitOfWork(), actor, lang()),
                ["receipt_no", "service", "to_unit", "reason", "requested_at"],
                "handoff.sent_empty")
