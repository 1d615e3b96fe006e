"""Environment configuration, read once into one typed object."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The environment does not describe a runnable portal."""


@dataclass(frozen=True)
class Config:
    database_url: str | None  # the owning role's URL (migrations, seeding, backups)
    app_database_url: str | None  # the portal's own role; derived from the owner's when unset
    database_read_url: str | None  # a replica for reads that may lag a moment; unset: none
    app_role: str
    app_password: str | None
    environment: str
    var_dir: Path
    trusted_proxies: tuple[str, ...] = ()  # addresses or networks whose X-Forwarded-For counts
    # Where messages go (portal.messaging.adapters); unset: recorded in the log only.
    sms_url: str | None = None  # the SMS gateway's HTTP endpoint
    sms_key: str | None = None
    smtp_url: str | None = None  # smtp://, smtp+starttls:// or smtps://user:password@host:port
    mail_from: str = "noreply@laixi.gov.cn"

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

    @property
    def pgdata(self) -> Path:
        return self.var_dir / "pgdata"


@cache
def config() -> Config:
    url = os.environ.get("DATABASE_URL") or None
    app_url = os.environ.get("DATABASE_APP_URL") or None
    read_url = os.environ.get("DATABASE_READ_URL") or None
    for name, value in (("DATABASE_URL", url), ("DATABASE_APP_URL", app_url),
                        ("DATABASE_READ_URL", read_url)):
        if value and not value.startswith("postgresql+psycopg://"):
            raise ConfigError(f"{name} must be a postgresql+psycopg:// URL")
    return Config(
        database_url=url,
        app_database_url=app_url,
        database_read_url=read_url,
        app_role=os.environ.get("PORTAL_APP_ROLE", "portal_app"),
        app_password=os.environ.get("DATABASE_APP_PASSWORD") or None,
        environment=os.environ.get("PORTAL_ENV", "development"),
        var_dir=Path(os.environ.get("PORTAL_VAR_DIR", ROOT / "var")),
        trusted_proxies=tuple(p.strip() for p in os.environ.get(
            "PORTAL_TRUSTED_PROXIES", "").split(",") if p.strip()),
        sms_url=os.environ.get("PORTAL_SMS_URL") or None,
        sms_key=os.environ.get("PORTAL_SMS_KEY") or None,
        smtp_url=os.environ.get("PORTAL_SMTP_URL") or None,
        mail_from=os.environ.get("PORTAL_MAIL_FROM") or "noreply@laixi.gov.cn",
    )
