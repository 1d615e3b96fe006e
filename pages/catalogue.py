"""Service catalogue: service types and their intake form, built field by field, with a preview."""

import streamlit as st

from components import catalogue
from components.catalogue import department_options
from components.dynamic_form import custom_fields
from components.feedback import acted, reported, show_confirmation
from components.guard import page_title, require_page
from components.i18n import lang, tr
from components.text import literal
from db.models import TIERS
from portal import forms
from portal.admin import service_types
from portal.errors import InvalidInput
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
left, right = st.columns(2)
code = left.text_input(tr("catalogue.code"), value=stored.code, disabled=chosen is not None,
                       key=f"{prefix}_code", help=tr("catalogue.code_help"), max_chars=40)
name_zh = left.text_input(tr("catalogue.name_zh"), value=stored.name_zh, key=f"{prefix}_zh",
                          max_chars=80)
name_en = left.text_input(tr("catalogue.name_en"), value=stored.name_en, key=f"{prefix}_en",
                          max_chars=160)
categories = list(service_types.CATEGORIES)
category = right.selectbox(tr("catalogue.category"), categories, key=f"{prefix}_category",
                           index=categories.index(stored.category)
                           if stored.category in categories else 0,
                           format_func=lambda c: tr(f"category.{c}"))
departments = dict(department_options(lang()))
department = right.selectbox(tr("catalogue.department"), [None, *departments],
                             key=f"{prefix}_department",
                             index=[None, *departments].index(stored.department_id),
                             format_func=lambda d: tr("units.no_department") if d is None
                             else departments[d])
tier = right.selectbox(tr("catalogue.min_tier"), list(TIERS), key=f"{prefix}_tier",
                       index=list(TIERS).index(stored.min_tier),
                       format_func=lambda t: tr(f"tier.{t}"))
days = right.number_input(tr("catalogue.time_limit"), min_value=1,
                          max_value=service_types.TIME_LIMIT_MAX, value=stored.time_limit_days,
                          step=1, key=f"{prefix}_days")
documents = st.text_area(tr("catalogue.documents"), help=tr("catalogue.documents_help"),
                         value=service_types.documents_text(stored.documents),
                         key=f"{prefix}_documents")
active = st.toggle(tr("catalogue.active"), value=stored.active, key=f"{prefix}_active")

st.subheader(tr("catalogue.fields"))
kinds = {k: tr(f"catalogue.kind.{k}") for k in forms.TYPES}
for i, spec in enumerate(fields):
    row = st.columns([5, 1, 1, 1])
    state = tr("catalogue.retired") if spec.get("retired") else (
        tr("catalogue.required") if spec.get("required") else "")
    row[0].markdown(f"**{i + 1}\\. {literal(spec['label_zh'])} / {literal(spec['label_en'])}** · "
                    f"{literal(spec['key'])} · {kinds[spec['type']]} {state}")
    if row[1].button("↑", key=f"{prefix}_up_{i}", disabled=i == 0):
        st.session_state[fields_key] = service_types.moved(fields, i, -1)
        st.rerun()
    if row[2].button("↓", key=f"{prefix}_down_{i}", disabled=i == len(fields) - 1):
        st.session_state[fields_key] = service_types.moved(fields, i, 1)
        st.rerun()
    retire = not spec.get("retired")
    if row[3].button(tr("catalogue.retire") if retire else tr("catalogue.restore"),
                     key=f"{prefix}_retire_{i}"):
        st.session_state[fields_key] = service_types.retired(fields, i, retire)
        st.rerun()
if not fields:
    st.caption(tr("catalogue.no_fields"))

editing = st.selectbox(tr("catalogue.edit_field"), [None, *range(len(fields))],
                       key=f"{prefix}_editing",
                       format_func=lambda i: tr("catalogue.new_field") if i is None
                       else f"{i + 1}. {fields[i]['label_zh']}")
base = fields[editing] if editing is not None else {}
with st.form(f"{prefix}_field_{editing}", clear_on_submit=editing is None):
    f_left, f_right = st.columns(2)
    key = f_left.text_input(tr("catalogue.field_key"), value=base.get("key", ""),
                            help=tr("catalogue.field_key_help"), max_chars=40)
    kind = f_right.selectbox(tr("catalogue.field_kind"), list(kinds),
                             index=list(kinds).index(base.get("type", "text")),
                             format_func=kinds.__getitem__)
    label_zh = f_left.text_input(tr("catalogue.field_label_zh"), value=base.get("label_zh", ""))
    label_en = f_right.text_input(tr("catalogue.field_label_en"),
                                  value=base.get("label_en", ""))
    options = st.text_area(tr("catalogue.field_options"), help=tr("catalogue.field_options_help"),
                           value=service_types.options_text(base.get("options", [])))
    n_left, n_right = st.columns(2)
    low = n_left.number_input(tr("catalogue.field_min"), value=base.get("min"))
    high = n_right.number_input(tr("catalogue.field_max"), value=base.get("max"))
    required = st.checkbox(tr("catalogue.field_required"), value=bool(base.get("required")))
    if st.form_submit_button(tr("catalogue.add_field") if editing is None
                             else tr("catalogue.replace_field")):
        raw = {"key": key.strip(), "type": kind, "label_zh": label_zh.strip(),
               "label_en": label_en.strip(), "required": required,
               "retired": bool(base.get("retired")),
               "options": service_types.parse_options(options)
               if kind in service_types.CHOICE_TYPES else [],
               "min": low if kind == "number" else None,
               "max": high if kind == "number" else None}
        try:
            st.session_state[fields_key] = service_types.with_field(fields, raw, editing)
        except InvalidInput as invalid:
            st.error(tr(invalid.errors["field"]))
        else:
            st.rerun()

with st.expander(tr("catalogue.preview"), expanded=True):
    try:
        specs = forms.parse(fields)
    except ValueError:
        st.error(tr("catalogue.error.field_type"))
    else:
        custom_fields(specs, f"{prefix}_preview", {})
        if not forms.asked(specs):
            st.caption(tr("catalogue.no_fields"))

if st.button(tr("catalogue.save"), type="primary", key=f"{prefix}_save"):
    draft = service_types.Draft(code, name_zh, name_en, category, department, tier, int(days),
                                service_types.parse_documents(documents), fields, active)

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
