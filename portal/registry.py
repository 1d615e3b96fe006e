"""The page registry: every screen of the portal, who may open it, and where it sits in the menu.

Adding a page is one file in pages/ plus one entry here (docs/adding-a-page.md); navigation,
the page guard and the smoke tests all read this list.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.messages import t

WORKERS = frozenset({"agent", "officer", "manager"})
EVERYONE = frozenset({"agent", "officer", "manager", "admin"})
ADMINS = frozenset({"admin"})


@dataclass(frozen=True)
class PageSpec:
    key: str  # also the URL path
    file: str  # relative to the project root
    # A message key of the catalogue, or the title itself in both languages: (zh-CN, English).
    title: str | tuple[str, str]
    icon: str
    section: str  # message key of the menu section
    roles: frozenset[str]
    public: bool = False  # open to visitors who are not logged in (citizens)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("new_case", "pages/new_case.py", "page.new_case", ":material/post_add:",
             "section.work", WORKERS),
    PageSpec("queue", "pages/queue.py", "page.queue", ":material/inbox:",
             "section.work", WORKERS),
    PageSpec("handoffs", "pages/handoffs.py", "page.handoffs", ":material/swap_horiz:",
             "section.work", WORKERS),
    PageSpec("case", "pages/case.py", "page.case", ":material/folder_open:",
             "section.work", EVERYONE),
    PageSpec("rectifications", "pages/rectifications.py", "page.rectifications",
             ":material/rule:", "section.overview", frozenset({"manager"})),
    PageSpec("supervision", "pages/supervision.py", "page.supervision",
             ":material/notification_important:", "section.overview", frozenset({"manager"})),
    PageSpec("team", "pages/team.py", "page.team", ":material/groups:", "section.overview",
             frozenset({"manager", "admin"})),
    PageSpec("dashboard", "pages/dashboard.py", "page.dashboard", ":material/monitoring:",
             "section.overview", EVERYONE),
    PageSpec("units", "pages/units.py", "page.units", ":material/account_tree:",
             "section.admin", ADMINS),
    PageSpec("users", "pages/users.py", "page.users", ":material/manage_accounts:",
             "section.admin", ADMINS),
    PageSpec("catalogue", "pages/catalogue.py", "page.catalogue", ":material/dynamic_form:",
             "section.admin", ADMINS),
    PageSpec("holidays", "pages/holidays.py", "page.holidays", ":material/calendar_month:",
             "section.admin", ADMINS),
    PageSpec("settings", "pages/settings.py", "page.settings", ":material/tune:",
             "section.admin", ADMINS),
    PageSpec("ledger_import", "pages/ledger_import.py", "page.ledger_import",
             ":material/upload_file:", "section.admin", ADMINS),
    PageSpec("changes", "pages/changes.py", "page.changes", ":material/history:",
             "section.admin", ADMINS),
    PageSpec("api_clients", "pages/api_clients.py", "page.api_clients", ":material/key_vertical:",
             "section.admin", ADMINS),
    PageSpec("messages", "pages/messages.py", "page.messages", ":material/sms:",
             "section.admin", ADMINS),
    PageSpec("notifications", "pages/notifications.py", "page.notifications",
             ":material/notifications:", "section.account", EVERYONE),
    PageSpec("account", "pages/account.py", "page.account", ":material/key:",
             "section.account", EVERYONE),
    PageSpec("status", "pages/status.py", "page.status", ":material/travel_explore:",
             "section.public", EVERYONE, public=True),
)


# Where each role lands after logging in: where its work waits.
HOMES = {"agent": "new_case", "officer": "handoffs", "manager": "dashboard", "admin": "users"}


def title(spec: PageSpec, lang: str) -> str:
    """The page's title in `lang`."""
    if isinstance(spec.title, tuple):
        return spec.title[1] if lang == "en" else spec.title[0]
    return t(spec.title, lang)


def page(key: str) -> PageSpec:
    return next(p for p in PAGES if p.key == key)


def pages_for(role: str | None) -> list[PageSpec]:
    """The pages a role may open; for a visitor who is not logged in (None), the public ones."""
    return [p for p in PAGES if p.public or role in p.roles]
