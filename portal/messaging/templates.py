"""The messages' wording, per event and language, as admins edit it; and the dead letters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert

from db.models import AdminChange, MessageTemplate, OutboxMessage
from portal import access, clock, outbox
from portal.access import Actor
from portal.errors import InvalidInput
from portal.uow import UnitOfWork

DEAD_SHOWN = 200


@dataclass(frozen=True)
class Wording:
    event: str
    language: str
    subject: str
    body: str
    edited: bool  # an admin's wording, not the default


@dataclass(frozen=True)
class DeadLetter:
    id: int
    event: str
    channel: str
    recipient: str
    attempts: int
    last_error: str
    created_at: dt.datetime


def listing(uow: UnitOfWork, actor: Actor) -> list[Wording]:
    access.require(actor, "messages.manage")
    with uow:
        stored = {(t.event, t.language): (t.subject, t.body)
                  for t in uow.session.scalars(select(MessageTemplate))}
    found = []
    for event, language in outbox.DEFAULTS:
        mine = stored.get((event, language))
        subject, body = mine or outbox.DEFAULTS[event, language]
        found.append(Wording(event, language, subject, body, mine is not None))
    return found


def errors(event: str, subject: str, body: str) -> InvalidInput | None:
    """What is wrong with a wording: per field, empty, too long to type, not only bare
    placeholders of this event, or too long once rendered (its worst case named)."""
    found, params = {}, {}
    allowed = set(outbox.FIELDS.get(event, ()))
    for field, value, limit in (("subject", subject, outbox.SUBJECT_MAX),
                                ("body", body, outbox.BODY_MAX)):
        used = outbox.template_fields(value)
        if not value.strip():
            found[field] = "template.error.empty"
        elif len(value) > limit:
            found[field] = "template.error.too_long"
        elif used is None or not used <= allowed:
            found[field] = "template.error.placeholder"
        elif (worst := outbox.longest(value)) > outbox.RENDERED_MAX[field]:
            found[field] = "template.error.rendered_too_long"
            params[field] = {"n": worst, "limit": outbox.RENDERED_MAX[field]}
    return InvalidInput(found, params) if found else None


def save(uow: UnitOfWork, actor: Actor, event: str, language: str, subject: str,
         body: str) -> None:
    """Store an admin's wording (recorded as an admin change); the default back when it
    equals the default."""
    access.require(actor, "messages.manage")
    if (event, language) not in outbox.DEFAULTS:
        raise InvalidInput({"event": "template.error.event"})
    if invalid := errors(event, subject, body):
        raise invalid
    with uow:
        session = uow.session
        before = outbox.wording(session, event, language)
        if before == (subject, body):
            return
        if (subject, body) == outbox.DEFAULTS[event, language]:
            session.execute(delete(MessageTemplate).where(MessageTemplate.event == event,
                                                          MessageTemplate.language == language))
        else:
            session.execute(insert(MessageTemplate).values(
                event=event, language=language, subject=subject, body=body
            ).on_conflict_do_update(index_elements=["event", "language"],
                                    set_={"subject": subject, "body": body}))
        session.add(AdminChange(at=clock.now(), actor_id=actor.id, entity="message_template",
                                entity_key=f"{event}/{language}",
                                before={"subject": before[0], "body": before[1]},
                                after={"subject": subject, "body": body}))
        uow.commit()


def counts(uow: UnitOfWork, actor: Actor) -> dict[str, int]:
    """Messages by state: pending, sent and dead."""
    access.require(actor, "messages.manage")
    with uow:
        rows = uow.session.execute(select(OutboxMessage.state, func.count())
                                   .group_by(OutboxMessage.state)).tuples().all()
        return {"pending": 0, "sent": 0, "dead": 0, **dict(rows)}


def dead_letters(uow: UnitOfWork, actor: Actor) -> list[DeadLetter]:
    access.require(actor, "messages.manage")
    with uow:
        rows = uow.session.execute(
            select(OutboxMessage.id, OutboxMessage.event, OutboxMessage.channel,
                   OutboxMessage.recipient, OutboxMessage.attempts, OutboxMessage.last_error,
                   clock.local_time(OutboxMessage.created_at))
            .where(OutboxMessage.state == "dead")
            .order_by(OutboxMessage.created_at.desc()).limit(DEAD_SHOWN))
        return [DeadLetter(*row) for row in rows]


def resend(uow: UnitOfWork, actor: Actor, message_ids: list[int]) -> int:
    """Give dead messages to the worker again, with fresh attempts; how many."""
    access.require(actor, "messages.manage")
    with uow:
        again = uow.session.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(message_ids),
                                        OutboxMessage.state == "dead")
            .values(state="pending", attempts=0, next_attempt_at=clock.now())).rowcount
        resent = sorted(message_ids)[:50]
        uow.session.add(AdminChange(at=clock.now(), actor_id=actor.id, entity="message",
                                    entity_key=", ".join(map(str, resent))[:80], before=None,
                                    after={"messages": resent}))
        uow.commit()
        return again
