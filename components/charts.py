"""Altair chart builders: pure functions from a DataFrame to a chart.

What every chart keeps to, whatever the data (tests/test_charts.py reads the specs):
counts on integer axes; durations in days or hours as plain numbers; one bar per name,
each row tall enough for its label and labels long enough for a unit's full name (and the
full name on hover); the plot's height is its own, the axes are drawn around it, so long
labels never squeeze the plot; a series keeps its colour in both languages, because the
colour is chosen by its key, not by its translated name.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from portal.admin.service_types import CATEGORIES
from portal.handoffs.handoff import RETURN_CATEGORIES
from portal.messages import t

ROW = 26  # pixels per bar or matrix row: room for a label in 12 px type
LABEL_LIMIT = 360  # pixels of a category label before "…": a unit's full name fits
TIERS = ("city", "township", "village")
PALETTE = ("#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#eeca3b", "#b279a2",
           "#ff9da6", "#9d755d", "#bab0ac", "#1f6f8b")
RATING_COLOURS = ("#c0392b", "#e67e22", "#f1c40f", "#7fb77e", "#2e8b57")


def spec(chart: alt.Chart) -> dict:
    """The chart as st.vega_lite_chart draws it, its data already in Arrow: built once per
    section and scope, so a viewer's run only sends it on. (Streamlit's own conversion, as
    st.altair_chart does it on every call.) The width fits the column; the height is the
    plot's own (Streamlit's default, "fit", would take the axes out of it)."""
    drawn = _convert_altair_to_vega_lite_spec(chart)
    drawn["autosize"] = {"type": "fit-x", "contains": "padding"}
    return drawn


def _count(field: str, title: str, **extra) -> dict:
    """A count on a whole-number axis: no 0.5 cases."""
    return {"field": field, "type": "quantitative", "title": title,
            "axis": alt.Axis(format="d", tickMinStep=1), **extra}


def _names(field: str, title: str, **extra) -> alt.Y:
    """Names down the side, every one shown in full."""
    return alt.Y(f"{field}:N", title=title,
                 axis=alt.Axis(labelLimit=LABEL_LIMIT, labelOverlap=False), **extra)


def _series(field: str, title: str, keys: tuple, lang: str, prefix: str,
            colours: tuple = PALETTE) -> alt.Color:
    """Colour by series, each series always the same colour: the domain is every series'
    translated name in the order of its key."""
    names = [t(f"{prefix}.{key}", lang) for key in keys]
    return alt.Color(f"{field}:N", title=title,
                     scale=alt.Scale(domain=names, range=list(colours[:len(names)])))


def per_day(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Lines of cases received and resolved per day (frame: day, kind, cases)."""
    data = frame.assign(kind=frame["kind"].map(lambda k: t(f"chart.{k}", lang)))
    day = t("chart.day", lang)
    return (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("day:T", title=day, axis=alt.Axis(format="%m-%d")),
            y=alt.Y(**_count("cases", t("chart.cases", lang))),
            color=_series("kind", t("chart.kind", lang), ("received", "resolved"), lang,
                          "chart"),
            tooltip=[alt.Tooltip("day:T", title=day, format="%Y-%m-%d"),
                     alt.Tooltip("kind:N", title=t("chart.kind", lang)),
                     alt.Tooltip("cases:Q", title=t("chart.cases", lang), format="d")],
        )
        .properties(height=280)
    )


def backlog(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Open cases at the end of each day (frame: day, open)."""
    day, open_ = t("chart.day", lang), t("chart.open", lang)
    return (
        alt.Chart(frame).mark_area(line=True, opacity=0.3)
        .encode(x=alt.X("day:T", title=day, axis=alt.Axis(format="%m-%d")),
                y=alt.Y(**_count("open", open_)),
                tooltip=[alt.Tooltip("day:T", title=day, format="%Y-%m-%d"),
                         alt.Tooltip("open:Q", title=open_, format="d")])
        .properties(height=220)
    )


def by_status_tier(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Open cases by status, stacked by tier (frame: status, tier, cases)."""
    data = frame.assign(status=frame["status"].map(lambda s: t(f"status.{s}", lang)),
                        tier=frame["tier"].map(lambda s: t(f"tier.{s}", lang)))
    status, tier, cases = t("col.status", lang), t("chart.tier", lang), t("chart.cases", lang)
    return (
        alt.Chart(data).mark_bar()
        .encode(x=alt.X(**_count("cases", cases)),
                y=_names("status", status, sort="-x"),
                color=_series("tier", tier, TIERS, lang, "tier"),
                tooltip=[alt.Tooltip("status:N", title=status), alt.Tooltip("tier:N", title=tier),
                         alt.Tooltip("cases:Q", title=cases, format="d")])
        .properties(height=alt.Step(ROW))
    )


def overdue_by_unit(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """The units with the most overdue cases; a bar can be clicked (frame: unit_id, unit, cases)."""
    pick = alt.selection_point(name="unit", fields=["unit_id"])
    unit, overdue = t("col.unit", lang), t("chart.overdue", lang)
    return (
        alt.Chart(frame).mark_bar(color="#c0392b")
        .encode(x=alt.X(**_count("cases", overdue)),
                y=_names("unit", unit, sort="-x"),
                opacity=alt.condition(pick, alt.value(1.0), alt.value(0.6)),
                tooltip=[alt.Tooltip("unit:N", title=unit),
                         alt.Tooltip("cases:Q", title=overdue, format="d")])
        .add_params(pick)
        .properties(height=alt.Step(ROW))
    )


def service_mix(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Cases received per service category (frame: category, cases)."""
    data = frame.assign(category=frame["category"].map(lambda c: t(f"category.{c}", lang)))
    category, cases = t("chart.category", lang), t("chart.cases", lang)
    return (
        alt.Chart(data).mark_arc(innerRadius=60)
        .encode(theta=alt.Theta("cases:Q"),
                color=_series("category", category, CATEGORIES, lang, "category"),
                tooltip=[alt.Tooltip("category:N", title=category),
                         alt.Tooltip("cases:Q", title=cases, format="d")])
        .properties(height=280)
    )


def satisfaction(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Ratings per unit, stacked from very dissatisfied to very satisfied (unit, rating, count)."""
    data = frame.assign(label=frame["rating"].map(lambda r: t(f"rating.{r}", lang)))
    unit, rating, count = t("col.unit", lang), t("rating.level", lang), t("chart.ratings", lang)
    return (
        alt.Chart(data).mark_bar()
        .encode(x=alt.X("count:Q", stack="normalize", title=t("chart.share", lang),
                        axis=alt.Axis(format="%")),
                y=_names("unit", unit),
                color=_series("label", rating, (1, 2, 3, 4, 5), lang, "rating",
                              RATING_COLOURS),
                order=alt.Order("rating:Q"),
                tooltip=[alt.Tooltip("unit:N", title=unit), alt.Tooltip("label:N", title=rating),
                         alt.Tooltip("count:Q", title=count, format="d")])
        .properties(height=alt.Step(ROW))
    )


def matrix(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Hand-offs from department to department: a heatmap with a square cell per pair of
    departments (sized by how many there are), the count in each, a cell can be clicked."""
    pick = alt.selection_point(name="cell", fields=["from_id", "to_id"])
    from_, to = t("chart.from_dept", lang), t("chart.to_dept", lang)
    handoffs = t("chart.handoffs", lang)
    base = alt.Chart(frame).encode(
        x=alt.X("to_dept:N", title=to, axis=alt.Axis(labelAngle=-40, labelLimit=LABEL_LIMIT,
                                                     labelOverlap=False, orient="top")),
        y=_names("from_dept", from_))
    cells = base.mark_rect().encode(
        color=alt.Color("handoffs:Q", title=handoffs, scale=alt.Scale(scheme="blues"),
                        legend=alt.Legend(format="d", tickMinStep=1)),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.5)),
        tooltip=[alt.Tooltip("from_dept:N", title=from_), alt.Tooltip("to_dept:N", title=to),
                 alt.Tooltip("handoffs:Q", title=handoffs, format="d"),
                 alt.Tooltip("median_hours:Q", title=t("chart.median_hours", lang),
                             format=".1f"),
                 alt.Tooltip("return_rate:Q", title=t("chart.return_rate", lang), format=".0%")],
    ).add_params(pick)
    labels = base.mark_text(fontSize=12).encode(text=alt.Text("handoffs:Q", format="d"))
    return (cells + labels).properties(height=alt.Step(2 * ROW))


def bars(frame: pd.DataFrame, category: str, value: str, lang: str, *, colour: str = "#4c78a8",
         stack: str | None = None, series: alt.Color | None = None) -> alt.Chart:
    """Horizontal bars of a count `value` per `category`, optionally stacked by the field
    `stack`, coloured by `series`."""
    name, amount = t(f"col.{category}", lang), t(f"col.{value}", lang)
    tooltip = [alt.Tooltip(f"{category}:N", title=name),
               alt.Tooltip(f"{value}:Q", title=amount, format="d")]
    encoding = {"x": alt.X(**_count(value, amount)), "y": _names(category, name, sort="-x")}
    if stack:
        encoding["color"] = series
        tooltip.append(alt.Tooltip(f"{stack}:N", title=t(f"col.{stack}", lang)))
    mark = alt.Chart(frame).mark_bar() if stack else alt.Chart(frame).mark_bar(color=colour)
    return mark.encode(**encoding, tooltip=tooltip).properties(height=alt.Step(ROW))


def returns(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Returns per department, stacked by the reason given (department, category, returns),
    the reasons already translated."""
    reason = _series("category", t("col.category", lang), RETURN_CATEGORIES, lang, "return")
    return bars(frame, "department", "returns", lang, stack="category", series=reason)


def cycle(frame: pd.DataFrame, label: str, lang: str) -> alt.Chart:
    """Median days to resolve per unit or person, with a tick at the tier's median."""
    name, days_ = t(f"col.{label}", lang), t("col.median_cycle_days", lang)
    tier_days = t("col.tier_median_cycle_days", lang)
    data = frame.assign(median_cycle_days=frame["median_cycle_days"].astype(float),
                        tier_median_cycle_days=frame["tier_median_cycle_days"].astype(float))
    base = alt.Chart(data).encode(y=_names(label, name, sort="x"))
    days = base.mark_bar(color="#4c78a8").encode(
        x=alt.X("median_cycle_days:Q", title=days_, axis=alt.Axis(format=".1f")),
        tooltip=[alt.Tooltip(f"{label}:N", title=name),
                 alt.Tooltip("median_cycle_days:Q", title=days_, format=".1f"),
                 alt.Tooltip("tier_median_cycle_days:Q", title=tier_days, format=".1f")])
    tier = base.mark_tick(color="#c0392b", thickness=2, size=18).encode(
        x="tier_median_cycle_days:Q")
    return (days + tier).properties(height=alt.Step(ROW))
