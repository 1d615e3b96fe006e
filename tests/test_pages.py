"""Pages through Streamlit's AppTest: every page for every role, the log-in, and the new-case form."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from components import auth
from db.config import ROOT
from db.demo import DEMO_PASSWORD, DEMO_USERS
from db.models import Case
from portal import registry
from portal.accounts import accounts
from portal.messages import t
from portal.uow import UnitOfWork
from tests.factories import session_token

ROLES = {role: username for username, _, role, _ in DEMO_USERS}


def app(username: str | None = None, token: str | None = None) -> AppTest:
    """The portal in a new browser session: signed in as `username` (a new session), or with
    the session `token`, or not at all."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    if username or token:
        at.session_state[auth.TOKEN_KEY] = token or session_token(username)
    return at


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "markdown", "caption", "info", "warning", "error", "text",
                                  "success", "subheader", "code") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def cases_in_db() -> int:
    with UnitOfWork() as uow:
        return uow.session.scalar(select(func.count()).select_from(Case))


@pytest.mark.parametrize("page", registry.PAGES, ids=lambda p: p.key)
@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_page_for_every_role(committed, role, page):
    at = app(ROLES[role]).run()
    if role in page.roles:
        at.switch_page(page.file).run()
        assert not at.exception, at.exception
        assert at.title[0].value == registry.title(page, "zh")
    else:
        # Not in the role's menu; and opened directly, the page's own guard refuses.
        direct = AppTest.from_file(str(ROOT / page.file), default_timeout=30)
        direct.session_state["actor"] = accounts.actor(UnitOfWork(), ROLES[role])
        direct.run()
        assert [e.value for e in direct.error] == [t("guard.not_permitted", "zh")]
        assert not direct.title and not direct.metric and not direct.dataframe


PROTECTED = [p for p in registry.PAGES if not p.public]


@pytest.mark.parametrize("page", PROTECTED, ids=lambda p: p.key)
def test_page_opened_directly_without_log_in_shows_nothing(committed, page):
    at = AppTest.from_file(str(ROOT / page.file), default_timeout=30).run()
    assert not at.exception
    assert [w.value for w in at.warning] == [t("guard.login_required", "zh")]
    assert not at.title and not at.metric and not at.dataframe and not at.text_input


def test_logged_out_visitor_sees_only_the_log_in_form(committed):
    at = app().run()
    assert not at.exception
    assert [i.label for i in at.text_input] == [t("login.username", "zh"), t("login.password", "zh")]
    assert not at.metric and not at.dataframe


def test_log_in_with_the_right_password_opens_the_role_menu(committed):
    at = app().run()
    at.text_input[0].input("agent")
    at.text_input[1].input(DEMO_PASSWORD)
    at.button[0].click().run()
    # The session is on the server; this browser session is signed in with it at once.
    assert [s.value for s in at.success] == [t("login.welcome", "zh")]
    at.run()
    assert at.title[0].value == t("page.new_case", "zh")


def test_log_in_with_a_wrong_password_is_refused(committed):
    at = app().run()
    at.text_input[0].input("agent")
    at.text_input[1].input("wrong-password")
    at.button[0].click().run()
    assert t("login.failed", "zh") in [e.value for e in at.error]
    assert auth.TOKEN_KEY not in at.session_state


def new_case_page(lang: str = "zh") -> AppTest:
    at = app("agent")
    # As if the language was picked on the log-in page, before the profile's applied.
    at.session_state["lang"] = lang
    at.session_state["lang_chosen"] = lang != "zh"
    return at.run().switch_page("pages/new_case.py").run()


def button(at: AppTest, key: str, lang: str = "zh"):
    return next(b for b in at.button if b.label == t(key, lang))


def submit_intake(at: AppTest, name: str = "王秀英", phone: str = "13812345678",
                  service: str = "PENSION-CERT", lang: str = "zh", handle: bool = False
                  ) -> AppTest:
    """Every document brought; the case left to the unit's queue unless `handle`."""
    at.selectbox(key="intake_service").set_value(service).run()
    at.text_input(key="intake_name").input(name)
    at.text_input(key="intake_phone").input(phone)
    for box in at.checkbox:
        box.check()
    at.checkbox(key="intake_handle").set_value(handle)
    return button(at, "intake.submit", lang).click().run()


def test_bad_input_shows_messages_beside_the_fields_and_stores_nothing(committed):
    at = submit_intake(new_case_page(), name="   ", phone="12345")
    errors = [e.value for e in at.error]
    assert t("intake.error.name_required", "zh") in errors
    assert t("identity.error.phone_invalid", "zh") in errors
    assert cases_in_db() == 0
    # What the agent typed is kept for correction.
    assert at.text_input(key="intake_phone").value == "12345"
    assert at.selectbox(key="intake_service").value == "PENSION-CERT"


def test_valid_intake_shows_the_receipt(committed):
    at = submit_intake(new_case_page("en"), lang="en")
    assert not at.exception
    assert at.code[0].value.startswith("LX-")
    assert "Pension eligibility certification" in texts(at)
    assert cases_in_db() == 1


def test_queue_lists_the_new_case_and_claims_it(committed):
    at = submit_intake(new_case_page())
    receipt_no = at.code[0].value
    at.switch_page("pages/queue.py").run()
    assert f"case?receipt={receipt_no}" in at.dataframe[0].value[t("col.receipt_no", "zh")].tolist()
    button(at, "queue.claim").click().run()
    assert t("queue.claimed", "zh", receipt_no=receipt_no) in [s.value for s in at.success]


def test_a_deactivated_user_is_out_on_the_next_run_of_the_app(committed):
    from sqlalchemy import update

    from db.models import User
    token = session_token("officer")
    assert app(token=token).run().title[0].value == t("page.handoffs", "zh")  # signed in
    with UnitOfWork() as uow:
        uow.session.execute(update(User).where(User.username == "officer").values(active=False))
        uow.commit()
    try:
        # The browser still holds the session; each run checks its user again.
        at = app(token=token).run()
        assert [i.label for i in at.text_input] == [t("login.username", "zh"),
                                                     t("login.password", "zh")]
        assert at.session_state["actor"] is None
    finally:
        with UnitOfWork() as uow:
            uow.session.execute(update(User).where(User.username == "officer").values(active=True))
            uow.commit()


def page_text(at: AppTest) -> str:
    return texts(at) + "\n".join(str(m.value) for m in at.metric)


def test_a_field_added_to_the_service_type_shows_on_the_next_rerun(committed):
    from sqlalchemy import update

    from db.models import ServiceType
    at = new_case_page()
    at.selectbox(key="intake_service").set_value("POLICY-ASK").run()
    assert not [i for i in at.text_input if i.label.startswith("咨询主题")]
    topic = {"key": "topic", "type": "text", "label_zh": "咨询主题", "label_en": "Topic",
             "required": True}
    with UnitOfWork() as uow:
        uow.session.execute(update(ServiceType).where(ServiceType.code == "POLICY-ASK")
                            .values(form_fields=[topic]))
        uow.commit()
    try:
        at.run()
        at.text_input(key="intake_answer_POLICY-ASK_topic").input("新农合报销比例")
        at.text_input(key="intake_name").input("王秀英")
        at.text_input(key="intake_phone").input("13812345678")
        button(at, "intake.submit").click().run()
        receipt_no = at.code[0].value
        at.switch_page("pages/case.py").run()
        at.text_input[0].input(receipt_no).run()
        assert "咨询主题: 新农合报销比例" in page_text(at)
    finally:
        with UnitOfWork() as uow:
            uow.session.execute(update(ServiceType).where(ServiceType.code == "POLICY-ASK")
                                .values(form_fields=[]))
            uow.commit()


def test_missing_documents_show_on_the_receipt(committed):
    at = new_case_page()
    at.selectbox(key="intake_service").set_value("PENSION-CERT").run()
    at.text_input(key="intake_name").input("王秀英")
    at.text_input(key="intake_phone").input("13812345678")
    button(at, "intake.submit").click().run()  # the ID card was not ticked
    text = page_text(at)
    assert f"**{t('receipt.documents_missing', 'zh')}**: 居民身份证" in text
    assert t("status.waiting_citizen", "zh") in text


def status_page() -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / "status.py"), default_timeout=30)


def test_a_visitor_looks_up_a_case_and_sees_nothing_personal(committed):
    from tests.factories import new_case
    agent = accounts.actor(UnitOfWork(), "agent")
    receipt = new_case(UnitOfWork(), agent, name="王秀英", phone="13953212345",
                       id_number="11010519491231002X", note="内部备注")
    at = status_page().run()
    at.text_input[0].input(receipt.receipt_no)
    at.text_input[1].input("2345")
    at.button[0].click().run()
    text = page_text(at)
    assert receipt.receipt_no in text and t("public.step.received", "zh") in text
    for secret in ("王秀英", "11010519491231002X", "13953212345", "内部备注", agent.display_name):
        assert secret not in text


def test_a_visitor_with_the_wrong_digits_learns_nothing(committed):
    from tests.factories import new_case
    receipt = new_case(UnitOfWork(), accounts.actor(UnitOfWork(), "agent"), phone="13953212345")
    at = status_page().run()
    at.text_input[0].input(receipt.receipt_no)
    at.text_input[1].input("0000")
    at.button[0].click().run()
    assert [w.value for w in at.warning] == [t("lookup.not_found", "zh")]
    assert t("public.step.received", "zh") not in page_text(at)


def test_a_citizen_sees_the_result_and_rates_the_service_once(committed):
    from portal.casework import casework, queue
    from tests.factories import new_case
    agent = accounts.actor(UnitOfWork(), "agent")
    receipt = new_case(UnitOfWork(), agent, phone="13953212345")
    queue.claim(UnitOfWork(), agent, receipt.case_id)
    before = page_text(look_up(receipt.receipt_no, "2345"))
    assert t("rating.ask", "zh") not in before and t("lookup.outcome", "zh") not in before
    casework.resolve(UnitOfWork(), agent, receipt.case_id, "approved", "认证通过，下月起按时发放")
    casework.deliver(UnitOfWork(), agent, receipt.case_id)
    at = look_up(receipt.receipt_no, "2345")
    text = page_text(at)
    assert t("outcome.approved", "zh") in text and "认证通过，下月起按时发放" in text
    button(at, "rating.submit").click().run()  # no level chosen
    assert [e.value for e in at.error] == [t("rating.error.level", "zh")]
    at.radio(key="rate_level").set_value(2)
    at.text_area(key="rate_comment").input("等了很久")
    button(at, "rating.submit").click().run()
    text = page_text(at)
    assert t("rating.thanks", "zh", rating=t("rating.2", "zh")) in text
    assert t("rating.bad_followed", "zh") in text
    assert t("rating.given", "zh", rating=t("rating.2", "zh")) in text and not at.radio
    # Another browser with the same receipt sees the rating, and no form to rate again.
    again = look_up(receipt.receipt_no, receipt.lookup_code)
    assert t("rating.given", "zh", rating=t("rating.2", "zh")) in page_text(again)
    assert not again.radio


def look_up(receipt_no: str, answer: str) -> AppTest:
    """A new browser session on the status page, asking once."""
    at = status_page().run()
    at.text_input[0].input(receipt_no)
    at.text_input[1].input(answer)
    return at.button[0].click().run()


def test_a_receipt_guessed_in_one_session_answers_nothing_in_another(committed):
    from tests.factories import new_case
    receipt = new_case(UnitOfWork(), accounts.actor(UnitOfWork(), "agent"), phone="13953212345")
    guesser = status_page().run()
    for guess in ("0001", "0002", "0003", "0004", "0005"):
        guesser.text_input[0].input(receipt.receipt_no)
        guesser.text_input[1].input(guess)
        guesser.button[0].click().run()
        assert [w.value for w in guesser.warning] == [t("lookup.not_found", "zh")]
    citizen = look_up(receipt.receipt_no, "2345")  # a fresh session, the right digits
    assert len(citizen.error) == 1 and citizen.error[0].value.startswith("该回执编号或本机")
    assert t("public.step.received", "zh") not in page_text(citizen)


def test_the_link_on_the_receipt_opens_the_status_at_once(committed):
    from tests.factories import new_case
    receipt = new_case(UnitOfWork(), accounts.actor(UnitOfWork(), "agent"))
    at = status_page()
    at.query_params["r"] = receipt.receipt_no
    at.query_params["c"] = receipt.lookup_code
    at.run()
    assert t("public.step.received", "zh") in page_text(at)


def test_the_case_file_is_closed_to_other_units(committed):
    from tests.factories import new_case
    receipt = new_case(UnitOfWork(), accounts.actor(UnitOfWork(), "agent"))
    at = app("officer").run().switch_page("pages/case.py").run()
    at.text_input[0].input(receipt.receipt_no).run()
    assert [e.value for e in at.error] == [t("error.not_found", "zh")]
    assert not at.subheader


def test_an_agent_works_a_case_from_its_case_file(committed):
    from tests.factories import new_case
    receipt = new_case(UnitOfWork(), accounts.actor(UnitOfWork(), "agent"))
    at = app("agent").run().switch_page("pages/case.py").run()
    at.text_input[0].input(receipt.receipt_no).run()

    labels = {"request_documents": "casework.documents_text", "resolve": "casework.result_text"}

    def act(action: str, text: str | None = None) -> None:
        if text is not None:
            next(a for a in at.text_area if a.label == t(labels[action], "zh")).input(text)
        button(at, f"casework.{action}").click().run()
        assert t("casework.done", "zh", action=t(f"casework.{action}", "zh")) in page_text(at)

    act("claim")
    act("request_documents", "户口簿原件")
    assert t("status.waiting_citizen", "zh") in page_text(at)
    act("documents_received")
    act("resolve", "已通过认证")
    text = page_text(at)
    assert t("status.resolved", "zh") in text and "已通过认证" in text


def test_a_case_action_refused_for_a_field_says_so_beside_it_and_changes_nothing(committed):
    from tests.factories import new_case
    receipt = new_case(UnitOfWork(), accounts.actor(UnitOfWork(), "agent"))
    at = app("agent").run().switch_page("pages/case.py").run()
    at.text_input[0].input(receipt.receipt_no).run()
    button(at, "casework.claim").click().run()
    button(at, "casework.withdraw").click().run()  # no reason given
    assert [e.value for e in at.error] == [t("casework.error.text_required", "zh")]
    assert t("status.in_progress", "zh") in page_text(at)
    next(a for a in at.text_area if a.label == t("casework.reason", "zh")).input("市民撤回")
    button(at, "casework.withdraw").click().run()
    assert not at.error and t("status.withdrawn", "zh") in page_text(at)


def test_a_bad_rating_reaches_the_managers_rectification_page(committed):
    from portal.casework import casework, queue
    from tests.factories import citizen_rates, new_case
    agent = accounts.actor(UnitOfWork(), "agent")
    receipt = new_case(UnitOfWork(), agent)
    queue.claim(UnitOfWork(), agent, receipt.case_id)
    casework.resolve(UnitOfWork(), agent, receipt.case_id, "approved", "认证通过")
    casework.deliver(UnitOfWork(), agent, receipt.case_id)
    citizen_rates(UnitOfWork(), receipt.case_id, 1, "态度不好")
    at = app("manager").run().switch_page("pages/rectifications.py").run()
    table = at.dataframe[0].value
    assert f"case?receipt={receipt.receipt_no}" in table[t("col.receipt_no", "zh")].tolist()
    assert t("rating.1", "zh") in table[t("col.rating", "zh")].tolist()
    next(a for a in at.text_area).input("已约谈经办人")
    button(at, "rectification.close").click().run()  # no call-back recorded yet
    assert {e.value for e in at.error} == {t("casework.error.text_required", "zh"),
                                          t("rating.error.level", "zh")}
    at.text_area(key="call_note").input("群众表示理解")
    at.radio(key="call_rating").set_value(4)
    button(at, "rectification.close").click().run()
    assert t("rectification.closed", "zh", receipt_no=receipt.receipt_no) in page_text(at)
    assert [i.value for i in at.info] == [t("rectification.none", "zh")]


def test_an_extension_asked_on_the_case_file_is_approved_by_the_manager(committed):
    import datetime as dt

    from portal.casework import queue
    from tests.factories import new_case
    agent = accounts.actor(UnitOfWork(), "agent")
    receipt = new_case(UnitOfWork(), agent, service="EMPLOY-CERT")
    queue.claim(UnitOfWork(), agent, receipt.case_id)
    later = receipt.due_date + dt.timedelta(days=7)

    def case_file(username: str) -> AppTest:
        at = app(username).run().switch_page("pages/case.py").run()
        return at.text_input[0].input(receipt.receipt_no).run()

    at = case_file("agent")
    next(d for d in at.date_input if d.label == t("extension.new_due", "zh")).set_value(later)
    next(a for a in at.text_area if a.label == t("casework.reason", "zh")
         and a.form_id == "case_request_extension").input("需市局复核")
    button(at, "casework.request_extension").click().run()
    assert t("casework.done", "zh", action=t("casework.request_extension", "zh")) in page_text(at)

    at = case_file("manager")
    assert t("extension.asked", "zh", new_due=later.isoformat(), reason="需市局复核") in (
        page_text(at))
    button(at, "casework.decide_extension").click().run()
    assert f"**{later.isoformat()}**" in page_text(at)


def test_the_citizen_found_is_chosen_and_what_was_searched_fills_the_new_citizens_fields(
        committed):
    at = submit_intake(new_case_page(), name="王秀英", phone="13812345678")
    at = new_case_page()
    # The agent typed the phone with a Chinese input method's full-width digits.
    at.text_input(key="intake_citizen_query").input("１３８１２３４５６７８").run()
    [choice] = [r for r in at.radio if r.label == t("intake.citizen", "zh")]
    assert choice.value != 0 and "王秀英" in choice.format_func(choice.value)  # not "new"
    for query, field, carried in (("13999990000", "intake_phone", "13999990000"),
                                  ("11010519491231002x", "intake_id_number",
                                   "11010519491231002X")):
        at.text_input(key="intake_citizen_query").input(query).run()
        assert at.text_input(key=field).value == carried


def test_a_pasted_name_too_long_is_refused_with_a_message_and_kept(committed):
    long_name = "欧阳" * 31  # 62 characters
    at = submit_intake(new_case_page(), name=long_name, phone="１３８１２３４５６７８")
    assert t("intake.error.name_too_long", "zh") in [e.value for e in at.error]
    assert at.text_input(key="intake_name").value == long_name
    # No limit in the browser: over one, a pasted name was cut to nothing without a word.
    assert at.text_input(key="intake_name").proto.max_chars == 0
    assert cases_in_db() == 0
    at.text_input(key="intake_name").input("欧阳秀英")
    button(at, "intake.submit").click().run()
    assert cases_in_db() == 1  # the full-width phone was read as the number it is


def test_the_agent_who_takes_a_case_in_handles_it_and_opens_it_from_the_receipt(committed):
    at = submit_intake(new_case_page(), handle=True)  # the page's default
    receipt_no = at.code[0].value
    with UnitOfWork() as uow:
        status, assignee = uow.session.execute(select(Case.status, Case.assignee_id).where(
            Case.receipt_no == receipt_no)).one()
    assert (status, assignee) == ("in_progress", accounts.actor(UnitOfWork(), "agent").id)
    [link] = [p for p in at.get("page_link") if p.proto.label == t("receipt.open_case", "zh")]
    assert link.proto.page.endswith("case") and receipt_no in link.proto.query_string


@pytest.mark.parametrize(("role", "home"), [("agent", "new_case"), ("officer", "handoffs"),
                                            ("manager", "dashboard"), ("admin", "users")])
def test_each_role_lands_on_its_work(committed, role, home):
    at = app(ROLES[role]).run()
    assert not at.exception
    assert at.title[0].value == registry.title(registry.page(home), "zh")
