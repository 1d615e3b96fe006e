"""The unit queue and claiming: each unit sees its own open cases; a case is claimed once."""


import pytest
from sqlalchemy import func, select

from db.models import Case, CaseEvent, ServiceType
from portal.casework import queue
from portal.errors import InvalidTransition, NotPermitted, StaleCase
from portal.uow import UnitOfWork
from tests.conftest import actor_for
from tests.factories import at_once, new_case

SUBTREE = queue.QueueFilter(view="subtree")


def test_queue_lists_own_unit_cases_soonest_due_first(uow, actors):
    slow = new_case(uow, actors["agent"], service="INFO-REQUEST")  # 20 working days
    fast = new_case(uow, actors["agent"], service="PENSION-CERT")  # 1 working day
    frame = queue.unit_queue(uow, actors["agent"], "zh")
    assert list(frame["receipt_no"]) == [fast.receipt_no, slow.receipt_no]
    assert frame.loc[0, "service"] == "养老金领取资格认证"


def test_queue_speaks_english_when_asked(uow, actors):
    new_case(uow, actors["agent"])
    assert queue.unit_queue(uow, actors["agent"], "en").loc[0, "service"] == (
        "Pension eligibility certification")


def test_other_units_do_not_see_the_case(uow, actors):
    new_case(uow, actors["agent"])
    assert queue.unit_queue(uow, actors["officer"], "zh").empty
    assert queue.badge_counts(uow, actors["officer"])["total"] == 0


def test_city_manager_sees_every_unit(uow, actors):
    new_case(uow, actors["agent"])
    assert queue.badge_counts(uow, actors["manager"], SUBTREE)["total"] == 1


def test_claim_assigns_the_case_and_writes_the_event(uow, actors):
    receipt = new_case(uow, actors["agent"])
    queue.claim(uow, actors["agent"], receipt.case_id, version=1)
    frame = queue.unit_queue(uow, actors["agent"], "zh")
    assert frame.loc[0, "status"] == "in_progress"
    assert frame.loc[0, "assignee"] == actors["agent"].display_name
    with uow:
        kinds = uow.session.scalars(select(CaseEvent.kind).where(
            CaseEvent.case_id == receipt.case_id).order_by(CaseEvent.id)).all()
    assert kinds == ["created", "claimed"]


def test_claiming_a_case_of_another_unit_is_refused(uow, actors):
    receipt = new_case(uow, actors["agent"])
    with pytest.raises(NotPermitted):
        queue.claim(uow, actors["officer"], receipt.case_id)


def test_claim_with_an_old_version_is_refused(uow, actors):
    receipt = new_case(uow, actors["agent"])
    queue.claim(uow, actors["agent"], receipt.case_id, version=1)
    colleague = actor_for("staff-jiangshan-v01")
    with pytest.raises(StaleCase) as stale:
        queue.claim(uow, colleague, receipt.case_id, version=1)
    assert stale.value.params == {"receipt_no": receipt.receipt_no,
                                  "by": actors["agent"].display_name}


def test_claimed_case_cannot_be_claimed_again(uow, actors):
    receipt = new_case(uow, actors["agent"])
    queue.claim(uow, actors["agent"], receipt.case_id)
    with pytest.raises(InvalidTransition) as refused:
        queue.claim(uow, actor_for("staff-jiangshan-v01"), receipt.case_id)
    assert refused.value.key == "error.already_claimed"
    assert refused.value.params["by"] == actors["agent"].display_name


def test_two_agents_claiming_at_once_exactly_one_wins(committed, actors):
    receipt = new_case(UnitOfWork(), actors["agent"])
    agents = [actors["agent"], actor_for("staff-jiangshan-v01")] * 3
    won, refused = [], []

    def claim(actor):
        try:
            queue.claim(UnitOfWork(), actor, receipt.case_id, version=1)
            won.append(actor.username)
        except (StaleCase, InvalidTransition) as error:
            refused.append(error)

    at_once(claim, [(a,) for a in agents])
    assert len(won) == 1 and len(refused) == len(agents) - 1
    with UnitOfWork() as uow:
        case = uow.session.get(Case, receipt.case_id)
        claims = uow.session.scalars(select(CaseEvent).where(
            CaseEvent.case_id == case.id, CaseEvent.kind == "claimed")).all()
        assert case.assignee_id is not None and case.version == 2
        assert len(claims) == 1


def test_a_manager_above_the_unit_sees_but_does_not_claim_its_cases(uow, actors):
    receipt = new_case(uow, actors["agent"])
    assert list(queue.unit_queue(uow, actors["manager"], "zh", SUBTREE)["receipt_no"]) == [
        receipt.receipt_no]
    with pytest.raises(NotPermitted):
        queue.claim(uow, actors["manager"], receipt.case_id)


def test_queue_shows_times_on_the_programmes_clock(uow, actors, frozen_clock):
    import datetime as dt

    from portal import clock
    frozen_clock(dt.datetime(2026, 11, 26, 9, 30, tzinfo=clock.TZ))
    new_case(uow, actors["agent"])
    assert queue.unit_queue(uow, actors["agent"], "zh").loc[0, "received_at"] == (
        dt.datetime(2026, 11, 26, 9, 30))


def _at(frozen_clock, *args):
    import datetime as dt

    from portal import clock
    frozen_clock(dt.datetime(*args, tzinfo=clock.TZ))


def test_badges_turn_yellow_the_working_day_before_and_red_after_the_due_date(
        uow, actors, frozen_clock):
    _at(frozen_clock, 2026, 11, 25, 9)  # Wednesday
    receipt = new_case(uow, actors["agent"], service="PENSION-CERT")  # due Thursday 26th
    badges = {}
    for day in (25, 26, 27):
        _at(frozen_clock, 2026, 11, day, 9)
        badges[day] = queue.unit_queue(uow, actors["agent"], "zh").loc[0, "badge"]
    assert badges == {25: "yellow", 26: "yellow", 27: "red"}
    assert receipt.due_date.day == 26


def test_a_weekend_and_holidays_do_not_bring_yellow_forward(uow, actors, frozen_clock):
    import datetime as dt
    # Taken in on Wednesday 30 September 2026 with 5 working days: due Tuesday 13 October.
    _at(frozen_clock, 2026, 9, 30, 9)
    receipt = new_case(uow, actors["agent"], service="EMPLOY-CERT")
    assert receipt.due_date == dt.date(2026, 10, 13)
    # Friday 9 October: the next working day is the make-up Saturday, so still green.
    _at(frozen_clock, 2026, 10, 9, 9)
    assert queue.unit_queue(uow, actors["agent"], "zh").loc[0, "badge"] == "green"
    # Monday 12 October: due on the next working day.
    _at(frozen_clock, 2026, 10, 12, 9)
    assert queue.unit_queue(uow, actors["agent"], "zh").loc[0, "badge"] == "yellow"


def test_a_paused_case_does_not_go_red_while_paused(uow, actors, frozen_clock):
    _at(frozen_clock, 2026, 11, 2, 9)
    new_case(uow, actors["agent"], service="PENSION-CERT", brought=())  # waits for the ID card
    _at(frozen_clock, 2026, 11, 26, 9)
    frame = queue.unit_queue(uow, actors["agent"], "zh")
    assert (frame.loc[0, "status"], frame.loc[0, "badge"]) == ("waiting_citizen", "paused")
    assert queue.badge_counts(uow, actors["agent"]) == {
        "red": 0, "yellow": 0, "green": 0, "paused": 1, "total": 1}
    assert queue.unit_queue(uow, actors["agent"], "zh", queue.QueueFilter(due="overdue")).empty


def test_counts_per_badge_match_the_queue(uow, actors, frozen_clock):
    _at(frozen_clock, 2026, 11, 2, 9)
    new_case(uow, actors["agent"], service="PENSION-CERT")  # red by the 26th
    _at(frozen_clock, 2026, 11, 26, 9)
    new_case(uow, actors["agent"], service="PENSION-CERT")  # due the 27th: yellow
    new_case(uow, actors["agent"], service="INFO-REQUEST")  # 20 working days: green
    assert queue.badge_counts(uow, actors["agent"]) == {
        "red": 1, "yellow": 1, "green": 1, "paused": 0, "total": 3}
    assert len(queue.unit_queue(uow, actors["agent"], "zh", queue.QueueFilter(due="overdue"))) == 1
    assert len(queue.unit_queue(uow, actors["agent"], "zh", queue.QueueFilter(due="today"))) == 0
    assert len(queue.unit_queue(uow, actors["agent"], "zh", queue.QueueFilter(due="week"))) == 1


def test_search_finds_by_receipt_fragment_name_or_phone(uow, actors):
    first = new_case(uow, actors["agent"], name="于淑珍", phone="13706391234")
    new_case(uow, actors["agent"], name="王建国", phone="13953215678")

    def found(text):
        frame = queue.unit_queue(uow, actors["agent"], "zh", queue.QueueFilter(text=text))
        return list(frame["citizen"])

    assert found("淑珍") == ["于淑珍"]
    assert found("5678") == ["王建国"]
    assert found(first.receipt_no[-6:]) == ["于淑珍"]  # six digits: receipt or phone
    assert found(first.receipt_no[:11].lower()) == ["于淑珍", "王建国"]  # lx-yyyymmdd
    assert found("%") == [] and found("_") == []  # wildcards are searched for, not obeyed
    assert found("珍") == ["于淑珍"]  # one character: names only
    assert found("淑于") == []  # every pair is there, but not in this order


@pytest.mark.parametrize("text, index", [
    ("淑珍", "ix_citizens_name_grams"), ("5678", "ix_cases_phone_grams"),
    ("LX-2026", "ix_cases_receipt_grams")])
def test_each_part_of_the_search_can_use_its_index(database_url, text, index):
    # The expressions must match the indexes of migration 0010 exactly, or searches scan.
    from sqlalchemy import text as sql
    from sqlalchemy.dialects import postgresql

    from db.engine import owner_engine
    query = queue._matching(text, queue.QueueFilter().statuses)
    compiled = query.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
    with owner_engine().connect() as conn, conn.begin() as transaction:
        # On a test-sized table the planner prefers the queue's own indexes; without them
        # (dropped, as the owner, inside this rolled-back transaction) it must show it can use
        # the search's.
        conn.execute(sql("DROP INDEX ix_cases_open_by_due, ix_cases_open_queue, "
                         "ix_cases_unit_status_due, ix_cases_assignee"))
        conn.execute(sql("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(conn.scalars(sql(f"EXPLAIN {compiled}")))
        transaction.rollback()
    assert index in plan, plan


def test_filters_by_service_priority_channel_and_date(uow, actors, frozen_clock):
    import datetime as dt
    _at(frozen_clock, 2026, 11, 20, 9)
    new_case(uow, actors["agent"], service="PENSION-CERT", channel="phone")
    _at(frozen_clock, 2026, 11, 26, 9)
    new_case(uow, actors["agent"], service="LABOUR-REG")

    def services(**filters):
        frame = queue.unit_queue(uow, actors["agent"], "en", queue.QueueFilter(**filters))
        return list(frame["service"])

    assert services(services=("LABOUR-REG",)) == ["Rural labour employment registration"]
    with uow:
        department = uow.session.scalar(select(ServiceType.department_id).where(
            ServiceType.code == "PENSION-CERT"))
        other = uow.session.scalar(select(ServiceType.department_id).where(
            ServiceType.department_id != department).limit(1))
    assert len(services(departments=(department,))) == 2  # both are human resources services
    assert services(departments=(other,)) == []
    assert services(channel="phone") == ["Pension eligibility certification"]
    assert services(priority="urgent") == []
    assert services(received_from=dt.date(2026, 11, 26)) == [
        "Rural labour employment registration"]
    assert services(received_from=dt.date(2026, 11, 19), received_to=dt.date(2026, 11, 20)) == [
        "Pension eligibility certification"]


def test_my_cases_are_the_ones_assigned_to_me(uow, actors):
    mine = new_case(uow, actors["agent"])
    new_case(uow, actors["agent"])
    queue.claim(uow, actors["agent"], mine.case_id)
    frame = queue.unit_queue(uow, actors["agent"], "zh", queue.QueueFilter(view="mine"))
    assert list(frame["receipt_no"]) == [mine.receipt_no]


def test_eight_agents_claiming_from_one_queue_of_200_take_each_case_once(committed, actors):
    from portal.errors import DomainError
    agent = actors["agent"]
    for i in range(200):
        new_case(UnitOfWork(), agent, phone=f"1370000{i:04d}")
    colleagues = [agent] + [actor_for("staff-jiangshan-v01")] * 7
    claimed: list[int] = []

    def work(actor):
        while True:
            frame = queue.unit_queue(UnitOfWork(), actor, "zh", queue.QueueFilter(
                statuses=("received",)), page_size=20)
            if frame.empty:
                return
            for row in frame.itertuples():
                try:
                    queue.claim(UnitOfWork(), actor, row.id, row.version)
                    claimed.append(row.id)
                except DomainError:
                    continue  # someone else was faster; take the next one

    at_once(work, [(a,) for a in colleagues])
    assert len(claimed) == len(set(claimed)) == 200
    with UnitOfWork() as uow:
        per_case = uow.session.execute(select(CaseEvent.case_id, func.count())
                                       .where(CaseEvent.kind == "claimed")
                                       .group_by(CaseEvent.case_id)).all()
    assert len(per_case) == 200 and {n for _, n in per_case} == {1}
