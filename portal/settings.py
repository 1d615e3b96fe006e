"""Rules of the programme: the fixed ones here, the ones IT staff tune in the settings table.

`current(session)` gives the tuned rules, each falling back to its default; every server
process reads them again at most CACHE_SECONDS after a change.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from db.models import AdminChange, Setting
from portal import access, clock
from portal.access import Actor
from portal.errors import InvalidInput
from portal.rules_cache import RulesCache
from portal.uow import UnitOfWork

# bcrypt reads only the first 72 bytes of a password; longer ones are refused, not cut.
PASSWORD_MAX_BYTES = 72

CACHE_SECONDS = 5
URL_MAX = 200


@dataclass(frozen=True)
class Settings:
    # A case turns yellow when its due date is at most this many working days away.
    yellow_working_days: int = 1
    # A hand-off not answered within this many office hours is flagged to both units.
    accept_within_working_hours: int = 4
    # Whether agents may assign cases to colleagues of their own unit (managers always may).
    agents_may_assign: bool = True
    # Hand-offs (or returns) of one case after which it is marked bounced.
    bounced_after_handoffs: int = 3
    bounced_after_returns: int = 2
    # How often the dashboard redraws its figures.
    dashboard_refresh_seconds: int = 10
    # Rankings leave out units and people who handled fewer cases than this in the period.
    league_min_cases: int = 20
    # Failed log-ins in a row that lock an account, and for how long.
    lockout_attempts: int = 5
    lockout_minutes: int = 15
    # A session ends after this long without a click.
    session_idle_minutes: int = 30
    password_min_length: int = 8
    # Sign in through the city's identity provider (st.login; configured in
    # .streamlit/secrets.toml) instead of local passwords, which then only admins keep.
    identity_provider: bool = False
    # The address citizens reach the portal at from outside (https://zwfw.example.gov.cn):
    # the receipt's link and QR code to the status page are built on it.
    public_base_url: str = ""
    # The largest scan, photo or PDF an agent may attach to a case.
    attachment_max_mb: int = 10
    # Calls one API key may make in a minute; more are answered 429.
    api_calls_per_minute: int = 120
    # How often a digest of the case history is recorded: an event cut from the end of a
    # case since the last one goes unseen until the next.
    history_digest_minutes: int = 60


# The range each whole-number setting may take.
BOUNDS: dict[str, tuple[int, int]] = {
    "yellow_working_days": (0, 10),
    "accept_within_working_hours": (1, 40),
    "bounced_after_handoffs": (2, 20),
    "bounced_after_returns": (1, 20),
    "dashboard_refresh_seconds": (5, 600),
    "league_min_cases": (1, 1000),
    "lockout_attempts": (3, 20),
    "lockout_minutes": (1, 1440),
    "session_idle_minutes": (5, 720),
    "password_min_length": (8, PASSWORD_MAX_BYTES),
    "attachment_max_mb": (1, 50),
    "api_calls_per_minute": (10, 6000),
    "history_digest_minutes": (10, 1440),
}
DEFAULTS = Settings()
KEYS = tuple(f.name for f in dataclasses.fields(Settings))

def _read(session: Session) -> Settings:
    stored = dict(session.execute(select(Setting.key, Setting.value)).tuples().all())
    return Settings(**{k: v for k, v in stored.items() if k in KEYS})


_shared = RulesCache(_read, CACHE_SECONDS)


def current(session: Session | None = None) -> Settings:
    """The tuned rules: read through `session` (the caller's transaction) when they are not
    shared already; a caller outside any transaction may leave it out."""
    if session is not None:
        return _shared.get(session)
    if (shared := _shared.fresh()) is not None:  # most reruns: no session opened at all
        return shared
    with UnitOfWork() as uow:
        return _shared.get(uow.session)


def status_link(base_url: str, receipt_no: str, lookup_code: str) -> str:
    """The public status page with a case's receipt number and code: opening it looks the
    case up (the receipt's link and QR code, the messages to the citizen)."""
    query = urlencode({"r": receipt_no, "c": lookup_code})
    return f"{base_url.rstrip('/')}/status?{query}"


def forget() -> None:
    """Read the settings again on the next call (after a change in this process)."""
    _shared.forget()


def errors(values: dict[str, Any]) -> dict[str, str]:
    """`<key>` -> message key for every value out of its kind or range."""
    found = {}
    for key, value in values.items():
        default = getattr(DEFAULTS, key, None)
        if key not in KEYS:
            found[key] = "settings.error.unknown"
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                found[key] = "settings.error.kind"
        elif isinstance(default, str):
            if not isinstance(value, str) or (value and not is_base_url(value)):
                found[key] = "settings.error.url"
        elif isinstance(value, bool) or not isinstance(value, int):
            found[key] = "settings.error.kind"
        elif not BOUNDS[key][0] <= value <= BOUNDS[key][1]:
            found[key] = "settings.error.range"
    return found


def is_base_url(value: str) -> bool:
    """An http(s) address with a host and nothing after its path: what a link is built on."""
    parts = urlsplit(value)
    return (len(value) <= URL_MAX and parts.scheme in ("http", "https") and bool(parts.hostname)
            and not parts.query and not parts.fragment and value == value.strip())


def save(uow: UnitOfWork, actor: Actor, values: dict[str, Any]) -> int:
    """Store the changed settings, each recorded as an admin change; returns how many changed."""
    access.require(actor, "settings.edit")
    if found := errors(values):
        raise InvalidInput(found)
    with uow:
        stored = dict(uow.session.execute(
            select(Setting.key, Setting.value).with_for_update()).tuples().all())
        changed = 0
        for key, value in values.items():
            before = stored.get(key, getattr(DEFAULTS, key))
            if before == value:
                continue
            uow.session.execute(insert(Setting).values(key=key, value=value).on_conflict_do_update(
                index_elements=[Setting.key], set_={"value": value}))
            uow.session.add(AdminChange(at=clock.now(), actor_id=actor.id, entity="setting",
                                        entity_key=key, before={"value": before},
                                        after={"value": value}))
            changed += 1
        uow.commit()
    forget()
    return changed
