"""Rendering a case file: header, citizen, documents, answers, authorisation, timeline."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.feedback import reported
from components.i18n import lang, tr
from components.text import labelled, literal, show
from portal import access, forms
from portal.access import Actor
from portal.casework import casefile
from portal.casework.casefile import CaseFile
from portal.messages import t
from portal.uow import UnitOfWork


def document_line(name: str, brought: bool, required: bool) -> str:
    """A document with a mark drawn from Streamlit's own icon font (an emoji font is not on
    every office PC): received, still to bring, or optional and not brought."""
    if brought:
        return f":green[:material/check_circle:] {literal(name)}"
    if required:
        return f":red[:material/cancel:] {tr('case.doc_missing', name=name)}"
    return f":gray[:material/radio_button_unchecked:] {tr('receipt.optional', name=name)}"


def header(case: CaseFile) -> None:
    en = lang() == "en"
    st.subheader(literal(f"{case.receipt_no} · {case.service_en if en else case.service_zh}"))
    facts(((tr("col.status"), tr(f"status.{case.status}")),
           (tr("col.due_date"), case.due_date.isoformat()),
           (tr("case.unit"), case.unit_en if en else case.unit_zh),
           (tr("col.received_at"), f"{case.received_at:%Y-%m-%d %H:%M}")))


def facts(pairs: tuple[tuple[str, str], ...]) -> None:
    """Short labelled values side by side; long ones wrap instead of being cut."""
    for column, (label, value) in zip(st.columns(len(pairs)), pairs, strict=True):
        column.caption(label)
        column.markdown(f"**{literal(value)}**")


def details(actor: Actor, case: CaseFile) -> None:
    left, right = st.columns(2)
    with left.container(border=True):
        st.markdown(f"**{tr('case.citizen')}**")
        st.markdown(literal(" · ".join(filter(None, (
            case.citizen_name, case.citizen_id_masked or "—", case.contact_phone,
            case.contact_email)))))
        if case.citizen_id_masked and access.may(actor.role, "citizen.full_id") and st.button(
                tr("case.show_id"), help=tr("case.show_id_help")):
            with reported():
                st.code(casefile.full_id_number(UnitOfWork(), actor, case.id), language=None)
        st.markdown(f"**{tr('intake.channel')}**: {tr(f'channel.{case.channel}')}")
        if case.note:
            labelled(tr("intake.note"), case.note)
    with right.container(border=True):
        st.markdown(f"**{tr('case.documents')}**")
        name = "name_en" if lang() == "en" else "name_zh"
        for doc in case.documents:
            st.markdown(document_line(doc[name], doc["brought"], doc["required"]))
        if not case.documents:
            st.caption(tr("case.no_documents"))
    if case.outcome:
        with st.container(border=True):
            labelled(tr("casework.outcome"), tr(f"outcome.{case.outcome}"))
            show(case.result)
    answers = forms.display(case.fields, case.answers, lang(), (tr("form.yes"), tr("form.no")))
    if answers:
        with st.container(border=True):
            st.markdown(f"**{tr('case.answers')}**")
            for label, value in answers:
                st.markdown(f"{literal(label)}: {literal(value)}")
    if case.on_behalf:
        authorisation(case)


def authorisation(case: CaseFile) -> None:
    with st.container(border=True):
        st.markdown(f"**{tr('intake.authorisation')}**")
        signed = tr("form.yes") if case.poa_signed else tr("form.no")
        date = f" · {case.poa_date.isoformat()}" if case.poa_date else ""
        st.markdown(f"{tr('intake.poa_signed')}: {signed}{date}")
        if case.materials:
            st.dataframe(pd.DataFrame(case.materials, columns=[
                tr("intake.material_name"), tr("intake.material_copies"), tr("case.returned")]),
                hide_index=True)


def timeline(case: CaseFile) -> None:
    st.markdown(f"**{tr('case.timeline')}**")
    en = lang() == "en"
    for event in case.events:
        where = (event.unit_en if en else event.unit_zh) or ""
        who = event.actor or (t("event.via", lang(), name=event.data["via"])
                              if "via" in event.data else tr("event.system"))
        status = f" → {tr(f'status.{event.to_status}')}" if event.to_status else ""
        st.markdown(f"`{event.at:%Y-%m-%d %H:%M}` **{tr(f'event.{event.kind}')}**{status} · "
                    f"{literal(who)} · {literal(where)}")
