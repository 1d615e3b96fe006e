"""The parts of the intake page: citizen search, service notice, authorisation and materials."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from components.casefile import facts
from components.dynamic_form import field_error
from components.i18n import lang, tr
from components.text import literal
from portal import identity
from portal.access import Actor
from portal.intake import citizens
from portal.intake.intake import ServiceInfo
from portal.uow import UnitOfWork

NEW_CITIZEN = 0
KEY = "intake_"  # every widget of the intake page; cleared together after a submit


def clear() -> None:
    for key in [k for k in st.session_state if str(k).startswith(KEY)]:
        del st.session_state[key]


def find_citizen(actor: Actor) -> int | None:
    """Search by resident ID number or phone; the chosen citizen's id (None: a new one).
    The first citizen found is chosen (a new search is a new choice); what was searched is
    carried into the new citizen's fields."""
    query = st.text_input(tr("intake.find_citizen"), key=KEY + "citizen_query",
                          placeholder=tr("intake.find_citizen_help")).strip()
    found = citizens.find(UnitOfWork(), actor, query) if query else []
    if query and not found:
        st.caption(tr("intake.no_citizen_found"))
    labels = {c.id: literal(f"{c.name} · {c.id_masked or '—'} · {c.phone}") for c in found}
    labels[NEW_CITIZEN] = tr("intake.new_citizen")
    choice = st.radio(tr("intake.citizen"), list(labels), key=f"{KEY}citizen_choice_{query}",
                      format_func=labels.__getitem__)
    _carry(query)
    return None if choice == NEW_CITIZEN else choice


def _carry(query: str) -> None:
    """Put a newly searched ID number or phone into its field, unless the agent has typed
    something else there since the last search."""
    last = st.session_state.get(KEY + "carried", "")
    if query == last:
        return
    number = identity.normalise_id(query)
    field = KEY + ("id_number" if len(number) == 18 else "phone")
    if st.session_state.get(field, "") in ("", last, identity.normalise_id(last)):
        st.session_state[field] = number if field.endswith("id_number") else (
            identity.normalise_phone(query))
    st.session_state[KEY + "carried"] = query


def new_citizen_fields(errors: dict[str, str]) -> tuple[str, str, str]:
    """Name, ID number and phone of a citizen registered now. No length limit in the field:
    a pasted name that is too long is refused with a message, never silently dropped."""
    name = st.text_input(tr("intake.citizen_name") + " *", key=KEY + "name")
    field_error(errors, "citizen_name")
    id_number = st.text_input(tr("intake.id_number"), key=KEY + "id_number")
    field_error(errors, "id_number")
    phone = st.text_input(tr("intake.phone") + " *", key=KEY + "phone")
    field_error(errors, "phone")
    return name, id_number, phone


def service_notice(info: ServiceInfo) -> None:
    """Department, time limit, the promised date if taken in today, and the documents to bring."""
    en = lang() == "en"
    department = (info.department_en if en else info.department_zh) or tr("intake.any_department")
    facts(((tr("intake.department"), department),
           (tr("intake.time_limit"), tr("intake.days", days=info.time_limit_days)),
           (tr("intake.due_if_today"), info.due_if_today.isoformat())))


def documents_brought(info: ServiceInfo) -> tuple[bool, ...]:
    """The one-time notice: a checkbox per document, ticked for what the citizen brought."""
    if not info.documents:
        st.caption(tr("intake.no_documents"))
        return ()
    st.markdown(f"**{tr('intake.documents')}**")
    name = "name_en" if lang() == "en" else "name_zh"
    return tuple(
        st.checkbox(literal(doc[name]) + (f" ({tr('intake.required')})" if doc["required"] else ""),
                    key=f"{KEY}doc_{info.code}_{i}")
        for i, doc in enumerate(info.documents))


def authorisation(errors: dict[str, str]) -> tuple[bool | None, dt.date | None]:
    yes_no = {True: tr("form.yes"), False: tr("form.no")}
    signed = st.radio(tr("intake.poa_signed") + " *", list(yes_no), index=None, horizontal=True,
                      key=KEY + "poa_signed", format_func=yes_no.__getitem__)
    signed_on = st.date_input(tr("intake.poa_date"), value=None, key=KEY + "poa_date",
                              format="YYYY-MM-DD")
    field_error(errors, "poa")
    return signed, signed_on


def materials(errors: dict[str, str]) -> tuple[tuple[str, int], ...]:
    """The register of materials received: a row per material with its number of copies."""
    st.caption(tr("intake.materials"))
    table = st.data_editor(
        pd.DataFrame({"name": pd.Series(dtype="str"), "copies": pd.Series(dtype="Int64")}),
        key=KEY + "materials", num_rows="dynamic", width="stretch",
        column_config={
            "name": st.column_config.TextColumn(tr("intake.material_name"), max_chars=80),
            "copies": st.column_config.NumberColumn(tr("intake.material_copies"), min_value=1,
                                                    max_value=99, step=1),
        })
    field_error(errors, "materials")
    rows = table.dropna(how="all")
    return tuple((str(r["name"] if pd.notna(r["name"]) else ""),
                  int(r["copies"]) if pd.notna(r["copies"]) else 0) for _, r in rows.iterrows())
