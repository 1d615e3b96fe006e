"""Messages to citizens and staff, written in the transaction of the event they tell of.

`lifecycle.record` hands every case event to `on_event`; the events in `TOLD` become rows
of the outbox, rendered from their templates (an admin's wording, else the default here),
and the background worker (portal.messaging) sends them after the user's transaction has
committed. An action that rolls back therefore sends nothing, and a message is never sent
from inside a user's click.
"""

from __future__ import annotations

import datetime as dt
import string
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Case, CaseEvent, MessageTemplate, OutboxMessage, ServiceType, Unit, User
from portal import clock, registry, settings

# Case event -> the message it sends (its template) and to whom.
CITIZEN, RECEIVING_UNIT, ASSIGNEE = "citizen", "receiving_unit", "assignee"
TOLD: dict[str, tuple[str, str]] = {
    "created": ("documents_requested", CITIZEN),  # only when documents are still to come
    "documents_requested": ("documents_requested", CITIZEN),
    "resolved": ("result_ready", CITIZEN),
    "handoff_requested": ("handoff_received", RECEIVING_UNIT),
    "assigned": ("case_assigned", ASSIGNEE),
    "auto_assigned": ("case_assigned", ASSIGNEE),
}
# What each template may say: the placeholders it may use.
FIELDS: dict[str, tuple[str, ...]] = {
    "documents_requested": ("receipt_no", "service", "documents", "link"),
    "result_ready": ("receipt_no", "service", "result", "link"),
    "handoff_received": ("receipt_no", "service", "unit", "due_date"),
    "case_assigned": ("receipt_no", "service", "due_date"),
}
DEFAULTS: dict[tuple[str, str], tuple[str, str]] = {
    ("documents_requested", "zh"): (
        "请补交材料：{receipt_no}",
        "【莱西市为民代办】您申请的{service}（回执号 {receipt_no}）还需补交：{documents}。"
        "请带齐后到原受理窗口，进度可查：{link}"),
    ("documents_requested", "en"): (
        "Documents needed: {receipt_no}",
        "Laixi service agents: your request for {service} ({receipt_no}) still needs: "
        "{documents}. Bring them to the window that took it in; progress: {link}"),
    ("result_ready", "zh"): (
        "办理结果：{receipt_no}",
        "【莱西市为民代办】您申请的{service}（回执号 {receipt_no}）已办结：{result}。"
        "欢迎评价我们的服务：{link}"),
    ("result_ready", "en"): (
        "Your result: {receipt_no}",
        "Laixi service agents: your request for {service} ({receipt_no}) is done: {result}. "
        "Please rate our service: {link}"),
    ("handoff_received", "zh"): (
        "新移交：{receipt_no}",
        "{unit}收到一件移交：{service}（{receipt_no}），期限 {due_date}，请及时接收或退回。"),
    ("handoff_received", "en"): (
        "New hand-off: {receipt_no}",
        "{unit} has a hand-off waiting: {service} ({receipt_no}), due {due_date}. "
        "Accept or return it."),
    ("case_assigned", "zh"): (
        "分派给您：{receipt_no}",
        "{service}（{receipt_no}）已分派给您办理，期限 {due_date}。"),
    ("case_assigned", "en"): (
        "Assigned to you: {receipt_no}",
        "{service} ({receipt_no}) is yours to work, due {due_date}."),
}
LANGUAGES = ("zh", "en")
CITIZEN_LANGUAGE = "zh"
SUBJECT_MAX, BODY_MAX = 120, 1000


@dataclass(frozen=True)
class Recipient:
    channel: str  # sms, email or app
    address: str  # a phone number, an e-mail address or a user's id
    language: str


def on_event(session: Session, case: Case, event: CaseEvent) -> None:
    """Write the messages `event` sends, if it sends any, beside it in its transaction."""
    if event.kind not in TOLD or (event.kind == "created"
                                  and not event.data.get("documents_missing")):
        return
    template, whom = TOLD[event.kind]
    recipients = _recipients(session, case, event, whom)
    if not recipients:
        return
    now = clock.now()
    # Rendered once per language: a hand-off tells every worker of the receiving unit.
    rendered = {language: render(session, template, language,
                                 _values(session, case, event, language))
                for language in {r.language for r in recipients}}
    for recipient in recipients:
        subject, body = rendered[recipient.language]
        session.add(OutboxMessage(
            event=template, channel=recipient.channel, recipient=recipient.address,
            subject=subject, body=body, case_id=case.id, created_at=now, next_attempt_at=now,
            idempotency_key=f"{template}-{uuid.uuid4().hex}"))


def template_fields(text: str) -> set[str] | None:
    """The placeholders a template's text uses; None when its braces do not parse."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return None


def wording(session: Session, template: str, language: str) -> tuple[str, str]:
    """The template's subject and body: the admin's, else the default."""
    stored = session.get(MessageTemplate, (template, language))
    return (stored.subject, stored.body) if stored else DEFAULTS[template, language]


def render(session: Session, template: str, language: str, values: dict[str, str]
           ) -> tuple[str, str]:
    subject, body = wording(session, template, language)
    return subject.format_map(values)[:200], body.format_map(values)


def _recipients(session: Session, case: Case, event: CaseEvent, whom: str) -> list[Recipient]:
    if whom == CITIZEN:
        found = [Recipient("sms", case.contact_phone, CITIZEN_LANGUAGE)] if case.contact_phone else []
        if case.contact_email:
            found.append(Recipient("email", case.contact_email, CITIZEN_LANGUAGE))
        return found
    if whom == RECEIVING_UNIT:
        people = select(User.id, User.language).where(
            User.unit_id == event.data["to_unit_id"], User.active,
            User.role.in_(registry.WORKERS))
    else:
        to = event.data.get("to")
        if to is None or to == event.actor_id:  # nobody tells themself
            return []
        people = select(User.id, User.language).where(User.id == to)
    return [Recipient("app", str(user_id), language)
            for user_id, language in session.execute(people)]


def _values(session: Session, case: Case, event: CaseEvent, language: str) -> dict[str, str]:
    name = ServiceType.name_en if language == "en" else ServiceType.name_zh
    unit_name = Unit.name_en if language == "en" else Unit.name_zh
    service = session.scalar(select(name).where(ServiceType.id == case.service_type_id))
    unit = ""
    if "to_unit_id" in event.data:
        unit = session.scalar(select(unit_name).where(Unit.id == event.data["to_unit_id"]))
    base = settings.current(session).public_base_url
    return {"receipt_no": case.receipt_no, "service": service or "",
            "documents": event.data.get("documents") or _missing(case, language),
            "result": case.result,
            "unit": unit or "", "due_date": case.due_date.isoformat(),
            "link": settings.status_link(base, case.receipt_no, case.lookup_code) if base else ""}


def _missing(case: Case, language: str) -> str:
    """The documents of the one-time notice the citizen has still to bring."""
    name = "name_en" if language == "en" else "name_zh"
    return ("; " if language == "en" else "、").join(
        d[name] for d in case.documents if d["required"] and not d["brought"])


def due_at(attempts: int) -> dt.datetime:
    """When a message that failed `attempts` times is tried again: 30 s, then doubling, at
    most an hour."""
    return clock.now() + min(dt.timedelta(seconds=30) * 2 ** (attempts - 1), dt.timedelta(hours=1))
