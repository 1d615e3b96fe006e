"""The change log: every administrative change, who made it and when, before and after."""

import pandas as pd
import streamlit as st

from components import tables
from components.feedback import reported
from components.guard import page_title, require_page
from components.i18n import lang, tr
from portal import clock, units
from portal.admin import changes
from portal.uow import UnitOfWork

actor = require_page("changes")
page_title("changes")
st.caption(tr("changes.caption", n=changes.LIMIT))

with reported(stop=True):
    kinds = changes.entities(UnitOfWork(), actor)
    departments = dict(units.departments(UnitOfWork(), lang()))
    services = changes.service_names(UnitOfWork(), lang())
left, right = st.columns(2)
entity = left.selectbox(tr("changes.entity"), [None, *kinds], key="changes_entity",
                        format_func=lambda e: tr("changes.all") if e is None
                        else changes.entity_label(e, lang()))
key = right.text_input(tr("changes.key"), key="changes_key")
with reported(stop=True):
    found = changes.recent(UnitOfWork(), actor, entity, key)
tables.plain(pd.DataFrame([{
    tr("changes.at"): clock.local(c.at).strftime("%Y-%m-%d %H:%M:%S"), tr("changes.by"): c.by,
    tr("changes.entity"): changes.entity_label(c.entity, lang()),
    tr("changes.key"): changes.key_label(c, lang(), services),
    tr("changes.what"): changes.described(c, lang(), departments),
} for c in found]), "changes.none")
