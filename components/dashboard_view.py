"""The dashboard's parts: its filters, KPI tiles with their change, and charts with their data."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from components.catalogue import department_options, town_options
from components.i18n import lang, tr
from portal import export, metrics
from portal.access import Actor

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
            column.metric(tr(f"kpi.{key}"), _value(key, tile.value), border=True,
                          delta=_change(key, tile), delta_color=(
                              "inverse" if key in RISE_IS_BAD else "normal"),
                          help=tr("dash.vs_previous" if key in RATES else "dash.vs_yesterday"))


def _value(key: str, value) -> str:
    if key in RATES:
        return "—" if value is None else f"{value:.1%}"
    return f"{value:,}"


def _change(key: str, tile: metrics.Tile) -> str | None:
    if tile.previous is None or tile.value is None:
        return None
    if key in RATES:
        return f"{(tile.value - tile.previous) * 100:+.1f} pp"
    return f"{tile.value - tile.previous:+,}"


def chart(title_key: str, figure: alt.Chart, frame: pd.DataFrame, key: str, **select):
    """A titled chart with its data to download; returns the selection when `select` is given."""
    st.subheader(tr(title_key))
    if frame.empty:
        st.info(tr("dash.empty"))
        return None
    event = st.altair_chart(figure, width="stretch", key=key, **select)
    left, right, _ = st.columns([1, 1, 6])
    name = tr(title_key)
    left.download_button(tr("chart.csv"), export.to_csv(frame), file_name=f"{name}.csv",
                         mime="text/csv", key=f"{key}_csv", icon=":material/download:")
    right.download_button(tr("chart.xlsx"), export.to_xlsx(frame, sheet=key),
                          file_name=f"{name}.xlsx", key=f"{key}_xlsx", icon=":material/download:",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return event
