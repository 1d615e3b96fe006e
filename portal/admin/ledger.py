"""Importing historical cases from paper ledgers being digitised (CSV or Excel).

Every row is checked before anything is written; a file with any bad row writes nothing and
names every bad row with each of its problems. A good file is written in one transaction,
citizens matched by ID number (or name and phone), each case with one "imported" event, and
the dashboard's days it touches folded again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Text, and_, any_, delete, func, insert, literal, select
from sqlalchemy.dialects.postgresql import ARRAY

from db.models import (
    OUTCOMES,
    Case,
    CaseEvent,
    Citizen,
    DailyFiguresDone,
    Feedback,
    ServiceType,
    Unit,
)
from portal import access, clock, export, identity, lifecycle, uploads, workdays
from portal.access import Actor
from portal.errors import DomainError
from portal.messages import LANGUAGES, t
from portal.storable import storable
from portal.units import scope_clause
from portal.uow import UnitOfWork

REQUIRED = ("received_date", "service_code", "unit_code", "citizen_name", "phone")
OPTIONAL = ("receipt_no", "id_number", "status", "resolved_date", "outcome", "result",
            "rating", "note")
MAX_ROWS = 100_000
FIRST_ROW = 2  # the row number of the first case, under the header, as a spreadsheet shows it


@dataclass(frozen=True)
class Report:
    """What a check or an import came to: the bad rows (row -> problems) or the cases written."""

    rows: int
    errors: dict[int, list[str]]
    written: int = 0


def header(column: str, lang: str) -> str:
    """A column's name in a ledger written in `lang` (either language's is read)."""
    return t(f"ledger.col.{column}", lang)


def label(kind: str, code: str, lang: str) -> str:
    """A status or an outcome as written in a ledger in `lang`."""
    return t(f"{kind}.{code}", lang)


def columns_help(lang: str) -> dict[str, str]:
    """The columns and the values a ledger in `lang` may use, for the page's explanation."""
    def listed(names) -> str:
        return "、".join(names) if lang == "zh" else ", ".join(names)
    return {"required": listed(header(c, lang) for c in REQUIRED),
            "optional": listed(header(c, lang) for c in OPTIONAL),
            "statuses": listed(label("status", s, lang) for s in lifecycle.listed(lifecycle.ENDED)),
            "default": label("status", "closed", lang),
            "outcomes": listed(label("outcome", o, lang) for o in OUTCOMES)}


def template_csv(lang: str) -> bytes:
    """A one-row example ledger with every column, headed and filled in `lang`."""
    example = {
        "receipt_no": "2023-JS-0001", "received_date": "2023-03-06", "service_code": "PENSION-CERT",
        "unit_code": "jiangshan-v01", "citizen_name": "王秀英", "phone": "13812345678",
        "id_number": "", "status": label("status", "closed", lang),
        "resolved_date": "2023-03-10", "outcome": label("outcome", "approved", lang),
        "result": "已认证", "rating": "5", "note": ""}
    return export.to_csv(pd.DataFrame([{header(c, lang): v for c, v in example.items()}]))


def _known(columns: list[str]) -> list[str]:
    """The columns by their own names, whichever language the ledger's header is in."""
    names = {header(c, lang).lower(): c for c in (*REQUIRED, *OPTIONAL) for lang in LANGUAGES}
    return [names.get(c.lower(), c) for c in columns]


def _code(kind: str, codes: tuple[str, ...], written: str) -> str | None:
    """The code of a status or outcome written as its code or its label in either language."""
    written = written.strip().lower()
    return next((c for c in codes for lang in LANGUAGES
                 if written in (c, label(kind, c, lang).lower())), written or None)


def read(data: bytes, filename: str) -> pd.DataFrame:
    """The ledger as text columns: an .xlsx workbook by its extension, CSV (UTF-8 or GBK)
    otherwise; sizes and the row count are checked before the rows are."""
    name = filename.lower()
    if name.endswith(".xls"):
        raise DomainError("ledger.error.old_excel")
    frame = _frame(uploads.workbook_rows(data, MAX_ROWS)) if name.endswith(".xlsx") \
        else _read_csv(data)
    frame.columns = _known([str(c).strip() for c in frame.columns])
    if missing := [c for c in REQUIRED if c not in frame.columns]:
        raise DomainError("ledger.error.columns", missing=", ".join(
            f"{header(c, 'zh')} ({c})" for c in missing))
    if len(frame) > MAX_ROWS:
        raise DomainError("ledger.error.too_many", limit=MAX_ROWS)
    return frame.fillna("").astype(str).apply(lambda col: col.str.strip())


def _frame(rows: list[list[str]]) -> pd.DataFrame:
    """Rows under a header as a frame; a column named twice is kept as `name.1`, as in a CSV."""
    seen: Counter[str] = Counter()
    names = []
    for name in rows[0] if rows else []:
        names.append(f"{name}.{seen[name]}" if seen[name] else name)
        seen[name] += 1
    return pd.DataFrame([(row + [""] * len(names))[:len(names)] for row in rows[1:]],
                        columns=names, dtype=str)


def _read_csv(data: bytes) -> pd.DataFrame:
    try:
        return pd.read_csv(io.StringIO(uploads.text(data)), dtype=str, keep_default_na=False)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError, csv.Error) as error:
        raise DomainError("ledger.error.unreadable") from error


def load(uow: UnitOfWork, actor: Actor, frame: pd.DataFrame, *, dry_run: bool) -> Report:
    """Check every row; unless it is a dry run and if no row is bad, write them all."""
    access.require(actor, "ledger.import")
    with uow:
        refs = _References.read(uow, actor)
        rows = [_check(n, row, refs) for n, row in enumerate(frame.to_dict("records"), FIRST_ROW)]
        _duplicates([r for r in rows if r.values], refs, uow)
        errors = {r.n: r.errors for r in rows if r.errors}
        if errors or dry_run:
            return Report(len(rows), errors)
        _write(uow, actor, rows, refs)
        uow.commit()
    return Report(len(rows), {}, len(rows))


@dataclass
class _References:
    services: dict[str, tuple[int, int]]  # code -> (id, time limit in working days)
    units: dict[str, int]
    calendar: dict[dt.date, str]
    today: dt.date

    @classmethod
    def read(cls, uow: UnitOfWork, actor: Actor) -> _References:
        session = uow.session
        services = {c: (i, d) for c, i, d in session.execute(
            select(ServiceType.code, ServiceType.id, ServiceType.time_limit_days))}
        units = dict(session.execute(select(Unit.code, Unit.id).where(
            scope_clause(actor, Unit.id))).tuples().all())
        return cls(services, units, workdays.load(session), clock.today())


@dataclass
class _Row:
    n: int
    values: dict[str, Any]
    errors: list[str]


def _check(n: int, raw: dict[str, str], refs: _References) -> _Row:
    if not all(storable(v) for v in raw.values()):
        return _Row(n, {}, ["form.error.characters"])
    errors: list[str] = []
    for column in REQUIRED:
        if not raw.get(column):
            errors.append(f"ledger.error.{column}")
    received = _date(raw.get("received_date", ""))
    if raw.get("received_date") and (received is None or received > refs.today):
        errors.append("ledger.error.received_date")
    service = refs.services.get(raw.get("service_code", "").upper())
    if raw.get("service_code") and service is None:
        errors.append("ledger.error.service_code")
    unit_id = refs.units.get(raw.get("unit_code", "").lower())
    if raw.get("unit_code") and unit_id is None:
        errors.append("ledger.error.unit_code")
    phone = identity.normalise_phone(raw.get("phone", ""))
    if raw.get("phone") and identity.phone_error(phone):
        errors.append("ledger.error.phone")
    id_number = identity.normalise_id(raw.get("id_number", ""))
    if id_number and identity.id_number_error(id_number):
        errors.append("ledger.error.id_number")
    if len(raw.get("citizen_name", "")) > 60:
        errors.append("ledger.error.citizen_name")
    status = _code("status", lifecycle.listed(lifecycle.ENDED), raw.get("status", "")) or "closed"
    if status not in lifecycle.ENDED:
        errors.append("ledger.error.status")
    resolved = _date(raw.get("resolved_date", ""))
    outcome = _code("outcome", OUTCOMES, raw.get("outcome", ""))
    if status != "withdrawn":
        if resolved is None or (received and resolved < received) or resolved > refs.today:
            errors.append("ledger.error.resolved_date")
        if outcome not in OUTCOMES:
            errors.append("ledger.error.outcome")
    rating = raw.get("rating", "")
    if rating and (rating not in ("1", "2", "3", "4", "5") or status != "closed"):
        errors.append("ledger.error.rating")
    receipt_no = raw.get("receipt_no", "")
    if len(receipt_no) > 24:
        errors.append("ledger.error.receipt_no")
    values = {"received": received, "service": service, "unit_id": unit_id, "phone": phone,
              "id_number": id_number or None, "name": raw.get("citizen_name", ""),
              "status": status, "resolved": resolved, "outcome": outcome,
              "result": raw.get("result", ""), "rating": int(rating) if rating.isdigit() else None,
              "note": raw.get("note", ""), "receipt_no": receipt_no}
    return _Row(n, values, errors)


def _date(text: str) -> dt.date | None:
    """A date as written in a ledger (2023-03-06, 2023/3/6, 20230306, or Excel's own), else
    None; words such as "today" or "NaT", which pandas would take, are not dates here."""
    if not text[:1].isdigit():
        return None
    try:
        day = pd.Timestamp(text)
    except ValueError:
        return None
    return None if pd.isna(day) else day.date()


def _duplicates(rows: list[_Row], refs: _References, uow: UnitOfWork) -> None:
    """Receipt numbers used twice in the file or already in the portal; an ID number given
    with two different names."""
    given = [r.values["receipt_no"] for r in rows if r.values["receipt_no"]]
    taken = set(uow.session.scalars(select(Case.receipt_no).where(
        Case.receipt_no == any_(_array(given)))))
    seen: set[str] = set()
    names: dict[str, str] = dict(uow.session.execute(select(Citizen.id_number, Citizen.name).where(
        Citizen.id_number == any_(_array({r.values["id_number"] for r in rows
                                          if r.values["id_number"]}))))
        .tuples().all())
    for row in rows:
        receipt_no, number = row.values["receipt_no"], row.values["id_number"]
        if receipt_no and (receipt_no in taken or receipt_no in seen):
            row.errors.append("ledger.error.receipt_no_taken")
        seen.add(receipt_no)
        if number and names.setdefault(number, row.values["name"]) != row.values["name"]:
            row.errors.append("ledger.error.id_name_mismatch")


def _write(uow: UnitOfWork, actor: Actor, rows: list[_Row], refs: _References) -> None:
    session, now = uow.session, clock.now()
    citizens = _citizens(uow, rows)
    batch = secrets.token_hex(3).upper()
    cases = []
    for row in rows:
        v = row.values
        received_at = clock.day_start(v["received"]) + dt.timedelta(hours=9)
        resolved_at = clock.day_start(v["resolved"]) + dt.timedelta(hours=16) \
            if v["resolved"] else None
        cases.append({
            "receipt_no": v["receipt_no"] or f"HX{batch}-{row.n:06d}",
            "service_type_id": v["service"][0], "citizen_id": citizens[_who(v)],
            "contact_phone": v["phone"], "intake_unit_id": v["unit_id"],
            "unit_id": v["unit_id"], "status": v["status"], "priority": "normal",
            "channel": "walk_in", "note": v["note"], "answers": {}, "documents": [],
            "on_behalf": False, "received_at": received_at,
            "due_date": workdays.add_working_days(v["received"], v["service"][1],
                                                  refs.calendar),
            "resolved_at": resolved_at, "outcome": v["outcome"], "result": v["result"],
            "closed_at": resolved_at if v["status"] == "closed" else (
                received_at if v["status"] == "withdrawn" else None),
            "version": 1})
    ids = session.scalars(insert(Case).returning(Case.id, sort_by_parameter_order=True),
                          cases).all()
    session.execute(insert(CaseEvent), [
        {"case_id": i, "at": now, "actor_id": actor.id, "unit_id": c["unit_id"],
         "kind": "imported", "from_status": None, "to_status": c["status"],
         "data": {"receipt_no": c["receipt_no"]}} for i, c in zip(ids, cases, strict=True)])
    ratings = [{"case_id": i, "rating": r.values["rating"], "comment": "", "source": "ledger",
                "recorded_at": c["closed_at"], "recorded_by": actor.id}
               for i, c, r in zip(ids, cases, rows, strict=True) if r.values["rating"]]
    if ratings:
        session.execute(insert(Feedback), ratings)
    # The dashboard's figures of the days these cases touch are folded again.
    days = {c["received_at"].date() for c in cases} | {
        c["resolved_at"].date() for c in cases if c["resolved_at"]}
    session.execute(delete(DailyFiguresDone).where(DailyFiguresDone.day.in_(days)))


def _array(values) -> Any:
    """Many values as one array parameter: an IN list of tens of thousands of values exceeds
    PostgreSQL's parameter limit or its stack depth."""
    return literal(list(values), ARRAY(Text))


def _who(v: dict[str, Any]) -> tuple[str, str, str | None]:
    return (v["name"], v["phone"], v["id_number"])


def _citizens(uow: UnitOfWork, rows: list[_Row]) -> dict[tuple, int]:
    """Citizen id by (name, phone, ID number): matched by ID number, or by name and phone
    where none is given; the rest registered (one citizen per new ID number)."""
    session = uow.session
    wanted = {_who(r.values) for r in rows}
    numbers = {w[2] for w in wanted if w[2]}
    by_number = dict(session.execute(select(Citizen.id_number, Citizen.id).where(
        Citizen.id_number == any_(_array(numbers)))).tuples().all())
    pairs = [(w[0], w[1]) for w in wanted if not w[2]]
    given = func.unnest(_array(n for n, _ in pairs), _array(p for _, p in pairs)).table_valued(
        "name", "phone").render_derived()
    by_pair = {(n, p): i for n, p, i in session.execute(
        select(Citizen.name, Citizen.phone, Citizen.id).join(given, and_(
            Citizen.name == given.c.name, Citizen.phone == given.c.phone)).where(
            Citizen.id_number.is_(None)))}
    new = {w[2]: w for w in wanted if w[2] and w[2] not in by_number}  # one per number
    new |= {(w[0], w[1]): w for w in wanted if not w[2] and (w[0], w[1]) not in by_pair}
    if new:
        ids = session.scalars(insert(Citizen).returning(Citizen.id, sort_by_parameter_order=True),
                              [{"name": n, "phone": p, "id_number": i}
                               for n, p, i in new.values()]).all()
        for key, citizen_id in zip(new, ids, strict=True):
            (by_number if isinstance(key, str) else by_pair)[key] = citizen_id
    return {w: by_number[w[2]] if w[2] else by_pair[(w[0], w[1])] for w in wanted}
