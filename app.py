"""Entrypoint and router: log-in, the page registry filtered by role, st.navigation."""

from __future__ import annotations

import streamlit as st
from sqlalchemy.exc import DBAPIError
from streamlit_authenticator.utilities import LoginError

from components import auth
from components.i18n import language_switch, tr
from components.navigation import account_box, menu

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
    navigation = st.navigation({tr("section.account"): [login], **menu(None)})
else:
    navigation = st.navigation(menu(actor.role))
    account_box(authenticator, actor)
navigation.run()
