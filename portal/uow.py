"""Unit of work: one transaction per user action, committed only when the service says so."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import read_session_factory, session_factory
from portal.errors import NotFound

T = TypeVar("T", bound=Any)


class UnitOfWork:
    """`with uow: ...; uow.commit()`; leaving the block without commit rolls back."""

    def __init__(self, factory: Callable[[], Session] | None = None) -> None:
        self._factory = factory
        self._open = False
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        # Entered again inside itself it would open a second transaction on a second
        # connection, and the outer one would lose its session: one action, one transaction.
        if self._open:
            raise RuntimeError("this unit of work is already in a transaction")
        self.session = (self._factory or session_factory())()
        self._open = True
        return self

    def __exit__(self, *exc: object) -> None:
        self._open = False
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def locked(self, model: type[T], row_id: int) -> T:
        """The row of `model` with this id, locked until this transaction ends; NotFound if
        there is none."""
        row = self.session.scalar(select(model).where(model.id == row_id).with_for_update())
        if row is None:
            raise NotFound(**{model.__tablename__: row_id})
        return row

    @classmethod
    def reading(cls) -> UnitOfWork:
        """A unit of work for reads that may lag a moment (the dashboard, exports): on the
        read replica when one is configured."""
        return cls(read_session_factory())
