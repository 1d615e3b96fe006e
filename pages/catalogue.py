"""Service catalogue: service types and their intake form, built field by field, with a preview."""

import streamlit as st

from components import catalogue, service_editor
from components.feedback import acted, reported, show_confirmation
from components.guard import page_title, require_page
from components.i18n import lang, tr
from portal.admin import service_types
from portal.uow import UnitOfWork

actor = require_page("catalogue")
page_title("catalogue")
st.caption(tr("catalogue.caption"))
show_confirmation()

with reported(stop=True):
    known = dict(service_types.listing(UnitOfWork(), actor))
chosen = st.selectbox(tr("catalogue.choose"), [None, *known], key="catalogue_chosen",
                      format_func=lambda i: tr("catalogue.new") if i is None else
                      f"{known[i].code} · {known[i].name_zh if lang() == 'zh' else known[i].name_en}")
stored = known.get(chosen) or service_types.Draft("", "", "", service_types.CATEGORIES[0],
                                                  None, "village", 5)
# The draft's fields live in the session until saved; each service type has its own.
fields_key = f"catalogue_fields_{chosen}"
fields = st.session_state.setdefault(fields_key, list(stored.fields))
prefix = f"catalogue_{chosen}"

st.subheader(tr("catalogue.details"))
values = service_editor.details(stored, chosen is None, prefix)
st.subheader(tr("catalogue.fields"))
service_editor.fields_editor(fields, fields_key, prefix)
service_editor.preview(fields, prefix)

if st.button(tr("catalogue.save"), type="primary", key=f"{prefix}_save"):
    draft = service_types.Draft(fields=fields, **values)

    def save() -> None:
        service_types.save(UnitOfWork(), actor, draft, chosen)
        # Intake lists services from a shared cache: a new one is offered at once.
        catalogue.service_options.clear()
        catalogue.category_options.clear()
        for state_key in [k for k in st.session_state if str(k).startswith(f"{prefix}_")]:
            del st.session_state[state_key]
        st.session_state.pop(fields_key, None)

    # The flash is made after saving, which writes the code in capitals.
    acted(save, lambda _: tr("catalogue.saved", code=draft.code), "catalogue.field.")
