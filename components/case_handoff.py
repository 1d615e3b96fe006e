"""Hand-offs on the case file: why it came back, what is pending, its parts, and sending it on."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from components import tables
from components.feedback import acted
from components.i18n import lang, tr
from components.shared_reads import handoff_targets
from portal import access, lifecycle
from portal.access import Actor
from portal.casework.casefile import CaseFile
from portal.handoffs import disputes, handoff, joint
from portal.handoffs.inbox import CaseHandoffs
from portal.uow import UnitOfWork


def banner(info: CaseHandoffs) -> None:
    """On top of the case: the reason it was returned, and whether it has bounced."""
    if info.last_return is not None:
        back = info.last_return
        st.warning(tr("handoff.returned_banner", unit=back["to_unit"],
                      category=tr(f"return.{back['return_category']}"),
                      reason=back["return_reason"]))
    if info.bounced:
        st.error(tr("handoff.bounced_banner"))
    if info.first_responsible:
        st.info(tr("handoff.responsible_banner", unit=info.first_responsible))


def parts(case_id: int) -> None:
    frame = joint.parts(UnitOfWork(), case_id, lang())
    if frame.empty:
        return
    st.markdown(f"**{tr('joint.parts')}**")
    frame["progress"] = frame["progress"].map(lambda p: tr(f"joint.progress.{p}"))
    tables.show(frame, ["part", "to_unit", "progress", "result", "return_reason"], "joint.none")


def panel(actor: Actor, case: CaseFile, info: CaseHandoffs) -> None:
    """The hand-off actions this person may take on this case now."""
    state = replace(case.state, bounced=info.bounced)
    if lifecycle.allows(actor, "hand_off", state):
        if not info.only_upwards:
            _send(actor, case, info)
        if info.parent:
            _escalate(actor, case, info)
    if lifecycle.allows(actor, "send_part", state):
        _send_part(actor, case)
    own = case.unit_id == actor.unit_id and access.may(actor.role, "handoff.send")
    for row in info.pending.itertuples():
        if own and row.from_unit_id == actor.unit_id:
            _withdraw(actor, row)
    if lifecycle.allows(actor, "name_responsible", state):
        _name_responsible(actor, case)


def _send(actor: Actor, case: CaseFile, info: CaseHandoffs) -> None:
    choices = handoff_targets(actor.unit_id, lang())
    with st.expander(tr("handoff.send_title")), st.form("case_handoff_send"):
        ids = list(choices)
        suggested = ids.index(info.suggestion) if info.suggestion in choices else None
        if suggested is not None:
            st.caption(tr("handoff.suggested", unit=choices[info.suggestion]))
        to_unit = st.selectbox(tr("handoff.to_unit"), ids, index=suggested,
                               format_func=choices.__getitem__,
                               placeholder=tr("handoff.to_unit_help"))
        reason = st.text_input(tr("handoff.reason"), max_chars=handoff.REASON_MAX)
        note = st.text_area(tr("handoff.note"), max_chars=handoff.REASON_MAX)
        if st.form_submit_button(tr("handoff.send"), type="primary"):
            acted(lambda: handoff.send(UnitOfWork(), actor, case.id, to_unit or 0, reason,
                                       case.version, note), tr("handoff.sent",
                                                               receipt_no=case.receipt_no))


def _escalate(actor: Actor, case: CaseFile, info: CaseHandoffs) -> None:
    parent_id, parent_name = info.parent
    with st.expander(tr("handoff.escalate_title")), st.form("case_handoff_escalate"):
        st.caption(tr("handoff.escalate_to", unit=parent_name))
        reason = st.text_input(tr("handoff.reason"), max_chars=handoff.REASON_MAX)
        if st.form_submit_button(tr("handoff.escalate"), type="primary"):
            acted(lambda: handoff.escalate(UnitOfWork(), actor, case.id, reason, case.version),
                  tr("handoff.sent", receipt_no=case.receipt_no))


def _send_part(actor: Actor, case: CaseFile) -> None:
    choices = handoff_targets(actor.unit_id, lang())
    with st.expander(tr("joint.send_title")), st.form("case_joint_send"):
        to_unit = st.selectbox(tr("handoff.to_unit"), list(choices), index=None,
                               format_func=choices.__getitem__,
                               placeholder=tr("handoff.to_unit_help"))
        part = st.text_input(tr("joint.part"), max_chars=handoff.REASON_MAX)
        if st.form_submit_button(tr("joint.send"), type="primary"):
            acted(lambda: joint.send_part(UnitOfWork(), actor, case.id, to_unit or 0, part),
                  tr("joint.sent", receipt_no=case.receipt_no))


def _withdraw(actor: Actor, row) -> None:
    label = tr("handoff.withdraw_one", unit=row.to_unit)
    if st.button(label, key=f"withdraw_{row.id}"):
        acted(lambda: handoff.withdraw(UnitOfWork(), actor, row.id),
              tr("handoff.withdrawn", receipt_no=row.receipt_no))


def _name_responsible(actor: Actor, case: CaseFile) -> None:
    choices = handoff_targets(0, lang())
    with st.expander(tr("handoff.name_responsible")), st.form("case_name_responsible"):
        unit = st.selectbox(tr("handoff.responsible_unit"), list(choices), index=None,
                            format_func=choices.__getitem__,
                            placeholder=tr("handoff.to_unit_help"))
        if st.form_submit_button(tr("handoff.name_responsible"), type="primary"):
            acted(lambda: disputes.name_responsible(UnitOfWork(), actor, case.id, unit or 0),
                  tr("handoff.responsible_named", receipt_no=case.receipt_no))
