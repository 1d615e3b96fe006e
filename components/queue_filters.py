"""The queue's filters, kept in the session so they survive moving between pages."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from components.catalogue import department_options
from components.i18n import lang, tr
from portal import export, lifecycle
from portal.access import Actor
from portal.casework import queue

BADGE_COLOURS = {"red": "red", "yellow": "orange", "green": "green", "paused": "gray"}



def queue_filter(actor: Actor, services: list[tuple[str, str, str, int]]) -> queue.QueueFilter:
    views = {v: tr(f"queue.view.{v}") for v in queue.VIEWS if v != "subtree" or actor.sees_subtree}
    view = st.segmented_control(tr("queue.view"), list(views), default="unit", key="queue_view",
                                format_func=views.__getitem__) or "unit"
    text = st.text_input(tr("queue.search"), key="queue_text", placeholder=tr("queue.search_help"))
    with st.expander(tr("queue.filters")):
        left, middle, right = st.columns(3)
        statuses = {s: tr(f"status.{s}") for s in lifecycle.listed(lifecycle.OPEN)}
        chosen = left.multiselect(tr("col.status"), list(statuses), key="queue_statuses",
                                  format_func=statuses.__getitem__, placeholder=tr("queue.any"))
        names = {code: (en if lang() == "en" else zh) for code, zh, en, _ in services}
        codes = left.multiselect(tr("col.service"), list(names), key="queue_services",
                                 format_func=names.__getitem__, placeholder=tr("queue.any"))
        departments = dict(department_options(lang()))
        chosen_departments = left.multiselect(
            tr("col.department"), list(departments), key="queue_departments",
            format_func=departments.__getitem__, placeholder=tr("queue.any"))
        dues = {d: tr(f"queue.due.{d}") for d in queue.DUE_FILTERS}
        due = middle.selectbox(tr("col.due_date"), list(dues), index=None, key="queue_due",
                               format_func=dues.__getitem__, placeholder=tr("queue.any"))
        priorities = {p: tr(f"priority.{p}") for p in ("normal", "urgent")}
        priority = middle.selectbox(tr("col.priority"), list(priorities), index=None,
                                    key="queue_priority", format_func=priorities.__getitem__,
                                    placeholder=tr("queue.any"))
        channels = {c: tr(f"channel.{c}") for c in ("walk_in", "phone", "home_visit")}
        channel = right.selectbox(tr("intake.channel"), list(channels), index=None,
                                  key="queue_channel", format_func=channels.__getitem__,
                                  placeholder=tr("queue.any"))
        received = right.date_input(tr("queue.received_between"), value=(), key="queue_received",
                                    format="YYYY-MM-DD")
    start, end = (tuple(received) + (None, None))[:2] if received else (None, None)
    return queue.QueueFilter(
        units=_one_unit(),
        view=view, statuses=tuple(chosen) or lifecycle.listed(lifecycle.OPEN), services=tuple(codes),
        departments=tuple(chosen_departments),
        priority=priority, due=due, channel=channel, received_from=start,
        received_to=end or start, text=text)


def _one_unit() -> tuple[int, ...]:
    """The unit picked on the dashboard, if any, with a way back to every unit."""
    picked = st.session_state.get("queue_unit")
    if not picked:
        return ()
    unit_id, name = picked
    left, right = st.columns([3, 1])
    left.info(tr("queue.unit_filter", unit=name))
    if right.button(tr("queue.unit_clear"), key="queue_unit_clear"):
        st.session_state.pop("queue_unit")
        st.rerun()
    return (unit_id,)


def badge_counts(counts: dict[str, int]) -> None:
    columns = st.columns(5)
    columns[0].metric(tr("queue.open_count"), f"{counts['total']:,}")
    for column, badge in zip(columns[1:], queue.BADGES, strict=True):
        column.metric(f":{BADGE_COLOURS[badge]}[●] {tr(f'queue.badge.{badge}')}",
                      f"{counts[badge]:,}")


EXPORT_COLUMNS = ["receipt_no", "service", "citizen", "status", "badge", "priority", "assignee",
                  "received_at", "due_date"]


def export_buttons(rows: Callable[[], pd.DataFrame], key: str, label: str | None = None) -> None:
    """CSV and Excel of the queue rows `rows()` returns, built only when a button is pressed."""
    # Labels are fixed now: the file is built on another thread, outside this session.
    headers = {c: tr(f"col.{c}") for c in EXPORT_COLUMNS}
    values = {**{f"status.{s}": tr(f"status.{s}") for s in lifecycle.listed(lifecycle.OPEN)},
              **{f"badge.{b}": tr(f"queue.badge.{b}") for b in queue.BADGES},
              **{f"priority.{p}": tr(f"priority.{p}") for p in ("normal", "urgent")}}

    def table() -> pd.DataFrame:
        frame = rows().copy()
        for column, prefix in (("status", "status"), ("badge", "badge"), ("priority", "priority")):
            frame[column] = frame[column].map(lambda v, p=prefix: values[f"{p}.{v}"])
        return frame[EXPORT_COLUMNS].rename(columns=headers)

    name = label or tr("page.queue")
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(tr("queue.export_csv"), lambda: export.to_csv(table()), key=f"{key}_csv",
                         file_name=f"{name}.csv", mime="text/csv", icon=":material/download:")
    right.download_button(tr("queue.export_xlsx"), lambda: export.to_xlsx(table()),
                          file_name=f"{name}.xlsx", icon=":material/download:", key=f"{key}_xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
