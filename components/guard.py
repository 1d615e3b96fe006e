"""The guard every page file starts with: no data, chart or form unless the user may open the page.

Navigation only hides pages. Left to itself Streamlit would run a file of pages/ directly
when its URL is a fresh server's first request (server.py switches that off), and any code
that runs a page file by itself (AppTest does) must meet the same refusal.
"""

from __future__ import annotations

import streamlit as st

from components.auth import current_actor, must_change_password
from components.feedback import PAGE_KEY
from components.i18n import lang, tr
from portal import registry
from portal.access import Actor, may_open


def public_page(page_key: str) -> Actor | None:
    """For pages open to everyone: the logged-in actor, if any."""
    assert registry.page(page_key).public, page_key
    st.session_state[PAGE_KEY] = page_key
    return current_actor()


def require_page(page_key: str) -> Actor:
    """The logged-in actor, or stop the script with a refusal."""
    st.session_state[PAGE_KEY] = page_key
    actor = current_actor()
    if actor is None:
        st.warning(tr("guard.login_required"))
        st.markdown(f"[{tr('guard.go_login')}](/)")
        st.stop()
    if not may_open(actor.role, page_key):
        st.error(tr("guard.not_permitted"))
        st.stop()
    if must_change_password() and page_key != "account":
        st.warning(tr("account.must_change"))
        st.stop()
    return actor


def page_title(page_key: str) -> None:
    """The page's title from the registry, in the user's language."""
    st.title(registry.title(registry.page(page_key), lang()))
