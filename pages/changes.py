"""The change log: every administrative change, who made it and when, before and after."""

import pandas as pd
import streamlit as st

from components import tables
from components.feedback import reported
from components.guard import require_page
from components.i18n import tr
from portal import changes, clock
from portal.uow import UnitOfWork

actor = require_page("changes")
st.title(tr("page.changes"))
st.caption(tr("changes.caption", n=changes.LIMIT))

with reported(stop=True):
    kinds = changes.entities(UnitOfWork(), actor)
left, right = st.columns(2)
entity = left.selectbox(tr("changes.entity"), [None, *kinds], key="changes_entity",
                        format_func=lambda e: tr("changes.all") if e is None else e)
key = right.text_input(tr("changes.key"), key="changes_key")
with reported(stop=True):
    found = changes.recent(UnitOfWork(), actor, entity, key)
tables.plain(pd.DataFrame([{
    tr("changes.at"): clock.local(c.at).strftime("%Y-%m-%d %H:%M:%S"), tr("changes.by"): c.by,
    tr("changes.entity"): c.entity, tr("changes.key"): c.entity_key,
    tr("changes.what"): "; ".join(f"{what}: {before or '∅'} → {after or '∅'}"
                                  for what, before, after in changes.difference(c)),
} for c in found]), "changes.none")
