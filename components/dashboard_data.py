"""The dashboard's figures, shared by every viewer of the same scope and filters for a few
seconds.

Forty screens watching one scope cost the database what one does: the first viewer after
the time-to-live runs the queries, the others read the cached result.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from portal import clock, flows, league, metrics, settings
from portal.access import Scope
from portal.uow import UnitOfWork

EVERYTHING = metrics.Filters()


@st.cache_data(ttl=settings.DASHBOARD_CACHE_SECONDS, show_spinner=False)
def figures(scope: Scope, flt: metrics.Filters = EVERYTHING, lang: str = "zh") -> metrics.Overview:
    return metrics.overview(UnitOfWork(), scope, flt, lang)


@st.cache_data(ttl=settings.DASHBOARD_CACHE_SECONDS, show_spinner=False)
def together(scope: Scope, flt: metrics.Filters = EVERYTHING, lang: str = "zh") -> flows.Flows:
    return flows.flows(UnitOfWork(), scope, flt, lang)


@st.cache_data(ttl=settings.DASHBOARD_CACHE_SECONDS, show_spinner=False)
def efficiency(scope: Scope, flt: metrics.Filters = EVERYTHING,
               lang: str = "zh") -> tuple[pd.DataFrame, pd.DataFrame, dt.datetime]:
    return (*league.tables(UnitOfWork(), scope, flt, lang), clock.now())
