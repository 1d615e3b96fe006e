"""My account: who I am in the portal, and my password (which an admin's reset makes me change)."""

import streamlit as st

from components import auth
from components.feedback import acted, show_confirmation
from components.guard import page_title, require_page
from components.i18n import lang, language_picker, tr
from portal import settings
from portal.accounts import accounts
from portal.uow import UnitOfWork

actor = require_page("account")
page_title("account")
show_confirmation()
if auth.must_change_password():
    st.warning(tr("account.must_change"))
st.caption(tr("app.signed_in_as", name=actor.display_name, role=tr(f"role.{actor.role}"),
              unit=actor.unit_name(lang())))
language_picker(st, "lang_account", auth.keep_language)
st.caption(tr("account.language_kept"))

with st.form("password", clear_on_submit=True):
    st.subheader(tr("account.change_password"))
    current = st.text_input(tr("account.current"), type="password", key="pw_current")
    new = st.text_input(tr("account.new"), type="password", key="pw_new",
                        help=tr("account.rules", n=settings.current().password_min_length))
    repeat = st.text_input(tr("account.repeat"), type="password", key="pw_repeat")
    submitted = st.form_submit_button(tr("account.save"), type="primary")
if submitted:
    if new != repeat:
        st.error(tr("password.error.repeat"))
    else:
        def change() -> None:
            accounts.change_password(UnitOfWork(), actor, current, new, auth.current_session_id())
            st.session_state[auth.MUST_CHANGE_KEY] = False  # the whole menu opens now
        acted(change, tr("account.changed"))
