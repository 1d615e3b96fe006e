"""A production database's first steps: its first admin, and the refusal to serve while any
account can still be opened with the published demo password."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, select

from db import demo, reference
from db.models import AccountEvent, AdminChange, Department, Holiday, Unit, User
from portal import clock
from portal.accounts import accounts
from portal.admin import users
from portal.errors import InvalidInput
from portal.uow import UnitOfWork

ROOT_UNIT_CODE = "city"


def create_admin(uow: UnitOfWork, username: str, display_name: str, password: str | None,
                 hall_name: str) -> str:
    """Add an admin at the top of the unit tree, who must choose a new password at the first
    log-in; returns the password (the one given, or a generated one to show once).

    On an empty database the top unit (`hall_name`, the city's administrative service hall)
    is created first, with the departments and the national holiday calendar, which every
    deployment needs and IT staff then extend on the admin pages.
    """
    username = username.strip().lower()
    password = password or accounts.temporary_password()
    errors = {}
    if not users.USERNAME.fullmatch(username):
        errors["username"] = "users.error.username"
    if not display_name.strip() or len(display_name) > users.NAME_MAX:
        errors["display_name"] = "users.error.name"
    if error := accounts.password_error(password, username):
        errors["password"] = error
    with uow:
        if uow.session.scalar(select(User.id).where(User.username == username)):
            errors["username"] = "users.error.username_taken"
        if errors:
            raise InvalidInput(errors)
        hall = _top_unit(uow, hall_name)
        admin = User(username=username, display_name=display_name.strip(), role="admin",
                     unit_id=hall.id, password_hash=accounts.hash_password(password),
                     must_change_password=True)
        uow.session.add(admin)
        uow.session.flush()
        now = clock.now()
        uow.session.add(AccountEvent(user_id=admin.id, at=now, kind="password_reset"))
        uow.session.add(AdminChange(at=now, actor_id=admin.id, entity="user", entity_key=username,
                                    before=None, after={"role": "admin", "created_by": "cli"}))
        uow.commit()
    return password


def _top_unit(uow: UnitOfWork, hall_name: str) -> Unit:
    session = uow.session
    top = session.scalar(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id))
    if top is not None:
        return top
    top = Unit(code=ROOT_UNIT_CODE, name_zh=hall_name, name_en="Administrative Service Hall",
               tier="city", path=f"/{ROOT_UNIT_CODE}/", active=True)
    session.add(top)
    if session.scalar(select(Department.id).limit(1)) is None:
        session.add_all(Department(code=c, name_zh=zh, name_en=en)
                        for c, zh, en in reference.DEPARTMENTS)
    if session.scalar(select(Holiday.day).limit(1)) is None:
        session.add_all(Holiday(day=dt.date.fromisoformat(h["date"]), kind=h["kind"],
                                name_zh=h["name_zh"], name_en=h["name_en"])
                        for h in demo.holidays())
    session.flush()
    return top


def has_accounts(uow: UnitOfWork) -> bool:
    with uow:
        return uow.session.scalar(select(User.id).where(User.active).limit(1)) is not None


def demo_password_accounts(uow: UnitOfWork) -> list[str]:
    """Active accounts whose password is the published demo password.

    No one can choose that password (accounts.password_error refuses it), so only accounts
    whose password was never changed are checked, each distinct hash once.
    """
    changed = exists().where(AccountEvent.user_id == User.id,
                             AccountEvent.kind == "password_changed")
    with uow:
        rows = uow.session.execute(select(User.username, User.password_hash).where(
            User.active, ~changed)).all()
    by_hash: dict[str, list[str]] = {}
    for username, password_hash in rows:
        by_hash.setdefault(password_hash, []).append(username)
    return sorted(name for password_hash, names in by_hash.items()
                  if accounts.is_demo_password(password_hash)
                  for name in names)
