"""What the server knows of the browser's request: its address and its user agent."""

from __future__ import annotations

import streamlit as st

from portal import clients


def client_address() -> str:
    """The browser's address, read through the city's trusted reverse proxy if there is one."""
    headers = st.context.headers
    return clients.client_address(st.context.ip_address,
                                  headers.get("X-Forwarded-For") if headers else None)


def user_agent() -> str:
    headers = st.context.headers
    return (headers.get("User-Agent") or "")[:300] if headers else ""
