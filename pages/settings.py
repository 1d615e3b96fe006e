"""Settings: time-limit thresholds, the acceptance limit, refresh, lockout and sessions."""

import streamlit as st

from components.feedback import acted, show_confirmation
from components.guard import page_title, require_page
from components.i18n import tr
from portal import settings
from portal.uow import UnitOfWork

actor = require_page("settings")
page_title("settings")
st.caption(tr("settings.caption"))
show_confirmation()

current = settings.current()
with st.form("settings"):
    values = {}
    for key in settings.KEYS:
        value = getattr(current, key)
        label, help_text = tr(f"settings.{key}"), tr(f"settings.{key}.help")
        if isinstance(value, bool):
            values[key] = st.toggle(label, value=value, help=help_text, key=f"setting_{key}")
        elif isinstance(value, str):
            values[key] = st.text_input(label, value=value, help=help_text, key=f"setting_{key}",
                                        max_chars=settings.URL_MAX,
                                        placeholder="https://").strip()
        else:
            low, high = settings.BOUNDS[key]
            values[key] = int(st.number_input(label, min_value=low, max_value=high, step=1,
                                              value=value, help=help_text,
                                              key=f"setting_{key}"))
    submitted = st.form_submit_button(tr("settings.save"), type="primary")
if submitted:
    acted(lambda: settings.save(UnitOfWork(), actor, values),
          lambda changed: tr("settings.saved", n=changed), "settings.")
