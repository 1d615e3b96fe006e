"""The dashboard's figures are shared: viewers of one scope cost the database what one does."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from components.dashboard_data import SECTIONS, figures
from db import engine as db_engine
from portal.dashboard import rollup
from portal.uow import UnitOfWork
from tests.conftest import actor_for
from tests.factories import new_case

ROUNDS = 6  # a minute of refreshes every ten seconds; each round, the cache has expired


@contextmanager
def counted() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db_engine.engine()
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def watch(viewers) -> int:
    with counted() as statements:
        for _ in range(ROUNDS):
            SECTIONS.clear()  # the time-to-live has passed
            for viewer in viewers:
                figures(viewer.scope)
    return len(statements)


def test_forty_viewers_of_one_scope_cause_no_more_queries_than_one(committed):
    new_case(UnitOfWork(), actor_for("agent"))
    rollup.ensure(UnitOfWork())  # past days folded, as the background job keeps them
    city = [actor_for("manager"), actor_for("admin")]  # two people, one scope: the whole city
    one = watch(city[:1])
    assert one > 0
    assert watch([city[i % 2] for i in range(40)]) == one


def test_viewers_of_different_scopes_each_get_their_own_figures(committed):
    new_case(UnitOfWork(), actor_for("agent"))
    SECTIONS.clear()
    town = figures(actor_for("mgr-jiangshan").scope).data.tiles["received_today"]
    other_town = figures(actor_for("mgr-shuiji").scope).data.tiles["received_today"]
    assert (town.value, other_town.value) == (1, 0)


def test_every_tab_of_the_dashboard_draws_with_data(committed):
    from portal.casework import casework, queue
    from portal.handoffs import handoff
    from portal.messages import t
    from tests.test_pages import app
    agent, officer = actor_for("agent"), actor_for("officer")
    cases = [new_case(UnitOfWork(), agent).case_id for _ in range(3)]
    for i, case_id in enumerate(cases):
        sent = handoff.send(UnitOfWork(), agent, case_id, officer.unit_id, "转办")
        if i:
            handoff.accept(UnitOfWork(), officer, sent, claim=True)
            casework.resolve(UnitOfWork(), officer, case_id, "approved", "已办结")
        else:
            handoff.return_to_sender(UnitOfWork(), officer, sent, "wrong_tier", "应由市级办理")
    queue.claim(UnitOfWork(), agent, cases[0])
    SECTIONS.clear()
    at = app("manager").run().switch_page("pages/dashboard.py").run()
    assert not at.exception, at.exception
    assert [m.value for m in at.metric][:1] == ["3"]  # received today, across the city
    sections = {"overview": ("chart.per_day", "chart.overdue_by_unit", "chart.satisfaction"),
                "together": ("chart.matrix", "chart.workload", "chart.rectification"),
                "efficiency": ("chart.league_units", "chart.league_people")}
    for section, keys in sections.items():
        at.segmented_control(key="dash_section").set_value(section).run()
        assert not at.exception, at.exception
        titles = {s.value for s in at.subheader}
        assert {t(key, "zh") for key in keys} <= titles, section


def test_the_queue_opened_from_a_units_bar_shows_that_unit_only(committed):
    from portal.messages import t
    from tests.test_pages import app
    agent, other = actor_for("agent"), actor_for("staff-shuiji-v01")
    mine = new_case(UnitOfWork(), agent).receipt_no
    theirs = new_case(UnitOfWork(), other).receipt_no
    at = app("manager")
    # What a click on the unit's bar in "overdue by unit" leaves for the queue page.
    at.session_state["queue_unit"] = (agent.unit_id, agent.unit_name("zh"))
    at.session_state["queue_view"] = "subtree"
    at.run().switch_page("pages/queue.py").run()
    receipts = set(at.dataframe[0].value[t("col.receipt_no", "zh")])
    assert receipts == {f"case?receipt={mine}"}
    assert t("queue.unit_filter", "zh", unit=agent.unit_name("zh")) in [i.value for i in at.info]
    at.button(key="queue_unit_clear").click().run()
    receipts = set(at.dataframe[0].value[t("col.receipt_no", "zh")])
    assert receipts == {f"case?receipt={mine}", f"case?receipt={theirs}"}
