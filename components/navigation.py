"""The menu built from the page registry, and the account box in the sidebar."""

from __future__ import annotations

import streamlit as st
import streamlit_authenticator as stauth

from components import auth
from components.i18n import lang, tr
from portal import registry
from portal.access import Actor


def menu(role: str | None) -> dict[str, list[st.Page]]:
    """The pages `role` may open (the public ones for a visitor), by menu section."""
    sections: dict[str, list[st.Page]] = {}
    for spec in registry.pages_for(role):
        sections.setdefault(tr(spec.section), []).append(
            st.Page(spec.file, title=registry.title(spec, lang()), icon=spec.icon, url_path=spec.key))
    return sections


def password_menu() -> dict[str, list[st.Page]]:
    """Only the password page, for a user who must choose a new password first."""
    spec = registry.page("account")
    return {tr(spec.section): [st.Page(spec.file, title=registry.title(spec, lang()), icon=spec.icon,
                                       url_path=spec.key, default=True)]}


def account_box(authenticator: stauth.Authenticate, actor: Actor) -> None:
    with st.sidebar:
        st.caption(tr("app.signed_in_as", name=actor.display_name, role=tr(f"role.{actor.role}"),
                      unit=actor.unit_name(lang())))
        authenticator.logout(tr("app.logout"), location="sidebar", key="logout_button")
    if not auth.signed_in():
        # Logged out this run: no page renders with the old identity. No st.rerun() here,
        # or the cookie is never deleted; its deletion reruns the app by itself.
        auth.forget_actor()
        st.session_state.pop(auth.NOTICE_KEY, None)
        auth.leave_provider()
