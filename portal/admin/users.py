"""Administering users: create, edit, deactivate (never delete), reset passwords, import from CSV.

Every change is recorded in admin_changes; passwords never are.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass, replace

import pandas as pd
from sqlalchemy import func, select

from db.config import config
from db.models import AccountEvent, AdminChange, Case, Unit, User
from portal import access, clock, export, lifecycle, uploads
from portal.access import ROLES, Actor
from portal.accounts import accounts, sessions
from portal.errors import InvalidInput, NotFound
from portal.lifecycle import Status
from portal.storable import storable
from portal.units import name_column, scope_clause
from portal.uow import UnitOfWork

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,59}")
NAME_MAX = 80
EXTERNAL_ID_MAX = 200
LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class Profile:
    """What an admin sets about a person; the unit by its code."""

    username: str
    display_name: str
    role: str
    unit_code: str
    language: str = "zh"
    external_id: str = ""  # e-mail or subject at the city's identity provider


@dataclass(frozen=True)
class Row:
    id: int
    username: str
    display_name: str
    role: str
    unit_code: str
    unit_name: str
    language: str
    active: bool
    locked: bool
    must_change_password: bool
    open_cases: int
    external_id: str


def listing(uow: UnitOfWork, actor: Actor, lang: str) -> list[Row]:
    """Every user of the units in the admin's scope, active first."""
    access.require(actor, "users.manage")
    open_cases = select(func.count()).where(
        Case.assignee_id == User.id, Case.status.in_(lifecycle.OPEN)).scalar_subquery()
    with uow:
        rows = uow.session.execute(
            select(User, Unit.code, name_column(Unit, lang), open_cases)
            .join(Unit, User.unit_id == Unit.id)
            .where(scope_clause(actor, User.unit_id))
            .order_by(User.active.desc(), Unit.path, User.username)).all()
        now = clock.now()
        return [Row(u.id, u.username, u.display_name, u.role, code, name, u.language, u.active,
                    bool(u.locked_until and u.locked_until > now), u.must_change_password, n,
                    u.external_id or "")
                for u, code, name, n in rows]


def profile_errors(uow: UnitOfWork, actor: Actor, profile: Profile,
                   user_id: int | None = None) -> dict[str, str]:
    """Field -> message key for everything wrong with a profile (a new one when no user_id)."""
    errors = {f: "form.error.characters" for f, v in asdict(profile).items() if not storable(v)}
    if errors:  # nothing else can be looked up with such a value
        return errors
    if user_id is None:
        if not USERNAME.fullmatch(profile.username):
            errors["username"] = "users.error.username"
        elif uow.session.scalar(select(User.id).where(User.username == profile.username)):
            errors["username"] = "users.error.username_taken"
    if not profile.display_name.strip() or len(profile.display_name) > NAME_MAX:
        errors["display_name"] = "users.error.name"
    if profile.role not in ROLES:
        errors["role"] = "users.error.role"
    if profile.language not in LANGUAGES:
        errors["language"] = "users.error.language"
    unit = uow.session.scalar(select(Unit).where(Unit.code == profile.unit_code, Unit.active,
                                                 scope_clause(actor, Unit.id)))
    if unit is None:
        errors["unit_code"] = "users.error.unit"
    if len(profile.external_id) > EXTERNAL_ID_MAX:
        errors["external_id"] = "users.error.external_id_long"
    elif profile.external_id and uow.session.scalar(select(User.id).where(
            func.lower(User.external_id) == profile.external_id.lower(),
            User.id != (user_id or 0))):
        errors["external_id"] = "users.error.external_id_taken"
    return errors


def create(uow: UnitOfWork, actor: Actor, profile: Profile) -> str:
    """Add a user; returns the temporary password, which must be changed at the first log-in."""
    access.require(actor, "users.manage")
    profile = _tidy(profile)
    with uow:
        if errors := profile_errors(uow, actor, profile):
            raise InvalidInput(errors)
        password = _add(uow, actor, profile)
        uow.commit()
    return password


def _tidy(profile: Profile) -> Profile:
    return Profile(profile.username.strip().lower(), profile.display_name.strip(),
                   profile.role.strip(), profile.unit_code.strip(), profile.language.strip(),
                   profile.external_id.strip())


def _add(uow: UnitOfWork, actor: Actor, profile: Profile) -> str:
    password = accounts.temporary_password()
    unit_id = uow.session.scalar(select(Unit.id).where(Unit.code == profile.unit_code))
    uow.session.add(User(username=profile.username, display_name=profile.display_name,
                         role=profile.role, unit_id=unit_id, language=profile.language,
                         password_hash=accounts.hash_password(password),
                         must_change_password=True, external_id=profile.external_id or None))
    _record(uow, actor, profile.username, None, asdict(profile))
    return password


def edit(uow: UnitOfWork, actor: Actor, user_id: int, profile: Profile,
         reassign_to: int | None = None) -> int:
    """Change a user's name, role, unit and language.

    Moving someone to another unit hands their open cases to `reassign_to` (a colleague in
    the old unit) or back to the old unit's queue; returns how many cases were handed over.
    """
    access.require(actor, "users.manage")
    profile = _tidy(profile)
    with uow:
        user = _user(uow, actor, user_id)
        if errors := profile_errors(uow, actor, profile, user_id):
            raise InvalidInput(errors)
        before = _profile(uow, user)
        unit_id = uow.session.scalar(select(Unit.id).where(Unit.code == profile.unit_code))
        moved = 0
        if unit_id != user.unit_id or profile.role not in access.WORKERS:
            moved = _hand_over(uow, actor, user, reassign_to)
        user.display_name, user.role = profile.display_name, profile.role
        user.unit_id, user.language = unit_id, profile.language
        user.external_id = profile.external_id or None
        after = replace(profile, username=user.username)  # usernames never change
        _record(uow, actor, user.username, asdict(before), asdict(after))
        uow.commit()
    return moved


def deactivate(uow: UnitOfWork, actor: Actor, user_id: int, reassign_to: int | None) -> int:
    """Deactivate a user (never delete), ending their sessions; their open cases go to
    `reassign_to` or back to their unit's queue. Returns how many cases were handed over."""
    access.require(actor, "users.manage")
    with uow:
        user = _user(uow, actor, user_id)
        if user.id == actor.id:
            raise InvalidInput({"user": "users.error.self"})
        if not user.active:
            return 0
        moved = _hand_over(uow, actor, user, reassign_to)
        now = clock.now()
        user.active = False
        sessions.end_all(uow.session, user.id, "deactivated")
        uow.session.add(AccountEvent(user_id=user.id, at=now, kind="deactivated", by_id=actor.id))
        _record(uow, actor, user.username, {"active": True},
                {"active": False, "cases_to": reassign_to, "cases": moved})
        uow.commit()
    return moved


def reactivate(uow: UnitOfWork, actor: Actor, user_id: int) -> str | None:
    """The account signs in again: in production only after choosing a new password. An
    account that still had the published demo password gets a temporary one instead, which
    is returned to be handed over."""
    access.require(actor, "users.manage")
    with uow:
        user = _user(uow, actor, user_id)
        if user.active:
            return None
        password = None
        if accounts.is_demo_password(user.password_hash):
            password = accounts.temporary_password()
            user.password_hash = accounts.hash_password(password)
        user.active, user.failed_logins, user.locked_until = True, 0, None
        if password or not config().is_development:
            user.must_change_password = True
        uow.session.add(AccountEvent(user_id=user.id, at=clock.now(), kind="reactivated",
                                     by_id=actor.id))
        _record(uow, actor, user.username, {"active": False},
                {"active": True, **({"password": "reset"} if password else {})})
        uow.commit()
    return password


def reset_password(uow: UnitOfWork, actor: Actor, user_id: int) -> str:
    """A new temporary password, to be changed at the next log-in; it ends the user's sessions
    and lifts a lockout."""
    access.require(actor, "users.manage")
    password = accounts.temporary_password()
    with uow:
        user = _user(uow, actor, user_id)
        now = clock.now()
        user.password_hash = accounts.hash_password(password)
        user.must_change_password = True
        sessions.end_all(uow.session, user.id, "password_reset")
        user.failed_logins, user.locked_until = 0, None
        uow.session.add(AccountEvent(user_id=user.id, at=now, kind="password_reset",
                                     by_id=actor.id))
        _record(uow, actor, user.username, None, {"password": "reset"})
        uow.commit()
    return password


def colleagues(uow: UnitOfWork, actor: Actor, user_id: int) -> list[tuple[int, str]]:
    """Active workers of the user's unit who could take over their cases, as (id, name)."""
    access.require(actor, "users.manage")
    with uow:
        user = _user(uow, actor, user_id)
        rows = uow.session.execute(
            select(User.id, User.display_name).where(
                User.unit_id == user.unit_id, User.active, User.id != user.id,
                User.role.in_(access.WORKERS)).order_by(User.display_name)).all()
    return [(r[0], r[1]) for r in rows]


def _hand_over(uow: UnitOfWork, actor: Actor, user: User, to_id: int | None) -> int:
    """Give every open case `user` holds to `to_id`, or back to its unit's queue."""
    target = uow.session.get(User, to_id) if to_id is not None else None
    if to_id is not None and (target is None or not target.active or target.id == user.id
                              or target.unit_id != user.unit_id
                              or target.role not in access.WORKERS):
        raise InvalidInput({"reassign_to": "users.error.reassign_to"})
    held = uow.session.scalars(select(Case).where(
        Case.assignee_id == user.id, Case.status.in_(lifecycle.OPEN))
        .order_by(Case.id).with_for_update()).all()
    for case in held:
        data = {"from": user.id, "to": to_id}
        if target is not None and case.unit_id == target.unit_id:
            case.assignee_id = target.id
            lifecycle.record(uow.session, case, "assigned", actor_id=actor.id, data=data)
        elif case.status == Status.IN_PROGRESS:
            lifecycle.move(uow.session, case, Status.RECEIVED, actor_id=actor.id,
                           kind="released", data=data)
            case.assignee_id = None
        else:
            case.assignee_id = None
            lifecycle.record(uow.session, case, "released", actor_id=actor.id, data=data)
    return len(held)


def _user(uow: UnitOfWork, actor: Actor, user_id: int) -> User:
    user = uow.session.scalar(select(User).where(
        User.id == user_id, scope_clause(actor, User.unit_id)).with_for_update())
    if user is None:
        raise NotFound(user=user_id)
    return user


def _profile(uow: UnitOfWork, user: User) -> Profile:
    code = uow.session.scalar(select(Unit.code).where(Unit.id == user.unit_id))
    return Profile(user.username, user.display_name, user.role, code, user.language,
                   user.external_id or "")


def _record(uow: UnitOfWork, actor: Actor, username: str, before: dict | None,
            after: dict | None) -> None:
    uow.session.add(AdminChange(at=clock.now(), actor_id=actor.id, entity="user",
                                entity_key=username, before=before, after=after))


COLUMNS = ("username", "display_name", "role", "unit_code", "language", "external_id")


def read_csv(data: bytes) -> list[Profile]:
    """Profiles from a CSV file with a header row naming COLUMNS (the last two may be left out)."""
    try:
        text = uploads.text(data)
    except UnicodeDecodeError as error:
        raise InvalidInput({"file": "users.error.encoding"}) from error
    reader = csv.DictReader(io.StringIO(text))
    try:
        if not set(COLUMNS[:4]) <= set(reader.fieldnames or ()):
            raise InvalidInput({"file": "users.error.columns"})
        return [Profile(*(str(row.get(c) or "") for c in COLUMNS[:4]),
                        str(row.get("language") or "zh"), str(row.get("external_id") or ""))
                for row in reader]
    except csv.Error as error:  # a NUL byte, an unclosed quote at the end
        raise InvalidInput({"file": "users.error.unreadable"}) from error


def passwords_csv(made: list[tuple[str, str]]) -> bytes:
    """The temporary passwords of imported users, as a file for the admin to hand them over."""
    return export.to_csv(pd.DataFrame(made, columns=["username", "password"]))


def import_profiles(uow: UnitOfWork, actor: Actor, profiles: list[Profile], *,
                    dry_run: bool) -> tuple[dict[int, dict[str, str]], list[tuple[str, str]]]:
    """All or nothing: (errors by row number, from 2 under the header) or the new users with
    their temporary passwords. A dry run only checks."""
    access.require(actor, "users.manage")
    profiles = [_tidy(p) for p in profiles]
    with uow:
        errors, seen, identities = {}, set(), set()
        for n, profile in enumerate(profiles, 2):
            found = profile_errors(uow, actor, profile)
            if profile.username in seen:
                found["username"] = "users.error.username_twice"
            if profile.external_id and profile.external_id.lower() in identities:
                found["external_id"] = "users.error.external_id_taken"
            seen.add(profile.username)
            identities.add(profile.external_id.lower())
            if found:
                errors[n] = found
        if errors or dry_run:
            return errors, []
        created = [(p.username, _add(uow, actor, p)) for p in profiles]
        uow.commit()
    return {}, created
