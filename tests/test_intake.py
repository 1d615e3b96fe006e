"""Intake: one transaction writes the case, its first event and a unique receipt number."""

import re
import threading
import uuid

import pytest
from sqlalchemy import func, select

from db.models import Case, CaseEvent, Citizen
from portal.errors import InvalidInput, NotPermitted
from portal.uow import UnitOfWork
from tests.factories import new_case


def count(uow, model) -> int:
    with uow:
        return uow.session.scalar(select(func.count()).select_from(model))


def test_intake_issues_a_receipt_with_a_promised_date(uow, actors, frozen_clock):
    import datetime as dt

    from portal import clock
    frozen_clock(dt.datetime(2026, 11, 27, 10, 0, tzinfo=clock.TZ))  # a Friday
    receipt = new_case(uow, actors["agent"], service="LABOUR-REG")  # 3 working days
    assert re.fullmatch(r"LX-20261127-\d{6}", receipt.receipt_no)
    assert receipt.due_date == dt.date(2026, 12, 2)
    assert receipt.status == "received"
    assert receipt.unit_zh.endswith("代理点")


def test_intake_writes_case_and_created_event_together(uow, actors):
    receipt = new_case(uow, actors["agent"])
    with uow:
        case = uow.session.get(Case, receipt.case_id)
        kinds = uow.session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id)).all()
        assert case.unit_id == actors["agent"].unit_id
        assert kinds == ["created"]


@pytest.mark.parametrize(("field", "name", "phone", "message"), [
    ("citizen_name", "   ", "13812345678", "intake.error.name_required"),
    ("phone", "王秀英", "12345", "identity.error.phone_invalid"),
    ("phone", "王秀英", "1381234567a", "identity.error.phone_invalid"),
    ("phone", "王秀英", "", "identity.error.phone_required"),
])
def test_invalid_fields_are_named_and_nothing_is_stored(uow, actors, field, name, phone, message):
    with pytest.raises(InvalidInput) as invalid:
        new_case(uow, actors["agent"], name=name, phone=phone)
    assert invalid.value.errors[field] == message
    assert count(uow, Case) == 0
    assert count(uow, Citizen) == 0


def test_all_invalid_fields_are_reported_at_once(uow, actors):
    with pytest.raises(InvalidInput) as invalid:
        new_case(uow, actors["agent"], service="", name="", phone="abc")
    assert set(invalid.value.errors) == {"service", "citizen_name", "phone"}


def test_landline_with_area_code_is_accepted(uow, actors):
    assert new_case(uow, actors["agent"], phone="0532-88881234").receipt_no


def test_names_are_trimmed_and_citizens_not_duplicated(uow, actors):
    new_case(uow, actors["agent"], name="  王  秀英 ")
    new_case(uow, actors["agent"], name="王 秀英")
    with uow:
        names = uow.session.scalars(select(Citizen.name)).all()
    assert names == ["王 秀英"]


def test_resubmitted_form_returns_the_first_case(uow, actors):
    token = uuid.uuid4().hex
    first = new_case(uow, actors["agent"], token=token)
    again = new_case(uow, actors["agent"], token=token)
    assert again.receipt_no == first.receipt_no
    assert count(uow, Case) == 1


def test_admin_cannot_take_in_cases(uow, actors):
    with pytest.raises(NotPermitted):
        new_case(uow, actors["admin"])


def test_concurrent_intakes_get_distinct_receipts(committed, actors):
    receipts, errors = [], []

    def submit(i):
        try:
            receipts.append(new_case(UnitOfWork(), actors["agent"], phone=f"1391234{i:04d}"))
        except Exception as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len({r.receipt_no for r in receipts}) == 8


def test_double_click_at_the_same_moment_creates_one_case(committed, actors):
    token = uuid.uuid4().hex
    barrier = threading.Barrier(4)
    receipts = []

    def submit():
        barrier.wait()
        receipts.append(new_case(UnitOfWork(), actors["agent"], token=token))

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(receipts) == 4
    assert len({r.receipt_no for r in receipts}) == 1
    assert count(UnitOfWork(), Case) == 1
