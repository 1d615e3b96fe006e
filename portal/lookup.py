"""The public status lookup: receipt number and the phone's last four digits, no personal data."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sqlalchemy import select

from db.models import Case, CaseEvent, ServiceType, Unit
from portal import clock
from portal.clock import local_time
from portal.uow import UnitOfWork

RECEIPT = re.compile(r"LX-\d{8}-\d{6,}")
LAST4 = re.compile(r"\d{4}")
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


def input_errors(receipt_no: str, last4: str) -> dict[str, str]:
    errors = {}
    if not RECEIPT.fullmatch(receipt_no.strip().upper()):
        errors["receipt_no"] = "lookup.error.receipt_format"
    if not LAST4.fullmatch(last4.strip()):
        errors["last4"] = "lookup.error.last4_format"
    return errors


def find(uow: UnitOfWork, receipt_no: str, last4: str) -> PublicStatus | None:
    """The case's public status, or None when the receipt number and digits do not match."""
    with uow:
        row = uow.session.execute(
            select(Case, ServiceType.name_zh, ServiceType.name_en, Unit.name_zh, Unit.name_en)
            .join(ServiceType, Case.service_type_id == ServiceType.id)
            .join(Unit, Case.unit_id == Unit.id)
            .where(Case.receipt_no == receipt_no.strip().upper())).first()
        if row is None or not row[0].contact_phone.endswith(last4.strip()):
            return None
        case = row[0]
        steps = uow.session.execute(
            select(local_time(CaseEvent.at), CaseEvent.kind, Unit.name_zh, Unit.name_en)
            .join(Unit, CaseEvent.unit_id == Unit.id)
            .where(CaseEvent.case_id == case.id, CaseEvent.kind.in_(PUBLIC_STEPS))
            .order_by(CaseEvent.at, CaseEvent.id)).all()
        return PublicStatus(
            case.receipt_no, row[1], row[2], case.status, row[3], row[4],
            clock.local(case.received_at).date(), case.due_date,
            [PublicStep(at, PUBLIC_STEPS[kind], zh, en) for at, kind, zh, en in steps])


@dataclass
class Throttle:
    """Failed lookups of one session: free at first, then slowed, then refused for a while."""

    failures: list[float] = field(default_factory=list)  # times of failed lookups, in seconds
    free: int = 3
    lock_after: int = 6
    window_s: float = 15 * 60
    lock_s: float = 15 * 60

    def _recent(self, now: float) -> list[float]:
        return [t for t in self.failures if now - t < max(self.window_s, self.lock_s)]

    def locked_for(self, now: float) -> float:
        """Seconds until lookups are allowed again (0 when they are)."""
        recent = self._recent(now)
        if len(recent) < self.lock_after:
            return 0.0
        return max(0.0, recent[-1] + self.lock_s - now)

    def delay(self, now: float) -> float:
        """Seconds to wait before answering the next lookup."""
        extra = len(self._recent(now)) - self.free + 1
        return float(2 ** (extra - 1)) if extra > 0 else 0.0

    def failed(self, now: float) -> None:
        self.failures = [*self._recent(now), now]

    def succeeded(self) -> None:
        self.failures = []
