"""Who may do what: roles, the action table, and scope over the unit tree. Services call `require`."""

from __future__ import annotations

from dataclasses import dataclass

from portal import registry
from portal.errors import NotPermitted

ROLES: dict[str, str] = {
    "agent": "takes in and works cases at a village agency point or a township centre",
    "officer": "works a department window: answers hand-offs, works and resolves cases",
    "manager": "oversees a unit and every unit below it; sees their cases and charts",
    "admin": "IT staff: runs units, users and the service catalogue; sees all charts",
}

WORKERS = registry.WORKERS
EVERYONE = registry.EVERYONE
ADMINS = registry.ADMINS

# action -> (roles allowed, what it means)
ACTIONS: dict[str, tuple[frozenset[str], str]] = {
    "case.create": (WORKERS, "take in a citizen's request and issue a receipt"),
    "case.view": (EVERYONE, "read a case of a unit in scope"),
    "case.claim": (WORKERS, "take an unassigned case of one's own unit"),
    "case.work": (WORKERS, "work a case one holds: release, priority, documents, resolve, withdraw"),
    "case.note": (WORKERS, "add an internal note to a case in scope"),
    "case.assign": (WORKERS, "give a case to a colleague of its unit (agents if the setting allows)"),
    "citizen.full_id": (frozenset({"officer", "manager"}),
                        "see a citizen's whole ID number; each look is recorded"),
    "case.reopen": (frozenset({"manager"}), "take a resolved or closed case up again"),
    "extension.decide": (frozenset({"manager"}), "approve or refuse an extension of a time limit"),
    "rectification.close": (frozenset({"manager"}),
                            "record what was done about a bad review and the call back"),
    "handoff.send": (WORKERS, "hand a case one's unit owns to another unit, or a part of it; "
                              "withdraw it while pending; dispute a return"),
    "handoff.answer": (WORKERS, "accept or return a hand-off sent to a unit in scope; "
                                "complete a joint part it accepted"),
    "handoff.decide": (frozenset({"manager"}), "decide a disputed return, or name the "
                       "first-responsible unit of a bounced case, for units in scope"),
    "metrics.view": (EVERYONE, "see the dashboard of the units in scope"),
    "team.manage": (frozenset({"manager", "admin"}),
                    "set a unit's automatic assignment, who is on leave and who is qualified"),
    "supervision.view": (frozenset({"manager"}),
                         "see the supervision notices, reports and pending extensions in scope"),
    "calendar.edit": (ADMINS, "change the public holidays and make-up working days"),
    "settings.edit": (ADMINS, "tune time-limit thresholds, the acceptance limit, refresh and lockout"),
    "units.manage": (ADMINS, "add, rename, move and close units of the three-tier tree"),
    "users.manage": (ADMINS, "create, edit, deactivate and import users; reset passwords"),
    "catalogue.edit": (ADMINS, "create and edit service types and their intake form fields"),
    "ledger.import": (ADMINS, "import historical cases from paper ledgers"),
    "changes.view": (ADMINS, "read the record of every administrative change"),
    "messages.manage": (ADMINS, "edit the messages' wording; see and resend undelivered ones"),
    "api.manage": (ADMINS, "create and revoke the API keys of the systems around the portal"),
    "case.attach": (WORKERS, "attach scans, photos and PDFs to a case in scope"),
}


@dataclass(frozen=True)
class Scope:
    """The units whose cases someone sees: one unit, or a unit and everything below it.

    Everyone with the same scope sees the same figures, so read models are shared by scope.
    """

    unit_id: int
    unit_path: str
    sees_subtree: bool


@dataclass(frozen=True)
class Actor:
    """The logged-in user, as the services need them."""

    id: int
    username: str
    display_name: str
    role: str
    unit_id: int
    unit_path: str
    unit_name_zh: str
    unit_name_en: str
    language: str

    def unit_name(self, lang: str) -> str:
        return self.unit_name_en if lang == "en" else self.unit_name_zh

    @property
    def sees_subtree(self) -> bool:
        return self.role in ("manager", "admin")

    @property
    def scope(self) -> Scope:
        return Scope(self.unit_id, self.unit_path, self.sees_subtree)


def may(role: str, action: str) -> bool:
    return role in ACTIONS[action][0]


def may_open(role: str | None, page_key: str) -> bool:
    page = registry.page(page_key)
    return page.public or (role is not None and role in page.roles)


def require(actor: Actor, action: str) -> None:
    if not may(actor.role, action):
        raise NotPermitted(action=action)


def in_scope(actor: Actor, unit_id: int, unit_path: str) -> bool:
    """Whether the unit is the actor's own or, for managers and admins, below theirs."""
    if actor.sees_subtree:
        return unit_path.startswith(actor.unit_path)
    return unit_id == actor.unit_id


def require_scope(actor: Actor, unit_id: int, unit_path: str) -> None:
    if not in_scope(actor, unit_id, unit_path):
        raise NotPermitted(action="scope")
