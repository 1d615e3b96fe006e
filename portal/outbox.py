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
SUBJECT_MAX, BODY_MAX = 120, 1000  # what an admin may type
# What a message may come to once rendered: the outbox's subject column, a text message.
RENDERED_MAX = {"subject": 200, "body": 1000}
# Each placeholder's longest value, by the columns and rules it comes from; a longer value
# (a resolution's result, a long list of documents) is cut with an ellipsis.
VALUE_MAX = {"receipt_no": 24, "service": 160, "unit": 160, "due_date": 10,
             "documents": 300, "result": 300,
             "link": len(settings.status_link("x" * settings.URL_MAX, "x" * 24, "x" * 8))}


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


def parts(text: str) -> list[tuple[str, str | None]] | None:
    """A template as its literal pieces, each followed by a placeholder's name (or None);
    None when it is not only text and bare `{name}` placeholders (`{{` is a brace): a format
    spec, a conversion, an attribute or an index would run str.format's machinery on values
    nobody checked."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return None
    if any(name is not None and (spec or conversion or not name.isidentifier())
           for _, name, spec, conversion in parsed):
        return None
    return [(literal, name) for literal, name, _, _ in parsed]


def template_fields(text: str) -> set[str] | None:
    """The placeholders a template's text uses; None when it is not a template (parts)."""
    found = parts(text)
    return None if found is None else {name for _, name in found if name is not None}


def longest(text: str) -> int:
    """How long the text can be once rendered: each placeholder at its longest value."""
    return sum(len(literal) + (VALUE_MAX[name] if name else 0) for literal, name in parts(text) or [])


def fill(text: str, values: dict[str, str]) -> str:
    """The template with each placeholder's value, cut to the value's longest: nothing of a
    value is read as a template in its turn."""
    return "".join(literal + (_clipped(values.get(name, ""), VALUE_MAX[name]) if name else "")
                   for literal, name in parts(text) or [])


def _clipped(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[:limit - 1] + "…"


def wording(session: Session, template: str, language: str) -> tuple[str, str]:
    """The template's subject and body: the admin's, else (or if it no longer checks) the
    default."""
    stored = session.get(MessageTemplate, (template, language))
    if stored and usable(template, "subject", stored.subject) and usable(
            template, "body", stored.body):
        return stored.subject, stored.body
    return DEFAULTS[template, language]


def usable(template: str, part: str, text: str) -> bool:
    """Whether a wording's subject or body uses only the template's bare placeholders and
    stays within its limit once rendered: what saving it checks, and what sending it needs."""
    used = template_fields(text)
    return used is not None and used <= set(FIELDS[template]) and longest(text) <= RENDERED_MAX[part]


def render(session: Session, template: str, language: str, values: dict[str, str]
           ) -> tuple[str, str]:
    subject, body = wording(session, template, language)
    return fill(subject, values), fill(body, values)


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
