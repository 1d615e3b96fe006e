"""Dashboard: how the units in my scope are doing, how departments work together, and how
efficiently; redrawn live."""

import streamlit as st

from components import dashboard_data, dashboard_view
from components.calendar_notice import calendar_notice
from components.catalogue import category_options
from components.feedback import reported
from components.guard import page_title, require_page
from components.i18n import lang, tr
from components.printing import print_button
from portal import clock, settings
from portal.dashboard import flows, metrics
from portal.uow import UnitOfWork

actor = require_page("dashboard")
page_title("dashboard")
with reported():
    calendar_notice(actor)
scope = metrics.scope_for(actor)
flt = dashboard_view.filters(actor, category_options())
print_button()


SECTIONS = {"overview": "dash.tab.overview", "together": "dash.tab.together",
            "efficiency": "dash.tab.efficiency"}
section = st.segmented_control(tr("dash.section"), list(SECTIONS), default="overview",
                               format_func=lambda key: tr(SECTIONS[key]), key="dash_section",
                               label_visibility="collapsed") or "overview"


# Only this part reruns on the timer: the filters and the section keep what the manager chose.
# Only the section shown is computed.
@st.fragment(run_every=settings.current().dashboard_refresh_seconds)
def live() -> None:
    language = lang()
    with reported():
        if section == "overview":
            drawn = dashboard_data.figures(scope, flt, language)
            as_of(drawn.as_of)
            dashboard_view.overview(drawn, actor)
        elif section == "together":
            drawn = dashboard_data.together(scope, flt, language)
            as_of(drawn.as_of)
            dashboard_view.together(drawn, flt.period(clock.today()),
                                    lambda sender, receiver: flows.handoffs_between(
                                        UnitOfWork.reading(), scope, flt, sender, receiver,
                                        language))
        else:
            drawn = dashboard_data.efficiency(scope, flt, language)
            as_of(drawn.as_of)
            dashboard_view.efficiency(drawn, flt.period(clock.today()))


def as_of(moment) -> None:
    st.caption(tr("dash.caption", unit=actor.unit_name(lang()), time=f"{moment:%Y-%m-%d %H:%M:%S}"))


live()
