"""A warning, for those who keep the holiday calendar, that it ends within the next 90 days."""

from __future__ import annotations

import streamlit as st

from components.i18n import tr
from portal.access import Actor
from portal.admin import holidays
from portal.uow import UnitOfWork


def calendar_notice(actor: Actor) -> None:
    end = holidays.calendar_ends(UnitOfWork(), actor)
    if end is not None:
        st.warning(tr("holidays.ends", end=end.isoformat()), icon=":material/event_busy:")
