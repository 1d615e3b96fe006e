"""Dashboard: today's figures and cases per day for the units in my scope, redrawn live."""

import streamlit as st

from components import charts, tiles
from components.dashboard_data import figures
from components.feedback import reported
from components.guard import require_page
from components.i18n import lang, tr
from portal import metrics, settings

actor = require_page("dashboard")
st.title(tr("page.dashboard"))
scope = metrics.scope_for(actor)


# Only this part reruns on the timer: the rest of the page (and its filters) stays as it is.
@st.fragment(run_every=settings.DASHBOARD_REFRESH_SECONDS)
def live() -> None:
    with reported():
        data = figures(scope)
        st.caption(tr("dash.caption", unit=actor.unit_name(lang()),
                      time=f"{data.as_of:%Y-%m-%d %H:%M:%S}"))
        kpis = data.kpis
        tiles.kpi_row({"kpi.received_today": kpis.received_today, "kpi.open": kpis.open,
                       "kpi.overdue": kpis.overdue, "kpi.resolved_today": kpis.resolved_today})
        st.subheader(tr("chart.per_day"))
        st.altair_chart(charts.per_day(data.per_day, lang()), width="stretch")


live()
