"""Every page, for every role that may open it, in both languages, as people see it on an
office screen (1366×768, Chromium, a Chinese desktop) with the demo users' desks laid out.
Each is saved under var/test-artifacts/screens/ to be looked at, and read: in Chinese, no
English prose, no "None" and no Streamlit English default (the words Streamlit draws in an
empty date field and a file field have a test of their own below); in both, nothing wider
than the window and no table that must be scrolled sideways."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import select

from db.models import Case
from portal import registry
from portal.messages import t
from portal.run import demo_desk
from portal.uow import UnitOfWork
from tests.browser import ARTIFACTS, portal_server
from tests.test_chinese_ui import ALLOWED, ROLES, codes_and_names, english_in
from tests.test_e2e import WAIT, log_in, settle

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.once]
SCREENS = ARTIFACTS / "screens"
WIDTH, HEIGHT = 1366, 768
# Elements wider than they are shown, each with the text people would miss.
OVERFLOWING = """() => {
  const wide = [];
  if (document.documentElement.scrollWidth > window.innerWidth + 1)
    wide.push(`page: ${document.documentElement.scrollWidth}px`);
  for (const grid of document.querySelectorAll('[data-testid=stDataFrame] .dvn-scroller')) {
    if (grid.scrollWidth > grid.clientWidth + 1)
      wide.push(`table: ${grid.scrollWidth}px in ${grid.clientWidth}px: ` + [...grid.closest(
        '[data-testid=stDataFrame]').querySelectorAll('[role=columnheader]')].map(
        h => `${h.innerText} ${Math.round(h.getBoundingClientRect().width)}`).join(', '));
  }
  return wide;
}"""


# The words on screen: the menu, the page and each table's headers. A table's cells are
# drawn on a canvas from values the page keeps raw (a tick's "true", a picked option's code):
# tests/test_chinese_ui.py reads them as drawn. Material icons are ligatures, words in the
# page drawn as pictures, and words drawn transparent with ours over them (an empty date
# field's, the file field's button; test_empty_date_fields_and_file_fields_speak_chinese
# reads those): hidden while reading.
VISIBLE_TEXT = """() => {
  const hide = document.createElement('style');
  hide.textContent = `[data-testid=stIconMaterial], [data-testid=stFileUploaderDropzone] button,
    [data-testid=stDateInputField] [data-placeholder=true] { display: none !important; }`;
  document.head.appendChild(hide);
  const text = ['stSidebar', 'stMain'].map(
    id => document.querySelector(`[data-testid=${id}]`).innerText).join('\\n');
  const cells = [...document.querySelectorAll('[role=columnheader]')].map(c => c.innerText);
  hide.remove();
  return text.split('\\n').concat(cells).filter(line => line.trim());
}"""


def pick_language(tab, lang: str) -> None:
    """The sidebar's switch, as a person uses it; it is kept with the account. A click
    that lands in a rerun can be lost, for a person too, who then clicks again."""
    option = tab.get_by_role("option", name={"zh": "中文", "en": "English"}[lang])
    for _ in range(3):
        settle(tab)
        tab.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").click()
        try:
            option.click(timeout=WAIT / 3)
            settle(tab)
            return
        except PlaywrightTimeout:
            tab.keyboard.press("Escape")
    raise AssertionError(f"the language switch did not offer {lang}")


@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_page_of_each_role_on_an_office_screen(committed, database_url, browser,
                                                      tmp_path, role):
    from db import history
    from db.engine import owner_engine
    from portal.dashboard import rollup
    with owner_engine().begin() as conn:
        history.generate(conn, 1500)
    demo_desk.stage()
    rollup.ensure(UnitOfWork())  # as `python -m portal run` does after laying out the desks
    with UnitOfWork() as uow:  # a case of the agent's village point, for the case file
        receipt = uow.session.scalar(select(Case.receipt_no).where(
            Case.status == "waiting_citizen").order_by(Case.id.desc()).limit(1))
    allowed = ALLOWED | codes_and_names()
    problems: list[str] = []
    with portal_server(database_url, tmp_path / "server.log") as base:
        tab = browser.new_context(locale="zh-CN", viewport={"width": WIDTH, "height": HEIGHT}
                                  ).new_page()
        tab.goto(base)
        log_in(tab, ROLES[role])
        for lang in ("zh", "en"):
            pick_language(tab, lang)
            for page in registry.pages_for(role):
                address = f"{base}/{page.key}" + (f"?receipt={receipt}" if page.key == "case"
                                                  else "")
                tab.goto(address)  # a reload too: the language must outlast it
                tab.get_by_role("heading", name=registry.title(page, lang), exact=True
                                ).first.wait_for(timeout=WAIT)
                settle(tab)
                tab.wait_for_timeout(400)  # charts and tables draw after the run
                SCREENS.mkdir(parents=True, exist_ok=True)
                tab.screenshot(path=str(SCREENS / f"{role}-{page.key}-{lang}-1366.png"))
                where = f"{role} {page.key} {lang}"
                problems += [f"{where}: {w}" for w in tab.evaluate(OVERFLOWING)]
                if lang == "zh":
                    problems += [f"{where}: {text}" for text in
                                 english_in(tab.evaluate(VISIBLE_TEXT), allowed)]
        assert t("app.language", "en") in tab.get_by_test_id("stSidebar").inner_text()
    assert not problems, "\n".join(problems)


# What an empty date field's segments and the file field's words show: the text people
# read, and the words drawn in place of Streamlit's English.
DRAWN = """(selector) => [...document.querySelectorAll(selector)].map(e => [
  getComputedStyle(e).webkitTextFillColor === 'rgba(0, 0, 0, 0)' ||
    getComputedStyle(e).visibility === 'hidden',
  getComputedStyle(e, '::after').content.replaceAll('"', '')])"""


def test_empty_date_fields_and_file_fields_speak_chinese(committed, database_url, browser,
                                                         tmp_path):
    with portal_server(database_url, tmp_path / "server.log") as base:
        tab = browser.new_context(locale="zh-CN", viewport={"width": WIDTH, "height": HEIGHT}
                                  ).new_page()
        tab.goto(base)
        log_in(tab, "agent")
        tab.goto(f"{base}/queue")
        tab.get_by_text(t("queue.filters", "zh"), exact=True).click()
        settle(tab)
        segments = tab.evaluate(DRAWN, '[data-testid="stDateInputField"] [role="spinbutton"]')
        # Two dates (from, to) of three segments each, shown as 年 月 日, not yyyy mm dd...
        assert segments == [[True, "年"], [True, "月"], [True, "日"]] * 2
        # ...and still typed into, as a person does.
        tab.get_by_role("spinbutton", name=re.compile("^year")).first.click()
        tab.keyboard.type("20261101")
        settle(tab)
        assert "2026" in tab.locator('[data-testid="stDateInputField"]').first.inner_text()
        calendar = tab.get_by_role("grid").first  # the calendar opened beside the field
        assert calendar.is_visible() and "一" in calendar.inner_text()
        assert not tab.get_by_test_id("stDateInputQuickSelect").is_visible()
        tab.screenshot(path=str(SCREENS / "agent-queue-filters-zh-1366.png"))
        tab.get_by_role("button", name=t("app.logout", "zh")).click()
        tab.get_by_label(t("login.password", "zh")).wait_for(timeout=WAIT)
        log_in(tab, "admin")
        tab.goto(f"{base}/ledger_import")
        tab.get_by_test_id("stFileUploaderDropzone").wait_for(timeout=WAIT)
        settle(tab)
        drawn = tab.evaluate(DRAWN, '[data-testid="stFileUploaderDropzone"] button, '
                                    '[data-testid="stFileUploaderDropzoneInstructions"] span')
        assert drawn == [[True, t("upload.button", "zh")],
                         [True, t("upload.limit", "zh", mb=20, types="CSV、XLSX")]]
        with tab.expect_file_chooser() as chooser:  # still a button people click
            tab.get_by_test_id("stFileUploaderDropzone").locator("button").click()
        assert chooser.value is not None
        tab.screenshot(path=str(SCREENS / "admin-ledger_import-file-zh-1366.png"))


def test_the_first_page_load_is_compressed(committed, database_url, browser, tmp_path):
    """A village point's line is slow: the log-in page's scripts arrive compressed, about
    1.2 MB in all instead of 2.9 MB."""
    with portal_server(database_url, tmp_path / "server.log") as base:
        tab = browser.new_context(locale="zh-CN").new_page()
        loaded = []
        tab.on("requestfinished", lambda request: loaded.append(request))
        tab.goto(base)
        tab.get_by_label(t("login.password", "zh"), exact=True).wait_for(timeout=WAIT)
        settle(tab)
        carried = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"]
                      for r in loaded)
        scripts = [r for r in loaded if r.url.endswith(".js") and r.sizes()["responseBodySize"]
                   > 4096]
        assert scripts and all(r.response().headers.get("content-encoding") == "gzip"
                               for r in scripts)
        assert carried < 1_500_000, carried
