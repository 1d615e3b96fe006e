"""Work done beside the app, outside every user's transaction: supervision, daily figures,
the history's hourly digest, and sending the outbox's messages.

`python -m portal run` runs `keep_running` in a thread of its own process; several servers
may each run it, since every step is idempotent (unique keys, an advisory lock).
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy.exc import DBAPIError

from portal import audit
from portal.casework import supervision
from portal.dashboard import rollup
from portal.intake import lookup
from portal.messaging import adapters, worker
from portal.uow import UnitOfWork

log = logging.getLogger(__name__)
# How often `python -m portal run` records the supervision notices that have fallen due.
EVERY_MINUTES = 10
# How often the outbox is looked at: a citizen's text message leaves within seconds.
SEND_EVERY_SECONDS = 5


def run_once() -> None:
    supervision.sweep(UnitOfWork())
    rollup.ensure(UnitOfWork())
    audit.record_if_due(UnitOfWork())
    lookup.forget_old_failures(UnitOfWork())


def keep_running(stop: threading.Event, every_seconds: float) -> None:
    """Run now and then every `every_seconds` until `stop` is set; an outage is waited out.
    The outbox's messages are sent meanwhile, in a thread of their own."""
    threading.Thread(target=worker.keep_sending, name="messages", daemon=True,
                     args=(stop, adapters.configured(), SEND_EVERY_SECONDS)).start()
    while True:
        try:
            run_once()
        except DBAPIError:
            log.warning("background work failed: database unavailable; trying again later")
        if stop.wait(every_seconds):
            return
