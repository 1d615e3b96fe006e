"""The user's language and the translation helper every page uses."""

from __future__ import annotations

import streamlit as st

from portal.messages import DEFAULT_LANGUAGE, LANGUAGES, t

LANG_KEY = "lang"


def lang() -> str:
    return st.session_state.get(LANG_KEY, DEFAULT_LANGUAGE)


def tr(key: str, **params: object) -> str:
    return t(key, lang(), **params)


def language_switch() -> None:
    """A language picker in the sidebar; the choice lasts for the session."""
    st.session_state.setdefault(LANG_KEY, DEFAULT_LANGUAGE)
    st.sidebar.selectbox(tr("app.language"), list(LANGUAGES), key=LANG_KEY,
                         format_func=LANGUAGES.__getitem__)
