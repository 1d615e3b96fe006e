"""The menu built from the page registry, and the account box in the sidebar."""

from __future__ import annotations

import streamlit as st

from components import auth
from components.i18n import lang, tr
from components.shared_reads import waiting_for
from portal import registry
from portal.access import Actor
from portal.casework.waiting import Waiting

# On a 1366 px office screen the menu takes 300 px, and Streamlit's 5 rem margins beside the
# page would leave tables about 900 px; narrower margins give them about 1,000.
OFFICE_SCREEN_CSS = """
[data-testid="stMainBlockContainer"] { padding-left: 2.5rem; padding-right: 2.5rem; }
"""
# An empty date field shows "yyyy-mm-dd" whatever the browser's language: in Chinese, the
# words are drawn transparent and 年, 月 and 日 over them; the segments stay where they are,
# to be clicked, tabbed to and typed into. The range calendar's quick choices ("Date range:
# Past week", …) exist in English only, so the Chinese calendar goes without them.
SEGMENT = '[data-testid="stDateInputField"] [data-placeholder="true"]'
DATE_PLACEHOLDERS = {"zh": f"""
{SEGMENT} {{ -webkit-text-fill-color: transparent; position: relative; }}
{SEGMENT}::after {{ -webkit-text-fill-color: currentColor; position: absolute; left: 0;
                    right: 0; text-align: center; }}
{SEGMENT}[data-type="year"]::after {{ content: "年"; }}
{SEGMENT}[data-type="month"]::after {{ content: "月"; }}
{SEGMENT}[data-type="day"]::after {{ content: "日"; }}
[data-testid="stDateInputQuickSelect"] {{ display: none; }}
"""}


def screen_css(language: str) -> str:
    """The page's own styles, in the user's language."""
    return f"<style>{OFFICE_SCREEN_CSS}{DATE_PLACEHOLDERS.get(language, '')}</style>"


def menu(role: str | None, waiting: Waiting | None = None) -> dict[str, list[st.Page]]:
    """The pages `role` may open (the public ones for a visitor), by menu section, with the
    count of what waits beside its pages; the portal's own address opens the role's work.
    Behind the address of every other page, a refusal in the user's language (not
    Streamlit's English "Page not found")."""
    waiting = waiting or Waiting()
    counts = {"handoffs": waiting.handoffs, "queue": waiting.due_soon,
              "supervision": waiting.notices, "notifications": waiting.unread}
    home = registry.HOMES.get(role or "")
    sections: dict[str, list[st.Page]] = {}
    for spec in registry.pages_for(role):
        title = registry.title(spec, lang())
        if counts.get(spec.key):
            title = tr("menu.count", title=title, n=counts[spec.key])
        sections.setdefault(tr(spec.section), []).append(
            st.Page(spec.file, title=title, icon=spec.icon, url_path=spec.key))
    if home is not None:
        # Streamlit serves its default page at "/" only; its own address would say "Page
        # not found". So the default is a hidden step that opens the home page by its path.
        sections[tr("section.account")] += [
            st.Page(lambda: st.switch_page(registry.page(home).file), title=registry.title(
                registry.page(home), lang()), url_path="start", default=True,
                visibility="hidden"),
            *(st.Page(not_permitted, title=registry.title(spec, lang()), url_path=spec.key,
                      visibility="hidden") for spec in registry.PAGES
              if spec not in registry.pages_for(role))]
    return sections


def actor_menu(actor: Actor) -> dict[str, list[st.Page]]:
    return menu(actor.role, waiting_for(actor))


def not_permitted() -> None:
    st.error(tr("guard.not_permitted"))


def login_menu() -> dict[str, list[st.Page]]:
    """For a visitor: the log-in page, also behind the address of every page that needs one
    (hidden from the menu), so a deep link shows the log-in and comes back after it."""
    login = [st.Page(auth.login_page, title=tr("page.login"), icon=":material/login:",
                     url_path="login", default=True)]
    login += [st.Page(auth.login_page, title=tr("page.login"), url_path=spec.key,
                      visibility="hidden") for spec in registry.PAGES if not spec.public]
    return {tr("section.account"): login, **menu(None)}


def password_menu() -> dict[str, list[st.Page]]:
    """Only the password page, for a user who must choose a new password first."""
    spec = registry.page("account")
    return {tr(spec.section): [st.Page(spec.file, title=registry.title(spec, lang()), icon=spec.icon,
                                       url_path=spec.key, default=True)]}


def account_box(actor: Actor) -> None:
    with st.sidebar:
        st.caption(tr("app.signed_in_as", name=actor.display_name, role=tr(f"role.{actor.role}"),
                      unit=actor.unit_name(lang())))
        if st.button(tr("app.logout"), key="logout_button"):
            auth.log_out()
            st.stop()  # nothing more is drawn for the signed-out user; the browser moves on
