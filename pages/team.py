"""Team and assignment: how a unit's cases find a person, who is on leave, who is qualified."""

import pandas as pd
import streamlit as st

from components import tables
from components.catalogue import department_options
from components.feedback import acted, reported, show_confirmation
from components.guard import page_title, require_page
from components.i18n import lang, tr
from portal import assignment
from portal.casework import team
from portal.uow import UnitOfWork

actor = require_page("team")
page_title("team")
st.caption(tr("team.caption"))
show_confirmation()

with reported(stop=True):
    units = dict(team.staffed_units(UnitOfWork(), actor, lang()))
if not units:
    st.info(tr("team.none"))
    st.stop()
unit_id = st.selectbox(tr("team.unit"), list(units), format_func=units.__getitem__,
                       key="team_unit")
with reported(stop=True):
    current = team.assignment_of(UnitOfWork(), actor, unit_id)
    members = team.members(UnitOfWork(), actor, unit_id)
    departments = dict(department_options(lang()))


def saved(change) -> None:
    acted(change, tr("team.saved"))


st.subheader(tr("team.assignment"))
with st.form(f"assignment_{unit_id}"):
    modes = {m: tr(f"team.mode.{m}") for m in assignment.MODES}
    mode = st.radio(tr("team.mode"), list(modes), index=list(modes).index(current.mode),
                    format_func=modes.__getitem__, horizontal=True)
    qualified = st.checkbox(tr("team.qualified_only"), value=current.qualified_only)
    if st.form_submit_button(tr("team.save"), type="primary"):
        saved(lambda: team.set_assignment(UnitOfWork(), actor, unit_id, mode, qualified))

st.subheader(tr("team.members"))
frame = pd.DataFrame([{
    "member": m.display_name, "role": tr(f"role.{m.role}"), "open_cases": m.open_cases,
    "on_leave": tr("yes") if m.on_leave else tr("no"),
    "departments": "、".join(departments[d] for d in m.departments)} for m in members])
tables.show(frame, ["member", "role", "open_cases", "on_leave", "departments"], "team.none")
if members:
    people = {m.id: m for m in members}
    person = people[st.selectbox(tr("team.member"), list(people), key=f"team_member_{unit_id}",
                                 format_func=lambda i: people[i].display_name)]
    with st.form(f"member_{person.id}"):
        on_leave = st.checkbox(tr("team.on_leave"), value=person.on_leave)
        chosen = st.multiselect(tr("team.departments"), list(departments),
                                default=list(person.departments),
                                format_func=departments.__getitem__,
                                placeholder=tr("team.no_departments"))
        if st.form_submit_button(tr("team.save"), type="primary"):
            def change() -> None:
                team.set_leave(UnitOfWork(), actor, person.id, on_leave)
                team.set_qualifications(UnitOfWork(), actor, person.id, chosen)
            saved(change)
