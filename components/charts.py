"""Altair chart builders: pure functions from a DataFrame to a chart."""

from __future__ import annotations

import altair as alt
import pandas as pd

from portal.messages import t


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
