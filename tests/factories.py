"""Small factories that read like the user's actions."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable, Iterable

from sqlalchemy import select, update

from db.models import User
from portal import audit, clock
from portal.access import Actor
from portal.accounts import accounts, sessions
from portal.admin import users
from portal.admin.users import Profile
from portal.casework import casework, queue
from portal.intake import intake
from portal.intake.citizens import CitizenInput
from portal.intake.intake import IntakeForm, Receipt
from portal.uow import UnitOfWork


def new_case(uow: UnitOfWork, actor: Actor, *, service: str = "PENSION-CERT",
             name: str = "王秀英", phone: str = "13812345678", id_number: str = "",
             token: str | None = None, **form) -> Receipt:
    """Take in a request; by default the citizen brought every document."""
    form.setdefault("brought", (True,) * 10)
    citizen = CitizenInput(name=name, id_number=id_number, phone=phone)
    return intake.take_in(uow, actor, IntakeForm(service_code=service, citizen=citizen,
                                                 token=token, **form))


def citizen_rates(uow: UnitOfWork, case_id: int, rating: int, comment: str = "") -> None:
    """The citizen rates the case on the status page, opened with the receipt's code."""
    from db.models import Case
    from portal.intake import lookup
    with uow:
        receipt_no, code = uow.session.execute(select(Case.receipt_no, Case.lookup_code).where(
            Case.id == case_id)).one()
    assert lookup.rate(uow, receipt_no, code, "192.0.2.1", rating, comment).status


def at_once(target: Callable[..., None], calls: Iterable[tuple]) -> None:
    """Run `target` once per argument tuple, each in its own thread, all released together."""
    calls = list(calls)
    barrier = threading.Barrier(len(calls))

    def run(*args):
        barrier.wait()
        target(*args)

    threads = [threading.Thread(target=run, args=args) for args in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


GOOD_PASSWORD = "Lx-qiaotou-2026"


def make_user(uow: UnitOfWork, admin: Actor, unit: str = "jiangshan-v01",
              role: str = "agent") -> tuple[int, str]:
    """A new user with GOOD_PASSWORD, as if they had already chosen it: (id, username)."""
    username = f"u{uuid.uuid4().hex[:8]}"
    users.create(uow, admin, Profile(username, "测试用户", role, unit))
    with uow:
        uow.session.execute(update(User).where(User.username == username).values(
            password_hash=accounts.hash_password(GOOD_PASSWORD), must_change_password=False))
        user_id = uow.session.scalar(select(User.id).where(User.username == username))
        uow.commit()
    return user_id, username


def worked_cases(actors: dict[str, Actor], n: int = 3) -> list[int]:
    """Cases with a few events each: taken in, claimed, a note."""
    ids = []
    for _ in range(n):
        receipt = new_case(UnitOfWork(), actors["agent"])
        queue.claim(UnitOfWork(), actors["agent"], receipt.case_id)
        casework.add_note(UnitOfWork(), actors["agent"], receipt.case_id, "已电话联系")
        ids.append(receipt.case_id)
    return ids


def digest_covering_now(frozen_clock) -> audit.Digest:
    """A digest covering everything written so far (as if made ten minutes from now)."""
    frozen_clock(clock.now() + audit.SETTLE + dt.timedelta(seconds=1))
    made = audit.record(UnitOfWork())
    frozen_clock(None)
    return made


def session_token(username: str) -> str:
    """A live session of `username`, as a log-in from a browser would leave it: its token."""
    found = accounts.signed_in(UnitOfWork(), username)
    assert found is not None, username
    return sessions.start(UnitOfWork(), found.actor.id, "192.0.2.10", "test browser").token
