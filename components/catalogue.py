"""The service catalogue as the pages list it, shared by every session for a minute."""

from __future__ import annotations

import streamlit as st

from portal import units
from portal.intake import intake
from portal.uow import UnitOfWork


@st.cache_data(ttl=60, show_spinner=False)
def service_options() -> list[tuple[str, str, str, int]]:
    """(code, name_zh, name_en, time limit) of every active service type."""
    return intake.services(UnitOfWork())


@st.cache_data(ttl=60, show_spinner=False)
def department_options(lang: str) -> list[tuple[int, str]]:
    """(id, name) of every department."""
    return units.departments(UnitOfWork(), lang)


@st.cache_data(ttl=60, show_spinner=False)
def town_options(lang: str) -> list[tuple[str, str]]:
    """(code, name) of every township."""
    return units.towns(UnitOfWork(), lang)


@st.cache_data(ttl=60, show_spinner=False)
def category_options() -> list[str]:
    """The service categories in use."""
    return intake.categories(UnitOfWork())
