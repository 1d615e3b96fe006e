"""The dashboard's figures, shared by every viewer of the same scope for a few seconds.

Forty screens watching one scope cost the database what one does: the first viewer after
the time-to-live runs the queries, the others read the cached result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from portal import clock, metrics, settings
from portal.access import Scope
from portal.uow import UnitOfWork


@dataclass(frozen=True)
class Figures:
    kpis: metrics.Kpis
    per_day: pd.DataFrame
    as_of: dt.datetime  # when the queries ran


@st.cache_data(ttl=settings.DASHBOARD_CACHE_SECONDS, show_spinner=False)
def figures(scope: Scope) -> Figures:
    return Figures(metrics.kpis(UnitOfWork(), scope), metrics.cases_per_day(UnitOfWork(), scope),
                   clock.now())
