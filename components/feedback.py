"""Telling users how their action went, in their language: refusals, a lost database, and
confirmations."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.exc import DBAPIError

from components.i18n import tr
from portal.errors import DomainError, InvalidInput


def message(error: DomainError) -> str:
    return tr(error.key, **{k: _label(v) for k, v in error.params.items()})


def _label(value: object) -> object:
    # Statuses inside messages are shown with their translated names.
    text = str(value)
    try:
        return tr(f"status.{text}")
    except KeyError:
        return value


@contextmanager
def reported(*, stop: bool = False) -> Iterator[None]:
    """Run a service call; a domain refusal or a lost database becomes a message, not a crash.

    With `stop`, the rest of the page is not drawn after such a message.
    """
    try:
        yield
    except DomainError as error:
        st.error(explain(error))
    except DBAPIError:
        st.error(tr("error.database"))
    else:
        return
    if stop:
        st.stop()


def explain(error: DomainError) -> str:
    """One line on why an action was refused; for invalid input, the first field's message."""
    if isinstance(error, InvalidInput):
        return tr(next(iter(error.errors.values())))
    return message(error)


FLASH_KEY = "flash"
PAGE_KEY = "page_key"  # the page being drawn, recorded by the page guard
# A confirmation stays this long from when it was first shown, so that reruns right after the
# action (a fragment's, a rebuilt menu's) do not take it away before it is read.
FLASH_SECONDS = 5.0


def confirm(text: str) -> None:
    """Confirm the user's action on this page, on the runs that follow it."""
    st.session_state[FLASH_KEY] = {"text": text, "page": st.session_state.get(PAGE_KEY),
                                   "until": None}


def show_confirmation() -> None:
    """The confirmation of the user's last action on this page, while it is fresh."""
    pending = st.session_state.get(FLASH_KEY)
    if not pending:
        return
    now = time.monotonic()
    if pending["page"] != st.session_state.get(PAGE_KEY) or (
            pending["until"] is not None and now > pending["until"]):
        del st.session_state[FLASH_KEY]
        return
    if pending["until"] is None:
        pending["until"] = now + FLASH_SECONDS
    st.success(pending["text"])


def acted(action: Callable[[], object], flash: str | Callable[[object], str | None] | None = None,
          labels: str | None = None, *, errors_key: str | None = None) -> None:
    """The one way a page runs a user's action (a form's submit, a button).

    On success the page reruns, showing `flash` (text, or made from the action's result;
    None: nothing). On invalid input: with `errors_key` the field errors are kept there and
    the page reruns, each field showing its own beside it (what was typed stays in the
    widgets); with `labels` every invalid field is named here (`<labels><field>`); else the
    first one's message. Any other refusal, or a lost database, is one message.
    """
    with reported():
        try:
            result = action()
        except InvalidInput as invalid:
            if errors_key is not None:
                st.session_state[errors_key] = invalid.errors
                st.rerun()
            if labels is None:
                raise
            field_errors(invalid, labels)
            return
        if errors_key is not None:
            st.session_state.pop(errors_key, None)
        if (text := flash(result) if callable(flash) else flash) is not None:
            confirm(text)
        st.rerun()


def field_errors(invalid: InvalidInput, labels: str) -> None:
    """One line per invalid field: its label (message `<labels><field>`) and what is wrong.

    A numbered field (`row.3`) takes the label of its kind (`<labels>row`), given `n`."""
    for field, key in invalid.errors.items():
        kind, _, number = field.partition(".")
        st.error(f"{tr(labels + kind, n=number)}: {tr(key, **invalid.field_params.get(field, {}))}")
