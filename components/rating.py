"""Ratings as people give them: the citizen's form on the status page, and the call-back a
manager records before closing a rectification."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components.dynamic_form import field_error
from components.i18n import tr
from portal import clock, ratings
from portal.access import Actor
from portal.casework.rectification import CallBack


def levels(label_key: str, key: str) -> int | None:
    """The five levels, best first, none chosen."""
    names = {r: tr(f"rating.{r}") for r in ratings.RATINGS}
    return st.radio(tr(label_key), list(names), horizontal=True, index=None, key=key,
                    format_func=names.__getitem__)


def citizen_form(errors: dict[str, str]) -> tuple[bool, int | None, str]:
    """(sent, rating, comment) from the citizen's rating form."""
    with st.form("rate"):
        st.markdown(f"**{tr('rating.ask')}**")
        rating = levels("rating.level", "rate_level")
        field_error(errors, "rating")
        comment = st.text_area(tr("rating.comment"), max_chars=ratings.COMMENT_MAX,
                               key="rate_comment")
        field_error(errors, "comment")
        sent = st.form_submit_button(tr("rating.submit"), type="primary")
    return sent, rating, comment


def call_back_fields(actor: Actor, errors: dict[str, str]) -> CallBack:
    """Who called (the manager recording it), when, what was said, the new rating."""
    st.markdown(f"**{tr('rectification.call')}** · "
                f"{tr('rectification.called_by', name=actor.display_name)}")
    now = clock.now()
    day_column, time_column = st.columns(2)
    day = day_column.date_input(tr("rectification.called_at"), value=now.date(),
                                max_value=now.date(), format="YYYY-MM-DD", key="call_day")
    at = time_column.time_input(tr("rectification.called_time"), value=now.time(),
                                step=dt.timedelta(minutes=5), key="call_time")
    field_error(errors, "called_at")
    note = st.text_area(tr("rectification.call_note"), max_chars=2000, key="call_note")
    field_error(errors, "call_note")
    new_rating = levels("rectification.new_rating", "call_rating")
    field_error(errors, "new_rating")
    return CallBack(dt.datetime.combine(day, at.replace(second=0, microsecond=0),
                                        tzinfo=clock.TZ), note, new_rating)
