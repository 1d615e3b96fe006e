"""The access table as a whole: every page and action names known roles, and scope holds."""

import pytest

from portal import access, registry
from portal.access import ACTIONS, ROLES
from portal.errors import NotPermitted


def test_every_page_and_action_names_only_known_roles():
    for page in registry.PAGES:
        assert page.roles <= set(ROLES), page.key
    for action, (roles, meaning) in ACTIONS.items():
        assert roles <= set(ROLES) and meaning, action


def test_every_role_has_somewhere_to_go():
    for role in ROLES:
        assert registry.pages_for(role), role


def test_page_files_exist_and_keys_are_unique():
    from db.config import ROOT
    keys = [p.key for p in registry.PAGES]
    assert len(keys) == len(set(keys))
    for page in registry.PAGES:
        assert (ROOT / page.file).is_file(), page.file


@pytest.mark.parametrize(("role", "page", "allowed"), [
    ("agent", "new_case", True), ("admin", "new_case", False), ("admin", "dashboard", True),
    ("officer", "handoffs", True), (None, "dashboard", False),
])
def test_may_open(role, page, allowed):
    assert access.may_open(role, page) is allowed


def test_require_refuses_an_action_outside_the_role(actors):
    with pytest.raises(NotPermitted):
        access.require(actors["admin"], "case.claim")
    access.require(actors["agent"], "case.claim")


def test_scope_is_own_unit_for_agents_and_subtree_for_managers(actors):
    agent, manager = actors["agent"], actors["manager"]
    assert access.in_scope(agent, agent.unit_id, agent.unit_path)
    assert not access.in_scope(agent, actors["officer"].unit_id, actors["officer"].unit_path)
    assert access.in_scope(manager, agent.unit_id, agent.unit_path)
