"""The log-in gate: streamlit-authenticator keeps the session and its cookie; portal.accounts decides.

Every run: a visitor with a cookie is signed in only if the users table still accepts that
cookie; a signed-in session is ended when an admin or the user ended it, or after the
inactivity limit.
"""

from __future__ import annotations

import datetime as dt

import jwt
import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities import LoginError

from components.i18n import tr, use_profile_language
from db.config import cookie_key
from portal import accounts, clock, settings
from portal.access import Actor
from portal.uow import UnitOfWork

COOKIE_NAME = "portal_auth"
COOKIE_DAYS = 1.0
ACTOR_KEY = "actor"
SINCE_KEY = "signed_in_since"  # when this session's log-in (or its cookie) was issued
SEEN_KEY = "last_click"
STORED_SEEN_KEY = "last_seen_stored"
NOTICE_KEY = "sign_in_notice"
MUST_CHANGE_KEY = "must_change_password"
AUTHENTICATOR_KEY = "authenticator"
COOKIE_TO_WRITE_KEY = "cookie_to_write"
# The users table learns of activity at most this often (it refuses idle cookies).
SEEN_WRITE_SECONDS = 60


def signed_in() -> bool:
    return st.session_state.get("authentication_status") is True


def authenticator() -> stauth.Authenticate:
    """Build the authenticator for this run, told of the one user it may sign in now.

    It draws the (invisible) cookie component, so it is built once per run, before any page.
    """
    return stauth.Authenticate(
        accounts.credentials(UnitOfWork(), _candidate()),
        cookie_name=COOKIE_NAME,
        cookie_key=cookie_key(),
        cookie_expiry_days=COOKIE_DAYS,
        auto_hash=False,
        login_sleep_time=0,  # the default sleeps on every logged-out run
    )


def _candidate() -> str | None:
    if signed_in():
        return st.session_state.get("username")
    if typed := st.session_state.get("login_username"):
        return typed.strip().lower()
    if provider := _provider_user():
        return provider
    token = _cookie()
    return token[0] if token else None


def _provider_signed_in() -> bool:
    """Whether the city's identity provider has signed this browser in (st.login)."""
    return settings.current().identity_provider and bool(st.user.get("is_logged_in"))


def _provider_user() -> str | None:
    """The portal user the identity provider's signed-in user is mapped to, if any."""
    if not _provider_signed_in():
        return None
    return accounts.by_identity(UnitOfWork(), {k: st.user.get(k) for k in ("email", "sub")})


def _cookie() -> tuple[str, dt.datetime] | None:
    """The username and issue time of this browser's log-in cookie, if it carries a valid one."""
    raw = st.context.cookies.get(COOKIE_NAME)
    if not raw:
        return None
    try:
        token = jwt.decode(raw, cookie_key(), algorithms=["HS256"])
        issued = float(token["exp_date"]) - COOKIE_DAYS * 86400
        return str(token["username"]), dt.datetime.fromtimestamp(issued, clock.TZ)
    except (jwt.PyJWTError, KeyError, TypeError, ValueError):
        return None


def resume(auth: stauth.Authenticate) -> None:
    """Sign a new session in from its cookie, if the users table still accepts that cookie."""
    if signed_in() or st.session_state.get("logout"):
        return
    if _provider_signed_in():
        username = _provider_user()
        if username and _token_login(auth, username):
            st.session_state[SINCE_KEY] = clock.now()
        else:
            st.session_state[NOTICE_KEY] = "login.provider_unknown"
        return
    token = _cookie()
    if token is None:
        return
    username, issued = token
    refusal = accounts.cookie_refused(UnitOfWork(), username, issued)
    if refusal is None and _token_login(auth, username):
        st.session_state[SINCE_KEY] = issued
    else:
        # The library must not sign in from it either; a password log-in replaces it.
        st.session_state["logout"] = True
        st.session_state[NOTICE_KEY] = refusal or "login.session_ended"


def _token_login(auth: stauth.Authenticate, username: str) -> bool:
    try:
        auth.authentication_controller.login(token={"username": username})
    except LoginError:  # not the user this run's authenticator was built for
        return False
    return True


def refresh_actor(auth: stauth.Authenticate) -> Actor | None:
    """Re-read the signed-in user; end the session if it was ended or has been idle too long.

    app.py calls this once per run; the page guard reads the result from the session.
    """
    actor, must_change = None, False
    if signed_in() and st.session_state.get("username"):
        now = clock.now()
        idle = dt.timedelta(minutes=settings.current().session_idle_minutes)
        last = st.session_state.get(SEEN_KEY)
        found = accounts.signed_in(UnitOfWork(), st.session_state["username"],
                                   st.session_state.get(SINCE_KEY))
        if found is None:
            end_session(auth, "login.session_ended")
        elif last is not None and now - last > idle:
            end_session(auth, "login.session_expired")
        else:
            actor, must_change = found.actor, found.must_change_password
            _note_activity(actor, now)
    st.session_state[ACTOR_KEY] = actor
    st.session_state[MUST_CHANGE_KEY] = must_change
    if actor is not None:
        use_profile_language(actor.language)
    return actor


def _note_activity(actor: Actor, now: dt.datetime) -> None:
    st.session_state[SEEN_KEY] = now
    stored = st.session_state.get(STORED_SEEN_KEY)
    if stored is None or (now - stored).total_seconds() >= SEEN_WRITE_SECONDS:
        accounts.seen(UnitOfWork(), actor.id)
        st.session_state[STORED_SEEN_KEY] = now


def end_session(auth: stauth.Authenticate, notice: str) -> None:
    """Sign out this session and delete its cookie, telling the user why on the log-in page."""
    auth.logout(location="unrendered")
    forget_actor()
    st.session_state[NOTICE_KEY] = notice
    leave_provider()


def leave_provider() -> None:
    """Sign out at the identity provider too, or its cookie would sign the user in again."""
    if st.user.get("is_logged_in"):
        st.logout()


def forget_actor() -> None:
    st.session_state[ACTOR_KEY] = None
    for key in (SINCE_KEY, SEEN_KEY, STORED_SEEN_KEY):
        st.session_state.pop(key, None)


def current_actor() -> Actor | None:
    return st.session_state.get(ACTOR_KEY)


def must_change_password() -> bool:
    return bool(st.session_state.get(MUST_CHANGE_KEY))


def restart_session(since: dt.datetime) -> None:
    """After the user's own password change: this session goes on, with a fresh cookie."""
    st.session_state[SINCE_KEY] = since
    st.session_state[MUST_CHANGE_KEY] = False
    if auth := st.session_state.get(AUTHENTICATOR_KEY):
        write_cookie(auth, st.session_state["username"])


def write_cookie(auth: stauth.Authenticate, username: str) -> None:
    """Write the log-in cookie, in the library's format, through its cookie component.

    The component writes the cookie only once it has drawn in the browser, and a rerun that
    comes first (after a log-out in the same tab one always did) takes it away unwritten; so
    the cookie is drawn again on every run (`keep_writing_cookie`) until the browser has it.
    """
    expires = dt.datetime.now() + dt.timedelta(days=COOKIE_DAYS)
    token = jwt.encode({"username": username, "exp_date": expires.timestamp()}, cookie_key(),
                       algorithm="HS256")
    st.session_state[COOKIE_TO_WRITE_KEY] = (token, expires)
    keep_writing_cookie(auth)


def keep_writing_cookie(auth: stauth.Authenticate) -> None:
    """Draw the cookie still to be written, until the browser reports having it."""
    if not (pending := st.session_state.get(COOKIE_TO_WRITE_KEY)):
        return
    token, expires = pending
    manager = auth.cookie_controller.cookie_model.cookie_manager
    if (manager.cookies or {}).get(COOKIE_NAME) == token:
        del st.session_state[COOKIE_TO_WRITE_KEY]
        return
    manager.set(COOKIE_NAME, token, key=f"set_cookie_{expires.timestamp()}", expires_at=expires)


def login_page(auth: stauth.Authenticate) -> None:
    """The log-in form. Never st.rerun() after a success: the cookie would not be written."""
    st.title(tr("app.title"))
    st.caption(tr("login.intro"))
    if notice := st.session_state.get(NOTICE_KEY):
        st.info(tr(notice))
    if settings.current().identity_provider:
        if "auth" in st.secrets:
            if st.button(tr("login.provider"), type="primary", key="login_provider"):
                st.login()
            st.caption(tr("login.admins_only"))
        else:
            st.error(tr("login.provider_missing"))
    # Not cleared on submit: a click lost in a rerun (the cookie reader's, on a fresh page)
    # would leave the person retyping both fields.
    with st.form("login"):
        st.subheader(tr("login.form"))
        username = st.text_input(tr("login.username"), key="login_username", autocomplete="off")
        password = st.text_input(tr("login.password"), type="password", key="login_password",
                                 autocomplete="off")
        submitted = st.form_submit_button(tr("login.submit"))
    if submitted:
        _attempt(auth, username.strip().lower(), password)


def _attempt(auth: stauth.Authenticate, username: str, password: str) -> None:
    attempt = accounts.log_in(UnitOfWork(), username, password)
    if attempt.ok and _token_login(auth, username):
        write_cookie(auth, username)
        st.session_state[SINCE_KEY] = clock.now()
        st.session_state.pop(NOTICE_KEY, None)
        st.success(tr("login.welcome"))
        return
    st.session_state["authentication_status"] = False
    if attempt.provider_only:
        st.error(tr("login.provider_only"))
    elif attempt.locked_until:
        until = clock.local(attempt.locked_until).strftime("%H:%M")
        st.error(tr("login.locked", until=until))
    elif attempt.too_long:
        st.error(tr("password.error.too_long"))
    else:
        st.error(tr("login.failed"))
