"""The user's language and the translation helper every page uses."""

from __future__ import annotations

from collections.abc import Callable

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
    """Signed in, the user's own language, unless they picked one in this session before
    signing in."""
    if not st.session_state.get(CHOSEN_KEY):
        st.session_state[LANG_KEY] = language


def language_picker(where, key: str, keep: Callable[[str], None] | None) -> None:
    """A language picker; `keep` saves a signed-in user's choice with their account, so that
    it outlasts the browser session."""
    st.session_state.setdefault(LANG_KEY, DEFAULT_LANGUAGE)
    st.session_state[key] = st.session_state[LANG_KEY]

    def chosen() -> None:
        st.session_state[LANG_KEY] = st.session_state[key]
        if keep is None:
            st.session_state[CHOSEN_KEY] = True  # before signing in: for this session
        else:
            keep(st.session_state[key])
    where.selectbox(tr("app.language"), list(LANGUAGES), key=key,
                    format_func=LANGUAGES.__getitem__, on_change=chosen)
