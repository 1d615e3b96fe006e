"""The dashboard's parts: filters, KPI tiles with their change, charts with their data, tabs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import tables
from components.catalogue import department_options, town_options
from components.dashboard_data import Drawn
from components.i18n import lang, tr
from portal import export, settings
from portal.access import Actor
from portal.dashboard import flows, metrics

# A rise is bad news for these tiles: shown red.
RISE_IS_BAD = {"open", "overdue", "due_today", "late_handoffs", "open_rectifications"}
RATES = {"on_time_rate", "satisfaction_rate"}
TIERS = ("city", "township", "village")


def filters(actor: Actor, categories: list[str]) -> metrics.Filters:
    with st.expander(tr("dash.filters")):
        left, middle, right = st.columns(3)
        period = left.date_input(tr("dash.period"), value=(), key="dash_period",
                                 format="YYYY-MM-DD")
        tiers = left.multiselect(tr("dash.tiers"), TIERS, key="dash_tiers",
                                 format_func=lambda t: tr(f"tier.{t}"),
                                 placeholder=tr("dash.any"))
        towns = dict(town_options(lang())) if actor.unit_path.count("/") <= 2 else {}
        chosen_towns = middle.multiselect(tr("dash.towns"), list(towns), key="dash_towns",
                                          format_func=towns.__getitem__,
                                          placeholder=tr("dash.any")) if towns else []
        departments = dict(department_options(lang()))
        chosen_departments = middle.multiselect(
            tr("dash.departments"), list(departments), key="dash_departments",
            format_func=departments.__getitem__, placeholder=tr("dash.any"))
        chosen_categories = right.multiselect(
            tr("dash.categories"), categories, key="dash_categories",
            format_func=lambda c: tr(f"category.{c}"), placeholder=tr("dash.any"))
    start, end = (tuple(period) + (None, None))[:2] if period else (None, None)
    return metrics.Filters(start=start, end=end or start, tiers=tuple(tiers),
                           towns=tuple(chosen_towns), departments=tuple(chosen_departments),
                           categories=tuple(chosen_categories))


def tiles(figures: dict[str, metrics.Tile]) -> None:
    for row in (metrics.KPIS[:5], metrics.KPIS[5:]):
        for column, key in zip(st.columns(5), row, strict=False):
            tile = figures[key]
            change = _change(key, tile)
            colour = "inverse" if key in RISE_IS_BAD else "normal"
            unchanged = change == tr("dash.unchanged")
            column.metric(tr(f"kpi.{key}"), _value(key, tile.value), border=True, delta=change,
                          delta_color="off" if unchanged else colour,
                          delta_arrow="off" if unchanged else "auto",
                          help=tr("dash.vs_previous" if key in RATES else "dash.vs_yesterday"))


def _value(key: str, value) -> str:
    return _percent(value) if key in RATES else f"{value:,}"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _change(key: str, tile: metrics.Tile) -> str | None:
    """The change since the day (or period) before; a rate's in percentage points."""
    if tile.previous is None or tile.value is None:
        return None
    if key in RATES:
        points = round((tile.value - tile.previous) * 100, 1)
        return tr("dash.points", points=points) if points else tr("dash.unchanged")
    change = tile.value - tile.previous
    return f"{change:+,}" if change else tr("dash.unchanged")


def chart(title_key: str, drawn: Drawn, key: str, frame: pd.DataFrame, **select):
    """A titled chart, drawn from its section's spec, with its data to download (the files
    are built when a button is pressed); returns the selection when `select` is given."""
    st.subheader(tr(title_key))
    if frame.empty:
        st.info(tr("dash.empty"))
        return None
    event = st.vega_lite_chart(drawn.specs[key], width="stretch", key=key, **select)
    name = tr(title_key)
    with st.container(horizontal=True):
        st.download_button(tr("chart.csv"), lambda: export.to_csv(frame),
                           file_name=f"{name}.csv", mime="text/csv", key=f"{key}_csv",
                           icon=":material/download:")
        st.download_button(tr("chart.xlsx"), lambda: export.to_xlsx(frame, sheet=key),
                           file_name=f"{name}.xlsx", key=f"{key}_xlsx",
                           icon=":material/download:", mime="application/vnd.openxmlformats-"
                           "officedocument.spreadsheetml.sheet")
    return event


def overview(drawn: Drawn, actor: Actor) -> None:
    data: metrics.Overview = drawn.data
    tiles(data.tiles)
    left, right = st.columns(2)
    with left:
        chart("chart.per_day", drawn, "per_day", data.per_day)
    with right:
        chart("chart.backlog", drawn, "backlog", data.backlog)
    left, right = st.columns(2)
    with left:
        chart("chart.by_status_tier", drawn, "by_status_tier", data.by_status_tier)
    with right:
        picked = chart("chart.overdue_by_unit", drawn, "overdue_by_unit", data.overdue_by_unit,
                       on_select="rerun")
        st.caption(tr("dash.overdue_click"))
        _open_queue(actor, picked, data.overdue_by_unit)
    _period(data.period)
    left, right = st.columns(2)
    with left:
        chart("chart.service_mix", drawn, "service_mix", data.service_mix)
    with right:
        chart("chart.satisfaction", drawn, "satisfaction", data.satisfaction)


def together(drawn: Drawn, period: tuple, between) -> None:
    """Hand-offs between departments; `between(from_id, to_id)` lists a clicked cell's."""
    data: flows.Flows = drawn.data
    _period(period)
    picked = chart("chart.matrix", drawn, "matrix", data.matrix, on_select="rerun")
    st.caption(tr("chart.matrix_help"))
    cell = (picked or {}).get("selection", {}).get("cell") or []
    if cell:
        rows = between(int(cell[0]["from_id"]), int(cell[0]["to_id"]))
        rows["state"] = rows["state"].map(lambda s: tr(f"handoff_state.{s}"))
        tables.show(rows, ["receipt_no", "from_unit", "to_unit", "state", "requested_at",
                           "answered_at"], "dash.empty")
    left, right = st.columns(2)
    with left:
        chart("chart.return_reasons", drawn, "return_reasons", drawn.tables["return_reasons"])
    with right:
        chart("chart.bounced", drawn, "bounced", data.bounced)
    left, right = st.columns(2)
    with left:
        chart("chart.workload", drawn, "workload", data.workload)
    with right:
        st.subheader(tr("chart.rectification"))
        figures = data.rectification
        st.metric(tr("kpi.bad_reviews"), f"{figures['bad_reviews']:,}", border=True)
        st.metric(tr("kpi.rectified_rate"), _percent(figures["rectified_rate"]), border=True)
        st.metric(tr("kpi.call_back_rate"), _percent(figures["call_back_rate"]), border=True)


LEAGUE = ["handled", "median_cycle_days", "tier_median_cycle_days", "on_time_rate",
          "median_answer_hours", "satisfaction_rate", "reopen_rate"]


def efficiency(drawn: Drawn, period: tuple) -> None:
    _period(period)
    st.caption(tr("dash.league_note", count=settings.current().league_min_cases))
    for title, label in (("chart.league_units", "unit"), ("chart.league_people", "person")):
        shown = drawn.tables[f"league_{label}"]
        columns = [label, *(["unit"] if label == "person" else []), "tier", *LEAGUE]
        chart(title, drawn, f"league_{label}", shown[columns])
        st.dataframe(league_table(shown[columns]), hide_index=True, width="stretch")


LEAGUE_RATES = ("on_time_rate", "satisfaction_rate", "reopen_rate")
LEAGUE_FIGURES = ("median_cycle_days", "tier_median_cycle_days", "median_answer_hours",
                  *LEAGUE_RATES)


def league_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The league as people read it: days and hours to one decimal, rates in per cent, and a
    dash where a figure is not known (no hand-offs answered, no ratings)."""
    def shown(column: str, value) -> str:
        if pd.isna(value):
            return "—"
        return f"{value:.0%}" if column in LEAGUE_RATES else f"{value:.1f}"
    formatted = frame.assign(**{c: [shown(c, v) for v in frame[c]] for c in LEAGUE_FIGURES})
    return formatted.rename(columns={c: tr(f"col.{c}") for c in frame.columns})


def _period(period: tuple) -> None:
    start, end = period
    st.caption(tr("dash.period_caption", start=start.isoformat(), end=end.isoformat()))


def _open_queue(actor: Actor, picked, frame: pd.DataFrame) -> None:
    """A click on a unit's bar opens the queue of that unit."""
    chosen = (picked or {}).get("selection", {}).get("unit") or []
    if chosen:
        unit_id = int(chosen[0]["unit_id"])
        name = frame.loc[frame["unit_id"] == unit_id, "unit"].iloc[0]
        st.session_state["queue_unit"] = (unit_id, name)
        st.session_state["queue_view"] = "subtree" if actor.sees_subtree else "unit"
        st.switch_page("pages/queue.py")
