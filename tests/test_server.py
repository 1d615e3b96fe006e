"""A freshly started server refuses every protected page requested by URL before any log-in."""

from __future__ import annotations

import re

import pytest

from portal import registry
from portal.messages import t
from portal.uow import UnitOfWork
from tests.browser import portal_server
from tests.conftest import actor_for
from tests.factories import new_case

pytestmark = [pytest.mark.browser, pytest.mark.server]
DATA_ELEMENTS = ["stDataFrame", "stMetric", "stVegaLiteChart", "stArrowVegaLiteChart", "stTabs"]


def test_protected_pages_by_url_on_a_fresh_server_show_nothing(committed, database_url, browser,
                                                               tmp_path):
    receipt = new_case(UnitOfWork(), actor_for("agent"))  # data that must not leak
    refusal = re.compile("|".join(re.escape(t(k, lang)) for k in ("guard.login_required",
                                                                  "login.form")
                                  for lang in ("zh", "en")))
    with portal_server(database_url, tmp_path / "server.log") as base:
        # Every page first, before any session has run st.navigation.
        for page in [p for p in registry.PAGES if not p.public]:
            context = browser.new_context()
            tab = context.new_page()
            tab.goto(f"{base}/{page.key}")
            tab.get_by_text(refusal).first.wait_for(timeout=30_000)
            tab.wait_for_timeout(1_000)  # let anything that would render, render
            for testid in DATA_ELEMENTS:
                assert tab.locator(f"[data-testid='{testid}']").count() == 0, (page.key, testid)
            forms = tab.locator("[data-testid='stForm']")
            assert forms.count() <= 1 and (forms.count() == 0 or
                                           forms.get_by_label(t("login.password", "zh")).count())
            assert receipt.receipt_no not in tab.content()
            context.close()
