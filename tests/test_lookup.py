"""The public status lookup shows progress and nothing personal; wrong answers are throttled
in the database, per receipt number and per client address, whoever asks."""

import dataclasses
import datetime as dt

import pytest

from portal import clock
from portal.casework import queue
from portal.handoffs import handoff
from portal.intake import lookup
from tests.factories import new_case

HERE, THERE = "203.0.113.7", "198.51.100.9"


@pytest.fixture
def now(frozen_clock):
    """A frozen clock, moved on by `now(minutes=…)`."""
    moment = [dt.datetime(2026, 12, 1, 10, 0, tzinfo=clock.TZ)]
    frozen_clock(moment[0])

    def move(**delta: float) -> dt.datetime:
        moment[0] += dt.timedelta(**delta)
        frozen_clock(moment[0])
        return moment[0]
    return move


def test_receipt_and_last_four_digits_find_the_public_status(uow, actors):
    receipt = new_case(uow, actors["agent"], name="王秀英", phone="13953212345",
                       note="内部备注：家中有老人")
    queue.claim(uow, actors["agent"], receipt.case_id)
    handoff_id = handoff.send(uow, actors["agent"], receipt.case_id, actors["officer"].unit_id,
                              "需窗口办理")
    handoff.accept(uow, actors["officer"], handoff_id)
    found = lookup.find(uow, receipt.receipt_no.lower(), "2345", HERE).status
    assert found.status == "received"
    assert found.unit_zh == "姜山镇人社窗口"
    assert [s.step for s in found.steps] == [
        "public.step.received", "public.step.in_progress", "public.step.transferred"]


def test_the_lookup_code_on_the_receipt_opens_that_case_only(uow, actors):
    first = new_case(uow, actors["agent"], phone="13953212345")
    second = new_case(uow, actors["agent"], phone="13953212345")
    assert lookup.CODE.fullmatch(first.lookup_code) and first.lookup_code != second.lookup_code
    assert lookup.find(uow, first.receipt_no, lookup.format_code(first.lookup_code),
                       HERE).status.receipt_no == first.receipt_no
    # Knowing one receipt's number and code reveals nothing of its neighbour.
    assert lookup.find(uow, second.receipt_no, first.lookup_code, HERE).status is None


def test_full_width_digits_and_dashes_from_a_chinese_input_method_are_read(uow, actors):
    receipt = new_case(uow, actors["agent"], phone="13953212345")
    wide = receipt.receipt_no.translate(str.maketrans(
        "LX-0123456789", "ＬＸ－０１２３４５６７８９"))
    assert lookup.input_errors(wide, "２３４５") == {}
    assert lookup.find(uow, wide, "２３４５", HERE).status is not None
    assert lookup.find(uow, receipt.receipt_no.replace("-", "—"), " 2345 ", HERE).status


def test_nothing_personal_or_internal_is_in_the_answer(uow, actors):
    receipt = new_case(uow, actors["agent"], name="王秀英", phone="13953212345",
                       id_number="11010519491231002X", note="内部备注")
    found = lookup.find(uow, receipt.receipt_no, "2345", HERE).status
    text = repr(dataclasses.asdict(found))
    for secret in ("王秀英", "11010519491231002X", "13953212345", "内部备注",
                   actors["agent"].display_name, "handoff_requested", "需", receipt.lookup_code):
        assert secret not in text


def test_wrong_digits_or_receipt_find_nothing(uow, actors):
    receipt = new_case(uow, actors["agent"], phone="13953212345")
    assert lookup.find(uow, receipt.receipt_no, "2346", HERE) == lookup.Answer()
    assert lookup.find(uow, "LX-20000101-000001", "2345", HERE) == lookup.Answer()


def test_malformed_input_is_named():
    assert lookup.input_errors("abc", "12a") == {"receipt_no": "lookup.error.receipt_format",
                                                 "answer": "lookup.error.answer_format"}
    assert lookup.input_errors(" lx-20261126-000123 ", "2345") == {}
    assert lookup.input_errors("LX-20261126-000123", "7kq2-mxpa") == {}


def test_a_guessed_receipt_answers_nothing_to_anyone_for_a_wait_that_grows(uow, actors, now):
    receipt = new_case(uow, actors["agent"], phone="13953212345")
    for guess in ("0001", "0002", "0003", "0004", "0005"):
        assert lookup.find(uow, receipt.receipt_no, guess, HERE) == lookup.Answer()
    # From another address, with the right digits: still nothing but the wait.
    locked = lookup.find(uow, receipt.receipt_no, "2345", THERE)
    assert locked.status is None and locked.wait_until == clock.now() + dt.timedelta(minutes=1)
    now(minutes=1, seconds=1)
    assert lookup.find(uow, receipt.receipt_no, "2345", THERE).status is not None
    # The right answer did not wipe the wrong ones: the next wrong one waits twice as long.
    lookup.find(uow, receipt.receipt_no, "0006", HERE)
    assert lookup.find(uow, receipt.receipt_no, "2345", THERE).wait_until == \
        clock.now() + dt.timedelta(minutes=2)
    now(minutes=2, seconds=1)
    lookup.find(uow, receipt.receipt_no, "0007", HERE)
    assert lookup.find(uow, receipt.receipt_no, "2345", THERE).wait_until == \
        clock.now() + dt.timedelta(minutes=4)
    # A day later the old wrong answers no longer count.
    now(hours=25)
    assert lookup.find(uow, receipt.receipt_no, "2345", THERE).status is not None


def test_an_address_guessing_many_receipts_waits_whatever_receipt_it_asks(uow, actors, now):
    cases = [new_case(uow, actors["agent"], phone="13953212345") for _ in range(3)]
    for n in range(lookup.CLIENT_FREE):  # each receipt gets fewer wrong answers than it allows
        lookup.find(uow, cases[n % 3].receipt_no if n < 12 else f"LX-20261201-9{n:05d}",
                    "0000", HERE)
    fresh = new_case(uow, actors["agent"], phone="13953212345")
    assert lookup.find(uow, fresh.receipt_no, "2345", HERE).wait_until is not None
    assert lookup.find(uow, fresh.receipt_no, "2345", THERE).status is not None


def test_old_wrong_answers_are_forgotten_by_the_background_job(uow, actors, now):
    lookup.find(uow, "LX-20261201-000001", "0000", HERE)
    now(hours=23)
    assert lookup.forget_old_failures(uow) == 0
    now(hours=2)
    assert lookup.forget_old_failures(uow) == 1


def test_parallel_guesses_are_counted_one_after_another(committed, actors):
    from portal.uow import UnitOfWork
    from tests.factories import at_once
    receipt = new_case(UnitOfWork(), actors["agent"], phone="13953212345")
    answers = []
    at_once(lambda guess: answers.append(lookup.find(UnitOfWork(), receipt.receipt_no, guess,
                                                     HERE)),
            [(f"{n:04d}",) for n in range(12)])
    # Five wrong answers are free; every later guess found the receipt waiting.
    assert sum(a.wait_until is None for a in answers) == lookup.RECEIPT_FREE
