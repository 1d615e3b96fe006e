"""Public status lookup: a citizen enters the receipt number and its lookup code (or the
phone's last four digits), or opens the link printed on the receipt, which carries both;
once the case is resolved, the citizen rates it here, once."""

import streamlit as st

from components.casefile import facts
from components.dynamic_form import field_error
from components.feedback import acted, reported, show_confirmation
from components.guard import page_title, public_page
from components.i18n import lang, tr
from components.rating import citizen_form
from components.request import client_address
from components.text import literal
from portal import clock, ratings
from portal.intake import lookup
from portal.uow import UnitOfWork

public_page("status")
page_title("status")
st.caption(tr("lookup.intro"))
show_confirmation()
errors: dict[str, str] = {}
# The receipt's link carries the receipt number and code: looked up once when opened.
linked = (st.query_params.get("r", ""), st.query_params.get("c", ""))
from_link = all(linked) and st.session_state.get("lookup_link") != linked
st.session_state["lookup_link"] = linked

with st.form("lookup"):
    receipt_no = st.text_input(tr("receipt.number"), value=linked[0],
                               placeholder="LX-20261126-000123")
    answer = st.text_input(tr("lookup.answer"), value=linked[1], max_chars=12,
                           help=tr("lookup.answer_help"))
    submitted = st.form_submit_button(tr("lookup.submit"), type="primary") or from_link
    if submitted:
        errors = lookup.input_errors(receipt_no, answer)
        field_error(errors, "receipt_no")
        field_error(errors, "answer")

if submitted and not errors:
    st.session_state["lookup_opened"] = (receipt_no, answer)
opened = st.session_state.get("lookup_opened")
if opened is None or errors:
    st.stop()
rating_errors = st.session_state.pop("rating_errors", {})
with reported(stop=True):
    found = lookup.find(UnitOfWork(), *opened, client_address())
if found.wait_until:
    st.error(tr("lookup.locked", until=f"{clock.local(found.wait_until):%Y-%m-%d %H:%M}"))
    st.stop()
if found.status is None:
    st.session_state.pop("lookup_opened", None)
    st.warning(tr("lookup.not_found"))
    st.stop()
status = found.status
en = lang() == "en"
with st.container(border=True):
    st.subheader(literal(f"{status.receipt_no} · {status.service_en if en else status.service_zh}"))
    facts(((tr("col.status"), tr(f"status.{status.status}")),
           (tr("lookup.unit"), status.unit_en if en else status.unit_zh),
           (tr("receipt.due"), status.due_date.isoformat())))
    if status.outcome:
        facts(((tr("lookup.outcome"), tr(f"outcome.{status.outcome}")),))
    if status.result:
        st.markdown(f"**{tr('lookup.result')}**")
        st.markdown(literal(status.result))
    for step in status.steps:
        st.markdown(f"`{step.at:%Y-%m-%d %H:%M}` {tr(step.step)} · "
                    f"{literal(step.unit_en if en else step.unit_zh)}")
if status.rating is not None:
    st.success(tr("rating.given", rating=tr(f"rating.{status.rating}")))
elif status.rateable:
    sent, rating, comment = citizen_form(rating_errors)
    if sent:
        def thanks(rated) -> str | None:
            if not (rated.status and rated.status.rating is not None):
                return None
            bad = rating is not None and rating <= ratings.BAD_RATING
            return (tr("rating.thanks", rating=tr(f"rating.{rating}"))
                    + (tr("rating.bad_followed") if bad else ""))
        acted(lambda: lookup.rate(UnitOfWork(), *opened, client_address(), rating, comment),
              thanks, errors_key="rating_errors")
