"""Several cases of the queue's current page at once: assign, change priority, export."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.feedback import confirm, explain, reported
from components.i18n import tr
from components.queue_filters import export_buttons
from components.shared_reads import colleagues
from portal import lifecycle
from portal.access import Actor
from portal.casework import bulk, casework
from portal.casework.bulk import Outcome, Picked
from portal.uow import UnitOfWork


def panel(actor: Actor, frame: pd.DataFrame) -> None:
    # Drawn only when asked for: most runs of the queue need none of it.
    if not st.toggle(tr("bulk.title"), key="bulk_open"):
        return
    with st.container(border=True):
        labels = {r: f"{r} · {s} · {c}" for r, s, c in
                  zip(frame["receipt_no"], frame["service"], frame["citizen"], strict=True)}
        # Keyed by the rows shown, so turning the page starts a new choice.
        key = f"bulk_{hash(tuple(labels))}"
        versions = {r: int(v) for r, v in zip(frame["receipt_no"], frame["version"], strict=True)}
        chosen = st.multiselect(tr("bulk.cases"), list(labels), format_func=labels.__getitem__,
                                key=key, on_change=_remember, args=(key, versions))
        # Each case is acted on as it was when chosen: a case changed since then is refused,
        # naming who changed it, rather than overwritten.
        seen = st.session_state.get(f"{key}_seen", {})
        rows = frame[frame["receipt_no"].isin(chosen)]
        picked = [Picked(int(r.id), r.receipt_no, seen.get(r.receipt_no, int(r.version)))
                  for r in rows.itertuples()]
        left, right = st.columns(2)
        if lifecycle.may_assign(actor):
            with left.form("bulk_assign"):
                people = colleagues(actor.unit_id)
                person = st.selectbox(tr("bulk.assign_to"), list(people),
                                      format_func=people.__getitem__)
                if st.form_submit_button(tr("bulk.assign")):
                    _run(lambda: bulk.assign(UnitOfWork(), actor, picked, person))
        with right.form("bulk_priority"):
            priorities = {p: tr(f"priority.{p}") for p in ("urgent", "normal")}
            priority = st.selectbox(tr("bulk.priority"), list(priorities),
                                    format_func=priorities.__getitem__)
            reason = st.text_input(tr("bulk.reason"), max_chars=casework.TEXT_MAX)
            if st.form_submit_button(tr("bulk.set_priority")):
                _run(lambda: bulk.change_priority(UnitOfWork(), actor, picked, priority, reason))
        if not rows.empty:
            st.caption(tr("bulk.export"))
            export_buttons(lambda: rows, "bulk_export")


def _remember(key: str, versions: dict[str, int]) -> None:
    """On a change of the choice: the versions of the chosen cases on the page as drawn."""
    seen = st.session_state.get(f"{key}_seen", {})
    st.session_state[f"{key}_seen"] = {r: seen.get(r, versions.get(r)) for r in st.session_state[key]
                                       if r in seen or r in versions}


def _run(action) -> None:
    with reported():
        outcome: Outcome = action()
        lines = []
        if outcome.done:
            lines.append(tr("bulk.done", count=len(outcome.done), receipts="、".join(outcome.done)))
        lines += [tr("bulk.refused", receipt_no=r, why=explain(e)) for r, e in outcome.refused]
        confirm("\n\n".join(lines))
        st.rerun()
