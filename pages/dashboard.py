"""Dashboard: today's figures, backlog, overdue, mix and satisfaction for my scope, live."""

import streamlit as st

from components import charts, dashboard_view
from components.catalogue import category_options
from components.dashboard_data import figures
from components.feedback import reported
from components.guard import require_page
from components.i18n import lang, tr
from components.printing import print_button
from portal import metrics, settings

actor = require_page("dashboard")
st.title(tr("page.dashboard"))
scope = metrics.scope_for(actor)
flt = dashboard_view.filters(actor, category_options())
print_button()


# Only this part reruns on the timer: the filters above keep what the manager chose.
@st.fragment(run_every=settings.DASHBOARD_REFRESH_SECONDS)
def live() -> None:
    with reported():
        language = lang()
        data = figures(scope, flt, language)
        st.caption(tr("dash.caption", unit=actor.unit_name(language),
                      time=f"{data.as_of:%Y-%m-%d %H:%M:%S}"))
        dashboard_view.tiles(data.tiles)
        view = dashboard_view.chart
        left, right = st.columns(2)
        with left:
            view("chart.per_day", charts.per_day(data.per_day, language), data.per_day, "per_day")
        with right:
            view("chart.backlog", charts.backlog(data.backlog, language), data.backlog, "backlog")
        left, right = st.columns(2)
        with left:
            view("chart.by_status_tier", charts.by_status_tier(data.by_status_tier, language),
                 data.by_status_tier, "by_status_tier")
        with right:
            picked = view("chart.overdue_by_unit",
                          charts.overdue_by_unit(data.overdue_by_unit, language),
                          data.overdue_by_unit, "overdue_by_unit", on_select="rerun")
            st.caption(tr("dash.overdue_click"))
            open_queue(picked, data.overdue_by_unit)
        start, end = data.period
        st.caption(tr("dash.period_caption", start=start.isoformat(), end=end.isoformat()))
        left, right = st.columns(2)
        with left:
            view("chart.service_mix", charts.service_mix(data.service_mix, language),
                 data.service_mix, "service_mix")
        with right:
            view("chart.satisfaction", charts.satisfaction(data.satisfaction, language),
                 data.satisfaction, "satisfaction")


def open_queue(picked, frame) -> None:
    """A click on a unit's bar opens the queue of that unit."""
    chosen = (picked or {}).get("selection", {}).get("unit") or []
    if chosen:
        unit_id = int(chosen[0]["unit_id"])
        name = frame.loc[frame["unit_id"] == unit_id, "unit"].iloc[0]
        st.session_state["queue_unit"] = (unit_id, name)
        st.session_state["queue_view"] = "subtree" if actor.sees_subtree else "unit"
        st.switch_page("pages/queue.py")


live()
