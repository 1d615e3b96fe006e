"""Signing in through the pages: lockout, an idle session, a forced change, ended sessions."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from components import auth
from db.config import ROOT
from portal import clock
from portal.accounts import accounts
from portal.admin import users
from portal.messages import t
from portal.uow import UnitOfWork
from tests.factories import GOOD_PASSWORD, session_token
from tests.test_pages import app, button


def log_in(at, username: str, password: str):
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    return at.button[0].click().run()


def infos(at) -> list[str]:
    return [e.value for e in at.info] + [e.value for e in at.error] + [e.value for e in at.warning]


def test_the_log_in_form_says_when_the_account_is_locked(committed_user):
    _, username = committed_user
    at = app().run()
    for _ in range(4):
        log_in(at, username, "wrong-password")
        assert infos(at) == [t("login.failed", "zh")]
    log_in(at, username, "wrong-password")
    assert infos(at)[0].startswith("登录失败次数过多")
    # A server restart changes nothing: the lock is in the users table.
    fresh = log_in(app().run(), username, GOOD_PASSWORD)
    assert auth.TOKEN_KEY not in fresh.session_state
    assert infos(fresh)[0].startswith("登录失败次数过多")


def test_a_password_over_72_bytes_gets_a_message(committed_user):
    _, username = committed_user
    at = log_in(app().run(), username, "密码" * 13)
    assert infos(at) == [t("password.error.too_long", "zh")]


def idle(token: str, minutes: float) -> None:
    """The session's last click, `minutes` ago."""
    from sqlalchemy import update

    from db.models import UserSession
    from portal.accounts import sessions
    with UnitOfWork() as uow:
        uow.session.execute(update(UserSession).where(
            UserSession.token_hash == sessions._digest(token)).values(
            last_seen_at=clock.now() - dt.timedelta(minutes=minutes)))
        uow.commit()


def test_an_idle_session_ends_with_a_notice(committed_user):
    _, username = committed_user
    token = session_token(username)
    idle(token, 29)
    assert app(token=token).run().session_state["actor"] is not None
    idle(token, 31)
    at = app(token=token).run()
    assert at.session_state["actor"] is None
    assert t("login.session_expired", "zh") in infos(at)


def session_of(token: str):
    """The portal opened again (a reload, another tab) by a browser holding `token`."""
    return app(token=token).run()


def test_a_reset_ends_the_session_and_forces_a_new_password(committed_user, actors):
    user_id, username = committed_user
    token = session_token(username)
    assert session_of(token).title[0].value == t("page.new_case", "zh")
    temporary = users.reset_password(UnitOfWork(), actors["admin"], user_id)
    at = session_of(token)
    assert at.session_state["actor"] is None
    assert t("login.session_ended", "zh") in infos(at)

    at = log_in(app().run(), username, temporary).run()
    own = at.session_state[auth.TOKEN_KEY]
    # Only the password page opens until a new password is chosen.
    assert at.title[0].value == t("page.account", "zh")
    assert t("account.must_change", "zh") in infos(at)
    with pytest.raises(ValueError, match="Known pages: .*account.py'\\]"):
        at.switch_page("pages/queue.py")
    # Opened by its file, as Streamlit allows before navigation, the page's guard refuses.
    direct = AppTest.from_file(str(ROOT / "pages/queue.py"))
    direct.session_state["actor"] = accounts.actor(UnitOfWork(), username)
    direct.session_state[auth.MUST_CHANGE_KEY] = True
    direct.run()
    assert not direct.title and infos(direct) == [t("account.must_change", "zh")]
    at.text_input(key="pw_current").input(temporary)
    at.text_input(key="pw_new").input("Qiaotou-new-31")
    at.text_input(key="pw_repeat").input("Qiaotou-new-31")
    button(at, "account.save").click().run()
    assert t("account.changed", "zh") in [s.value for s in at.success]
    assert session_of(own).title[0].value == t("page.new_case", "zh")


def test_a_weak_new_password_is_refused_with_the_reason(committed_user):
    _, username = committed_user
    at = app(username).run().switch_page("pages/account.py").run()
    at.text_input(key="pw_current").input(GOOD_PASSWORD)
    at.text_input(key="pw_new").input("汉" * 30)
    at.text_input(key="pw_repeat").input("汉" * 30)
    button(at, "account.save").click().run()
    assert infos(at) == [t("password.error.too_long", "zh")]


def test_changing_ones_password_ends_every_other_session_but_this_one(committed_user):
    _, username = committed_user
    elsewhere = session_token(username)  # signed in on another computer
    at = app(username).run().switch_page("pages/account.py").run()
    at.text_input(key="pw_current").input(GOOD_PASSWORD)
    at.text_input(key="pw_new").input("Qiaotou-new-31")
    at.text_input(key="pw_repeat").input("Qiaotou-new-31")
    button(at, "account.save").click().run()
    changed = t("account.changed", "zh")
    assert changed in [e.value for e in at.success]
    at.run()
    assert changed in [e.value for e in at.success] and at.session_state["actor"] is not None
    at.switch_page("pages/dashboard.py").run()
    assert changed not in [e.value for e in at.success]
    other = session_of(elsewhere)
    assert other.session_state["actor"] is None
    assert t("login.session_ended", "zh") in infos(other)


def test_deactivation_ends_a_session_at_its_next_click(committed_user, actors):
    user_id, username = committed_user
    token = session_token(username)
    assert session_of(token).session_state["actor"] is not None
    users.deactivate(UnitOfWork(), actors["admin"], user_id, None)
    at = session_of(token)
    assert at.session_state["actor"] is None
    assert t("login.session_ended", "zh") in infos(at)


def link_identity(user_id: int, external_id: str | None) -> None:
    from sqlalchemy import update

    from db.models import User
    with UnitOfWork() as uow:
        uow.session.execute(update(User).where(User.id == user_id).values(external_id=external_id))
        uow.commit()


AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "portal", "client_secret": "secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


def test_the_identity_provider_signs_in_the_user_it_is_linked_to(committed_user, tuned):
    user_id, username = committed_user
    tuned(identity_provider=True)
    link_identity(user_id, "liu.hong@laixi.gov.cn")
    at = app()
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "Liu.Hong@laixi.gov.cn", "sub": "8812"}
    at.run()
    assert at.session_state["actor"].username == username
    assert at.title[0].value == t("page.new_case", "zh")
    # Local passwords are now for admins only.
    assert accounts.log_in(UnitOfWork(), username, GOOD_PASSWORD).provider_only
    assert accounts.log_in(UnitOfWork(), "admin", "laixi2026").ok


def test_a_provider_account_linked_to_nobody_is_told_so(committed_user, tuned):
    tuned(identity_provider=True)
    at = app()
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "stranger@example.org"}
    at.run()
    assert at.session_state["actor"] is None
    assert t("login.provider_unknown", "zh") in infos(at)
    assert t("login.provider", "zh") in [b.label for b in at.button], infos(at)


def test_local_passwords_stay_the_default(committed_user):
    user_id, _ = committed_user
    link_identity(user_id, "liu.hong@laixi.gov.cn")
    at = app()
    at.user = {"is_logged_in": True, "email": "liu.hong@laixi.gov.cn"}
    at.run()
    assert at.session_state["actor"] is None  # the provider is not asked unless switched on
    assert t("login.provider", "zh") not in [b.label for b in at.button]


def test_the_language_a_user_picks_is_theirs_on_the_next_visit(committed_user):
    user_id, username = committed_user
    token = session_token(username)
    at = app(token=token).run().switch_page("pages/account.py").run()
    assert at.title[0].value == t("page.account", "zh")
    at.selectbox(key="lang_account").set_value("en").run()
    assert at.title[0].value == t("page.account", "en")
    # A reload is a new browser session with the same sign-in: still English.
    reloaded = app(token=token).run().switch_page("pages/account.py").run()
    assert reloaded.title[0].value == t("page.account", "en")
    # The sidebar's switch is kept the same way, and a new sign-in elsewhere opens in it.
    app(token=token).run().selectbox(key="lang_sidebar").set_value("zh").run()
    elsewhere = app(username).run().switch_page("pages/account.py").run()
    assert elsewhere.title[0].value == t("page.account", "zh")


def test_a_language_picked_before_signing_in_lasts_for_that_session_only(committed_user):
    at = app().run()
    at.selectbox(key="lang_sidebar").set_value("en").run()
    assert [i.label for i in at.text_input] == [t("login.username", "en"),
                                                 t("login.password", "en")]
    assert accounts.actor(UnitOfWork(), committed_user[1]).language == "zh"
