"""Signing in as PostgreSQL guards it: passwords, lockout, and who an account is.

Every decision about who may sign in is made here against the users table, so it holds
across restarts and server processes; the sessions themselves are portal.accounts.sessions.
"""

from __future__ import annotations

import datetime as dt
import secrets
import string
from dataclasses import dataclass
from typing import Any

import bcrypt
from sqlalchemy import func, select, update

from db.config import config
from db.demo import DEMO_PASSWORD
from db.models import AccountEvent, Unit, User
from portal import clock, settings
from portal.access import Actor
from portal.accounts import sessions
from portal.errors import InvalidInput
from portal.messages import LANGUAGES
from portal.uow import UnitOfWork

# Refused whatever the length rule says: the passwords tried first by anyone guessing, and
# the demo logins' published one.
TRIVIAL = frozenset({
    "password", "password1", "password123", "passw0rd", "iloveyou", "qwertyui", "qwerty123",
    "1q2w3e4r", "1qaz2wsx", "abc12345", "abcd1234", "a1234567", "admin123", "welcome1",
    "letmein1", "12341234", "11223344", "woaini1314", "5201314520", "laixi123", DEMO_PASSWORD,
})
# A hash to check against when the user is unknown, so both answers take as long.
_NO_USER_HASH = bcrypt.hashpw(b"no such user", bcrypt.gensalt()).decode()


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


def password_error(password: str, username: str) -> str | None:
    """The message key of what is wrong with a new password, or None."""
    if len(password.encode()) > settings.PASSWORD_MAX_BYTES:
        return "password.error.too_long"
    if len(password) < settings.current().password_min_length:
        return "password.error.too_short"
    lower = password.lower()
    if (lower in TRIVIAL or len(set(lower)) <= 2 or _run(lower)
            or (username and username.lower() in lower)):
        return "password.error.trivial"
    return None


def is_demo_password(password_hash: str) -> bool:
    """Whether the hash is of the published demo password."""
    return bcrypt.checkpw(DEMO_PASSWORD.encode(), password_hash.encode())


def _run(text: str) -> bool:
    """Whether the text is one run up or down the keyboard's order: 12345678, hgfedcba."""
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    return steps in ({1}, {-1})


def temporary_password() -> str:
    """A password for an admin to hand over; its owner must change it at the next log-in."""
    alphabet = string.ascii_letters + string.digits
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(12))
        if any(c.isdigit() for c in candidate) and any(c.isalpha() for c in candidate):
            return candidate


@dataclass(frozen=True)
class Attempt:
    """What a log-in attempt came to: signed in, refused, or refused because locked."""

    ok: bool
    user_id: int | None = None  # who signed in, and as what
    role: str | None = None
    locked_until: dt.datetime | None = None
    too_long: bool = False
    provider_only: bool = False  # signing in goes through the identity provider
    demo_password: bool = False  # the right password, but the published one, in production


def log_in(uow: UnitOfWork, username: str, password: str) -> Attempt:
    """Check the password, counting failures on the user row; lock at the setting's limit.

    The row is locked while checking, so parallel guesses are counted one after another.
    """
    too_long = len(password.encode()) > settings.PASSWORD_MAX_BYTES
    with uow:
        rules = settings.current(uow.session)
        user = uow.session.scalar(select(User).where(User.username == username.strip(),
                                                     User.active).with_for_update())
        now = clock.now()
        if user is None:
            bcrypt.checkpw(b"x", _NO_USER_HASH.encode())
            return Attempt(ok=False, too_long=too_long)
        if rules.identity_provider and user.role != "admin":
            return Attempt(ok=False, provider_only=True)
        if user.locked_until and user.locked_until > now:
            _event(uow, user.id, "login_failed", now)
            uow.commit()
            return Attempt(ok=False, locked_until=user.locked_until)
        if not too_long and bcrypt.checkpw(password.encode(), user.password_hash.encode()):
            if password == DEMO_PASSWORD and not config().is_development:
                _event(uow, user.id, "login_failed", now)  # everyone knows it: nobody's own
                uow.commit()
                return Attempt(ok=False, demo_password=True)
            user.failed_logins, user.locked_until = 0, None
            _event(uow, user.id, "logged_in", now)
            uow.commit()
            return Attempt(ok=True, user_id=user.id, role=user.role)
        user.failed_logins += 1
        _event(uow, user.id, "login_failed", now)
        if user.failed_logins >= rules.lockout_attempts:
            user.failed_logins = 0
            user.locked_until = now + dt.timedelta(minutes=rules.lockout_minutes)
            _event(uow, user.id, "locked", now)
        uow.commit()
        return Attempt(ok=False, locked_until=user.locked_until, too_long=too_long)


def _event(uow: UnitOfWork, user_id: int, kind: str, at: dt.datetime,
           by_id: int | None = None) -> None:
    uow.session.add(AccountEvent(user_id=user_id, at=at, kind=kind, by_id=by_id))


@dataclass(frozen=True)
class SignedIn:
    actor: Actor
    must_change_password: bool


def signed_in(uow: UnitOfWork, username: str) -> SignedIn | None:
    """The active user `username`, and whether they must choose a new password first."""
    query = (
        select(User, Unit.path, Unit.name_zh, Unit.name_en)
        .join(Unit, User.unit_id == Unit.id)
        .where(User.username == username, User.active)
    )
    with uow:
        row = uow.session.execute(query).first()
        if row is None:
            return None
        user, path, unit_zh, unit_en = row
        return SignedIn(_actor(user, path, unit_zh, unit_en), user.must_change_password)


def actor(uow: UnitOfWork, username: str) -> Actor | None:
    """The active user `username` as an Actor, or None (unknown or deactivated)."""
    found = signed_in(uow, username)
    return found.actor if found else None


def _actor(user: User, path: str, unit_zh: str, unit_en: str) -> Actor:
    return Actor(id=user.id, username=user.username, display_name=user.display_name,
                 role=user.role, unit_id=user.unit_id, unit_path=path, unit_name_zh=unit_zh,
                 unit_name_en=unit_en, language=user.language)


def by_identity(uow: UnitOfWork, claims: dict[str, Any]) -> str | None:
    """The active portal user the identity provider's user is mapped to, by e-mail or subject."""
    keys = [str(claims[k]).strip().lower() for k in ("email", "sub") if claims.get(k)]
    if not keys:
        return None
    with uow:
        return uow.session.scalar(select(User.username).where(
            func.lower(User.external_id).in_(keys), User.active).limit(1))


def change_password(uow: UnitOfWork, actor: Actor, current: str, new: str,
                    session_id: int | None) -> None:
    """Change one's own password; every session of the user ends but this one (`session_id`)."""
    if error := password_error(new, actor.username):
        raise InvalidInput({"new": error})
    if new == current:
        raise InvalidInput({"new": "password.error.same"})
    with uow:
        user = uow.session.scalar(select(User).where(User.id == actor.id).with_for_update())
        if user is None or len(current.encode()) > settings.PASSWORD_MAX_BYTES or \
                not bcrypt.checkpw(current.encode(), user.password_hash.encode()):
            raise InvalidInput({"current": "password.error.current"})
        now = clock.now()
        user.password_hash, user.must_change_password = hash_password(new), False
        sessions.end_all(uow.session, user.id, "password_changed", keep=session_id)
        _event(uow, user.id, "password_changed", now)
        uow.commit()


def set_language(uow: UnitOfWork, actor: Actor, language: str) -> None:
    """The user's own choice of language, kept with the account: it opens every later
    session, on any computer."""
    if language not in LANGUAGES:
        raise InvalidInput({"language": "users.error.language"})
    with uow:
        uow.session.execute(update(User).where(User.id == actor.id).values(language=language))
        uow.commit()
