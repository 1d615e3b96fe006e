"""Entrypoint and router: log-in, the page registry filtered by role, st.navigation."""

from __future__ import annotations

import streamlit as st
from sqlalchemy.exc import DBAPIError
from streamlit_authenticator.utilities import LoginError

from components import auth
from components.i18n import lang, language_switch, tr
from portal import registry

st.set_page_config(page_title="为民服务全程代理平台 Service Agent Portal",
                   page_icon=":material/support_agent:", layout="wide")
try:
    authenticator = auth.authenticator()
    # Re-login from the cookie before the page list is built, or deep links land on home.
    authenticator.login(location="unrendered")
    actor = auth.refresh_actor()
except DBAPIError:
    st.error(tr("error.database"))
    st.stop()
except LoginError:
    # A cookie of a user who is no longer active: treat the visitor as logged out.
    auth.forget_actor()
    actor = None
language_switch()  # after the profile's language is known

if actor is None:
    login = st.Page(lambda: auth.login_page(authenticator), title=tr("page.login"),
                    icon=":material/login:", url_path="login", default=True)
    navigation = st.navigation([login])
else:
    sections: dict[str, list[st.Page]] = {}
    for spec in registry.pages_for(actor.role):
        sections.setdefault(tr(spec.section), []).append(
            st.Page(spec.file, title=tr(spec.title), icon=spec.icon, url_path=spec.key))
    navigation = st.navigation(sections)
    with st.sidebar:
        st.caption(tr("app.signed_in_as", name=actor.display_name, role=tr(f"role.{actor.role}"),
                      unit=actor.unit_name(lang())))
        authenticator.logout(tr("app.logout"), location="sidebar", key="logout_button")
    if not auth.signed_in():
        # Logged out this run: no page renders with the old identity. No st.rerun() here,
        # or the cookie is never deleted; its deletion reruns the app by itself.
        auth.forget_actor()
navigation.run()
