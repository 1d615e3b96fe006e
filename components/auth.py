"""The log-in gate: who this browser session is, checked against the server's sessions on every
run; the log-in form; log-out.

The browser keeps its session token only in an HttpOnly cookie that page scripts cannot read;
the server reads it from the request (st.context.cookies), so a reload or a deep link opened
first after a restart is signed in on its first and only run. A log-in creates the session
here and sends the browser once through /session/start (server.py), which sets the cookie.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import streamlit as st
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from components.i18n import tr, use_profile_language
from components.request import client_address, user_agent
from portal import clock, registry, settings
from portal.access import Actor
from portal.accounts import accounts, sessions
from portal.uow import UnitOfWork

TOKEN_KEY = "session_token"  # this browser session's token: from the cookie, or its log-in
REFUSED_KEY = "session_refused"  # the cookie's token, once found ended: not asked about again
SESSION_ID_KEY = "session_id"
TOUCHED_KEY = "session_touched"  # when this session's last click was written
ACTOR_KEY = "actor"
NOTICE_KEY = "sign_in_notice"
MUST_CHANGE_KEY = "must_change_password"


def refresh_actor() -> Actor | None:
    """Who is signed in now; app.py calls this once per run, the page guard reads the result.

    One small query per run (portal.accounts.sessions.current): the session, its user and unit, so an
    ended session, a deactivated user or a changed role takes effect on the next click.
    """
    actor, must_change, session_id = None, False, None
    if not _token() and _provider_signed_in():
        _sign_in_from_provider()
    if token := _token():
        now = clock.now()
        touched = st.session_state.get(TOUCHED_KEY)
        touch = touched is None or now - touched >= sessions.TOUCH_EVERY
        found = sessions.current(UnitOfWork(), token, touch=touch)
        if isinstance(found, str):
            _forget(token, found)
        else:
            actor, must_change, session_id = (found.actor, found.must_change_password,
                                              found.session_id)
            st.session_state[TOKEN_KEY] = token
            if touch:
                st.session_state[TOUCHED_KEY] = now
    st.session_state[ACTOR_KEY] = actor
    st.session_state[MUST_CHANGE_KEY] = must_change
    st.session_state[SESSION_ID_KEY] = session_id
    if actor is not None:
        use_profile_language(actor.language)
    return actor


def _token() -> str | None:
    if token := st.session_state.get(TOKEN_KEY):
        return token
    cookie = st.context.cookies.get(sessions.COOKIE)
    if not isinstance(cookie, str) or cookie == st.session_state.get(REFUSED_KEY):
        return None
    return cookie


def _forget(token: str, notice: str | None = None) -> None:
    """This browser session is signed out; the cookie it came with is not tried again."""
    st.session_state[REFUSED_KEY] = token
    for key in (TOKEN_KEY, TOUCHED_KEY, SESSION_ID_KEY):
        st.session_state.pop(key, None)
    st.session_state[ACTOR_KEY] = None
    if notice:
        st.session_state[NOTICE_KEY] = notice


def current_actor() -> Actor | None:
    return st.session_state.get(ACTOR_KEY)


def keep_language(language: str) -> None:
    """The signed-in user's choice of language, saved with their account."""
    if (actor := current_actor()) is not None:
        accounts.set_language(UnitOfWork(), actor, language)


def current_session_id() -> int | None:
    return st.session_state.get(SESSION_ID_KEY)


def must_change_password() -> bool:
    return bool(st.session_state.get(MUST_CHANGE_KEY))


def _sign_in(user_id: int, role: str) -> None:
    """Start a session; the browser then fetches its cookie and comes back to the same page."""
    started = sessions.start(UnitOfWork(), user_id, client_address(), user_agent())
    st.session_state[TOKEN_KEY] = started.token
    st.session_state.pop(NOTICE_KEY, None)
    redirect("/session/start?" + urlencode({"h": started.handover, "next": _asked_for(role)}))


def _asked_for(role: str) -> str:
    """The page this browser asked for (a deep link), to come back to after the log-in; the
    role's first page is its home, at the root."""
    key = urlsplit(st.context.url or "").path.rstrip("/").rsplit("/", 1)[-1]
    pages = [page.key for page in registry.pages_for(role)]
    return f"/{key}" if key in pages[1:] else "/"


def redirect(path: str) -> None:
    """Send the browser to `path` of this server, the way st.login sends it to the identity
    provider; the page it leaves is not drawn again."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    message = ForwardMsg()
    message.auth_redirect.url = f"/{base}{path}" if base else path
    if (context := get_script_run_ctx()) is not None:
        context.enqueue(message)


def log_out() -> None:
    """End this session on the server, then have the browser drop its cookie."""
    if token := st.session_state.get(TOKEN_KEY):
        sessions.end(UnitOfWork(), token)
        _forget(token)
    if st.user.get("is_logged_in"):
        st.logout()  # the identity provider's cookie would sign the user in again
    else:
        redirect("/session/end")


def _provider_signed_in() -> bool:
    """Whether the city's identity provider has signed this browser in (st.login)."""
    return settings.current().identity_provider and bool(st.user.get("is_logged_in"))


def _sign_in_from_provider() -> None:
    """A browser the provider signed in gets a portal session as the user it is mapped to."""
    if st.session_state.get(NOTICE_KEY) == "login.provider_unknown":
        return
    username = accounts.by_identity(UnitOfWork(), {k: st.user.get(k) for k in ("email", "sub")})
    found = accounts.signed_in(UnitOfWork(), username) if username else None
    if found is None:
        st.session_state[NOTICE_KEY] = "login.provider_unknown"
        return
    _sign_in(found.actor.id, found.actor.role)


def login_page() -> None:
    """The log-in form."""
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
    with st.form("login", clear_on_submit=True):
        st.subheader(tr("login.form"))
        username = st.text_input(tr("login.username"), key="login_username", autocomplete="off")
        password = st.text_input(tr("login.password"), type="password", key="login_password",
                                 autocomplete="off")
        submitted = st.form_submit_button(tr("login.submit"))
    if submitted:
        _attempt(username.strip().lower(), password)


def _attempt(username: str, password: str) -> None:
    attempt = accounts.log_in(UnitOfWork(), username, password)
    if attempt.ok and attempt.user_id is not None and attempt.role is not None:
        _sign_in(attempt.user_id, attempt.role)
        st.success(tr("login.welcome"))
        st.stop()
    if attempt.provider_only:
        st.error(tr("login.provider_only"))
    elif attempt.demo_password:
        st.error(tr("login.demo_password"))
    elif attempt.locked_until:
        until = clock.local(attempt.locked_until).strftime("%H:%M")
        st.error(tr("login.locked", until=until))
    elif attempt.too_long:
        st.error(tr("password.error.too_long"))
    else:
        st.error(tr("login.failed"))
