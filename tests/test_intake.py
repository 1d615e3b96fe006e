"""Intake: one transaction writes the case, its first event and a unique receipt number."""

import datetime as dt
import re
import uuid

import pytest
from sqlalchemy import func, select

from db.models import Case, CaseEvent, CaseMaterial, Citizen
from portal.errors import InvalidInput, NotPermitted
from portal.intake import citizens, intake
from portal.uow import UnitOfWork
from tests.conftest import actor_for
from tests.factories import at_once, new_case


def count(uow, model) -> int:
    with uow:
        return uow.session.scalar(select(func.count()).select_from(model))


def test_intake_issues_a_receipt_with_a_promised_date(uow, actors, frozen_clock):
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


def test_double_click_at_the_same_moment_creates_one_case(committed, actors):
    token = uuid.uuid4().hex
    receipts = []
    at_once(lambda: receipts.append(new_case(UnitOfWork(), actors["agent"], token=token)),
            [()] * 4)
    assert len(receipts) == 4
    assert len({r.receipt_no for r in receipts}) == 1
    assert count(UnitOfWork(), Case) == 1


VALID_ID = "11010519491231002X"


def test_missing_required_documents_put_the_case_in_waiting_citizen(uow, actors):
    # Medical reimbursement: ID card, invoices, discharge summary required; bank card optional.
    receipt = new_case(uow, actors["agent"], service="MEDICAL-CLAIM", brought=(True, False),
                       answers={"hospital": "莱西市人民医院", "admitted": dt.date(2026, 11, 1),
                                "amount": 3200})
    assert receipt.status == "waiting_citizen"
    assert [d["brought"] for d in receipt.documents] == [True, False, False, False]


def test_optional_documents_do_not_hold_a_case(uow, actors):
    receipt = new_case(uow, actors["agent"], service="MEDICAL-CLAIM",
                       brought=(True, True, True, False),
                       answers={"hospital": "莱西市人民医院", "admitted": dt.date(2026, 11, 1),
                                "amount": 3200})
    assert receipt.status == "received"


def test_custom_answers_are_validated_and_stored(uow, actors):
    with pytest.raises(InvalidInput) as invalid:
        new_case(uow, actors["agent"], service="HOMESTEAD",
                 answers={"village_group": "三组", "area": 500, "has_homestead": None})
    assert invalid.value.errors == {"field.area": "form.error.range",
                                    "field.has_homestead": "form.error.required"}
    receipt = new_case(uow, actors["agent"], service="HOMESTEAD",
                       answers={"village_group": "三组", "area": 160, "has_homestead": False})
    with uow:
        assert uow.session.get(Case, receipt.case_id).answers == {
            "village_group": "三组", "area": 160, "has_homestead": False}


def test_a_field_added_to_the_service_type_is_asked_at_once(uow, actors):
    from db.models import ServiceType
    from portal.casework import casefile
    with uow:
        service = uow.session.scalar(select(ServiceType).where(ServiceType.code == "POLICY-ASK"))
        service.form_fields = [*service.form_fields, {
            "key": "topic", "type": "text", "label_zh": "咨询主题", "label_en": "Topic",
            "required": True}]
        uow.commit()
    assert [f.key for f in intake.service_info(uow, "POLICY-ASK").fields] == ["topic"]
    with pytest.raises(InvalidInput):
        new_case(uow, actors["agent"], service="POLICY-ASK")
    receipt = new_case(uow, actors["agent"], service="POLICY-ASK", answers={"topic": "医保政策"})
    case = casefile.open_case(uow, actors["agent"], receipt.receipt_no)
    assert case.answers == {"topic": "医保政策"}


def test_a_citizen_is_registered_once_per_id_number(uow, actors):
    first = new_case(uow, actors["agent"], id_number=VALID_ID)
    new_case(uow, actors["agent"], id_number=VALID_ID.lower(), phone="13900000000")
    with uow:
        rows = uow.session.execute(select(Citizen.id_number, Citizen.phone)).all()
        assert rows == [(VALID_ID, "13900000000")]  # the latest phone is kept
    assert first.receipt_no


def test_an_id_number_registered_under_another_name_is_refused(uow, actors):
    new_case(uow, actors["agent"], id_number=VALID_ID, name="王秀英")
    with pytest.raises(InvalidInput) as invalid:
        new_case(uow, actors["agent"], id_number=VALID_ID, name="李秀英")
    assert invalid.value.errors == {"citizen_name": "intake.error.id_name_mismatch"}


def test_an_invalid_id_number_is_refused(uow, actors):
    with pytest.raises(InvalidInput) as invalid:
        new_case(uow, actors["agent"], id_number="110105194912310021")
    assert invalid.value.errors == {"id_number": "identity.error.id_check_digit"}


def test_a_citizen_is_found_by_id_number_or_phone(uow, actors):
    new_case(uow, actors["agent"], id_number=VALID_ID, phone="13953212345")
    by_id = citizens.find(uow, actors["agent"], VALID_ID.lower())
    by_phone = citizens.find(uow, actors["agent"], "139 5321 2345")
    assert [c.id_masked for c in by_id] == ["1101**********002X"]
    assert by_phone == by_id


def test_a_found_citizen_is_taken_in_without_retyping(uow, actors):
    new_case(uow, actors["agent"], id_number=VALID_ID)
    [found] = citizens.find(uow, actors["agent"], VALID_ID)
    receipt = intake.take_in(uow, actors["agent"], intake.IntakeForm(
        "POLICY-ASK", citizens.CitizenInput(citizen_id=found.id)))
    with uow:
        case = uow.session.get(Case, receipt.case_id)
        assert (case.citizen_id, case.contact_phone) == (found.id, "13812345678")


def test_handling_on_behalf_records_the_authorisation_and_materials(uow, actors):
    with pytest.raises(InvalidInput) as invalid:
        new_case(uow, actors["agent"], on_behalf=True, poa_signed=True,
                 poa_date=dt.date(2099, 1, 1), materials=(("身份证复印件", 0),))
    assert invalid.value.errors == {"poa": "intake.error.poa_date",
                                    "materials": "intake.error.materials"}
    receipt = new_case(uow, actors["agent"], on_behalf=True, poa_signed=True,
                       poa_date=dt.date(2026, 11, 20),
                       materials=(("身份证复印件", 2), ("户口簿", 1)))
    with uow:
        case = uow.session.get(Case, receipt.case_id)
        stored = uow.session.execute(select(CaseMaterial.name, CaseMaterial.copies)
                                     .where(CaseMaterial.case_id == case.id)
                                     .order_by(CaseMaterial.id)).all()
        assert (case.on_behalf, case.poa_signed, case.poa_date) == (
            True, True, dt.date(2026, 11, 20))
        assert stored == [("身份证复印件", 2), ("户口簿", 1)]


def test_due_date_skips_national_day_and_counts_the_make_up_saturday(uow, actors, frozen_clock):
    from portal import clock
    frozen_clock(dt.datetime(2026, 9, 30, 15, 0, tzinfo=clock.TZ))
    receipt = new_case(uow, actors["agent"], service="EMPLOY-CERT")  # 5 working days
    # 1-7 October are holidays; Saturday 10 October is a make-up working day.
    assert receipt.due_date == dt.date(2026, 10, 13)


def test_fifty_intakes_at_once_get_fifty_distinct_receipts(committed, actors):
    receipts, errors = [], []

    def submit(i):
        try:
            receipts.append(new_case(UnitOfWork(), actors["agent"], phone=f"1395000{i:04d}"))
        except Exception as error:  # collected and asserted below
            errors.append(error)

    at_once(submit, [(i,) for i in range(50)])
    assert not errors
    assert len({r.receipt_no for r in receipts}) == 50
    assert count(UnitOfWork(), Case) == 50


def test_one_citizen_registered_by_two_agents_at_once(committed, actors):
    agents = [actors["agent"], actor_for("staff-jiangshan-v01")]
    at_once(lambda actor: new_case(UnitOfWork(), actor, id_number=VALID_ID),
            [(a,) for a in agents])
    assert count(UnitOfWork(), Citizen) == 1
    assert count(UnitOfWork(), Case) == 2
