"""Messages to citizens and staff: what waits, what was sent, what could not be; the wording
of each message, per event and language."""

import pandas as pd
import streamlit as st

from components import tables
from components.feedback import acted, reported, show_confirmation
from components.guard import page_title, require_page
from components.i18n import tr
from portal import outbox
from portal.messages import LANGUAGES
from portal.messaging import templates
from portal.uow import UnitOfWork

actor = require_page("messages")
page_title("messages")
st.caption(tr("outbox.caption"))
show_confirmation()

with reported(stop=True):
    counts = templates.counts(UnitOfWork(), actor)
    wordings = templates.listing(UnitOfWork(), actor)
    dead = templates.dead_letters(UnitOfWork(), actor)
for column, state in zip(st.columns(3), ("pending", "sent", "dead"), strict=True):
    column.metric(tr(f"outbox.{state}"), counts[state])

st.subheader(tr("outbox.templates"))
choices = {(w.event, w.language): w for w in wordings}
picked = st.selectbox(tr("outbox.template"), list(choices), key="template_choice",
                      format_func=lambda k: f"{tr(f'outbox.event.{k[0]}')} · {LANGUAGES[k[1]]}"
                      f"{' ' + tr('outbox.edited') if choices[k].edited else ''}")
wording = choices[picked]
st.caption(tr("outbox.fields", fields=", ".join(f"{{{f}}}" for f in outbox.FIELDS[wording.event])))
with st.form(f"template_{wording.event}_{wording.language}"):
    subject = st.text_input(tr("outbox.subject"), value=wording.subject,
                            max_chars=outbox.SUBJECT_MAX)
    body = st.text_area(tr("outbox.body"), value=wording.body, max_chars=outbox.BODY_MAX)
    if st.form_submit_button(tr("outbox.save"), type="primary"):
        acted(lambda: templates.save(UnitOfWork(), actor, wording.event, wording.language,
                                     subject, body), tr("outbox.saved"), "outbox.")

st.subheader(tr("outbox.dead_letters"))
tables.plain(pd.DataFrame([{
    "#": d.id, tr("outbox.col.event"): tr(f"outbox.event.{d.event}"),
    tr("outbox.col.channel"): tr(f"outbox.channel.{d.channel}"),
    tr("outbox.col.recipient"): d.recipient, tr("outbox.col.attempts"): d.attempts,
    tr("outbox.col.error"): d.last_error,
    tr("outbox.col.created"): f"{d.created_at:%Y-%m-%d %H:%M}"} for d in dead]), "outbox.no_dead")
if dead:
    with st.form("resend"):
        chosen = st.multiselect(tr("outbox.choose"), [d.id for d in dead],
                                default=[d.id for d in dead],
                                placeholder=tr("outbox.choose_placeholder"))
        if st.form_submit_button(tr("outbox.resend")):
            acted(lambda: templates.resend(UnitOfWork(), actor, chosen),
                  lambda n: tr("outbox.resent", n=n))
