"""Units: the three-tier tree; add, rename, move and close a unit (saying where its cases go)."""

import pandas as pd
import streamlit as st

from components import tables
from components.catalogue import department_options
from components.feedback import acted, reported, show_confirmation
from components.guard import page_title, require_page
from components.i18n import lang, tr
from db.models import TIERS
from portal.admin import unit_admin
from portal.uow import UnitOfWork

actor = require_page("units")
page_title("units")
st.caption(tr("units.caption"))
show_confirmation()

with reported(stop=True):
    tree = unit_admin.tree(UnitOfWork(), actor, lang())
by_id = {u.id: u for u in tree}
open_units = {u.id: u for u in tree if u.active}
tiers = {t: tr(f"tier.{t}") for t in TIERS}

tables.plain(pd.DataFrame([{
    tr("units.name"): "\u3000" * u.depth + u.name, tr("units.code"): u.code,
    tr("units.tier"): tiers[u.tier], tr("units.department"): u.department,
    tr("units.active"): u.active, tr("units.people"): u.people,
    tr("units.open_cases"): u.open_cases} for u in tree]))


def label(unit_id: int) -> str:
    unit = by_id[unit_id]
    return f"{unit.name} · {unit.code}"


def choose_unit(key: str) -> int | None:
    return st.selectbox(tr("units.choose"), list(open_units), format_func=label, index=None,
                        key=key, placeholder=tr("form.choose"))


add, change, close = st.tabs([tr("units.tab.add"), tr("units.tab.change"),
                              tr("units.tab.close")])
with add, st.form("units_add"):
    parent = st.selectbox(tr("units.parent"), list(open_units), format_func=label)
    tier = st.selectbox(tr("units.tier"), list(tiers), format_func=tiers.__getitem__, index=2)
    code = st.text_input(tr("units.code"), max_chars=60, help=tr("units.code_help"))
    name_zh = st.text_input(tr("units.name_zh"), max_chars=80)
    name_en = st.text_input(tr("units.name_en"), max_chars=160)
    departments = dict(department_options(lang()))
    department = st.selectbox(tr("units.department"), [None, *departments],
                              format_func=lambda d: tr("units.no_department") if d is None
                              else departments[d])
    if st.form_submit_button(tr("units.add"), type="primary"):
        acted(lambda: unit_admin.add(UnitOfWork(), actor, unit_admin.NewUnit(
            code, name_zh, name_en, tier, parent, department)),
              tr("units.added", code=code), "units.field.")

with change:
    chosen = choose_unit("units_chosen")
    if chosen is not None:
        with st.form("units_rename"):
            names = unit_admin.names(UnitOfWork(), actor, chosen)
            new_zh = st.text_input(tr("units.name_zh"), value=names[0], max_chars=80)
            new_en = st.text_input(tr("units.name_en"), value=names[1], max_chars=160)
            if st.form_submit_button(tr("units.rename")):
                acted(lambda: unit_admin.rename(UnitOfWork(), actor, chosen, new_zh, new_en),
                      tr("units.renamed"), "units.field.")
        with st.form("units_move"):
            new_parent = st.selectbox(tr("units.new_parent"),
                                      [u for u in open_units if u != chosen], format_func=label)
            if st.form_submit_button(tr("units.move")):
                acted(lambda: unit_admin.move(UnitOfWork(), actor, chosen, new_parent),
                      tr("units.moved"), "units.field.")

with close:
    closing = choose_unit("units_closing")
    if closing is not None:
        unit = by_id[closing]
        target = None
        if unit.open_cases:
            target = st.selectbox(tr("units.cases_to", n=unit.open_cases),
                                  [u for u in open_units if u != closing], format_func=label,
                                  key="units_cases_to")
        else:
            st.caption(tr("units.no_open_cases"))
        if st.button(tr("units.close"), type="primary", key="units_close"):
            acted(lambda: unit_admin.close(UnitOfWork(), actor, closing, target),
                  tr("units.closed", code=unit.code))
