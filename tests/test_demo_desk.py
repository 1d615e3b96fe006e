"""The demo users find work of their own when they first log in: open cases, hand-offs in
both directions, a bounced case, a dispute, a rectification, an extension and supervision
notices, all made through the portal's services."""

from sqlalchemy import func, select

from db.models import Case, Handoff
from portal import clock
from portal.casework import extensions, rectification, waiting
from portal.run import demo_desk
from portal.uow import UnitOfWork


def test_each_demo_user_has_work_waiting(committed, actors):
    demo_desk.stage()
    agent, officer, manager = actors["agent"], actors["officer"], actors["manager"]
    mine, theirs, above = (waiting.counts(UnitOfWork(), a) for a in (agent, officer, manager))
    assert mine.handoffs == 1 and mine.due_soon >= 2  # the officer's case; overdue and due soon
    assert theirs.handoffs == 1  # the agent's enrolment
    assert above.notices >= 1  # the overdue certification, supervised from the city
    with UnitOfWork() as uow:
        s = uow.session
        statuses = dict(s.execute(select(Case.status, func.count()).where(
            Case.unit_id == agent.unit_id).group_by(Case.status)).all())
        bounced = s.scalar(select(func.count()).where(Case.bounced, Case.unit_id == agent.unit_id))
        disputes = s.scalar(select(func.count()).select_from(Handoff).where(
            Handoff.disputed_at.is_not(None), Handoff.decided_at.is_(None)))
        sent_on = s.scalar(select(func.count()).select_from(Handoff).where(
            Handoff.state == "pending", Handoff.from_unit_id == officer.unit_id))
    assert statuses["in_progress"] >= 2 and statuses["waiting_citizen"] == 1
    assert statuses["received"] >= 1 and statuses["handoff_pending"] == 1
    assert bounced == 1 and disputes == 1 and sent_on == 2
    assert len(rectification.open_items(UnitOfWork(), manager, "zh")) == 1
    assert len(extensions.pending_in_scope(UnitOfWork(), manager, "zh")) == 1
    assert abs((clock.now() - clock.dt.datetime.now(clock.TZ)).total_seconds()) < 60
