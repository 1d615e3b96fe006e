"""Sessions kept on the server: a log-in is a row; the browser holds only a random token.

The token travels in an HttpOnly cookie that page scripts cannot read, set by the server's
`/session/start` route in exchange for a one-time handover token from the log-in run (the
Streamlit app itself cannot set an HttpOnly cookie). Only hashes of both tokens are stored,
so a copy of the table signs no one in. Every run checks the row: a session ends at log-out,
when its owner's password is changed or reset, at deactivation, when an admin ends it, after
the inactivity limit and at its absolute expiry, and a copied cookie ends with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from db.models import Unit, User, UserSession
from portal import access, clock, settings
from portal.access import Actor
from portal.errors import NotFound
from portal.units import scope_clause
from portal.uow import UnitOfWork

COOKIE = "portal_session"
LIFETIME = dt.timedelta(hours=24)  # however active, a session is signed in again after this
HANDOVER = dt.timedelta(seconds=60)  # the log-in run's token must be exchanged by then
TOUCH_EVERY = dt.timedelta(seconds=60)  # how often a session's last click is written


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


@dataclass(frozen=True)
class Started:
    token: str  # signs this Streamlit session in at once
    handover: str  # exchanged once, by the browser, for the cookie


def start(uow: UnitOfWork, user_id: int, client: str, user_agent: str) -> Started:
    """A new session of the user, just signed in from `client`."""
    token, handover = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = clock.now()
    with uow:
        uow.session.add(UserSession(
            user_id=user_id, token_hash=_digest(token), handover_hash=_digest(handover),
            handover_until=now + HANDOVER, created_at=now, last_seen_at=now,
            expires_at=now + LIFETIME, client=client[:64], user_agent=user_agent[:300]))
        uow.commit()
    return Started(token, handover)


def hand_over(uow: UnitOfWork, handover: str) -> str | None:
    """The cookie's token for a one-time handover token, or None (used, late or unknown).

    The session gets a new token: the log-in run's never reaches a cookie.
    """
    now = clock.now()
    with uow:
        row = uow.session.scalar(select(UserSession).where(
            UserSession.handover_hash == _digest(handover), UserSession.handover_until > now,
            UserSession.revoked_at.is_(None)).with_for_update())
        if row is None:
            return None
        token = secrets.token_urlsafe(32)
        row.token_hash, row.handover_hash, row.handover_until = _digest(token), None, None
        uow.commit()
    return token


@dataclass(frozen=True)
class Current:
    """A live session: who it signs in, and whether they must choose a new password first."""

    session_id: int
    actor: Actor
    must_change_password: bool


def current(uow: UnitOfWork, token: str, *, touch: bool) -> Current | str:
    """The session of `token`, checked now; or the message key of why it has ended.

    One statement: a SELECT, or (with `touch`) an UPDATE noting the click that returns the
    same. An idle or expired session is ended there and then.
    """
    now = clock.now()
    with uow:
        idle = dt.timedelta(minutes=settings.current(uow.session).session_idle_minutes)
        found = uow.session.execute(_lookup(token, now if touch else None)).first()
        if found is not None and found.revoked_reason == "logout":
            return "login.logged_out"
        if found is None or found.revoked_at is not None or not found.active:
            return "login.session_ended"
        if found.expires_at <= now or found.last_seen_at < now - idle:
            _revoke(uow.session, UserSession.id == found.id, "expired", now)
            uow.commit()
            return "login.session_expired"
        if touch:
            uow.commit()
    actor = Actor(id=found.user_id, username=found.username, display_name=found.display_name,
                  role=found.role, unit_id=found.unit_id, unit_path=found.path,
                  unit_name_zh=found.name_zh, unit_name_en=found.name_en,
                  language=found.language)
    return Current(found.id, actor, found.must_change_password)


_COLUMNS = (UserSession.id, UserSession.revoked_at, UserSession.revoked_reason,
            UserSession.expires_at, User.active,
            User.username, User.display_name, User.role, User.unit_id, User.language,
            User.must_change_password, Unit.path, Unit.name_zh, Unit.name_en)


def _lookup(token: str, touched_at: dt.datetime | None) -> Select:
    """The session and its user, by the token's hash, with the user's unit."""
    joined = UserSession.user_id == User.id, User.unit_id == Unit.id
    where = UserSession.token_hash == _digest(token)
    if touched_at is None:
        return select(*_COLUMNS, UserSession.user_id, UserSession.last_seen_at).join(
            User, joined[0]).join(Unit, joined[1]).where(where)
    # The idle check needs the click before this one: the old value, read as of the update.
    previous = select(UserSession.last_seen_at).where(where).scalar_subquery()
    return (update(UserSession).where(where, *joined).values(last_seen_at=touched_at)
            .returning(*_COLUMNS, UserSession.user_id, previous.label("last_seen_at")))


def end(uow: UnitOfWork, token: str, reason: str = "logout") -> None:
    """Sign this session out (log-out)."""
    with uow:
        _revoke(uow.session, UserSession.token_hash == _digest(token), reason, clock.now())
        uow.commit()


def end_all(session: Session, user_id: int, reason: str, keep: int | None = None) -> None:
    """Within a caller's transaction: every live session of the user ends, but `keep`."""
    where = [UserSession.user_id == user_id]
    if keep is not None:
        where.append(UserSession.id != keep)
    _revoke(session, where, reason, clock.now())


def _revoke(session: Session, where, reason: str, now: dt.datetime) -> None:
    clauses = where if isinstance(where, list) else [where]
    session.execute(update(UserSession).where(*clauses, UserSession.revoked_at.is_(None))
                    .values(revoked_at=now, revoked_reason=reason))


@dataclass(frozen=True)
class Live:
    """A live session as an admin sees it."""

    id: int
    created_at: dt.datetime
    last_seen_at: dt.datetime
    expires_at: dt.datetime
    client: str
    user_agent: str


def live(uow: UnitOfWork, actor: Actor, user_id: int) -> list[Live]:
    """The user's sessions that have not ended (an admin's view)."""
    access.require(actor, "users.manage")
    now = clock.now()
    with uow:
        idle = dt.timedelta(minutes=settings.current(uow.session).session_idle_minutes)
        _user_in_scope(uow, actor, user_id)
        rows = uow.session.execute(select(
            UserSession.id, UserSession.created_at, UserSession.last_seen_at,
            UserSession.expires_at, UserSession.client, UserSession.user_agent).where(
            UserSession.user_id == user_id, UserSession.revoked_at.is_(None),
            UserSession.expires_at > now, UserSession.last_seen_at > now - idle)
            .order_by(UserSession.last_seen_at.desc())).all()
    return [Live(*r) for r in rows]


def end_for_user(uow: UnitOfWork, actor: Actor, user_id: int,
                 session_id: int | None = None) -> None:
    """An admin ends one of the user's sessions, or all of them."""
    access.require(actor, "users.manage")
    with uow:
        _user_in_scope(uow, actor, user_id)
        where = [UserSession.user_id == user_id]
        if session_id is not None:
            where.append(UserSession.id == session_id)
        _revoke(uow.session, where, "ended_by_admin", clock.now())
        uow.commit()


def _user_in_scope(uow: UnitOfWork, actor: Actor, user_id: int) -> None:
    if uow.session.scalar(select(User.id).where(
            User.id == user_id, scope_clause(actor, User.unit_id))) is None:
        raise NotFound(user=user_id)
