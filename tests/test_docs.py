"""The hardening guide stays true: every test and file it names exists."""

import re

from db.config import ROOT


def test_every_test_the_hardening_guide_names_exists():
    guide = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("*.py"))
    for name in set(re.findall(r"\btest_\w+\b(?!\.py)", guide)):
        assert f"def {name}(" in sources, name
    for path in re.findall(r"`((?:tests|components|portal|db)/[\w/]+\.py)", guide):
        assert (ROOT / path).exists(), path
