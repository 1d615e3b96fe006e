"""Environment configuration, read once into one typed object."""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"


class ConfigError(RuntimeError):
    """The environment does not describe a runnable portal."""


@dataclass(frozen=True)
class Config:
    database_url: str | None  # the owning role's URL (migrations, seeding, backups)
    app_database_url: str | None  # the portal's own role; derived from the owner's when unset
    app_role: str
    app_password: str | None
    environment: str
    var_dir: Path
    trusted_proxies: tuple[str, ...] = ()  # addresses or networks whose X-Forwarded-For counts

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
    for name, value in (("DATABASE_URL", url), ("DATABASE_APP_URL", app_url)):
        if value and not value.startswith("postgresql+psycopg://"):
            raise ConfigError(f"{name} must be a postgresql+psycopg:// URL")
    return Config(
        database_url=url,
        app_database_url=app_url,
        app_role=os.environ.get("PORTAL_APP_ROLE", "portal_app"),
        app_password=os.environ.get("DATABASE_APP_PASSWORD") or None,
        environment=os.environ.get("PORTAL_ENV", "development"),
        var_dir=Path(os.environ.get("PORTAL_VAR_DIR", ROOT / "var")),
        trusted_proxies=tuple(p.strip() for p in os.environ.get(
            "PORTAL_TRUSTED_PROXIES", "").split(",") if p.strip()),
    )


def cookie_key(secrets_file: Path = SECRETS_FILE) -> str:
    """The key that signs log-in cookies: from the environment, else the git-ignored secrets file.

    In development a missing key is generated into the secrets file on first start;
    anywhere else a missing key is an error, so no deployment runs on a guessable key.
    """
    if key := os.environ.get("PORTAL_COOKIE_KEY"):
        return key
    if secrets_file.exists():
        key = tomllib.loads(secrets_file.read_text()).get("cookie_key")
        if key:
            return key
    if not config().is_development:
        raise ConfigError("set PORTAL_COOKIE_KEY or cookie_key in .streamlit/secrets.toml")
    key = secrets.token_urlsafe(32)
    secrets_file.parent.mkdir(exist_ok=True)
    with secrets_file.open("a") as f:
        f.write(f'cookie_key = "{key}"\n')
    secrets_file.chmod(0o600)
    return key
