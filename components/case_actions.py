"""The actions a user may take on the case in front of them, one small form each."""

from __future__ import annotations

import streamlit as st

from components.dynamic_form import field_error
from components.feedback import acted
from components.i18n import tr
from components.shared_reads import colleagues
from portal import lifecycle
from portal.access import Actor
from portal.casework import casework, extensions, queue
from portal.casework.casefile import CaseFile
from portal.uow import UnitOfWork


def panel(actor: Actor, case: CaseFile) -> None:
    actions = lifecycle.offered(actor, case.state)
    if not actions:
        return
    st.markdown(f"**{tr('casework.actions')}**")
    for action in actions:
        with st.expander(tr(f"casework.{action}")), st.form(f"case_{action}"):
            submit = _fields(action, case)
            if st.form_submit_button(tr(f"casework.{action}"), type="primary"):
                _run(action, actor, case, submit)


def _fields(action: str, case: CaseFile) -> dict:
    errors = st.session_state.get(f"case_errors.{action}", {})
    values: dict = {}
    if action == "resolve":
        outcomes = {o: tr(f"outcome.{o}") for o in ("approved", "rejected", "answered", "referred")}
        values["outcome"] = st.radio(tr("casework.outcome"), list(outcomes), horizontal=True,
                                     format_func=outcomes.__getitem__)
    if action == "deliver":
        st.caption(tr("casework.deliver_rating"))
    if action == "request_extension":
        values["new_due"] = st.date_input(tr("extension.new_due"), value=None,
                                          min_value=case.due_date, format="YYYY-MM-DD")
        field_error(errors, "new_due")
    if action == "decide_extension":
        _, new_due, reason = case.pending_extension
        st.markdown(tr("extension.asked", new_due=new_due.isoformat(), reason=reason))
        decisions = {True: tr("extension.approve"), False: tr("extension.refuse")}
        values["approve"] = st.radio(tr("extension.decision"), list(decisions), horizontal=True,
                                     format_func=decisions.__getitem__)
    if action == "assign":
        people = colleagues(case.unit_id)
        values["user_id"] = st.selectbox(tr("casework.assignee"), list(people),
                                         format_func=people.__getitem__)
        field_error(errors, "assignee")
    if action == "priority":
        priorities = {p: tr(f"priority.{p}") for p in ("normal", "urgent")}
        values["priority"] = st.radio(tr("col.priority"), list(priorities), horizontal=True,
                                      format_func=priorities.__getitem__,
                                      index=list(priorities).index(case.priority))
    label = {"note": "casework.note_text", "request_documents": "casework.documents_text",
             "resolve": "casework.result_text",
             "decide_extension": "extension.note"}.get(action, "casework.reason")
    if action not in ("claim", "release", "documents_received", "assign", "deliver"):
        values["text"] = st.text_area(tr(label), max_chars=casework.TEXT_MAX)
        for field in ("note", "documents", "result", "reason"):
            field_error(errors, field)
        field_error(errors, "outcome")
    return values


def _run(action: str, actor: Actor, case: CaseFile, v: dict) -> None:
    calls = {
        "claim": lambda: queue.claim(UnitOfWork(), actor, case.id, case.version),
        "release": lambda: casework.release(UnitOfWork(), actor, case.id, case.version),
        "note": lambda: casework.add_note(UnitOfWork(), actor, case.id, v["text"]),
        "priority": lambda: casework.change_priority(UnitOfWork(), actor, case.id, v["priority"],
                                                     v["text"], case.version),
        "request_documents": lambda: casework.request_documents(UnitOfWork(), actor, case.id,
                                                                v["text"], case.version),
        "documents_received": lambda: casework.documents_received(UnitOfWork(), actor, case.id,
                                                                  case.version),
        "resolve": lambda: casework.resolve(UnitOfWork(), actor, case.id, v["outcome"],
                                            v["text"], case.version),
        "deliver": lambda: casework.deliver(UnitOfWork(), actor, case.id, case.version),
        "request_extension": lambda: extensions.request(UnitOfWork(), actor, case.id,
                                                        v["new_due"], v["text"]),
        "decide_extension": lambda: extensions.decide(UnitOfWork(), actor,
                                                      case.pending_extension[0], v["approve"],
                                                      v["text"]),
        "assign": lambda: casework.assign(UnitOfWork(), actor, case.id, v["user_id"],
                                          case.version),
        "withdraw": lambda: casework.withdraw(UnitOfWork(), actor, case.id, v["text"],
                                              case.version),
        "reopen": lambda: casework.reopen(UnitOfWork(), actor, case.id, v["text"], case.version),
    }
    acted(calls[action], tr("casework.done", action=tr(f"casework.{action}")),
          errors_key=f"case_errors.{action}")
