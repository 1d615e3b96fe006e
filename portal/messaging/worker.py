"""The outbox's sender: one message per transaction, its row locked while it is sent.

A message is locked with SKIP LOCKED, sent, and marked sent in the same transaction, so
several workers (one per server process) never send the same message at once, and a worker
that dies mid-batch leaves every message it had not marked pending again. Failures wait
30 s, doubling, and after MAX_ATTEMPTS the message is dead: listed for an admin to resend.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from db.models import OutboxMessage
from portal import clock, outbox
from portal.messaging.adapters import Adapter
from portal.uow import UnitOfWork

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
ERROR_MAX = 500


@dataclass
class Sent:
    sent: int = 0
    failed: int = 0
    dead: int = 0

    @property
    def tried(self) -> int:
        return self.sent + self.failed + self.dead


def send_due(adapters: Mapping[str, Adapter], limit: int = 200,
             uow_factory: Callable[[], UnitOfWork] = UnitOfWork) -> Sent:
    """Send the messages that are due, up to `limit`, each in a transaction of its own."""
    done = Sent()
    while done.tried < limit and (result := _send_one(uow_factory(), adapters)) is not None:
        setattr(done, result, getattr(done, result) + 1)
    return done


def _send_one(uow: UnitOfWork, adapters: Mapping[str, Adapter]) -> str | None:
    with uow:
        message = uow.session.scalar(
            select(OutboxMessage).where(OutboxMessage.state == "pending",
                                        OutboxMessage.next_attempt_at <= clock.now())
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(1).with_for_update(skip_locked=True))
        if message is None:
            return None
        try:
            with uow.session.begin_nested():  # a failed in-app write leaves the row to update
                adapters[message.channel].send(uow.session, message)
        except Exception as error:  # any failure of a gateway is retried, then given up
            log.warning("message %s to %s failed: %r", message.id, message.channel, error)
            result = _failed(message, repr(error))
        else:
            message.state, message.sent_at, result = "sent", clock.now(), "sent"
        message.attempts += 1
        uow.commit()
        return result


def _failed(message: OutboxMessage, error: str) -> str:
    message.last_error = error[:ERROR_MAX]
    if message.attempts + 1 >= MAX_ATTEMPTS:
        message.state = "dead"
        return "dead"
    message.next_attempt_at = outbox.due_at(message.attempts + 1)
    return "failed"


def keep_sending(stop: threading.Event, adapters: Mapping[str, Adapter],
                 every_seconds: float) -> None:
    """Send what is due every `every_seconds` until `stop` is set; an outage is waited out."""
    while not stop.is_set():
        try:
            send_due(adapters)
        except DBAPIError:
            log.warning("sending messages failed: database unavailable; trying again later")
        stop.wait(every_seconds)
