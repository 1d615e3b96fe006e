"""The message catalogue: every user-visible string, in zh-CN and English, one file per wing
of the portal (and `common` for what every page shares); keys are unique across them."""

from __future__ import annotations

from portal.messages import (
    accounts,
    admin,
    casework,
    common,
    dashboard,
    handoffs,
    intake,
    integration,
)

LANGUAGES = {"zh": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh"

PARTS = (common, intake, casework, handoffs, dashboard, admin, accounts, integration)
# key -> (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
    key: text for part in PARTS for key, text in part.MESSAGES.items()}


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """The message `key` in `lang`, with `{params}` filled in."""
    zh, en = MESSAGES[key]
    text = en if lang == "en" else zh
    return text.format(**params) if params else text


def t_or(key: str, fallback: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The message `key` in `lang` if the catalogue has it, else `fallback` as it is."""
    return t(key, lang) if key in MESSAGES else fallback
