"""Where messages go: an SMS gateway over HTTP, an SMTP server, the portal's own bell.

Each adapter sends one message or raises; the worker retries. The message's idempotency key
goes with it (a header to the gateway, the e-mail's Message-ID), so a gateway that has seen
a key already can drop a message sent again after a worker died between sending it and
recording that it was sent.
"""

from __future__ import annotations

import json
import logging
import smtplib
import urllib.request
from collections import deque
from email.message import EmailMessage
from typing import Protocol
from urllib.parse import unquote, urlsplit

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from db.config import Config, config
from db.models import Notification, OutboxMessage
from portal import clock, mailbox

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10


class Adapter(Protocol):
    def send(self, session: Session, message: OutboxMessage) -> None: ...


class Recording:
    """Keeps what it was given and writes it to the log, where a developer (or a city not yet
    connected to a gateway) reads it: no message leaves the server."""

    KEPT = 1000  # the latest ones: the background job runs for months

    def __init__(self) -> None:
        self.sent: deque[tuple[str, str, str]] = deque(maxlen=self.KEPT)

    def send(self, session: Session, message: OutboxMessage) -> None:
        log.warning("not sent, no %s gateway configured: to %s: %s", message.channel,
                    message.recipient, message.body)
        self.sent.append((message.idempotency_key, message.recipient, message.body))


class HttpSms:
    """POSTs {to, text, idempotency_key} as JSON, the key also as Idempotency-Key."""

    def __init__(self, url: str, key: str | None) -> None:
        self.url, self.key = url, key

    def send(self, session: Session, message: OutboxMessage) -> None:
        body = json.dumps({"to": message.recipient, "text": message.body,
                           "idempotency_key": message.idempotency_key}).encode()
        headers = {"Content-Type": "application/json",
                   "Idempotency-Key": message.idempotency_key}
        if self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            response.read()  # any status but 2xx raises HTTPError


class Smtp:
    def __init__(self, url: str, sender: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtp+starttls", "smtps") or not parts.hostname:
            raise ValueError("PORTAL_SMTP_URL must be smtp://, smtp+starttls:// or smtps://host")
        self.parts, self.sender = parts, sender

    def send(self, session: Session, message: OutboxMessage) -> None:
        """To exactly the one mailbox the message names: never to what else a header might
        be read as (a recipient that is not one address is refused, and the message dies)."""
        if not mailbox.is_one(message.recipient):
            raise ValueError("the recipient is not one e-mail address")
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = self.sender, message.recipient, message.subject
        mail["Message-ID"] = f"<{message.idempotency_key}@{self.sender.partition('@')[2]}>"
        mail.set_content(message.body)
        parts = self.parts
        kind = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
        with kind(parts.hostname, parts.port or (465 if parts.scheme == "smtps" else 25),
                  timeout=TIMEOUT_SECONDS) as server:
            if parts.scheme == "smtp+starttls":
                server.starttls()
            if parts.username:
                server.login(unquote(parts.username), unquote(parts.password or ""))
            server.send_message(mail, from_addr=self.sender, to_addrs=[message.recipient])


class InApp:
    """The bell: a notification row, written in the worker's transaction (so exactly once)."""

    def send(self, session: Session, message: OutboxMessage) -> None:
        session.execute(insert(Notification).values(
            user_id=int(message.recipient), message_id=message.id, case_id=message.case_id,
            subject=message.subject, body=message.body, created_at=clock.now(),
        ).on_conflict_do_nothing(index_elements=[Notification.message_id]))


def configured(settings: Config | None = None) -> dict[str, Adapter]:
    """The adapters the environment names; a channel left unset is recorded in the log."""
    settings = settings or config()
    return {
        "sms": HttpSms(settings.sms_url, settings.sms_key) if settings.sms_url else Recording(),
        "email": Smtp(settings.smtp_url, settings.mail_from) if settings.smtp_url else Recording(),
        "app": InApp(),
    }
