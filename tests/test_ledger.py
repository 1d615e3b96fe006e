"""Historical cases from paper ledgers: every bad row named, all or nothing, CSV and Excel."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import func, select

from db.ledger_sample import as_csv, ledger
from db.models import Case, CaseEvent, Citizen, DailyFiguresDone, Feedback
from portal import clock, lifecycle
from portal.admin import ledger as import_
from portal.errors import DomainError, NotPermitted


def count(uow, model, *where) -> int:
    with uow:
        return uow.session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_file_with_three_bad_rows_writes_nothing_and_names_them(uow, actors):
    frame = ledger(50)
    frame.loc[4, "service_code"] = "NO-SUCH-SERVICE"
    frame.loc[17, ["phone", "resolved_date"]] = ["12345", "2022-01-01"]  # before it was received
    frame.loc[38, "unit_code"] = ""
    report = import_.load(uow, actors["admin"], import_.read(as_csv(frame), "t.csv"),
                          dry_run=False)
    # Spreadsheet row numbers: the header is row 1.
    assert report.errors == {
        6: ["ledger.error.service_code"],
        19: ["ledger.error.phone", "ledger.error.resolved_date"],
        40: ["ledger.error.unit_code"],
    }
    assert report.written == 0 and count(uow, Case) == 0 and count(uow, Citizen) == 0


@pytest.mark.parametrize("written", ["today", "NaT", "2023-02-30", "三月六日"])
def test_a_date_that_is_not_one_is_named(uow, actors, written):
    frame = ledger(3)
    frame.loc[1, "received_date"] = written
    report = import_.load(uow, actors["admin"], import_.read(as_csv(frame), "t.csv"),
                          dry_run=False)
    assert report.errors == {3: ["ledger.error.received_date"]} and count(uow, Case) == 0


def test_citizens_are_one_per_id_number_whatever_phone_they_gave(uow, actors):
    number = "370285199003071234"
    with uow:  # one already registered, with another name spelling's phone
        uow.session.add(Citizen(name="王秀英", phone="13700000000", id_number=number))
        uow.commit()
    frame = ledger(6)
    frame["citizen_name"] = "王秀英"
    frame.loc[:2, "id_number"] = number  # rows 0-2: the registered citizen, three phones
    frame.loc[:2, "phone"] = ["13900000001", "13900000002", "13900000003"]
    frame.loc[3:4, ["id_number", "phone"]] = ["11010519491231002X", "13900000004"]  # a new one
    frame.loc[5, ["id_number", "phone"]] = ["", "13900000005"]  # none given: name and phone
    report = import_.load(uow, actors["admin"], import_.read(as_csv(frame), "t.csv"),
                          dry_run=False)
    assert report.written == 6
    with uow:
        per_citizen = uow.session.execute(
            select(Citizen.id_number, func.count()).join(Case, Case.citizen_id == Citizen.id)
            .group_by(Citizen.id_number)).tuples().all()
    assert sorted(per_citizen, key=str) == sorted(
        [(number, 3), ("11010519491231002X", 2), (None, 1)], key=str)


def test_a_dry_run_of_a_good_file_writes_nothing(uow, actors):
    report = import_.load(uow, actors["admin"], import_.read(as_csv(ledger(20)), "t.csv"),
                          dry_run=True)
    assert report == import_.Report(rows=20, errors={})
    assert count(uow, Case) == 0


def test_a_good_file_is_imported_whole(uow, actors):
    frame = ledger(40)
    frame.loc[0, ["id_number", "citizen_name"]] = ["370285199003071234", "王秀英"]
    frame.loc[1, ["id_number", "citizen_name", "phone"]] = ["370285199003071234", "王秀英",
                                                           "13900000000"]
    frame.loc[2, ["status", "resolved_date", "outcome", "rating"]] = ["withdrawn", "", "", ""]
    touched = dt.date.fromisoformat(frame.loc[5, "received_date"])
    with uow:  # the dashboard had folded a day the ledger now adds cases to
        uow.session.add(DailyFiguresDone(day=touched, at=clock.now()))
        uow.session.add(DailyFiguresDone(day=dt.date(2022, 1, 1), at=clock.now()))
        uow.commit()
    report = import_.load(uow, actors["admin"], import_.read(as_csv(frame), "t.csv"),
                          dry_run=False)
    assert report.written == 40
    assert count(uow, Case) == 40
    assert count(uow, CaseEvent, CaseEvent.kind == "imported") == 40
    assert count(uow, Citizen, Citizen.id_number == "370285199003071234") == 1
    assert count(uow, Feedback) == frame["rating"].astype(bool).sum()
    # That day is folded again by the background job; an untouched day stays folded.
    with uow:
        assert set(uow.session.scalars(select(DailyFiguresDone.day))) == {dt.date(2022, 1, 1)}
    with uow:
        case = uow.session.scalar(select(Case).where(Case.receipt_no == frame.loc[5, "receipt_no"]))
        assert (case.status, case.outcome, clock.local(case.received_at).date().isoformat()) == (
            "closed", frame.loc[5, "outcome"], frame.loc[5, "received_date"])
        assert case.due_date > clock.local(case.received_at).date()
        withdrawn = uow.session.scalar(select(Case).where(
            Case.receipt_no == frame.loc[2, "receipt_no"]))
        assert (withdrawn.status, withdrawn.resolved_at) == ("withdrawn", None)
    # The same file again: every ledger number is already taken.
    again = import_.load(uow, actors["admin"], import_.read(as_csv(frame), "t.csv"),
                         dry_run=False)
    assert len(again.errors) == 40 and count(uow, Case) == 40


def test_ten_thousand_rows_are_imported_in_one_go(uow, actors):
    # The benchmark (bench/ledger.py) times this; here it must simply all arrive. Every row a
    # citizen of their own, known by name and phone: the most citizens to look up at once.
    frame = ledger(10_000)
    frame["phone"] = [f"139{n:08d}" for n in range(len(frame))]
    report = import_.load(uow, actors["admin"], import_.read(as_csv(frame), "t.csv"),
                          dry_run=False)
    assert report.written == 10_000 and count(uow, Case) == 10_000


def test_excel_and_gbk_files_are_read(database_url):
    frame = ledger(3)
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    assert import_.read(buffer.getvalue(), "台账.xlsx")["citizen_name"].tolist() == \
        frame["citizen_name"].tolist()
    gbk = frame.to_csv(index=False).encode("gbk")
    assert import_.read(gbk, "台账.csv")["citizen_name"].tolist() == frame["citizen_name"].tolist()


def test_a_file_without_the_columns_names_the_missing_ones(database_url):
    with pytest.raises(DomainError) as refused:
        import_.read(b"receipt_no,phone\nA1,13812345678\n", "t.csv")
    assert refused.value.key == "ledger.error.columns"
    # Named as a Chinese ledger heads them, with the English name beside.
    assert refused.value.params["missing"] == (
        "受理日期 (received_date), 事项编码 (service_code), 单位编码 (unit_code), "
        "申请人姓名 (citizen_name)")


def test_only_admins_import(uow, actors):
    with pytest.raises(NotPermitted):
        import_.load(uow, actors["manager"], import_.read(as_csv(ledger(2)), "t.csv"),
                     dry_run=True)


def test_a_ledger_written_in_chinese_is_read_as_one_in_english(uow, actors):
    frame = ledger(20)
    for column in ("status", "outcome"):
        frame[column] = [import_.label(column, value, "zh") for value in frame[column]]
    frame.columns = [import_.header(c, "zh") for c in frame.columns]
    assert "受理日期" in frame.columns and "已归档" in set(frame["状态"])
    report = import_.load(uow, actors["admin"], import_.read(as_csv(frame), "台账.csv"),
                          dry_run=False)
    assert report.errors == {} and report.written == 20
    statuses = {s for (s,) in uow.session.execute(select(Case.status)).all()}
    assert statuses <= lifecycle.ENDED


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_template_in_either_language_checks_clean(uow, actors, lang):
    data = import_.template_csv(lang)
    header = data.decode("utf-8-sig").splitlines()[0]
    assert import_.header("received_date", lang) in header
    report = import_.load(uow, actors["admin"], import_.read(data, "template.csv"), dry_run=True)
    assert report.errors == {}
