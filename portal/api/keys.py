"""API clients: their keys (hashed at rest), scopes, unit, rate limit and the calls' log.

A key is shown once, when an admin creates it; only its SHA-256 is kept (a random 32-byte
key needs no slow hash: nobody can guess it, only steal it). Every call is recorded in
api_calls, refused ones too, and the same table counts a key's calls for its rate limit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, insert, select, update

from db.models import API_SCOPES, AdminChange, ApiCall, ApiClient, Unit
from portal import access, clock, settings
from portal.access import Actor
from portal.errors import InvalidInput
from portal.storable import storable
from portal.uow import UnitOfWork

SCOPES = API_SCOPES
PREFIX = "lxk_"
NAME_MAX = 80
LOCK_SPACE = 20_261_202  # advisory locks of the rate limit: one per client
MINUTE = dt.timedelta(minutes=1)
ADMITTED = 0  # the status of a call's first row: let in, and counted for the rate limit
REFUSALS = (401, 403, 429)  # calls refused before they were let in, limited per address


class Refused(Exception):
    """The call is not answered: no key or a wrong one (401), a scope the key lacks (403),
    too many calls (429)."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.retry_after = status, description, retry_after


@dataclass(frozen=True)
class Client:
    id: int
    name: str
    scopes: frozenset[str]
    unit_id: int
    unit_path: str
    unit_name_zh: str
    unit_name_en: str

    def actor(self, unit: tuple[int, str, str, str] | None = None) -> Actor:
        """The client as the services see it: acting for its unit and every unit below
        (or for one of those, `unit`: id, path, names), as no person; its events name no
        user."""
        unit_id, path, zh, en = unit or (self.unit_id, self.unit_path, self.unit_name_zh,
                                         self.unit_name_en)
        return Actor(id=None, username=f"api:{self.name}", display_name=self.name,  # type: ignore[arg-type]
                     role="manager", unit_id=unit_id, unit_path=path, unit_name_zh=zh,
                     unit_name_en=en, language="zh")


@dataclass(frozen=True)
class ClientRow:
    id: int
    name: str
    unit_zh: str
    unit_en: str
    scopes: list[str]
    key_prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    calls_today: int


def digest(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


def create(uow: UnitOfWork, actor: Actor, name: str, unit_id: int | None,
           scopes: list[str]) -> tuple[int, str]:
    """A new client and its key, which is shown now and never again."""
    access.require(actor, "api.manage")
    name = " ".join(str(name).split()) if storable(name) else ""
    errors = {}
    if not name or len(name) > NAME_MAX:
        errors["name"] = "api.error.name"
    if not scopes or not set(scopes) <= set(SCOPES):
        errors["scopes"] = "api.error.scopes"
    if unit_id is None:
        errors["unit"] = "api.error.unit"
    if errors:
        raise InvalidInput(errors)
    key = f"{PREFIX}{secrets.token_urlsafe(32)}"
    with uow:
        unit = uow.session.get(Unit, unit_id)
        if unit is None:
            raise InvalidInput({"unit": "api.error.unit"})
        if uow.session.scalar(select(ApiClient.id).where(ApiClient.name == name)):
            raise InvalidInput({"name": "api.error.name_taken"})
        client = ApiClient(name=name, unit_id=unit_id, scopes=sorted(set(scopes)),
                           key_prefix=key[:len(PREFIX) + 6], key_hash=digest(key),
                           created_at=clock.now(), created_by=actor.id)
        uow.session.add(client)
        uow.session.flush()
        uow.session.add(AdminChange(at=clock.now(), actor_id=actor.id, entity="api_client",
                                    entity_key=name, before=None,
                                    after={"unit_code": unit.code, "scopes": client.scopes}))
        uow.commit()
        return client.id, key


def revoke(uow: UnitOfWork, actor: Actor, client_id: int) -> None:
    """The key answers nothing from now on."""
    access.require(actor, "api.manage")
    with uow:
        client = uow.locked(ApiClient, client_id)
        if client.revoked_at is None:
            client.revoked_at, client.revoked_by = clock.now(), actor.id
            uow.session.add(AdminChange(at=clock.now(), actor_id=actor.id, entity="api_client",
                                        entity_key=client.name, before={"revoked": False},
                                        after={"revoked": True}))
        uow.commit()


def listing(uow: UnitOfWork, actor: Actor) -> list[ClientRow]:
    access.require(actor, "api.manage")
    today = clock.local(clock.now()).replace(hour=0, minute=0, second=0, microsecond=0)
    calls = (select(func.count()).where(  # each call once: its answer or its refusal
        ApiCall.client_id == ApiClient.id, ApiCall.at >= today, ApiCall.status != ADMITTED)
        .scalar_subquery())
    with uow:
        rows = uow.session.execute(
            select(ApiClient.id, ApiClient.name, Unit.name_zh, Unit.name_en, ApiClient.scopes,
                   ApiClient.key_prefix, clock.local_time(ApiClient.created_at),
                   clock.local_time(ApiClient.last_used_at),
                   clock.local_time(ApiClient.revoked_at), calls)
            .join(Unit, Unit.id == ApiClient.unit_id)
            .order_by(ApiClient.revoked_at.is_not(None), ApiClient.name))
        return [ClientRow(*row) for row in rows]


def admit(uow: UnitOfWork, key: str | None, scope: str, method: str, path: str,
          address: str) -> Client:
    """The client whose key this is, if it has `scope` and calls left this minute; Refused
    (recorded) otherwise. An address refused too often this minute (no key, a wrong one,
    another scope) is refused before its key is even looked up."""
    with uow:
        per_minute = settings.current(uow.session).api_calls_per_minute
        if wait := _waits(uow, per_minute, ApiCall.address == _clean(address)[:64],
                          ApiCall.status.in_(REFUSALS)):
            return _refuse(uow, None, method, path, address,
                           Refused(429, "api.error.rate", retry_after=wait))
        client = _client(uow, key)
        if client is None:
            return _refuse(uow, None, method, path, address, Refused(401, "api.error.key"))
        if scope not in client.scopes:
            return _refuse(uow, client.id, method, path, address,
                           Refused(403, "api.error.scope"))
        uow.session.execute(select(func.pg_advisory_xact_lock(LOCK_SPACE, client.id)))
        if wait := _waits(uow, per_minute, ApiCall.client_id == client.id,
                          ApiCall.status == ADMITTED):
            return _refuse(uow, client.id, method, path, address,
                           Refused(429, "api.error.rate", retry_after=wait))
        # Counted now, answered later: the call's own row comes when its status is known.
        record(uow, client.id, method, path, ADMITTED, address)
        uow.session.execute(update(ApiClient).where(ApiClient.id == client.id)
                            .values(last_used_at=clock.now()))
        uow.commit()
        return client


def _waits(uow: UnitOfWork, per_minute: int, *calls: ColumnElement[bool]) -> int | None:
    """Seconds to wait when the calls matching `calls` in the last minute reach the limit."""
    count, first = uow.session.execute(select(func.count(), func.min(ApiCall.at)).where(
        *calls, ApiCall.at > clock.now() - MINUTE)).one()
    if count < per_minute:
        return None
    return max(int((first + MINUTE - clock.now()).total_seconds()) + 1, 1)


def record(uow: UnitOfWork, client_id: int | None, method: str, path: str, status: int,
           address: str) -> None:
    """A call in the log (in the caller's transaction): an admitted call has two rows, its
    admission (ADMITTED) and its answer; a refused one, its refusal."""
    uow.session.execute(insert(ApiCall).values(client_id=client_id, at=clock.now(),
                                               method=_clean(method)[:8], path=_clean(path)[:200],
                                               status=status, address=_clean(address)[:64]))


def _clean(text: str) -> str:
    """As logged: a character the database cannot store (a NUL in a probed path) as '?'."""
    return text if storable(text) else "".join(c if storable(c) else "?" for c in text)


def answered(uow: UnitOfWork, client_id: int, method: str, path: str, status: int,
             address: str) -> None:
    """The call's outcome, in the log beside its admission."""
    with uow:
        record(uow, client_id, method, path, status, address)
        uow.commit()


def _client(uow: UnitOfWork, key: str | None) -> Client | None:
    if not key or not key.startswith(PREFIX) or len(key) > 100 or not storable(key):
        return None
    row = uow.session.execute(
        select(ApiClient.id, ApiClient.name, ApiClient.scopes, Unit.id, Unit.path, Unit.name_zh,
               Unit.name_en)
        .join(Unit, Unit.id == ApiClient.unit_id)
        .where(ApiClient.key_hash == digest(key), ApiClient.revoked_at.is_(None))).first()
    if row is None:
        return None
    client_id, name, scopes, *unit = row
    return Client(client_id, name, frozenset(scopes), *unit)


def _refuse(uow: UnitOfWork, client_id: int | None, method: str, path: str, address: str,
            refusal: Refused) -> Client:
    record(uow, client_id, method, path, refusal.status, address)
    uow.commit()
    raise refusal

