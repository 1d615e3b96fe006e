"""Units: the three-tier tree; add, rename, move and close a unit (saying where its cases go)."""

import pandas as pd
import streamlit as st

from components import tables, unit_editor
from components.feedback import reported, show_confirmation
from components.guard import page_title, require_page
from components.i18n import lang, tr
from portal.admin import unit_admin
from portal.units import TIERS
from portal.uow import UnitOfWork

actor = require_page("units")
page_title("units")
st.caption(tr("units.caption"))
show_confirmation()

with reported(stop=True):
    tree = unit_admin.tree(UnitOfWork(), actor, lang())
units = unit_editor.UnitPicker(tree)
tiers = {t: tr(f"tier.{t}") for t in TIERS}

tables.plain(pd.DataFrame([{
    tr("units.name"): "\u3000" * u.depth + u.name, tr("units.code"): u.code,
    tr("units.tier"): tiers[u.tier], tr("units.department"): u.department,
    tr("units.active"): u.active, tr("units.people"): u.people,
    tr("units.open_cases"): u.open_cases} for u in tree]))


add, change, close = st.tabs([tr("units.tab.add"), tr("units.tab.change"),
                              tr("units.tab.close")])
with add:
    unit_editor.add(actor, units, tiers)
with change:
    unit_editor.change(actor, units)
with close:
    unit_editor.close(actor, units)
