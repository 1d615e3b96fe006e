"""API clients: the systems that call the portal (the hotline, the province's platforms),
each with its own key, scopes and unit; created and revoked here."""

import pandas as pd
import streamlit as st

from components import tables
from components.feedback import acted, reported, show_confirmation
from components.guard import page_title, require_page
from components.i18n import lang, tr
from portal.admin import unit_admin
from portal.api import keys
from portal.uow import UnitOfWork

actor = require_page("api_clients")
page_title("api_clients")
st.caption(tr("api.clients.caption"))
show_confirmation()

if shown := st.session_state.pop("api_key_shown", None):
    st.success(tr("api.clients.created"))
    st.code(shown, language=None)

with reported(stop=True):
    clients = keys.listing(UnitOfWork(), actor)
    units = {unit_id: f"{name} ({code})" for unit_id, code, name in
             unit_admin.choices(UnitOfWork(), actor, lang())}
scope_names = {s: f"{tr(f'api.scope.{s}')} ({s})" for s in keys.SCOPES}
tables.plain(pd.DataFrame([{
    tr("api.clients.name"): c.name, tr("api.clients.unit"): c.unit_en if lang() == "en" else
    c.unit_zh, tr("api.clients.scopes"): "、".join(tr(f"api.scope.{s}") for s in c.scopes),
    tr("api.col.prefix"): c.key_prefix,
    tr("api.col.created"): f"{c.created_at:%Y-%m-%d %H:%M}",
    tr("api.col.last_used"): f"{c.last_used_at:%Y-%m-%d %H:%M}" if c.last_used_at else "—",
    tr("api.col.calls_today"): c.calls_today,
    tr("api.col.revoked"): f"{c.revoked_at:%Y-%m-%d %H:%M}" if c.revoked_at else "—",
} for c in clients]), "api.clients.none")

with st.form("api_client_new", clear_on_submit=True):
    st.markdown(f"**{tr('api.clients.new')}**")
    name = st.text_input(tr("api.clients.name"), max_chars=keys.NAME_MAX)
    unit = st.selectbox(tr("api.clients.unit"), list(units), format_func=units.__getitem__)
    scopes = st.multiselect(tr("api.clients.scopes"), list(keys.SCOPES),
                            format_func=scope_names.__getitem__,
                            placeholder=tr("api.clients.scopes_placeholder"))
    if st.form_submit_button(tr("api.clients.create"), type="primary"):
        def create() -> None:
            st.session_state["api_key_shown"] = keys.create(UnitOfWork(), actor, name, unit,
                                                            scopes)[1]
        acted(create, labels="api.clients.")

active = {c.id: f"{c.name} ({c.key_prefix}…)" for c in clients if c.revoked_at is None}
if active:
    with st.form("api_client_revoke"):
        chosen = st.selectbox(tr("api.clients.choose"), list(active),
                              format_func=active.__getitem__)
        if st.form_submit_button(tr("api.clients.revoke")):
            acted(lambda: keys.revoke(UnitOfWork(), actor, chosen), tr("api.clients.revoked"))
