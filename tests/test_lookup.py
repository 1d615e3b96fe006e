"""The public status lookup shows progress and nothing personal; failed tries are throttled."""

import dataclasses

from portal import handoff, lookup, queue
from portal.lookup import Throttle
from tests.factories import new_case


def test_receipt_and_last_four_digits_find_the_public_status(uow, actors):
    receipt = new_case(uow, actors["agent"], name="王秀英", phone="13953212345",
                       note="内部备注：家中有老人")
    queue.claim(uow, actors["agent"], receipt.case_id)
    handoff_id = handoff.send(uow, actors["agent"], receipt.case_id, actors["officer"].unit_id,
                              "需窗口办理")
    handoff.accept(uow, actors["officer"], handoff_id)
    found = lookup.find(uow, receipt.receipt_no.lower(), "2345")
    assert found.status == "received"
    assert found.unit_zh == "姜山镇人社窗口"
    assert [s.step for s in found.steps] == [
        "public.step.received", "public.step.in_progress", "public.step.transferred"]


def test_nothing_personal_or_internal_is_in_the_answer(uow, actors):
    receipt = new_case(uow, actors["agent"], name="王秀英", phone="13953212345",
                       id_number="11010519491231002X", note="内部备注")
    found = lookup.find(uow, receipt.receipt_no, "2345")
    text = repr(dataclasses.asdict(found))
    for secret in ("王秀英", "11010519491231002X", "13953212345", "内部备注",
                   actors["agent"].display_name, "handoff_requested", "需"):
        assert secret not in text


def test_wrong_digits_or_receipt_find_nothing(uow, actors):
    receipt = new_case(uow, actors["agent"], phone="13953212345")
    assert lookup.find(uow, receipt.receipt_no, "2346") is None
    assert lookup.find(uow, "LX-20000101-000001", "2345") is None


def test_malformed_input_is_named():
    assert lookup.input_errors("abc", "12a") == {"receipt_no": "lookup.error.receipt_format",
                                                 "last4": "lookup.error.last4_format"}
    assert lookup.input_errors(" lx-20261126-000123 ", "2345") == {}


def test_failed_lookups_are_free_then_slowed_then_refused_for_a_while():
    throttle, now = Throttle(), 1000.0
    delays = []
    for i in range(6):
        assert throttle.locked_for(now + i) == 0
        delays.append(throttle.delay(now + i))
        throttle.failed(now + i)
    assert delays == [0, 0, 0, 1, 2, 4]
    assert throttle.locked_for(now + 6) > 14 * 60
    assert throttle.locked_for(now + 5 + 15 * 60) == 0  # lifted after 15 minutes


def test_a_successful_lookup_clears_the_count():
    throttle = Throttle()
    for i in range(4):
        throttle.failed(float(i))
    throttle.succeeded()
    assert throttle.delay(5.0) == 0
