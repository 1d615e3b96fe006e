"""Departments together and efficiency, against hand-built hand-offs and cases."""

import datetime as dt

import pytest

from db.models import Unit
from portal import clock
from portal.casework import casework, queue, rectification
from portal.dashboard import flows, league, metrics
from portal.handoffs import handoff
from tests.conftest import actor_for
from tests.factories import citizen_rates, new_case

TODAY = dt.date(2026, 11, 26)
GENERAL = flows.NO_DEPARTMENT


def at(frozen_clock, day: int, hour: int = 9) -> None:
    frozen_clock(dt.datetime(2026, 11, day, hour, tzinfo=clock.TZ))


@pytest.fixture
def sent(uow, actors, frozen_clock):
    """From the village point: two hand-offs to the town's social security window (one
    accepted after two hours, one returned) and one to its civil affairs window (accepted
    after one hour)."""
    agent, hrss, civil = actors["agent"], actors["officer"], actor_for("staff-jiangshan-civil")
    at(frozen_clock, 16)
    cases = [new_case(uow, agent).case_id for _ in range(3)]
    ids = [handoff.send(uow, agent, case_id, unit.unit_id, "转办")
           for case_id, unit in zip(cases, (hrss, hrss, civil), strict=True)]
    at(frozen_clock, 16, 10)
    handoff.accept(uow, civil, ids[2])
    handoff.return_to_sender(uow, hrss, ids[1], "wrong_tier", "应由市级办理")
    at(frozen_clock, 16, 11)
    handoff.accept(uow, hrss, ids[0])
    at(frozen_clock, 26, 10)
    return cases


def together(uow, actor) -> flows.Flows:
    return flows.flows(uow, actor.scope, metrics.Filters(), "zh")


def test_the_matrix_counts_hand_offs_median_hours_and_return_rate(uow, actors, sent):
    matrix = together(uow, actors["agent"]).matrix.set_index(["from_id", "to_id"])
    hrss = actors["officer"]
    with uow:
        hrss_dept = uow.session.get(Unit, hrss.unit_id).department_id
        civil_dept = uow.session.get(Unit, actor_for("staff-jiangshan-civil").unit_id).department_id
    row = matrix.loc[(GENERAL, hrss_dept)]
    assert (row["handoffs"], row["median_hours"], row["return_rate"]) == (2, 2.0, 0.5)
    row = matrix.loc[(GENERAL, civil_dept)]
    assert (row["handoffs"], row["median_hours"], row["return_rate"]) == (1, 1.0, 0.0)
    behind = flows.handoffs_between(uow, actors["agent"].scope, metrics.Filters(), GENERAL,
                                    hrss_dept, "zh")
    assert sorted(behind["state"]) == ["accepted", "returned"]


def test_return_reasons_and_bounced_cases_by_department(uow, actors, sent):
    data = together(uow, actors["agent"])
    assert data.return_reasons.to_dict("records") == [
        {"department": "人力资源和社会保障局", "category": "wrong_tier", "returns": 1}]
    assert data.bounced.empty
    agent, hrss = actors["agent"], actors["officer"]
    again = handoff.send(uow, agent, sent[1], hrss.unit_id, "再转")
    handoff.return_to_sender(uow, hrss, again, "other", "仍不属本窗口")  # returned twice: bounced
    assert together(uow, agent).bounced.to_dict("records") == [
        {"department": flows._department({}, None, "zh"), "cases": 1}]


def test_the_scope_of_a_town_leaves_other_towns_out(uow, actors, sent):
    assert together(uow, actor_for("mgr-shuiji")).matrix.empty
    assert len(together(uow, actors["manager"]).matrix) == 2


def test_workload_and_rectification(uow, actors, sent, frozen_clock):
    agent = actors["agent"]
    for case_id in sent[1:]:
        if case_id == sent[2]:
            continue
        queue.claim(uow, agent, case_id)
    data = together(uow, agent)
    assert data.workload.to_dict("records") == [
        {"person": agent.display_name, "unit": agent.unit_name("zh"), "open": 1}]
    at(frozen_clock, 25)  # yesterday: the period is the completed days
    casework.resolve(uow, agent, sent[1], "answered", "已答复")
    casework.deliver(uow, agent, sent[1])
    citizen_rates(uow, sent[1], 1, "不满意")
    item = rectification.open_items(uow, actors["manager"], "zh").iloc[0]
    rectification.close(uow, actors["manager"], int(item["id"]), "约谈整改", rectification.CallBack(
        clock.now(), "群众表示接受", 4))
    at(frozen_clock, 26, 10)
    assert together(uow, agent).rectification == {"bad_reviews": 1, "rectified_rate": 1.0,
                                                  "call_back_rate": 1.0}


def test_the_league_leaves_out_small_numbers_and_shows_the_tier_median(uow, actors,
                                                                      frozen_clock, tuned):
    tuned(league_min_cases=2)
    agent, colleague = actors["agent"], actor_for("staff-jiangshan-v01")
    at(frozen_clock, 16)
    mine = [new_case(uow, agent, service="LABOUR-REG").case_id for _ in range(3)]  # 3 days
    theirs = new_case(uow, colleague, service="LABOUR-REG").case_id
    for days, case_id in zip((1, 2, 6), mine, strict=True):  # due 19 November: last one late
        at(frozen_clock, 16 + days)
        queue.claim(uow, agent, case_id)
        casework.resolve(uow, agent, case_id, "approved", "已办结")
    queue.claim(uow, colleague, theirs)
    casework.resolve(uow, colleague, theirs, "approved", "已办结")
    at(frozen_clock, 26, 10)
    units, people = league.tables(uow, actors["manager"].scope, metrics.Filters(), "zh")
    assert list(people["person"]) == [agent.display_name]  # one case is too few to rank
    row = people.iloc[0]
    assert (row["handled"], row["median_cycle_days"], round(row["on_time_rate"], 3)) == (
        3, 2.0, 0.667)
    assert list(units["handled"]) == [4]
    assert units.iloc[0]["tier_median_cycle_days"] == units.iloc[0]["median_cycle_days"]
