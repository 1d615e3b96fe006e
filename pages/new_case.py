"""Take in a citizen's request and issue the receipt."""

import uuid

import streamlit as st

from components.feedback import reported
from components.guard import require_page
from components.i18n import lang, tr
from components.receipt import receipt_card
from portal import intake
from portal.errors import InvalidInput
from portal.uow import UnitOfWork

actor = require_page("new_case")
st.title(tr("page.new_case"))


@st.cache_data(ttl=60, show_spinner=False)
def service_options() -> list[tuple[str, str, str, int]]:
    return intake.services(UnitOfWork())


if receipt := st.session_state.get("receipt"):
    receipt_card(receipt)
    if st.button(tr("intake.new"), type="primary"):
        del st.session_state["receipt"]
        st.rerun()
    st.stop()

# Labels are fixed when drawn, in the language of this run.
with reported(stop=True):
    services = service_options()
service_labels = {
    code: tr("intake.service_option", name=en if lang() == "en" else zh, days=days) + f" · {code}"
    for code, zh, en, days in services
}
channel_labels = {c: tr(f"channel.{c}") for c in intake.CHANNELS}
errors: dict[str, str] = st.session_state.get("intake_errors", {})
# One token per drawn form: a double click or a resubmit finds the case it already made.
token = st.session_state.setdefault("intake_token", uuid.uuid4().hex)


def field_error(field: str) -> None:
    if field in errors:
        st.error(tr(errors[field]), icon=":material/error:")


with st.form("intake"):
    service = st.selectbox(tr("intake.service"), list(service_labels), index=None,
                           key="intake_service", placeholder=tr("intake.service_help"),
                           format_func=service_labels.__getitem__)
    field_error("service")
    name = st.text_input(tr("intake.citizen_name"), key="intake_name", max_chars=60)
    field_error("citizen_name")
    phone = st.text_input(tr("intake.phone"), key="intake_phone", max_chars=20)
    field_error("phone")
    channel = st.radio(tr("intake.channel"), list(channel_labels), horizontal=True,
                       key="intake_channel", format_func=channel_labels.__getitem__)
    note = st.text_area(tr("intake.note"), key="intake_note", max_chars=2000)
    field_error("note")
    submitted = st.form_submit_button(tr("intake.submit"), type="primary")

if submitted:
    form = intake.IntakeForm(service_code=service or "", citizen_name=name, phone=phone,
                             note=note, channel=channel, token=token)
    with reported():
        try:
            st.session_state["receipt"] = intake.take_in(UnitOfWork(), actor, form)
        except InvalidInput as invalid:
            # Shown beside each field on the rerun; what was typed stays in the widgets.
            st.session_state["intake_errors"] = invalid.errors
        else:
            for key in ("intake_errors", "intake_token", "intake_service", "intake_name",
                        "intake_phone", "intake_note"):
                st.session_state.pop(key, None)
        st.rerun()
