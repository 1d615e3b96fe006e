"""Entrypoint and router: log-in, the page registry filtered by role, st.navigation."""

from __future__ import annotations

import streamlit as st
from sqlalchemy.exc import DBAPIError

from components import auth
from components.i18n import lang, language_picker, tr
from components.navigation import (
    account_box,
    actor_menu,
    login_menu,
    password_menu,
    screen_css,
)

st.set_page_config(page_title="为民服务全程代理平台 Service Agent Portal",
                   page_icon=":material/support_agent:", layout="wide")
try:
    # Before the page list is built, so that a deep link opens its page on the first run.
    actor = auth.refresh_actor()
except DBAPIError:
    st.error(tr("error.database"))
    st.stop()
# After the profile's language is known; a signed-in user's choice is kept with the account.
language_picker(st.sidebar, "lang_sidebar", auth.keep_language if actor else None)
st.html(screen_css(lang()))

if actor is None:
    navigation = st.navigation(login_menu())
elif auth.must_change_password():
    # After an admin's reset, nothing opens until the user has chosen a new password.
    navigation = st.navigation(password_menu())
    account_box(actor)
else:
    # Every page in view: folded, an admin's fifteen would end in Streamlit's English
    # "View 5 more".
    navigation = st.navigation(actor_menu(actor), expanded=True)
    account_box(actor)
navigation.run()
