"""The log-in gate: streamlit-authenticator backed by the users table."""

from __future__ import annotations

import streamlit as st
import streamlit_authenticator as stauth

from components.i18n import tr, use_profile_language
from db.config import cookie_key
from portal import accounts
from portal.access import Actor
from portal.uow import UnitOfWork

COOKIE_NAME = "portal_auth"
COOKIE_DAYS = 1.0
ACTOR_KEY = "actor"


def authenticator() -> stauth.Authenticate:
    """Build the authenticator for this run; it draws the (invisible) cookie reader."""
    username = st.session_state.get("username") if signed_in() else None
    # Logged-in runs load only their own row; the log-in form needs every active user.
    credentials = accounts.credentials(UnitOfWork(), username)
    return stauth.Authenticate(
        credentials,
        cookie_name=COOKIE_NAME,
        cookie_key=cookie_key(),
        cookie_expiry_days=COOKIE_DAYS,
        auto_hash=False,  # the users table holds bcrypt hashes already
        login_sleep_time=0,  # the default sleeps on every logged-out run
    )


def signed_in() -> bool:
    return st.session_state.get("authentication_status") is True


def refresh_actor() -> Actor | None:
    """Re-read the logged-in user from the database (a deactivated user is out at once).

    app.py calls this once per run; the page guard reads the result from the session.
    """
    actor = None
    if signed_in() and st.session_state.get("username"):
        actor = accounts.actor(UnitOfWork(), st.session_state["username"])
        if actor is None:
            # Deactivated or removed since logging in: back to the log-in form.
            st.session_state["authentication_status"] = None
            st.session_state["username"] = None
    st.session_state[ACTOR_KEY] = actor
    if actor is not None:
        use_profile_language(actor.language)
    return actor


def forget_actor() -> None:
    st.session_state[ACTOR_KEY] = None


def current_actor() -> Actor | None:
    return st.session_state.get(ACTOR_KEY)


def login_page(auth: stauth.Authenticate) -> None:
    """The log-in form. Never st.rerun() after a success: the cookie would not be written."""
    st.title(tr("app.title"))
    st.caption(tr("login.intro"))
    auth.login(
        location="main",
        key="login",
        fields={"Form name": tr("login.form"), "Username": tr("login.username"),
                "Password": tr("login.password"), "Login": tr("login.submit")},
    )
    status = st.session_state.get("authentication_status")
    if status is False:
        st.error(tr("login.failed"))
    elif status:
        st.success(tr("login.welcome"))
