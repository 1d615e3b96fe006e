"""The citizen rates the case once, on the status page, behind the receipt and phone check; a
bad rating opens a rectification closed only with a recorded call-back; the figures count
the citizens' own ratings, not what staff typed."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from db.models import CaseEvent, DailyFigure, Feedback, Rectification
from portal import clock, ratings
from portal.casework import casework, queue, rectification
from portal.dashboard import rollup
from portal.errors import InvalidInput, InvalidTransition, NotPermitted
from portal.intake import lookup
from portal.uow import UnitOfWork
from tests.factories import at_once, new_case

HERE = "203.0.113.7"


def resolved(uow, actors, result: str = "认证通过"):
    receipt = new_case(uow, actors["agent"], phone="13953212345")
    queue.claim(uow, actors["agent"], receipt.case_id)
    casework.resolve(uow, actors["agent"], receipt.case_id, "approved", result)
    return receipt


def test_the_status_shows_the_outcome_and_result_only_once_resolved(uow, actors):
    receipt = new_case(uow, actors["agent"], phone="13953212345")
    queue.claim(uow, actors["agent"], receipt.case_id)
    working = lookup.find(uow, receipt.receipt_no, "2345", HERE).status
    assert (working.outcome, working.result, working.rateable) == (None, "", False)
    casework.resolve(uow, actors["agent"], receipt.case_id, "rejected", "缴费年限不足，请补缴后再办")
    done = lookup.find(uow, receipt.receipt_no, "2345", HERE).status
    assert (done.outcome, done.result, done.rateable) == ("rejected", "缴费年限不足，请补缴后再办", True)
    assert done.rating is None


def test_the_citizen_rates_once_with_the_receipt_check(uow, actors):
    receipt = resolved(uow, actors)
    answer = lookup.rate(uow, receipt.receipt_no, "2345", HERE, 4, " 办得快 ")
    assert answer.status.rating == 4
    assert answer.status.steps[-1].step == "public.step.rated"
    with uow:
        feedback = uow.session.scalar(select(Feedback))
        assert (feedback.rating, feedback.comment, feedback.source) == (4, "办得快", "citizen")
        assert feedback.recorded_by is None  # nobody on the staff typed it
    with pytest.raises(InvalidTransition) as again:
        lookup.rate(uow, receipt.receipt_no, lookup.format_code(receipt.lookup_code), HERE, 1, "")
    assert again.value.key == "rating.error.already"
    assert lookup.find(uow, receipt.receipt_no, "2345", HERE).status.rating == 4


def test_a_wrong_answer_rates_nothing_and_counts_as_a_wrong_answer(uow, actors):
    receipt = resolved(uow, actors)
    assert lookup.rate(uow, receipt.receipt_no, "9999", HERE, 1, "") == lookup.Answer()
    with uow:
        assert uow.session.scalar(select(func.count()).select_from(Feedback)) == 0
    for _ in range(lookup.RECEIPT_FREE - 1):
        lookup.rate(uow, receipt.receipt_no, "9999", HERE, 1, "")
    assert lookup.rate(uow, receipt.receipt_no, "2345", HERE, 1, "").wait_until is not None


def test_no_rating_before_the_result_and_none_outside_the_five_levels(uow, actors):
    receipt = new_case(uow, actors["agent"], phone="13953212345")
    with pytest.raises(InvalidTransition) as early:
        lookup.rate(uow, receipt.receipt_no, "2345", HERE, 5, "")
    assert early.value.key == "rating.error.not_yet"
    with pytest.raises(InvalidInput) as invalid:
        lookup.rate(uow, receipt.receipt_no, "2345", HERE, 6, "好" * (ratings.COMMENT_MAX + 1))
    assert invalid.value.errors == {"rating": "rating.error.level",
                                    "comment": "rating.error.comment_too_long"}
    with pytest.raises(InvalidInput):
        lookup.rate(uow, receipt.receipt_no, "2345", HERE, None, "")


def test_a_bad_rating_opens_a_rectification_closed_with_a_recorded_call_back(uow, actors):
    receipt = resolved(uow, actors)
    casework.deliver(uow, actors["agent"], receipt.case_id)
    lookup.rate(uow, receipt.receipt_no, "2345", HERE, 2, "跑了三趟")
    items = rectification.open_items(uow, actors["manager"], "zh")
    assert items.loc[0, "comment"] == "跑了三趟"
    item_id = int(items.loc[0, "id"])
    now = clock.now()
    with pytest.raises(InvalidInput) as invalid:
        rectification.close(uow, actors["manager"], item_id, "已约谈经办人",
                            rectification.CallBack(now + dt.timedelta(hours=1), " ", None))
    assert invalid.value.errors == {"call_note": "casework.error.text_required",
                                    "new_rating": "rating.error.level",
                                    "called_at": "rectification.error.call_ahead"}
    with pytest.raises(InvalidInput) as before:
        rectification.close(uow, actors["manager"], item_id, "已约谈经办人",
                            rectification.CallBack(now - dt.timedelta(days=1), "已说明", 4))
    assert before.value.errors == {"called_at": "rectification.error.call_before"}
    call = rectification.CallBack(now, "群众认可整改，表示满意", 4)
    with pytest.raises(NotPermitted):
        rectification.close(uow, actors["agent"], item_id, "自查", call)
    rectification.close(uow, actors["manager"], item_id, "已约谈经办人并简化流程", call)
    assert rectification.open_items(uow, actors["manager"], "zh").empty
    with uow:
        item = uow.session.get(Rectification, item_id)
        assert (item.called_by, item.call_note, item.new_rating) == (
            actors["manager"].id, "群众认可整改，表示满意", 4)
        assert item.called_at == now
        kinds = uow.session.scalars(select(CaseEvent.kind).where(
            CaseEvent.case_id == receipt.case_id).order_by(CaseEvent.id)).all()
    assert kinds[-4:] == ["closed", "rated", "rectification_opened", "rectification_closed"]


def test_figures_count_the_citizens_ratings_not_what_staff_typed(uow, actors):
    typed_by_staff, by_citizen = resolved(uow, actors), resolved(uow, actors)
    with uow:
        uow.session.add(Feedback(case_id=typed_by_staff.case_id, rating=1, source="window",
                                 recorded_at=clock.now(), recorded_by=actors["agent"].id))
        uow.commit()
    lookup.rate(uow, by_citizen.receipt_no, "2345", HERE, 5, "")
    with uow:
        rollup.fold(uow, clock.today())
        counts = uow.session.execute(select(func.sum(DailyFigure.rating_1),
                                            func.sum(DailyFigure.rating_5)).where(
            DailyFigure.day == clock.today())).one()
        uow.commit()
    assert tuple(counts) == (0, 1)
    # The staff-typed rating neither stops the citizen's own nor opens a rectification.
    lookup.rate(uow, typed_by_staff.receipt_no, "2345", HERE, 3, "")


def test_two_ratings_sent_at_once_record_one(committed, actors):
    receipt = resolved(UnitOfWork(), actors)
    outcomes = []

    def rate(level):
        try:
            lookup.rate(UnitOfWork(), receipt.receipt_no, "2345", HERE, level, "")
            outcomes.append("rated")
        except InvalidTransition as refused:
            outcomes.append(refused.key)
    at_once(rate, [(5,), (1,), (3,)])
    assert sorted(outcomes) == ["rated", "rating.error.already", "rating.error.already"]
    with UnitOfWork() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Feedback)) == 1
