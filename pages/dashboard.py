"""Dashboard: today's figures and cases per day for the units in my scope."""

import streamlit as st

from components import charts, tiles
from components.feedback import reported
from components.guard import require_page
from components.i18n import lang, tr
from portal import clock, metrics
from portal.access import Actor
from portal.uow import UnitOfWork

actor = require_page("dashboard")
st.title(tr("page.dashboard"))


# Shared by every viewer with the same scope, so the database work does not grow with viewers.
@st.cache_data(ttl=10, show_spinner=False)
def figures(scope: Actor):
    return metrics.kpis(UnitOfWork(), scope), metrics.cases_per_day(UnitOfWork(), scope), clock.now()


with reported():
    kpis, per_day, as_of = figures(actor)
    st.caption(tr("dash.caption", unit=actor.unit_name(lang()), time=f"{as_of:%Y-%m-%d %H:%M:%S}"))
    tiles.kpi_row({"kpi.received_today": kpis.received_today, "kpi.open": kpis.open,
                   "kpi.overdue": kpis.overdue, "kpi.resolved_today": kpis.resolved_today})
    st.subheader(tr("chart.per_day"))
    st.altair_chart(charts.per_day(per_day, lang()), width="stretch")
