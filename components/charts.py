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
