"""The public status lookup: a receipt number and its lookup code (or the phone's last four
digits), no personal data; wrong answers throttled in the database.

Receipt numbers follow one another, so a receipt's neighbours are easy to name; what opens
one is the random code printed on its receipt, or the phone's last four digits, which could
be guessed in ten thousand tries. So every wrong answer is recorded with the receipt number
and the client's address: after a few, that receipt answers nothing, whoever asks, for a
wait that doubles with each further wrong answer; a client address that keeps failing waits
too. A right answer does not wipe the wrong ones.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select

from db.models import Case, CaseEvent, LookupFailure, ServiceType, Unit
from portal import clock, lifecycle, ratings
from portal.clock import local_time
from portal.errors import InvalidInput
from portal.uow import UnitOfWork

RECEIPT = re.compile(r"LX-\d{8}-\d{6,}")
LAST4 = re.compile(r"\d{4}")
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE = re.compile(f"[{CODE_ALPHABET}]{{8}}")
# Dashes a Chinese input method types that NFKC leaves as they are.
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−﹣－"})
RECEIPT_FREE = 5  # wrong answers for one receipt before it waits
CLIENT_FREE = 20  # wrong answers from one address (any receipts) before it waits
FIRST_WAIT = dt.timedelta(minutes=1)  # doubled by every further wrong answer
WINDOW = dt.timedelta(hours=24)  # wrong answers older than this no longer count
LOCK_SPACE = 20_261_201  # advisory locks of the lookup: one per receipt and per client

# Event kinds a citizen may see, and the message that tells each; everything else stays inside.
PUBLIC_STEPS = {
    "created": "public.step.received",
    "claimed": "public.step.in_progress",
    "handoff_accepted": "public.step.transferred",
    "documents_requested": "public.step.documents_requested",
    "documents_received": "public.step.documents_received",
    "resolved": "public.step.resolved",
    "closed": "public.step.closed",
    "reopened": "public.step.reopened",
    "extension_approved": "public.step.extended",
    "rated": "public.step.rated",
    "withdrawn": "public.step.withdrawn",
}


@dataclass(frozen=True)
class PublicStep:
    at: dt.datetime
    step: str  # message key
    unit_zh: str
    unit_en: str


@dataclass(frozen=True)
class PublicStatus:
    receipt_no: str
    service_zh: str
    service_en: str
    status: str
    unit_zh: str
    unit_en: str
    received_on: dt.date
    due_date: dt.date
    steps: list[PublicStep]
    outcome: str | None  # once resolved: approved, rejected, answered or referred
    result: str  # once resolved: what the officer wrote for the citizen
    rating: int | None  # the citizen's own, once given
    rateable: bool  # resolved: the citizen may rate it, once


@dataclass(frozen=True)
class Answer:
    """What a lookup came to: the status, nothing (a wrong answer), or a wait."""

    status: PublicStatus | None = None
    wait_until: dt.datetime | None = None


def typed(value: str) -> str:
    """What was typed, as the portal writes it: full-width digits, letters and dashes from a
    Chinese input method made plain (NFKC), spaces dropped, upper case."""
    plain = unicodedata.normalize("NFKC", value).translate(_DASHES)
    return "".join(plain.split()).upper()


def format_code(code: str) -> str:
    """A lookup code as printed: two groups of four, easier to read out and type."""
    return f"{code[:4]}-{code[4:]}"


def input_errors(receipt_no: str, answer: str) -> dict[str, str]:
    errors = {}
    if not RECEIPT.fullmatch(typed(receipt_no)):
        errors["receipt_no"] = "lookup.error.receipt_format"
    secret = typed(answer).replace("-", "")
    if not (LAST4.fullmatch(secret) or CODE.fullmatch(secret)):
        errors["answer"] = "lookup.error.answer_format"
    return errors


def find(uow: UnitOfWork, receipt_no: str, answer: str, client: str) -> Answer:
    """The case's public status if `answer` opens it and neither the receipt nor the client
    is waiting after wrong answers; a wrong answer is recorded."""
    with uow:
        opened = _open(uow, receipt_no, answer, client)
        if isinstance(opened, Answer):
            return opened
        return Answer(status=public_status(uow, opened))


def rate(uow: UnitOfWork, receipt_no: str, answer: str, client: str, rating: int | None,
         comment: str) -> Answer:
    """The citizen's rating, given behind the same check as `find` (asked again, since a
    page may be left open): recorded once per resolved case, then the status as it stands."""
    if errors := ratings.input_errors(rating, comment):
        raise InvalidInput(errors)
    with uow:
        opened = _open(uow, receipt_no, answer, client)
        if isinstance(opened, Answer):
            return opened
        case = uow.locked(Case, opened.id)
        ratings.by_citizen(uow.session, case, rating, comment)
        status = public_status(uow, case)
        uow.commit()
        return Answer(status=status)


def _open(uow: UnitOfWork, receipt_no: str, answer: str, client: str) -> Case | Answer:
    """The case `answer` opens; otherwise the wait, or nothing (a wrong answer, recorded)."""
    receipt_no, secret, client = typed(receipt_no)[:40], typed(answer).replace("-", ""), client[:64]
    now = clock.now()
    session = uow.session
    # One lookup of a receipt, and of a client, at a time: a burst of guesses in
    # parallel is counted like one after another.
    for key in sorted({receipt_no, f"client:{client}"}):
        session.execute(select(func.pg_advisory_xact_lock(LOCK_SPACE, func.hashtext(key))))
    waits = [_wait(uow, LookupFailure.receipt_no == receipt_no, RECEIPT_FREE, now),
             _wait(uow, LookupFailure.client == client, CLIENT_FREE, now)]
    if (wait := max((w for w in waits if w), default=now)) > now:
        return Answer(wait_until=wait)
    case = session.scalar(select(Case).where(Case.receipt_no == receipt_no))
    if case is not None and _opens(case, secret):
        return case
    session.execute(insert(LookupFailure).values(at=now, receipt_no=receipt_no, client=client))
    uow.commit()
    return Answer()


def _opens(case: Case, secret: str) -> bool:
    if len(secret) == 8:
        return secret == case.lookup_code
    return len(secret) == 4 and case.contact_phone.endswith(secret)


def _wait(uow: UnitOfWork, whose, free: int, now: dt.datetime) -> dt.datetime | None:
    """Until when lookups wait after the wrong answers matching `whose`, if they do."""
    count, last = uow.session.execute(select(func.count(), func.max(LookupFailure.at)).where(
        whose, LookupFailure.at > now - WINDOW)).one()
    if count < free:
        return None
    return last + min(FIRST_WAIT * 2 ** (count - free), WINDOW)


def public_status(uow: UnitOfWork, case: Case) -> PublicStatus:
    """What anyone holding the receipt may know of the case: no names, notes or files."""
    session = uow.session
    service_zh, service_en = session.execute(select(ServiceType.name_zh, ServiceType.name_en)
                                             .where(ServiceType.id == case.service_type_id)).one()
    unit_zh, unit_en = session.execute(select(Unit.name_zh, Unit.name_en)
                                       .where(Unit.id == case.unit_id)).one()
    steps = session.execute(
        select(local_time(CaseEvent.at), CaseEvent.kind, Unit.name_zh, Unit.name_en)
        .join(Unit, CaseEvent.unit_id == Unit.id)
        .where(CaseEvent.case_id == case.id, CaseEvent.kind.in_(PUBLIC_STEPS))
        .order_by(CaseEvent.at, CaseEvent.id)).all()
    known = case.status in lifecycle.RESULT_KNOWN
    return PublicStatus(
        case.receipt_no, service_zh, service_en, case.status, unit_zh, unit_en,
        clock.local(case.received_at).date(), case.due_date,
        [PublicStep(at, PUBLIC_STEPS[kind], zh, en) for at, kind, zh, en in steps],
        case.outcome if known else None, case.result if known else "",
        ratings.rated(session, case.id), known)


def forget_old_failures(uow: UnitOfWork) -> int:
    """The background job's step: wrong answers past the window count no more."""
    with uow:
        gone = uow.session.execute(delete(LookupFailure).where(
            LookupFailure.at < clock.now() - WINDOW)).rowcount
        uow.commit()
    return gone
