"""Public status lookup: a citizen enters the receipt number and the phone's last four digits."""

import math
import time

import streamlit as st

from components.casefile import facts
from components.dynamic_form import field_error
from components.feedback import reported
from components.guard import public_page
from components.i18n import lang, tr
from components.text import literal
from portal import lookup
from portal.uow import UnitOfWork

public_page("status")
st.title(tr("page.status"))
st.caption(tr("lookup.intro"))
# Failed lookups are counted per browser session: slowed after a few, then refused a while.
throttle: lookup.Throttle = st.session_state.setdefault("lookup_throttle", lookup.Throttle())
errors: dict[str, str] = {}

with st.form("lookup"):
    receipt_no = st.text_input(tr("receipt.number"), placeholder="LX-20261126-000123")
    last4 = st.text_input(tr("lookup.last4"), max_chars=4)
    submitted = st.form_submit_button(tr("lookup.submit"), type="primary")
    if submitted:
        errors = lookup.input_errors(receipt_no, last4)
        field_error(errors, "receipt_no")
        field_error(errors, "last4")

if submitted and not errors:
    now = time.time()
    if wait := throttle.locked_for(now):
        st.error(tr("lookup.locked", minutes=math.ceil(wait / 60)))
        st.stop()
    time.sleep(throttle.delay(now))
    with reported(stop=True):
        found = lookup.find(UnitOfWork(), receipt_no, last4)
    if found is None:
        throttle.failed(now)
        st.warning(tr("lookup.not_found"))
        st.stop()
    throttle.succeeded()
    en = lang() == "en"
    with st.container(border=True):
        st.subheader(literal(f"{found.receipt_no} · {found.service_en if en else found.service_zh}"))
        facts(((tr("col.status"), tr(f"status.{found.status}")),
               (tr("lookup.unit"), found.unit_en if en else found.unit_zh),
               (tr("receipt.due"), found.due_date.isoformat())))
        for step in found.steps:
            st.markdown(f"`{step.at:%Y-%m-%d %H:%M}` {tr(step.step)} · "
                        f"{literal(step.unit_en if en else step.unit_zh)}")
