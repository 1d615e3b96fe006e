"""Entrypoint and router: log-in, the page registry filtered by role, st.navigation."""

from __future__ import annotations

import streamlit as st
from sqlalchemy.exc import DBAPIError

from components import auth
from components.i18n import language_switch, tr
from components.navigation import account_box, menu, password_menu

st.set_page_config(page_title="为民服务全程代理平台 Service Agent Portal",
                   page_icon=":material/support_agent:", layout="wide")
try:
    authenticator = auth.authenticator()
    auth.keep_writing_cookie(authenticator)
    # Sign in from the cookie before the page list is built, or deep links land on home.
    auth.resume(authenticator)
    actor = auth.refresh_actor(authenticator)
except DBAPIError:
    st.error(tr("error.database"))
    st.stop()
language_switch()  # after the profile's language is known
st.session_state[auth.AUTHENTICATOR_KEY] = authenticator  # for the password page's new cookie

if actor is None:
    login = st.Page(lambda: auth.login_page(authenticator), title=tr("page.login"),
                    icon=":material/login:", url_path="login", default=True)
    navigation = st.navigation({tr("section.account"): [login], **menu(None)})
elif auth.must_change_password():
    # After an admin's reset, nothing opens until the user has chosen a new password.
    navigation = st.navigation(password_menu())
    account_box(authenticator, actor)
else:
    navigation = st.navigation(menu(actor.role))
    account_box(authenticator, actor)
navigation.run()
