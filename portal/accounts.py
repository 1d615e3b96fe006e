"""User accounts as the log-in and the services see them."""

from __future__ import annotations

from typing import Any

import bcrypt
from sqlalchemy import select

from db.models import Unit, User
from portal.access import Actor
from portal.uow import UnitOfWork


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


def credentials(uow: UnitOfWork, username: str | None = None) -> dict[str, Any]:
    """Active users in the shape streamlit-authenticator expects; one user when `username` is given."""
    query = select(User.username, User.display_name, User.password_hash, User.role).where(
        User.active
    )
    if username is not None:
        query = query.where(User.username == username)
    with uow:
        rows = uow.session.execute(query).all()
    return {
        "usernames": {
            r.username: {"name": r.display_name, "password": r.password_hash, "roles": [r.role]}
            for r in rows
        }
    }


def actor(uow: UnitOfWork, username: str) -> Actor | None:
    """The active user `username` as an Actor, or None (unknown or deactivated)."""
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
        return Actor(
            id=user.id,
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            unit_id=user.unit_id,
            unit_path=path,
            unit_name_zh=unit_zh,
            unit_name_en=unit_en,
            language=user.language,
        )
