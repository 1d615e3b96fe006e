"""Administration in real headless Chromium: a service type built in the catalogue page is
taken in at once, a log-in cookie issued before a password change, a reset or a
deactivation is refused, and a ledger with bad rows is refused whole."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, text

from db.engine import owner_engine
from db.ledger_sample import as_csv, ledger
from db.models import Case, ServiceType
from portal.admin import users
from portal.uow import UnitOfWork
from tests.browser import portal_server
from tests.conftest import TRANSACTIONAL_TABLES
from tests.factories import GOOD_PASSWORD
from tests.test_e2e import (
    WAIT,
    choose,
    in_table,
    log_in,
    log_out,
    open_as,
    open_page,
    settle,
    take_in,
    zh,
)

pytestmark = [pytest.mark.browser, pytest.mark.server]
SERVICE = "WELL-REPAIR"


def textbox(where, key: str):
    """A text field by its label (get_by_label would also find the label's help button)."""
    return where.get_by_role("textbox", name=zh(key), exact=True)


def add_field(tab, key: str, kind: str, label_zh: str, label_en: str, *,
              options: str = "", required: bool = False) -> None:
    form = tab.get_by_test_id("stForm").filter(
        has=tab.get_by_role("button", name=zh("catalogue.add_field")))
    settle(tab)
    textbox(form, "catalogue.field_key").fill(key)
    choose(tab, zh("catalogue.field_kind"), kind, within=form)
    textbox(form, "catalogue.field_label_zh").fill(label_zh)
    textbox(form, "catalogue.field_label_en").fill(label_en)
    if options:
        textbox(form, "catalogue.field_options").fill(options)
    if required:
        form.get_by_text(zh("catalogue.field_required"), exact=True).click()
    settle(tab)
    form.get_by_role("button", name=zh("catalogue.add_field")).click()
    tab.get_by_text(f"{label_zh} / {label_en}").first.wait_for(timeout=WAIT)


@pytest.fixture
def no_new_service(committed):
    yield
    with owner_engine().begin() as conn:
        conn.execute(text(f"TRUNCATE {TRANSACTIONAL_TABLES} RESTART IDENTITY"))
    with UnitOfWork() as uow:
        uow.session.execute(delete(ServiceType).where(ServiceType.code == SERVICE))
        uow.commit()


def test_a_service_type_built_in_the_catalogue_is_taken_in_at_once(
        no_new_service, database_url, browser, tmp_path):
    with portal_server(database_url, tmp_path / "server.log") as base:
        admin = open_as(browser, base, "admin")
        open_page(admin, "page.catalogue")
        textbox(admin, "catalogue.code").fill(SERVICE)
        textbox(admin, "catalogue.name_zh").fill("农村饮水井维修补助")
        textbox(admin, "catalogue.name_en").fill("Rural well repair subsidy")
        choose(admin, zh("catalogue.department"), "农业农村局")
        add_field(admin, "well_location", "单行文字", "水井位置", "Well location",
                  required=True)
        add_field(admin, "depth", "数字", "井深（米）", "Depth (m)")
        add_field(admin, "damage", "单选", "损坏情况", "Damage", required=True,
                  options="pump | 水泵损坏 | Broken pump\nwall | 井壁坍塌 | Collapsed wall")
        # The preview draws the intake form as the agent will see it.
        preview = admin.get_by_test_id("stExpander").filter(has_text=zh("catalogue.preview"))
        for label in ("水井位置 *", "井深（米）", "损坏情况 *"):
            preview.get_by_label(label, exact=True).wait_for(timeout=WAIT)
        settle(admin)
        admin.get_by_role("button", name=zh("catalogue.save")).click()
        admin.get_by_text(zh("catalogue.saved", code=SERVICE)).wait_for(timeout=WAIT)

        agent = open_as(browser, base, "agent")

        def answer(tab) -> None:
            tab.get_by_label("水井位置 *", exact=True).fill("姜山村东头")
            tab.get_by_label("井深（米）", exact=True).fill("12")
            choose(tab, "损坏情况 *", "水泵损坏")

        receipt_no = take_in(agent, "农村饮水井维修补助", "姜德胜", "13953200001", answer=answer)
        open_page(agent, "page.case")
        agent.get_by_label(zh("receipt.number")).fill(receipt_no)
        agent.keyboard.press("Enter")
        for shown in ("水井位置: 姜山村东头", "井深（米）: 12", "损坏情况: 水泵损坏"):
            agent.get_by_text(shown).first.wait_for(timeout=WAIT)


def signed_in(tab) -> bool:
    settle(tab)
    return tab.get_by_role("button", name=zh("app.logout")).count() == 1


def refused_on_reload(tab) -> None:
    tab.reload()
    tab.get_by_text(zh("login.session_ended")).wait_for(timeout=WAIT)
    assert not signed_in(tab)


def test_a_cookie_issued_before_a_change_reset_or_deactivation_is_refused(
        committed_user, actors, database_url, browser, tmp_path):
    user_id, username = committed_user
    with portal_server(database_url, tmp_path / "server.log") as base:
        laptop = browser.new_context(locale="zh-CN").new_page()
        laptop.goto(base)
        log_in(laptop, username, GOOD_PASSWORD)
        laptop.reload()  # the cookie signs a new session in
        assert signed_in(laptop)

        # The user changes their password on another computer: the laptop's cookie is dead.
        desk = open_as(browser, base, username, GOOD_PASSWORD)
        open_page(desk, "page.account")
        desk.get_by_label(zh("account.current"), exact=True).fill(GOOD_PASSWORD)
        desk.get_by_label(zh("account.new"), exact=True).fill("Qiaotou-new-31")
        desk.get_by_label(zh("account.repeat"), exact=True).fill("Qiaotou-new-31")
        settle(desk)
        desk.get_by_role("button", name=zh("account.save")).click()
        desk.get_by_text(zh("account.changed")).first.wait_for(timeout=WAIT)
        refused_on_reload(laptop)
        # The computer that changed it got a new cookie and stays signed in.
        desk.reload()
        assert signed_in(desk)

        # An admin's reset ends every session too.
        log_in(laptop, username, "Qiaotou-new-31")
        temporary = users.reset_password(UnitOfWork(), actors["admin"], user_id)
        refused_on_reload(laptop)
        refused_on_reload(desk)

        # After the forced change, deactivation ends the new session as well.
        log_in(laptop, username, temporary)
        laptop.get_by_text(zh("account.must_change")).first.wait_for(timeout=WAIT)
        users.deactivate(UnitOfWork(), actors["admin"], user_id, None)
        refused_on_reload(laptop)


def test_a_ledger_with_three_bad_rows_writes_nothing_and_lists_them(
        committed, database_url, browser, tmp_path):
    frame = ledger(200)
    frame.loc[9, "service_code"] = "NO-SUCH"
    frame.loc[99, "phone"] = "12345"
    frame.loc[149, "received_date"] = "2023-02-30"
    file = tmp_path / "台账.csv"
    file.write_bytes(as_csv(frame))
    with portal_server(database_url, tmp_path / "server.log") as base:
        admin = open_as(browser, base, "admin")
        open_page(admin, "page.ledger_import")
        admin.locator("input[type=file]").set_input_files(file)
        settle(admin)
        admin.get_by_role("button", name=zh("import.write")).click()
        admin.get_by_text(zh("import.bad_rows", n=3)).wait_for(timeout=WAIT)
        for row in ("11", "101", "151"):
            in_table(admin, row)
    with UnitOfWork() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Case)) == 0


def test_after_a_log_out_the_next_user_of_the_tab_keeps_their_session(
        committed, database_url, browser, tmp_path):
    with portal_server(database_url, tmp_path / "server.log") as base:
        tab = open_as(browser, base, "agent")
        log_out(tab)
        log_in(tab, "officer")
        tab.reload()  # a new session, signed in from the officer's cookie
        settle(tab)
        tab.get_by_role("button", name=zh("app.logout")).wait_for(timeout=WAIT)
        assert "王建国" in tab.get_by_test_id("stSidebar").inner_text()
