"""The case history's hash chains (migration 0016): verify every link, and record the digests
that anchor the chains.

An event's hash covers its content and the previous event's hash, so an edited or deleted
event breaks its case's chain from there on. What a chain alone cannot show, an event cut
from the end of a case or a chain recomputed by someone who owns the table, a digest can: it
is a hash over every case's latest event hash at a moment, recorded every hour (a setting;
and exportable, to be kept where the database's owner cannot reach). When a digest does not
hold, the cases whose present state their history does not lead to are named: an event cut
from the end of a case usually took the change of status with it. The verifier recomputes
everything from the rows themselves, with no function of ours in the database.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select, text

from db.models import HistoryDigest
from portal import clock, settings
from portal.uow import UnitOfWork

# The content of event `e` as the chain's trigger hashes it.
BODY = """jsonb_build_array(
    e.case_id, e.seq, extract(epoch FROM e.at)::text, e.actor_id, e.unit_id, e.kind,
    e.from_status, e.to_status, e.data, extract(epoch FROM e.written_at)::text)::text"""
CUT_SHOWN = 20
# A digest covers events written this long before it is made, so that no transaction still
# writing events (a ledger import takes seconds) can add one to the moment it covers.
SETTLE = dt.timedelta(minutes=10)
BATCH = 5000


@dataclass(frozen=True)
class Digest:
    upto: dt.datetime
    cases: int
    events: int
    digest: bytes

    def line(self) -> str:
        """The digest as one line of text, to print, keep on paper or send to an archive."""
        return f"{self.upto.isoformat()},{self.cases},{self.events},{self.digest.hex()}"

    @classmethod
    def parse(cls, line: str) -> Digest:
        upto, cases, events, digest = line.strip().split(",")
        return cls(dt.datetime.fromisoformat(upto), int(cases), int(events), bytes.fromhex(digest))


@dataclass(frozen=True)
class Break:
    """The first place where the history is not what it was."""

    receipt_no: str
    case_id: int
    seq: int
    event_id: int | None
    problem: str  # "changed": content or hash edited; "missing": an event taken out

    def describe(self) -> str:
        what = {"changed": "does not match its hash (its content or a hash before it was "
                           "edited)", "missing": "is missing (taken out of the history)"}
        return (f"case {self.receipt_no} (id {self.case_id}), event {self.seq}"
                f"{f' (id {self.event_id})' if self.event_id else ''} {what[self.problem]}")


@dataclass(frozen=True)
class Cut:
    """A case whose history leads to another state than the one it is in."""

    receipt_no: str
    status: str
    history_says: str | None

    def describe(self) -> str:
        return (f"case {self.receipt_no} is {self.status}, but its history ends "
                f"{'with ' + self.history_says if self.history_says else 'with no status'}: "
                "events were taken from its end")


@dataclass(frozen=True)
class Verification:
    cases: int
    events: int
    first_break: Break | None
    digests: list[tuple[Digest, bool]]  # each digest checked, and whether it still holds
    cut_short: list[Cut] = dataclasses.field(default_factory=list)  # when a digest fails

    @property
    def intact(self) -> bool:
        return self.first_break is None and all(holds for _, holds in self.digests)


def verify(uow: UnitOfWork, against: Iterable[Digest] = ()) -> Verification:
    """Recompute every event's hash in order; check the latest recorded digest and `against`."""
    with uow:
        cases, events, first = _walk(uow)
        latest = uow.session.scalars(select(HistoryDigest).order_by(
            HistoryDigest.upto.desc()).limit(1)).first()
        wanted = [*against, *([_digest(latest)] if latest else [])]
        checked = [(d, compute(uow, d.upto) == d) for d in wanted]
        cut = _cut_short(uow) if not all(holds for _, holds in checked) else []
    return Verification(cases, events, first, checked, cut)


def _cut_short(uow: UnitOfWork) -> list[Cut]:
    """Cases whose latest change of status in the history is not their status now."""
    rows = uow.session.execute(text(
        "SELECT c.receipt_no, c.status, last.to_status FROM cases c LEFT JOIN LATERAL ("
        "  SELECT e.to_status FROM case_events e WHERE e.case_id = c.id"
        "  AND e.to_status IS NOT NULL ORDER BY e.seq DESC LIMIT 1) last ON true "
        "WHERE last.to_status IS DISTINCT FROM c.status ORDER BY c.id LIMIT :shown"),
        {"shown": CUT_SHOWN})
    return [Cut(*row) for row in rows]


def _walk(uow: UnitOfWork) -> tuple[int, int, Break | None]:
    rows = uow.session.execute(text(
        f"SELECT e.id, e.case_id, e.seq, e.hash, {BODY} AS body, c.receipt_no "
        "FROM case_events e JOIN cases c ON c.id = e.case_id ORDER BY e.case_id, e.seq"
    ).execution_options(yield_per=BATCH))
    cases = events = 0
    case_id, seq, previous = None, 0, b""
    for row in rows:
        events += 1
        if row.case_id != case_id:
            cases += 1
            case_id, seq, previous = row.case_id, 0, b""
        if row.seq != seq + 1:
            return cases, events, Break(row.receipt_no, row.case_id, seq + 1, None, "missing")
        if hashlib.sha256(previous + row.body.encode()).digest() != bytes(row.hash):
            return cases, events, Break(row.receipt_no, row.case_id, row.seq, row.id, "changed")
        seq, previous = row.seq, bytes(row.hash)
    return cases, events, None


def compute(uow: UnitOfWork, upto: dt.datetime) -> Digest:
    """The digest of the history as it stood at `upto`: every case's latest event by then."""
    latest = uow.session.execute(text(
        "SELECT DISTINCT ON (case_id) case_id, seq, hash FROM case_events "
        "WHERE written_at <= :upto ORDER BY case_id, seq DESC"
    ).execution_options(yield_per=BATCH), {"upto": upto})
    digest, cases, events = hashlib.sha256(), 0, 0
    for case_id, seq, hash_ in latest:
        digest.update(f"{case_id}:{seq}:{bytes(hash_).hex()}\n".encode())
        cases, events = cases + 1, events + seq
    return Digest(upto, cases, events, digest.digest())


def record(uow: UnitOfWork) -> Digest:
    """Record the digest of the history as it stood a few minutes ago."""
    with uow:
        made = compute(uow, clock.now() - SETTLE)
        uow.session.add(HistoryDigest(made_at=clock.now(), upto=made.upto, cases=made.cases,
                                      events=made.events, digest=made.digest))
        uow.commit()
    return made


def record_if_due(uow: UnitOfWork) -> Digest | None:
    """The background job's step: a digest every `history_digest_minutes`."""
    with uow:
        last = uow.session.scalar(select(func.max(HistoryDigest.made_at)))
        every = dt.timedelta(minutes=settings.current(uow.session).history_digest_minutes)
    if last is not None and clock.now() - last < every:
        return None
    return record(uow)


def recorded(uow: UnitOfWork) -> list[Digest]:
    """Every digest recorded, oldest first."""
    with uow:
        return [_digest(d) for d in uow.session.scalars(
            select(HistoryDigest).order_by(HistoryDigest.upto))]


def _digest(row: HistoryDigest) -> Digest:
    return Digest(row.upto, row.cases, row.events, bytes(row.digest))
