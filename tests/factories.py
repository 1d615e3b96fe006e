"""Small factories that read like the user's actions."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from portal import intake
from portal.access import Actor
from portal.citizens import CitizenInput
from portal.intake import IntakeForm, Receipt
from portal.uow import UnitOfWork


def new_case(uow: UnitOfWork, actor: Actor, *, service: str = "PENSION-CERT",
             name: str = "王秀英", phone: str = "13812345678", id_number: str = "",
             token: str | None = None, **form) -> Receipt:
    """Take in a request; by default the citizen brought every document."""
    form.setdefault("brought", (True,) * 10)
    citizen = CitizenInput(name=name, id_number=id_number, phone=phone)
    return intake.take_in(uow, actor, IntakeForm(service_code=service, citizen=citizen,
                                                 token=token, **form))


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
