"""What the server knows of the browser's request: where it came from and its user agent."""

from __future__ import annotations

import streamlit as st

from portal import clients

# Streamlit hides a loopback peer (its ip_address is then None): on a server, that peer is
# the proxy on the same host.
LOOPBACK = "127.0.0.1"


def client_address() -> str:
    """The browser's address, read through the city's trusted reverse proxy."""
    return clients.origin(st.context.ip_address or LOOPBACK, st.context.headers).address


def user_agent() -> str:
    headers = st.context.headers
    return (headers.get("User-Agent") or "")[:300] if headers else ""
