"""Any input, of any kind, is either stored whole and valid or refused with a message: the
intake, a service's form answers, the ledger's dry run and the users CSV (property-based)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from db.models import Case, Citizen, User
from portal import export, forms
from portal.admin import ledger, users
from portal.errors import InvalidInput
from portal.intake import intake
from portal.intake.citizens import CitizenInput
from portal.intake.intake import IntakeForm
from portal.messages import MESSAGES
from portal.storable import storable

AWKWARD = st.sampled_from(["\x00", "\ud800", "\r", "\n", "=", "**", "<b>", "１", " ", "😀",
                           "\u202e", "'", '"', ",", "\t"])
TEXT = st.one_of(st.text(max_size=30),
                 st.lists(st.one_of(AWKWARD, st.text(max_size=4)), max_size=8).map("".join),
                 st.sampled_from(["王秀英", "13812345678", "11010519491231002X", "300"]))
ANY = st.one_of(st.none(), TEXT, st.integers(), st.floats(), st.booleans(), st.dates(),
                st.lists(TEXT, max_size=3), st.dictionaries(TEXT, TEXT, max_size=2))
FIELD_KINDS = ["text", "long_text", "number", "date", "choice", "multi_choice", "yes_no",
               "id_number", "phone"]
SPECS = forms.parse([{
    "key": kind, "type": kind, "label_zh": kind, "label_en": kind, "required": n % 2 == 0,
    "options": [{"value": v, "label_zh": v, "label_en": v} for v in ("a", "b")]
    if "choice" in kind else [], "min": 0 if kind == "number" else None,
    "max": 100 if kind == "number" else None} for n, kind in enumerate(FIELD_KINDS)])
PROPERTY = settings(max_examples=80, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def refused_with_messages(errors: dict[str, str]) -> bool:
    return bool(errors) and all(key in MESSAGES for key in errors.values())


@given(answers=st.dictionaries(st.sampled_from(FIELD_KINDS), ANY))
@settings(max_examples=400, deadline=None)
def test_form_answers_are_cleaned_or_refused_never_raise(answers):
    cleaned, errors = forms.clean(SPECS, answers)
    assert all(key in MESSAGES for key in errors.values())
    for key, value in cleaned.items():
        assert f"field.{key}" not in errors
        # What is kept is of the field's kind and storable as JSON text.
        assert not isinstance(value, str) or storable(value)
        if key == "number":
            assert isinstance(value, int | float) and 0 <= value <= 100
        if key == "date":
            dt.date.fromisoformat(value)
        if key == "multi_choice":
            assert set(value) <= {"a", "b"}


def valid_or(valid: st.SearchStrategy, other: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly a valid value, so that whole forms get stored too, else anything."""
    return st.one_of(valid, valid, valid, other)


@given(name=valid_or(st.sampled_from(["王秀英", " 李 四 ", "**王**"]), TEXT),
       phone=valid_or(st.just("13812345678"), TEXT),
       id_number=valid_or(st.just(""), TEXT), note=TEXT,
       channel=valid_or(st.just("walk_in"), ANY),
       materials=valid_or(st.just(()), st.one_of(
           st.lists(st.tuples(TEXT, st.integers(-2, 120)), max_size=2).map(tuple), ANY)),
       hospital=valid_or(st.sampled_from(["莱西市人民医院", " <b>医院</b> "]), ANY),
       amount=valid_or(st.integers(1, 500_000), ANY),
       admitted=valid_or(st.dates(dt.date(2020, 1, 1), dt.date(2026, 1, 1)), ANY))
@PROPERTY
def test_an_intake_is_stored_whole_or_refused_with_a_message(uow, actors, name, phone, id_number,
                                                           note, channel, materials, hospital,
                                                           amount, admitted):
    form = IntakeForm(service_code="MEDICAL-CLAIM",
                      citizen=CitizenInput(name=name, id_number=id_number, phone=phone),
                      note=note, channel=channel, materials=materials, on_behalf=bool(materials),
                      poa_signed=False, brought=(True,) * 3,
                      answers={"hospital": hospital, "amount": amount, "admitted": admitted})
    try:
        receipt = intake.take_in(uow, actors["agent"], form)
    except InvalidInput as invalid:
        event("refused")
        assert refused_with_messages(invalid.errors), invalid.errors
        return
    event("stored")
    with uow:
        case = uow.session.get(Case, receipt.case_id)
        citizen = uow.session.get(Citizen, case.citizen_id)
        assert citizen.name == " ".join(name.split()) and case.note == note.strip()
        assert case.answers["hospital"] == hospital.strip() and case.answers["amount"] == amount
        assert case.answers["admitted"] == admitted.isoformat()[:10]


@given(rows=st.lists(st.fixed_dictionaries({c: TEXT for c in (*ledger.REQUIRED,
                                                                *ledger.OPTIONAL)}),
                     min_size=1, max_size=4))
@PROPERTY
def test_a_ledger_dry_run_names_every_bad_row_and_never_raises(uow, actors, rows):
    # A file is read as text; where it could not be written out, the rows go in as they are.
    frame = ledger.read(export.to_csv(pd.DataFrame(rows)), "t.csv") \
        if all(storable(v) for r in rows for v in r.values()) else pd.DataFrame(rows, dtype=object)
    report = ledger.load(uow, actors["admin"], frame, dry_run=True)
    assert report.rows == len(rows) and report.written == 0
    assert all(key in MESSAGES for keys in report.errors.values() for key in keys)
    with uow:
        assert uow.session.scalar(select(Case.id).limit(1)) is None


@given(cells=st.lists(st.lists(TEXT, min_size=6, max_size=6), min_size=1, max_size=3),
       encoding=st.sampled_from(["utf-8", "gb18030"]))
@PROPERTY
def test_a_users_csv_is_imported_whole_or_refused_with_messages(uow, actors, cells, encoding):
    header = ",".join(users.COLUMNS)
    text = "\n".join([header, *(",".join(_quoted(c) for c in row) for row in cells)])
    try:
        profiles = users.read_csv(text.encode(encoding, "surrogatepass" if encoding == "utf-8"
                                              else "replace"))
        errors, made = users.import_profiles(uow, actors["admin"], profiles, dry_run=False)
    except InvalidInput as invalid:
        assert refused_with_messages(invalid.errors)
        return
    if errors:
        assert made == [] and all(refused_with_messages(found) for found in errors.values())
        return
    with uow:
        stored = {u.username: u for u in uow.session.scalars(select(User).where(
            User.username.in_([p.username.strip().lower() for p in profiles])))}
    assert len(made) == len(profiles) == len(stored)
    for profile in profiles:
        user = stored[profile.username.strip().lower()]
        assert user.display_name == profile.display_name.strip() and user.role == profile.role.strip()


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'
