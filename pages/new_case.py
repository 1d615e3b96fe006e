"""Take in a citizen's request: who, which service, documents, answers; then the receipt."""

import uuid

import streamlit as st

from components import intake_parts as parts
from components import upload
from components.catalogue import service_options
from components.dynamic_form import custom_fields, field_error
from components.feedback import acted, reported
from components.guard import page_title, require_page
from components.i18n import lang, tr
from components.receipt import receipt_card
from portal import mailbox, settings
from portal.intake import intake
from portal.intake.citizens import CitizenInput
from portal.uow import UnitOfWork

actor = require_page("new_case")
page_title("new_case")

if receipt := st.session_state.get("receipt"):
    receipt_card(receipt)
    if st.button(tr("intake.new"), type="primary"):
        del st.session_state["receipt"]
        st.rerun()
    st.stop()


errors: dict[str, str] = st.session_state.get(parts.KEY + "errors", {})
# One token per drawn form: a double click or a resubmit finds the case it already made.
token = st.session_state.setdefault(parts.KEY + "token", uuid.uuid4().hex)

with reported(stop=True):
    st.subheader(tr("intake.step_citizen"))
    citizen_id = parts.find_citizen(actor)
    st.subheader(tr("intake.step_service"))
    # The service's name in the user's language: typing any part of it finds it.
    labels = {code: zh if lang() == "zh" else en for code, zh, en, _days in service_options()}
    service = st.selectbox(tr("intake.service") + " *", list(labels), index=None,
                           key=parts.KEY + "service", format_func=labels.__getitem__,
                           placeholder=tr("intake.service_help"))
    field_error(errors, "service")
    info = intake.service_info(UnitOfWork(), service) if service else None
    if info:
        parts.service_notice(info)
    on_behalf = st.toggle(tr("intake.on_behalf"), key=parts.KEY + "on_behalf")

with st.form("intake"):
    if errors:
        st.error(tr("error.invalid_input"))
    name = id_number = phone = ""
    if citizen_id is None:
        name, id_number, phone = parts.new_citizen_fields(errors)
    brought, answers = (), {}
    if info:
        brought = parts.documents_brought(info)
        answers = custom_fields(info.fields, f"{parts.KEY}answer_{info.code}", errors)
    channels = {c: tr(f"channel.{c}") for c in intake.CHANNELS}
    channel = st.radio(tr("intake.channel"), list(channels), horizontal=True,
                       key=parts.KEY + "channel", format_func=channels.__getitem__)
    note = st.text_area(tr("intake.note"), key=parts.KEY + "note", max_chars=intake.NOTE_MAX)
    field_error(errors, "note")
    email = st.text_input(tr("intake.email"), key=parts.KEY + "email",
                          max_chars=mailbox.LENGTH_MAX)
    field_error(errors, "email")
    scans = upload.file_field(tr("attachment.scans"), list(upload.SUFFIXES), parts.KEY + "scans",
                              multiple=True, limit_mb=settings.current().attachment_max_mb)
    handle = st.checkbox(tr("intake.handle"), value=True, key=parts.KEY + "handle",
                         help=tr("intake.handle_help"))
    poa_signed, poa_date, materials, poa_scan = None, None, (), None
    if on_behalf:
        st.markdown(f"**{tr('intake.authorisation')}**")
        poa_signed, poa_date = parts.authorisation(errors)
        materials = parts.materials(errors)
        poa_scan = upload.file_field(tr("attachment.poa"), list(upload.SUFFIXES),
                                     parts.KEY + "poa_scan",
                                     limit_mb=settings.current().attachment_max_mb)
    field_error(errors, "attachments")
    submitted = st.form_submit_button(tr("intake.submit"), type="primary")

if submitted:
    form = intake.IntakeForm(
        service_code=service or "",
        citizen=CitizenInput(citizen_id, name, id_number, phone),
        note=note, channel=channel, brought=brought, answers=answers, on_behalf=on_behalf,
        poa_signed=poa_signed, poa_date=poa_date, materials=materials, token=token,
        handle=handle, contact_email=email,
        attachments=upload.attachments(scans or [], "document") + upload.attachments(
            [poa_scan] if poa_scan else [], "power_of_attorney"))
    def take_in() -> None:
        st.session_state["receipt"] = intake.take_in(UnitOfWork(), actor, form)
        parts.clear()
    acted(take_in, errors_key=parts.KEY + "errors")
