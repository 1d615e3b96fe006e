"""The hand-off inbox's tabs: a table each, and a small form to answer what it lists."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import tables
from components.feedback import acted
from components.i18n import tr
from portal.access import Actor
from portal.handoffs import disputes, handoff, joint
from portal.uow import UnitOfWork

WAITING = ["receipt_no", "service", "from_unit", "to_unit", "reason", "requested_at",
           "waiting_hours"]


def waiting_columns(actor: Actor, own_side: str) -> list[str]:
    """The waiting list's columns: one's own unit is left out unless one oversees several,
    which keeps the table within an office screen."""
    return [c for c in WAITING if c != own_side or actor.sees_subtree]


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """Return categories in the user's language; a joint part is named beside its service,
    and the late flag beside the hours waited (fewer columns, so that the lists fit an
    office screen)."""
    frame = frame.copy()
    frame["service"] = [tr("handoff.as_part", service=service) if kind == "joint" else service
                        for service, kind in zip(frame["service"], frame["kind"], strict=True)]
    frame["waiting_hours"] = [
        f"{hours:.1f}" + (f" · {tr('handoff.late_flag')}" if late else "")
        if pd.notna(hours) else None
        for hours, late in zip(frame["waiting_hours"], frame["late"], strict=True)]
    frame["return_category"] = frame["return_category"].map(
        lambda c: tr(f"return.{c}") if isinstance(c, str) else "")
    frame["reason"] = [part or reason for part, reason in
                       zip(frame["part"], frame["reason"], strict=True)]
    return frame


def choice(frame: pd.DataFrame, label: str, key: str) -> int:
    """A hand-off of `frame` chosen by receipt number and unit; its row index."""
    labels = {i: f"{frame.at[i, 'receipt_no']} · {frame.at[i, 'from_unit']} → "
                 f"{frame.at[i, 'to_unit']}" for i in frame.index}
    return st.selectbox(label, list(labels), format_func=labels.__getitem__, key=key)


def incoming(actor: Actor, frame: pd.DataFrame) -> None:
    tables.show(readable(frame), waiting_columns(actor, "to_unit"), "handoff.inbox_empty")
    if frame.empty:
        return
    with st.form("answer"):
        row = frame.loc[choice(frame, tr("handoff.pick"), "answer_pick")]
        accept, accept_claim = st.columns(2)
        if accept.form_submit_button(tr("handoff.accept"), type="primary"):
            acted(lambda: handoff.accept(UnitOfWork(), actor, int(row["id"])),
                  tr("handoff.accepted", receipt_no=row["receipt_no"]))
        if accept_claim.form_submit_button(tr("handoff.accept_claim")):
            acted(lambda: handoff.accept(UnitOfWork(), actor, int(row["id"]), claim=True),
                  tr("handoff.accepted", receipt_no=row["receipt_no"]))
        categories = {c: tr(f"return.{c}") for c in handoff.RETURN_CATEGORIES}
        category = st.selectbox(tr("handoff.return_category"), list(categories), index=None,
                                format_func=categories.__getitem__,
                                placeholder=tr("handoff.return_category_help"))
        reason = st.text_input(tr("handoff.return_reason"), max_chars=handoff.REASON_MAX)
        if st.form_submit_button(tr("handoff.return")):
            acted(lambda: handoff.return_to_sender(UnitOfWork(), actor, int(row["id"]), category or "",
                                            reason),
                  tr("handoff.returned", receipt_no=row["receipt_no"]))


def in_hand(actor: Actor, frame: pd.DataFrame) -> None:
    tables.show(readable(frame), ["receipt_no", "service", "from_unit", "reason", "answered_at"],
                "joint.in_hand_empty")
    if frame.empty:
        return
    with st.form("complete_part"):
        row = frame.loc[choice(frame, tr("handoff.pick"), "part_pick")]
        result = st.text_area(tr("joint.result"), max_chars=handoff.REASON_MAX)
        if st.form_submit_button(tr("joint.complete"), type="primary"):
            acted(lambda: joint.complete_part(UnitOfWork(), actor, int(row["id"]), result),
                  tr("joint.completed", receipt_no=row["receipt_no"]))


def sent(actor: Actor, frame: pd.DataFrame) -> None:
    tables.show(readable(frame), waiting_columns(actor, "from_unit"), "handoff.sent_empty")
    if frame.empty:
        return
    with st.form("withdraw"):
        row = frame.loc[choice(frame, tr("handoff.pick"), "withdraw_pick")]
        if st.form_submit_button(tr("handoff.withdraw")):
            acted(lambda: handoff.withdraw(UnitOfWork(), actor, int(row["id"])),
                  tr("handoff.withdrawn", receipt_no=row["receipt_no"]))


def returned(actor: Actor, frame: pd.DataFrame) -> None:
    shown = readable(frame)
    shown["disputed_at"] = shown["disputed_at"].map(
        lambda at: tr("dispute.referred_flag") if not pd.isna(at) else "")
    tables.show(shown, ["receipt_no", "service", "to_unit", "return_category", "return_reason",
                        "answered_at", "disputed_at"], "handoff.returned_empty")
    open_ = frame[frame["disputed_at"].isna()]
    if open_.empty:
        return
    with st.form("dispute"):
        row = open_.loc[choice(open_, tr("handoff.pick"), "dispute_pick")]
        reason = st.text_area(tr("dispute.reason"), max_chars=handoff.REASON_MAX)
        if st.form_submit_button(tr("dispute.refer")):
            acted(lambda: disputes.refer(UnitOfWork(), actor, int(row["id"]), reason),
                  tr("dispute.referred", receipt_no=row["receipt_no"]))


def to_decide(actor: Actor, frame: pd.DataFrame) -> None:
    tables.show(readable(frame), ["receipt_no", "service", "from_unit", "to_unit",
                                  "return_reason", "dispute_reason"], "dispute.empty")
    if frame.empty:
        return
    with st.form("decide"):
        row = frame.loc[choice(frame, tr("handoff.pick"), "decide_pick")]
        sides = {int(row["from_unit_id"]): tr("dispute.sender", unit=row["from_unit"]),
                 int(row["to_unit_id"]): tr("dispute.receiver", unit=row["to_unit"])}
        side = st.radio(tr("dispute.side"), list(sides), format_func=sides.__getitem__)
        if st.form_submit_button(tr("dispute.decide"), type="primary"):
            acted(lambda: disputes.decide(UnitOfWork(), actor, int(row["id"]), side),
                  tr("dispute.decided", receipt_no=row["receipt_no"]))
