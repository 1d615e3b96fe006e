"""The catalogue is complete in both languages and every key the code uses exists."""

import ast
import re
import string

from db.config import ROOT
from db.models import CHANNELS, ROLES, STATUSES, TIERS
from portal import messages, registry
from portal.access import ACTIONS
from portal.messages import MESSAGES

SOURCES = [p for d in ("app.py", "components", "pages", "portal")
           for p in ([ROOT / d] if d.endswith(".py") else (ROOT / d).rglob("*.py"))
           if "messages" not in p.relative_to(ROOT).parts]
NOT_MESSAGES = set(ACTIONS)  # action names share the dotted shape
KEY_LITERAL = re.compile(r"""["']((?:[a-z_]+\.)+[a-z_]+)["']""")


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_both_languages_with_the_same_placeholders():
    for key, (zh, en) in MESSAGES.items():
        assert zh.strip() and en.strip(), key
        assert fields(zh) == fields(en), key


def test_every_key_used_in_the_code_is_in_the_catalogue():
    prefixes = {key.split(".")[0] for key in MESSAGES}
    missing = set()
    for path in SOURCES:
        for key in KEY_LITERAL.findall(path.read_text(encoding="utf-8")):
            if key in NOT_MESSAGES or key.endswith(".py"):
                continue
            if key.split(".")[0] in prefixes and key not in MESSAGES:
                missing.add(f"{path.name}: {key}")
    assert not missing


def test_every_domain_value_shown_to_users_has_a_label():
    for prefix, values in (("status", STATUSES), ("role", ROLES), ("tier", TIERS),
                           ("channel", CHANNELS)):
        for value in values:
            assert f"{prefix}.{value}" in MESSAGES


def test_every_registered_page_has_its_title_and_section():
    for page in registry.PAGES:
        assert isinstance(page.title, tuple) or page.title in MESSAGES
        assert page.section in MESSAGES


def _ways_keys_are_named() -> tuple[set[str], list[re.Pattern], list[str]]:
    """What the code names keys with: whole strings, f-strings with a fixed part
    (`f"casework.{action}"`), and prefixes a word is added to (`"users.field." + field`)."""
    literals, patterns = set(), []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            elif isinstance(node, ast.JoinedStr):
                fixed = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
                if re.search(r"[a-z]{2}", fixed):  # not f"{a}.{b}", which names anything
                    patterns.append(re.compile("".join(
                        re.escape(v.value) if isinstance(v, ast.Constant) else r"[\w.]+"
                        for v in node.values)))
    prefixes = [s for s in literals if re.fullmatch(r"[a-z_]+(\.[a-z_]+)*\.", s)]
    return literals, patterns, prefixes


def test_every_key_in_the_catalogue_is_used():
    literals, patterns, prefixes = _ways_keys_are_named()
    unused = [key for key in MESSAGES if key not in literals
              and not any(p.fullmatch(key) for p in patterns)
              and not any(key.startswith(p) and "." not in key[len(p):] for p in prefixes)]
    assert not unused


def test_each_key_is_in_one_part_of_the_catalogue():
    assert len(MESSAGES) == sum(len(part.MESSAGES) for part in messages.PARTS)
