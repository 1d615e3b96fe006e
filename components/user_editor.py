"""The Users page's editors: a profile form, one person's panel (edit, reset, sessions,
deactivate) and the CSV import."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import tables
from components.feedback import acted, field_errors, reported
from components.i18n import tr
from components.upload import file_field
from portal import access, clock
from portal.access import Actor
from portal.accounts import sessions
from portal.admin import users
from portal.errors import InvalidInput
from portal.messages import LANGUAGES
from portal.uow import UnitOfWork

PASSWORD_KEY = "users_password"  # (username, password) shown once on the next run


def roles() -> dict[str, str]:
    return {r: tr(f"role.{r}") for r in access.ROLES}


def profile_form(key: str, current: users.Profile | None,
                 unit_names: dict[str, str]) -> users.Profile | None:
    """The profile fields in a form; the profile when submitted."""
    names = roles()
    with st.form(key):
        username = st.text_input(tr("users.username"), value=current.username if current else "",
                                 disabled=current is not None, max_chars=60)
        name = st.text_input(tr("users.display_name"),
                             value=current.display_name if current else "", max_chars=80)
        role = st.selectbox(tr("users.role"), list(names), format_func=names.__getitem__,
                            index=list(names).index(current.role) if current else 0)
        codes = list(unit_names)
        unit = st.selectbox(tr("users.unit"), codes, format_func=unit_names.__getitem__,
                            index=codes.index(current.unit_code)
                            if current and current.unit_code in codes else 0)
        language = st.radio(tr("app.language"), list(LANGUAGES), horizontal=True,
                            format_func=LANGUAGES.__getitem__,
                            index=list(LANGUAGES).index(current.language) if current else 0)
        external = st.text_input(tr("users.external_id"), help=tr("users.external_id_help"),
                                 value=current.external_id if current else "", max_chars=200)
        if st.form_submit_button(tr("users.save"), type="primary"):
            return users.Profile(username, name, role, unit, language, external)
    return None


def person(actor: Actor, row: users.Row, unit_names: dict[str, str]) -> None:
    """One user: edit the profile, reset the password, end sessions, (de)activate."""
    current = users.Profile(row.username, row.display_name, row.role, row.unit_code,
                            row.language, row.external_id)
    if edited := profile_form("users_edit", current, unit_names):
        acted(lambda: users.edit(UnitOfWork(), actor, row.id, edited),
              lambda moved: tr("users.saved", n=moved), "users.field.")
    if st.button(tr("users.reset"), key="users_reset"):
        def reset() -> None:
            st.session_state[PASSWORD_KEY] = (
                row.username, users.reset_password(UnitOfWork(), actor, row.id))
        acted(reset)
    _sessions(actor, row.id)
    if not row.active:
        if st.button(tr("users.reactivate"), key="users_reactivate"):
            def reactivate() -> None:
                if password := users.reactivate(UnitOfWork(), actor, row.id):
                    st.session_state[PASSWORD_KEY] = (row.username, password)
            acted(reactivate, tr("users.reactivated", username=row.username))
        return
    st.subheader(tr("users.deactivate"))
    with reported(stop=True):
        mates = dict(users.colleagues(UnitOfWork(), actor, row.id))
    target = None
    if row.open_cases:
        target = st.selectbox(tr("users.cases_to", n=row.open_cases), [None, *mates],
                              key="users_cases_to",
                              format_func=lambda i: tr("users.to_queue") if i is None
                              else mates[i])
    if st.button(tr("users.deactivate"), key="users_deactivate", type="primary"):
        acted(lambda: users.deactivate(UnitOfWork(), actor, row.id, target),
              tr("users.deactivated", username=row.username))


def _sessions(actor: Actor, user_id: int) -> None:
    """The user's live sessions: where and since when, each to end, or all at once."""
    st.subheader(tr("users.sessions"))
    with reported(stop=True):
        live = sessions.live(UnitOfWork(), actor, user_id)
    if not live:
        st.caption(tr("users.no_sessions"))
        return
    tables.plain(pd.DataFrame([{
        tr("users.session_started"): f"{clock.local(s.created_at):%Y-%m-%d %H:%M}",
        tr("users.session_seen"): f"{clock.local(s.last_seen_at):%Y-%m-%d %H:%M}",
        tr("users.session_client"): s.client, tr("users.session_browser"): s.user_agent,
    } for s in live]))
    one, every = st.columns(2)
    labels = {s.id: f"{clock.local(s.created_at):%m-%d %H:%M} · {s.client}" for s in live}
    picked = one.selectbox(tr("users.choose_session"), list(labels), format_func=labels.__getitem__,
                           key="users_session_pick")
    if one.button(tr("users.end_one_session"), key="users_end_session"):
        acted(lambda: sessions.end_for_user(UnitOfWork(), actor, user_id, picked),
              tr("users.sessions_ended", n=1))
    if every.button(tr("users.end_sessions", n=len(live)), key="users_end_sessions"):
        acted(lambda: sessions.end_for_user(UnitOfWork(), actor, user_id),
              tr("users.sessions_ended", n=len(live)))


def create(actor: Actor, unit_names: dict[str, str]) -> None:
    """A new user; their first password is shown once."""
    if created := profile_form("users_new", None, unit_names):
        def make() -> None:
            password = users.create(UnitOfWork(), actor, created)
            st.session_state[PASSWORD_KEY] = (created.username.strip().lower(), password)
        acted(make, tr("users.created", username=created.username), "users.field.")


def import_csv(actor: Actor) -> None:
    """Users from a CSV file: checked first, then written, their passwords shown once."""
    st.caption(tr("users.import_help", columns=", ".join(users.COLUMNS)))
    upload = file_field(tr("users.import_file"), ["csv"], "users_csv")
    check, write = st.columns(2)
    dry_run = check.button(tr("import.check"), disabled=upload is None)
    real = write.button(tr("import.write"), type="primary", disabled=upload is None)
    if upload is None or not (dry_run or real):
        return
    with reported(stop=True):
        try:
            profiles = users.read_csv(upload.getvalue())
        except InvalidInput as invalid:
            field_errors(invalid, "users.field.")
            return
        errors, made = users.import_profiles(UnitOfWork(), actor, profiles, dry_run=not real)
    if errors:
        st.error(tr("import.bad_rows", n=len(errors)))
        tables.plain(pd.DataFrame([
            {tr("import.row"): n, tr("import.problems"): "; ".join(
                f"{tr('users.field.' + f)}: {tr(k)}" for f, k in found.items())}
            for n, found in errors.items()]))
    elif made:
        st.success(tr("users.imported", n=len(made)))
        st.info(tr("users.passwords_once"))
        tables.plain(pd.DataFrame(made, columns=["username", "password"]))
        st.download_button(tr("users.passwords_download"), users.passwords_csv(made),
                           "passwords.csv", "text/csv")
    else:
        st.success(tr("import.all_good", n=len(profiles)))
