"""The Units page's editors: add a unit, rename or move one, close one (saying where its
open cases go)."""

from __future__ import annotations

import streamlit as st

from components.catalogue import department_options
from components.feedback import acted
from components.i18n import lang, tr
from portal.access import Actor
from portal.admin import unit_admin
from portal.uow import UnitOfWork


class UnitPicker:
    """The open units of the tree, to choose from by name and code."""

    def __init__(self, tree: list[unit_admin.TreeRow]) -> None:
        self.by_id = {u.id: u for u in tree}
        self.open = [u.id for u in tree if u.active]

    def label(self, unit_id: int) -> str:
        unit = self.by_id[unit_id]
        return f"{unit.name} · {unit.code}"

    def choose(self, key: str) -> int | None:
        return st.selectbox(tr("units.choose"), self.open, format_func=self.label, index=None,
                            key=key, placeholder=tr("form.choose"))


def add(actor: Actor, units: UnitPicker, tiers: dict[str, str]) -> None:
    with st.form("units_add"):
        parent = st.selectbox(tr("units.parent"), units.open, format_func=units.label)
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


def change(actor: Actor, units: UnitPicker) -> None:
    chosen = units.choose("units_chosen")
    if chosen is None:
        return
    with st.form("units_rename"):
        names = unit_admin.names(UnitOfWork(), actor, chosen)
        new_zh = st.text_input(tr("units.name_zh"), value=names[0], max_chars=80)
        new_en = st.text_input(tr("units.name_en"), value=names[1], max_chars=160)
        if st.form_submit_button(tr("units.rename")):
            acted(lambda: unit_admin.rename(UnitOfWork(), actor, chosen, new_zh, new_en),
                  tr("units.renamed"), "units.field.")
    with st.form("units_move"):
        new_parent = st.selectbox(tr("units.new_parent"), [u for u in units.open if u != chosen],
                                  format_func=units.label)
        if st.form_submit_button(tr("units.move")):
            acted(lambda: unit_admin.move(UnitOfWork(), actor, chosen, new_parent),
                  tr("units.moved"), "units.field.")


def close(actor: Actor, units: UnitPicker) -> None:
    closing = units.choose("units_closing")
    if closing is None:
        return
    unit = units.by_id[closing]
    target = None
    if unit.open_cases:
        target = st.selectbox(tr("units.cases_to", n=unit.open_cases),
                              [u for u in units.open if u != closing], format_func=units.label,
                              key="units_cases_to")
    else:
        st.caption(tr("units.no_open_cases"))
    if st.button(tr("units.close"), type="primary", key="units_close"):
        acted(lambda: unit_admin.close(UnitOfWork(), actor, closing, target),
              tr("units.closed", code=unit.code))
