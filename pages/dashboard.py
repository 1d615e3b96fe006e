"""Dashboard: how the units in my scope are doing, how departments work together, and how
efficiently; redrawn live."""

import streamlit as st

from components import dashboard_data, dashboard_view
from components.catalogue import category_options
from components.feedback import reported
from components.guard import require_page
from components.i18n import lang, tr
from components.printing import print_button
from portal import clock, flows, metrics, settings
from portal.uow import UnitOfWork

actor = require_page("dashboard")
st.title(tr("page.dashboard"))
scope = metrics.scope_for(actor)
flt = dashboard_view.filters(actor, category_options())
print_button()


# Only this part reruns on the timer: the filters above keep what the manager chose.
@st.fragment(run_every=settings.DASHBOARD_REFRESH_SECONDS)
def live() -> None:
    language = lang()
    with reported():
        data = dashboard_data.figures(scope, flt, language)
        st.caption(tr("dash.caption", unit=actor.unit_name(language),
                      time=f"{data.as_of:%Y-%m-%d %H:%M:%S}"))
        overview, together, efficiency = st.tabs(
            [tr("dash.tab.overview"), tr("dash.tab.together"), tr("dash.tab.efficiency")])
        with overview:
            dashboard_view.overview(data, actor)
        with together:
            dashboard_view.together(
                dashboard_data.together(scope, flt, language), data.period,
                lambda sender, receiver: flows.handoffs_between(
                    UnitOfWork(), scope, flt, sender, receiver, language))
        with efficiency:
            dashboard_view.efficiency(*dashboard_data.efficiency(scope, flt, language),
                                      flt.period(clock.today()))


live()
