"""Form widgets drawn from field definitions, and error messages beside the fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from components.i18n import lang, tr
from components.text import literal
from portal import clock, forms

OLDEST_DATE = dt.date(1900, 1, 1)


def field_error(errors: dict[str, str], field: str) -> None:
    """The message for `field`, right below its widget."""
    if field in errors:
        st.error(tr(errors[field]), icon=":material/error:")


def custom_fields(specs: list[forms.FieldSpec], prefix: str,
                  errors: dict[str, str]) -> dict[str, Any]:
    """One widget per asked field of a service type; returns the answers as typed."""
    answers = {}
    for spec in forms.asked(specs):
        label = literal(spec.label(lang())) + (" *" if spec.required else "")
        answers[spec.key] = _widget(spec, label, f"{prefix}_{spec.key}")
        field_error(errors, f"field.{spec.key}")
    return answers


def _widget(spec: forms.FieldSpec, label: str, key: str) -> Any:
    options = {o.value: o.label(lang()) for o in spec.options}
    match spec.type:
        case "long_text":
            return st.text_area(label, key=key, max_chars=forms.LONG_TEXT_MAX)
        case "number":
            return st.number_input(label, key=key, value=None, min_value=spec.min,
                                   max_value=spec.max)
        case "date":
            return st.date_input(label, key=key, value=None, min_value=OLDEST_DATE,
                                 format="YYYY-MM-DD")
        case "month":
            months = forms.months_around(clock.today())
            return st.selectbox(label, months, key=key, index=None, placeholder=tr("form.month"),
                                format_func=lambda m: forms.month_label(m, lang()))
        case "choice":
            return st.selectbox(label, list(options), key=key, index=None,
                                format_func=options.__getitem__, placeholder=tr("form.choose"))
        case "multi_choice":
            return st.multiselect(label, list(options), key=key, format_func=options.__getitem__,
                                  placeholder=tr("form.choose"))
        case "yes_no":
            yes_no = {True: tr("form.yes"), False: tr("form.no")}  # radio options read Markdown
            return st.radio(label, list(yes_no), key=key, index=None, horizontal=True,
                            format_func=yes_no.__getitem__)
        case "id_number":
            return st.text_input(label, key=key, max_chars=18)
        case "phone":
            return st.text_input(label, key=key, max_chars=20)
        case _:
            return st.text_input(label, key=key, max_chars=forms.TEXT_MAX)
