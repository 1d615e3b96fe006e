"""Users: create, edit role and unit, deactivate (with where their cases go), reset, import."""

import pandas as pd
import streamlit as st

from components import tables, user_editor
from components.feedback import reported, show_confirmation
from components.guard import page_title, require_page
from components.i18n import lang, tr
from portal.admin import unit_admin, users
from portal.uow import UnitOfWork

actor = require_page("users")
page_title("users")
st.caption(tr("users.caption"))
show_confirmation()
if handed := st.session_state.pop(user_editor.PASSWORD_KEY, None):
    st.info(tr("users.password_once", username=handed[0]))
    st.code(handed[1], language=None)

with reported(stop=True):
    rows = users.listing(UnitOfWork(), actor, lang())
    unit_names = {code: name for _, code, name in unit_admin.choices(UnitOfWork(), actor, lang())}
roles = user_editor.roles()

people, new, bulk = st.tabs([tr("users.tab.people"), tr("users.tab.new"), tr("users.tab.import")])
with people:
    tables.plain(pd.DataFrame([{
        tr("users.username"): r.username, tr("users.display_name"): r.display_name,
        tr("users.role"): roles[r.role], tr("users.unit"): r.unit_name,
        tr("users.active"): r.active, tr("users.locked"): r.locked,
        tr("users.must_change"): r.must_change_password, tr("users.open_cases"): r.open_cases,
    } for r in rows]))
    by_id = {r.id: r for r in rows}
    chosen = st.selectbox(tr("users.choose"), list(by_id), index=None, key="users_chosen",
                          placeholder=tr("form.choose"),
                          format_func=lambda i: f"{by_id[i].username} · {by_id[i].display_name}")
    if chosen is not None:
        user_editor.person(actor, by_id[chosen], unit_names)
with new:
    user_editor.create(actor, unit_names)
with bulk:
    user_editor.import_csv(actor)
