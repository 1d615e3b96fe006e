"""Altair chart builders: pure functions from a DataFrame to a chart."""

from __future__ import annotations

import altair as alt
import pandas as pd
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from portal.messages import t


def spec(chart: alt.Chart) -> dict:
    """The chart as st.vega_lite_chart draws it, its data already in Arrow: built once per
    section and scope, so a viewer's run only sends it on. (Streamlit's own conversion, as
    st.altair_chart does it on every call.)"""
    return _convert_altair_to_vega_lite_spec(chart)


def per_day(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Lines of cases received and resolved per day (frame: day, kind, cases)."""
    data = frame.assign(kind=frame["kind"].map(lambda k: t(f"chart.{k}", lang)))
    return (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("day:T", title=t("chart.day", lang), axis=alt.Axis(format="%m-%d")),
            y=alt.Y("cases:Q", title=t("chart.cases", lang)),
            color=alt.Color("kind:N", title=t("chart.kind", lang)),
            tooltip=["day:T", "kind:N", "cases:Q"],
        )
        .properties(height=320)
    )


def backlog(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Open cases at the end of each day (frame: day, open)."""
    return (
        alt.Chart(frame).mark_area(line=True, opacity=0.3)
        .encode(x=alt.X("day:T", title=t("chart.day", lang), axis=alt.Axis(format="%m-%d")),
                y=alt.Y("open:Q", title=t("chart.open", lang)),
                tooltip=[alt.Tooltip("day:T", title=t("chart.day", lang)),
                         alt.Tooltip("open:Q", title=t("chart.open", lang))])
        .properties(height=260)
    )


def by_status_tier(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Open cases by status, stacked by tier (frame: status, tier, cases)."""
    data = frame.assign(status=frame["status"].map(lambda s: t(f"status.{s}", lang)),
                        tier=frame["tier"].map(lambda s: t(f"tier.{s}", lang)))
    return (
        alt.Chart(data).mark_bar()
        .encode(x=alt.X("cases:Q", title=t("chart.cases", lang)),
                y=alt.Y("status:N", title=t("col.status", lang), sort="-x"),
                color=alt.Color("tier:N", title=t("chart.tier", lang)),
                tooltip=["status:N", "tier:N", "cases:Q"])
        .properties(height=220)
    )


def overdue_by_unit(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """The units with the most overdue cases; a bar can be clicked (frame: unit_id, unit, cases)."""
    pick = alt.selection_point(name="unit", fields=["unit_id"])
    return (
        alt.Chart(frame).mark_bar(color="#c0392b")
        .encode(x=alt.X("cases:Q", title=t("chart.overdue", lang)),
                y=alt.Y("unit:N", title=t("col.unit", lang), sort="-x"),
                opacity=alt.condition(pick, alt.value(1.0), alt.value(0.6)),
                tooltip=["unit:N", "cases:Q"])
        .add_params(pick)
        .properties(height=max(120, 24 * len(frame)))
    )


def service_mix(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Cases received per service category (frame: category, cases)."""
    data = frame.assign(category=frame["category"].map(lambda c: t(f"category.{c}", lang)))
    return (
        alt.Chart(data).mark_arc(innerRadius=60)
        .encode(theta=alt.Theta("cases:Q"),
                color=alt.Color("category:N", title=t("chart.category", lang)),
                tooltip=["category:N", "cases:Q"])
        .properties(height=280)
    )


def satisfaction(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Ratings per unit, stacked from very dissatisfied to very satisfied (unit, rating, count)."""
    data = frame.assign(label=frame["rating"].map(lambda r: t(f"rating.{r}", lang)))
    order = [t(f"rating.{r}", lang) for r in (1, 2, 3, 4, 5)]
    return (
        alt.Chart(data).mark_bar()
        .encode(x=alt.X("count:Q", stack="normalize", title=t("chart.share", lang),
                        axis=alt.Axis(format="%")),
                y=alt.Y("unit:N", title=t("col.unit", lang)),
                color=alt.Color("label:N", title=t("casework.rating", lang), sort=order,
                                scale=alt.Scale(domain=order, range=[
                                    "#c0392b", "#e67e22", "#f1c40f", "#7fb77e", "#2e8b57"])),
                order=alt.Order("rating:Q"),
                tooltip=["unit:N", "label:N", "count:Q"])
        .properties(height=max(120, 24 * frame["unit"].nunique()))
    )


def matrix(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Hand-offs from department to department; colour is the count, a cell can be clicked."""
    pick = alt.selection_point(name="cell", fields=["from_id", "to_id"])
    base = alt.Chart(frame).encode(
        x=alt.X("to_dept:N", title=t("chart.to_dept", lang)),
        y=alt.Y("from_dept:N", title=t("chart.from_dept", lang)))
    cells = base.mark_rect().encode(
        color=alt.Color("handoffs:Q", title=t("chart.handoffs", lang),
                        scale=alt.Scale(scheme="blues")),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.5)),
        tooltip=[alt.Tooltip("from_dept:N", title=t("chart.from_dept", lang)),
                 alt.Tooltip("to_dept:N", title=t("chart.to_dept", lang)),
                 alt.Tooltip("handoffs:Q", title=t("chart.handoffs", lang)),
                 alt.Tooltip("median_hours:Q", title=t("chart.median_hours", lang)),
                 alt.Tooltip("return_rate:Q", title=t("chart.return_rate", lang), format=".0%")],
    ).add_params(pick)
    labels = base.mark_text(fontSize=11).encode(text="handoffs:Q")
    return (cells + labels).properties(height=max(160, 28 * frame["from_dept"].nunique()))


def bars(frame: pd.DataFrame, category: str, value: str, lang: str, *, colour: str = "#4c78a8",
         stack: str | None = None) -> alt.Chart:
    """Horizontal bars of `value` per `category` (optionally stacked by `stack`)."""
    encoding = {
        "x": alt.X(f"{value}:Q", title=t(f"col.{value}", lang)),
        "y": alt.Y(f"{category}:N", title=t(f"col.{category}", lang), sort="-x"),
        "tooltip": [f"{category}:N", f"{value}:Q"] + ([f"{stack}:N"] if stack else []),
    }
    if stack:
        encoding["color"] = alt.Color(f"{stack}:N", title=t(f"col.{stack}", lang))
    mark = alt.Chart(frame).mark_bar() if stack else alt.Chart(frame).mark_bar(color=colour)
    return mark.encode(**encoding).properties(height=max(120, 24 * frame[category].nunique()))


def cycle(frame: pd.DataFrame, label: str, lang: str) -> alt.Chart:
    """Median days to resolve per unit or person, with a tick at the tier's median."""
    base = alt.Chart(frame).encode(y=alt.Y(f"{label}:N", title=t(f"col.{label}", lang),
                                           sort="x"))
    days = base.mark_bar(color="#4c78a8").encode(
        x=alt.X("median_cycle_days:Q", title=t("col.median_cycle_days", lang)),
        tooltip=[f"{label}:N", "median_cycle_days:Q", "tier_median_cycle_days:Q"])
    tier = base.mark_tick(color="#c0392b", thickness=2, size=18).encode(
        x="tier_median_cycle_days:Q")
    return (days + tier).properties(height=max(120, 22 * len(frame)))
