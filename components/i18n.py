"""The user's language and the translation helper every page uses."""

from __future__ import annotations

import streamlit as st

from components.text import literal
from portal.messages import DEFAULT_LANGUAGE, LANGUAGES, t

LANG_KEY = "lang"
CHOSEN_KEY = "lang_chosen"


def lang() -> str:
    return st.session_state.get(LANG_KEY, DEFAULT_LANGUAGE)


def tr(key: str, **params: object) -> str:
    """The message in the user's language; text parameters (names, reasons) are made literal,
    since every place a message is shown reads Markdown."""
    return t(key, lang(), **{k: literal(v) if isinstance(v, str) else v for k, v in params.items()})


def use_profile_language(language: str) -> None:
    """Start in the user's own language unless they picked one in this session."""
    if not st.session_state.get(CHOSEN_KEY):
        st.session_state[LANG_KEY] = language


def language_switch() -> None:
    """A language picker in the sidebar; the choice lasts for the session."""
    st.session_state.setdefault(LANG_KEY, DEFAULT_LANGUAGE)
    st.sidebar.selectbox(tr("app.language"), list(LANGUAGES), key=LANG_KEY,
                         format_func=LANGUAGES.__getitem__,
                         on_change=lambda: st.session_state.update({CHOSEN_KEY: True}))
