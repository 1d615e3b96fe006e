"""The service catalogue's editor: a service type's details, its intake form's fields (listed,
moved, retired, added and replaced one at a time, kept in the session until saved) and a
preview of the form as intake will draw it."""

from __future__ import annotations

import streamlit as st

from components.catalogue import department_options
from components.dynamic_form import custom_fields
from components.i18n import lang, tr
from components.text import literal
from portal import forms
from portal.admin import service_types
from portal.errors import InvalidInput
from portal.units import TIERS


def details(stored: service_types.Draft, new: bool, prefix: str) -> dict:
    """The service type's own fields, as typed."""
    left, right = st.columns(2)
    values = {
        "code": left.text_input(tr("catalogue.code"), value=stored.code, disabled=not new,
                                key=f"{prefix}_code", help=tr("catalogue.code_help"),
                                max_chars=40),
        "name_zh": left.text_input(tr("catalogue.name_zh"), value=stored.name_zh,
                                   key=f"{prefix}_zh", max_chars=80),
        "name_en": left.text_input(tr("catalogue.name_en"), value=stored.name_en,
                                   key=f"{prefix}_en", max_chars=160)}
    categories = list(service_types.CATEGORIES)
    values["category"] = right.selectbox(
        tr("catalogue.category"), categories, key=f"{prefix}_category",
        index=categories.index(stored.category) if stored.category in categories else 0,
        format_func=lambda c: tr(f"category.{c}"))
    departments = dict(department_options(lang()))
    values["department_id"] = right.selectbox(
        tr("catalogue.department"), [None, *departments], key=f"{prefix}_department",
        index=[None, *departments].index(stored.department_id),
        format_func=lambda d: tr("units.no_department") if d is None else departments[d])
    values["min_tier"] = right.selectbox(tr("catalogue.min_tier"), list(TIERS),
                                         key=f"{prefix}_tier",
                                         index=list(TIERS).index(stored.min_tier),
                                         format_func=lambda t: tr(f"tier.{t}"))
    values["time_limit_days"] = int(right.number_input(
        tr("catalogue.time_limit"), min_value=1, max_value=service_types.TIME_LIMIT_MAX,
        value=stored.time_limit_days, step=1, key=f"{prefix}_days"))
    values["documents"] = service_types.parse_documents(st.text_area(
        tr("catalogue.documents"), help=tr("catalogue.documents_help"),
        value=service_types.documents_text(stored.documents), key=f"{prefix}_documents"))
    values["active"] = st.toggle(tr("catalogue.active"), value=stored.active,
                                 key=f"{prefix}_active")
    return values


def fields_editor(fields: list[dict], fields_key: str, prefix: str) -> None:
    """The form's fields in order, each to move or retire, and a form to add or replace one."""
    kinds = {k: tr(f"catalogue.kind.{k}") for k in forms.TYPES}
    _listed(fields, fields_key, prefix, kinds)
    _field_form(fields, fields_key, prefix, kinds)


def _listed(fields: list[dict], fields_key: str, prefix: str, kinds: dict[str, str]) -> None:
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


def _field_form(fields: list[dict], fields_key: str, prefix: str, kinds: dict[str, str]) -> None:
    """A form to add a field, or to replace the one chosen."""
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


def preview(fields: list[dict], prefix: str) -> None:
    """The form as intake will draw it."""
    with st.expander(tr("catalogue.preview"), expanded=True):
        try:
            specs = forms.parse(fields)
        except ValueError:
            st.error(tr("catalogue.error.field_type"))
        else:
            custom_fields(specs, f"{prefix}_preview", {})
            if not forms.asked(specs):
                st.caption(tr("catalogue.no_fields"))

