"""Settings: every environment variable is documented, and no deployment runs on a guessable key."""

import re

import pytest

from db import config as cfg
from db.config import ROOT, ConfigError, cookie_key


@pytest.fixture
def environment(monkeypatch):
    monkeypatch.delenv("PORTAL_COOKIE_KEY", raising=False)
    yield monkeypatch
    cfg.config.cache_clear()


def test_every_environment_variable_the_code_reads_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    read = set()
    for path in [*ROOT.glob("*/*.py"), ROOT / "app.py"]:
        read.update(re.findall(r"environ(?:\.get)?[\[(]\"([A-Z_]+)\"", path.read_text("utf-8")))
    assert read >= {"DATABASE_URL", "PORTAL_ENV", "PORTAL_COOKIE_KEY", "TEST_DATABASE_URL"}
    for name in read - {"CI"}:
        assert f"`{name}`" in readme, name


def test_development_generates_the_cookie_key_once_into_the_secrets_file(environment, tmp_path):
    environment.setenv("PORTAL_ENV", "development")
    cfg.config.cache_clear()
    secrets = tmp_path / ".streamlit" / "secrets.toml"
    key = cookie_key(secrets)
    assert len(key) >= 32 and cookie_key(secrets) == key
    assert secrets.stat().st_mode & 0o077 == 0  # readable by the owner only


def test_production_refuses_to_run_without_a_configured_key(environment, tmp_path):
    environment.setenv("PORTAL_ENV", "production")
    cfg.config.cache_clear()
    with pytest.raises(ConfigError):
        cookie_key(tmp_path / "secrets.toml")
    environment.setenv("PORTAL_COOKIE_KEY", "from-the-environment")
    assert cookie_key(tmp_path / "secrets.toml") == "from-the-environment"


def test_a_database_url_of_another_driver_is_refused(environment):
    environment.setenv("DATABASE_URL", "postgresql://somewhere/portal")
    cfg.config.cache_clear()
    with pytest.raises(ConfigError):
        cfg.config()
