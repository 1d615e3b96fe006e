"""Settings: every environment variable is documented; URLs of another driver are refused."""

import re

import pytest

from db import config as cfg
from db.config import ROOT, ConfigError


@pytest.fixture
def environment(monkeypatch):
    yield monkeypatch
    cfg.config.cache_clear()


def test_every_environment_variable_the_code_reads_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    read = set()
    for path in [*ROOT.glob("*/*.py"), *ROOT.glob("*.py")]:
        read.update(re.findall(r"environ(?:\.get)?[\[(]\"([A-Z_]+)\"", path.read_text("utf-8")))
    assert read >= {"DATABASE_URL", "DATABASE_APP_URL", "PORTAL_ENV", "TEST_DATABASE_URL"}
    for name in read - {"CI"}:
        assert f"`{name}`" in readme, name


@pytest.mark.parametrize("name", ["DATABASE_URL", "DATABASE_APP_URL"])
def test_a_database_url_of_another_driver_is_refused(environment, name):
    environment.setenv(name, "postgresql://somewhere/portal")
    cfg.config.cache_clear()
    with pytest.raises(ConfigError):
        cfg.config()
