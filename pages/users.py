"""Users: create, edit role and unit, deactivate (with where their cases go), reset, import."""

import pandas as pd
import streamlit as st

from components import tables
from components.feedback import acted, field_errors, reported, show_confirmation
from components.guard import page_title, require_page
from components.i18n import lang, tr
from components.upload import file_field
from portal import access, clock
from portal.accounts import sessions
from portal.admin import unit_admin, users
from portal.errors import InvalidInput
from portal.uow import UnitOfWork

actor = require_page("users")
page_title("users")
st.caption(tr("users.caption"))
show_confirmation()
if handed := st.session_state.pop("users_password", None):
    st.info(tr("users.password_once", username=handed[0]))
    st.code(handed[1], language=None)

with reported(stop=True):
    rows = users.listing(UnitOfWork(), actor, lang())
    unit_names = {code: name for _, code, name in unit_admin.choices(UnitOfWork(), actor, lang())}
roles = {r: tr(f"role.{r}") for r in access.ROLES}
languages = {"zh": "中文", "en": "English"}


def profile_form(key: str, current: users.Profile | None) -> users.Profile | None:
    """The profile fields in a form; the profile when submitted."""
    with st.form(key):
        username = st.text_input(tr("users.username"), value=current.username if current else "",
                                 disabled=current is not None, max_chars=60)
        name = st.text_input(tr("users.display_name"),
                             value=current.display_name if current else "", max_chars=80)
        role = st.selectbox(tr("users.role"), list(roles), format_func=roles.__getitem__,
                            index=list(roles).index(current.role) if current else 0)
        codes = list(unit_names)
        unit = st.selectbox(tr("users.unit"), codes, format_func=unit_names.__getitem__,
                            index=codes.index(current.unit_code)
                            if current and current.unit_code in codes else 0)
        language = st.radio(tr("app.language"), list(languages), horizontal=True,
                            format_func=languages.__getitem__,
                            index=list(languages).index(current.language) if current else 0)
        external = st.text_input(tr("users.external_id"), help=tr("users.external_id_help"),
                                 value=current.external_id if current else "", max_chars=200)
        if st.form_submit_button(tr("users.save"), type="primary"):
            return users.Profile(username, name, role, unit, language, external)
    return None


def sessions_of(user_id: int) -> None:
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


def create(profile: users.Profile) -> None:
    password = users.create(UnitOfWork(), actor, profile)
    st.session_state["users_password"] = (profile.username.strip().lower(), password)


people, new, bulk = st.tabs([tr("users.tab.people"), tr("users.tab.new"), tr("users.tab.import")])
with people:
    frame = pd.DataFrame([{
        tr("users.username"): r.username, tr("users.display_name"): r.display_name,
        tr("users.role"): roles[r.role], tr("users.unit"): r.unit_name,
        tr("users.active"): r.active, tr("users.locked"): r.locked,
        tr("users.must_change"): r.must_change_password, tr("users.open_cases"): r.open_cases,
    } for r in rows])
    tables.plain(frame)
    by_id = {r.id: r for r in rows}
    chosen = st.selectbox(tr("users.choose"), list(by_id), index=None, key="users_chosen",
                          placeholder=tr("form.choose"),
                          format_func=lambda i: f"{by_id[i].username} · {by_id[i].display_name}")
    if chosen is not None:
        row = by_id[chosen]
        current = users.Profile(row.username, row.display_name, row.role, row.unit_code,
                                row.language, row.external_id)
        if edited := profile_form("users_edit", current):
            acted(lambda: users.edit(UnitOfWork(), actor, chosen, edited),
                  lambda moved: tr("users.saved", n=moved), "users.field.")
        if st.button(tr("users.reset"), key="users_reset"):
            with reported():
                password = users.reset_password(UnitOfWork(), actor, chosen)
                st.session_state["users_password"] = (row.username, password)
                st.rerun()
        sessions_of(chosen)
        if not row.active:
            if st.button(tr("users.reactivate"), key="users_reactivate"):
                acted(lambda: users.reactivate(UnitOfWork(), actor, chosen),
                      tr("users.reactivated", username=row.username))
        else:
            st.subheader(tr("users.deactivate"))
            with reported(stop=True):
                mates = dict(users.colleagues(UnitOfWork(), actor, chosen))
            target = None
            if row.open_cases:
                target = st.selectbox(tr("users.cases_to", n=row.open_cases),
                                      [None, *mates], key="users_cases_to",
                                      format_func=lambda i: tr("users.to_queue") if i is None
                                      else mates[i])
            if st.button(tr("users.deactivate"), key="users_deactivate", type="primary"):
                acted(lambda: users.deactivate(UnitOfWork(), actor, chosen, target),
                      tr("users.deactivated", username=row.username))

with new:
    if created := profile_form("users_new", None):
        acted(lambda: create(created), tr("users.created", username=created.username),
              "users.field.")

with bulk:
    st.caption(tr("users.import_help", columns=", ".join(users.COLUMNS)))
    upload = file_field(tr("users.import_file"), ["csv"], "users_csv")
    check, write = st.columns(2)
    dry_run = check.button(tr("import.check"), disabled=upload is None)
    real = write.button(tr("import.write"), type="primary", disabled=upload is None)
    if upload is not None and (dry_run or real):
        with reported():
            try:
                profiles = users.read_csv(upload.getvalue())
            except InvalidInput as invalid:
                field_errors(invalid, "users.field.")
            else:
                errors, made = users.import_profiles(UnitOfWork(), actor, profiles,
                                                     dry_run=not real)
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
