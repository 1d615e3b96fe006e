"""Historical cases for demos and benchmarks, written with COPY so 200,000 load in seconds."""

from __future__ import annotations

import bisect
import datetime as dt
import json
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy import Connection, text

from db import reference as ref

TZ = ZoneInfo("Asia/Shanghai")
RETURN_REASONS = [("not_our_department", "不属于本部门职责，请转民政部门办理"),
                  ("documents_incomplete", "缺少户口簿复印件，请补齐后再转"),
                  ("wrong_tier", "该事项须由市级窗口办理")]
RECTIFIED = ["已约谈经办人员并当面致歉，重新说明办理时限", "已优化窗口排号，缩短等候时间",
             "已补办手续并上门送达结果"]
CALLED = ["群众表示理解，认可整改措施", "群众对上门送达表示满意", "已电话说明原因，群众表示接受"]
RECTIFY_DAYS = 7  # five working days, about a week
RATINGS = [5, 4, 3, 2, 1]
RATING_WEIGHTS = [68, 20, 7, 3, 2]
CHUNK = 50_000
FOCUS = {"jiangshan-v01": 0.05, "jiangshan": 0.03}  # unit code: share of all intakes


@dataclass
class World:
    """What the generator needs to know about the reference data already loaded."""

    units: dict[int, dict]  # id -> {tier, dept, parent, code}
    staff: dict[int, int]  # unit id -> a user id working there
    managers: dict[int, int]  # unit id -> its manager's user id, where it has one
    services: list[dict]
    service_weights: list[int]
    calendar: dict[dt.date, str]
    working_days: list[dt.date] = field(default_factory=list)

    def manager_above(self, unit: int) -> int | None:
        """The manager of the nearest unit at or above `unit` that has one."""
        while unit is not None and unit not in self.managers:
            unit = self.units[unit]["parent"]
        return self.managers.get(unit)

    def by_code(self, code: str) -> int | None:
        return next((i for i, u in self.units.items() if u["code"] == code), None)


def load_world(conn: Connection) -> World:
    units = {r.id: {"tier": r.tier, "dept": r.department_id, "parent": r.parent_id,
                    "code": r.code}
             for r in conn.execute(text("SELECT id, tier, department_id, parent_id, code FROM units"))}
    staff = dict(conn.execute(text(
        "SELECT DISTINCT ON (unit_id) unit_id, id FROM users WHERE role IN ('agent','officer') "
        "ORDER BY unit_id, id")).all())
    services = [dict(r._mapping) for r in conn.execute(text(
        "SELECT id, code, department_id, min_tier, time_limit_days, documents "
        "FROM service_types"))]
    managers = dict(conn.execute(text(
        "SELECT DISTINCT ON (unit_id) unit_id, id FROM users WHERE role = 'manager' "
        "ORDER BY unit_id, id")).all())
    calendar = dict(conn.execute(text("SELECT day, kind FROM holidays")).all())
    weights = [ref.SERVICE_WEIGHTS.get(s["code"], 1) for s in services]
    return World(units, staff, managers, services, weights, calendar)


def generate(conn: Connection, count: int, *, now: dt.datetime | None = None, seed: int = 11) -> None:
    """Add `count` cases received over the 12 months before `now`, with their full history."""
    now = (now or dt.datetime.now(TZ)).astimezone(TZ)
    world = load_world(conn)
    start = (now - dt.timedelta(days=365)).date()
    world.working_days = [d for d in _days(start, now.date() + dt.timedelta(days=120))
                          if _works(d, world.calendar)]
    rng = random.Random(seed)
    gen = _Generator(world, rng, now, _next_ids(conn))
    for done in range(1, count + 1):
        gen.case()
        if done % CHUNK == 0 or done == count:
            _copy(conn, gen)  # in chunks, so two million cases fit in memory
    _set_sequences(conn, gen)


def _days(first: dt.date, last: dt.date):
    while first <= last:
        yield first
        first += dt.timedelta(days=1)


def _works(day: dt.date, calendar: dict[dt.date, str]) -> bool:
    kind = calendar.get(day)
    return kind == "workday" if kind else day.weekday() < 5


def _next_ids(conn: Connection) -> dict[str, int]:
    ids = {t: conn.execute(text(f"SELECT coalesce(max(id), 0) + 1 FROM {t}")).scalar_one()
           for t in TABLES}
    ids["receipt"] = conn.execute(text(
        "SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM receipt_seq"
    )).scalar_one()
    return ids


class _Generator:
    def __init__(self, world: World, rng: random.Random, now: dt.datetime,
                 ids: dict[str, int]) -> None:
        self.w, self.rng, self.now, self.ids = world, rng, now, ids
        self.rows: dict[str, list[tuple]] = {t: [] for t in
                                             TABLES}
        self.villages = [i for i, u in world.units.items() if u["tier"] == "village"]
        self.centres = [i for i, u in world.units.items()
                        if u["tier"] == "township" and u["dept"] is None]
        self.windows = {(u["parent"], u["dept"]): i for i, u in world.units.items()
                        if u["dept"] is not None}
        self.root = next(i for i, u in world.units.items() if u["parent"] is None)
        # The demo agent's village point and their town's centre take in a larger share, so
        # that the demo users' own dashboards have something in every chart.
        codes = {u["code"]: i for i, u in world.units.items()}
        self.focus = [(codes[code], share) for code, share in FOCUS.items() if code in codes]
        self.citizens: list[int] = []
        self.phones: dict[int, str] = {}

    def _id(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] += 1
        return value

    def _citizen(self) -> int:
        if self.citizens and self.rng.random() < 0.3:
            return self.rng.choice(self.citizens)
        cid = self._id("citizens")
        name = self.rng.choice(ref.SURNAMES)[0] + self.rng.choice(ref.GIVEN_NAMES)
        phone = f"1{self.rng.choice('35789')}{self.rng.randrange(10**9):09d}"
        self.rows["citizens"].append((cid, name, phone, self.now - dt.timedelta(days=366)))
        self.citizens.append(cid)
        self.phones[cid] = phone
        return cid

    def _received_at(self) -> dt.datetime:
        day = self.rng.choice(self.w.working_days[: bisect.bisect_right(
            self.w.working_days, self.now.date())])
        minute = self.rng.randrange(8 * 60 + 30, 17 * 60 + 30)
        at = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=TZ)
        return min(at, self.now - dt.timedelta(minutes=self.rng.randrange(5, 600)))

    def _due(self, received: dt.date, days: int) -> dt.date:
        i = bisect.bisect_right(self.w.working_days, received)
        return self.w.working_days[min(i + days - 1, len(self.w.working_days) - 1)]

    def _handler(self, intake: int, service: dict) -> int:
        """The unit able to complete the service, seen from the intake unit."""
        tier, dept = service["min_tier"], service["department_id"]
        unit = self.w.units[intake]
        if tier == "village" or tier == unit["tier"] or unit["tier"] == "city":
            return intake
        if tier == "township":
            centre = unit["parent"] if unit["tier"] == "village" else (
                unit["parent"] if unit["dept"] else intake)
            return self.windows.get((centre, dept), centre)
        return self.windows.get((self.root, dept), self.root)

    def _intake_unit(self, service: dict) -> int:
        r = self.rng.random()
        for unit, share in self.focus:
            if r < share:
                return unit
            r -= share
        if r < 0.65:
            return self.rng.choice(self.villages)
        if r < 0.9:
            return self.rng.choice(self.centres)
        return self.windows.get((self.root, service["department_id"]), self.root)

    def case(self) -> None:
        rng = self.rng
        service = rng.choices(self.w.services, self.w.service_weights)[0]
        intake = self._intake_unit(service)
        handler = self._handler(intake, service)
        received = self._received_at()
        due = self._due(received.date(), service["time_limit_days"])
        case_id = self._id("cases")
        t = received
        events: list[tuple] = []  # (at, actor, unit, kind, from, to, data)
        state = {"status": "received", "unit": intake, "assignee": None}

        def event(at, kind, to=None, unit=None, actor=None, data=None):
            events.append((at, actor, unit or state["unit"], kind,
                           state["status"] if to else None, to, data or {}))
            if to:
                state["status"] = to

        event(t, "created", "received", actor=self.w.staff.get(intake))
        handoffs = []
        if handler != intake:
            t += dt.timedelta(minutes=rng.randrange(10, 240))
            sender = self.w.staff.get(intake)
            if rng.random() < 0.1:  # a first try sent to the wrong window, returned
                wrong = rng.choice(list(self.windows.values()))
                hid = self._id("handoffs")
                event(t, "handoff_requested", "handoff_pending", actor=sender,
                      data={"handoff_id": hid, "to_unit_id": wrong})
                answered = t + dt.timedelta(hours=rng.uniform(0.5, 30))
                handoffs.append([hid, intake, wrong, t, answered, "returned",
                                 rng.choice(RETURN_REASONS)])
                t = answered
                event(t, "handoff_returned", "received", actor=self.w.staff.get(wrong),
                      data={"handoff_id": hid})
                t += dt.timedelta(minutes=rng.randrange(10, 180))
            hid = self._id("handoffs")
            event(t, "handoff_requested", "handoff_pending", actor=sender,
                  data={"handoff_id": hid, "to_unit_id": handler})
            answered = t + dt.timedelta(hours=rng.expovariate(1 / 6))
            handoffs.append([hid, intake, handler, t, answered, "accepted", None])
            t = answered
            state["unit"] = handler
            event(t, "handoff_accepted", "received", actor=self.w.staff.get(handler),
                  data={"handoff_id": hid, "from_unit_id": intake})
        t += dt.timedelta(minutes=rng.randrange(5, 300))
        worker = self.w.staff.get(handler)
        event(t, "claimed", "in_progress", actor=worker)
        if rng.random() < 0.12:
            t += dt.timedelta(hours=rng.uniform(1, 48))
            event(t, "documents_requested", "waiting_citizen", actor=worker)
            t += dt.timedelta(days=rng.uniform(0.5, 6))
            event(t, "documents_received", "in_progress", actor=worker)
        limit_days = service["time_limit_days"] * 1.4
        # Most cases finish within their limit; a few get stuck and run late.
        share = rng.uniform(0.15, 1.1) if rng.random() > 0.06 else rng.uniform(1.2, 2.5)
        t = max(t, received + dt.timedelta(days=limit_days * share))
        if rng.random() < 0.01:
            event(t, "withdrawn", "withdrawn", actor=worker)
        else:
            event(t, "resolved", "resolved", actor=worker, data={"outcome": "approved"})
            if rng.random() < 0.85:
                t += dt.timedelta(days=rng.uniform(0.1, 3))
                event(t, "closed", "closed", actor=worker)
        self._emit(case_id, service, intake, received, due, events, handoffs)

    def _emit(self, case_id, service, intake, received, due, events, handoffs) -> None:
        kept = [e for e in events if e[0] <= self.now]
        status, unit, assignee, resolved_at, closed_at = "received", intake, None, None, None
        for at, actor, ev_unit, kind, _from, to, _data in kept:
            unit = ev_unit
            if to:
                status = to
            if kind == "claimed":
                assignee = actor
            elif kind in ("handoff_accepted",):
                assignee = None
            elif kind == "resolved":
                resolved_at = at
            elif kind in ("closed", "withdrawn"):
                closed_at = at
        receipt = f"LX-{received:%Y%m%d}-{self._id('receipt'):06d}"
        citizen = self._citizen()
        self.rows["cases"].append((
            case_id, receipt, service["id"], citizen, self.phones[citizen], intake, unit, assignee,
            status,
            "urgent" if self.rng.random() < 0.05 else "normal",
            self.rng.choices(["walk_in", "phone", "home_visit"], [70, 18, 12])[0],
            "", "{}", json.dumps([{**d, "brought": True} for d in service["documents"]]),
            received, due, resolved_at, closed_at, len(kept)))
        for at, actor, ev_unit, kind, from_s, to_s, data in kept:
            self.rows["case_events"].append((self._id("case_events"), case_id, at, actor, ev_unit,
                                             kind, from_s, to_s, json.dumps(data)))
        for hid, src, dst, req_at, ans_at, outcome, reason in handoffs:
            if req_at > self.now:
                continue
            answered = ans_at <= self.now
            self.rows["handoffs"].append((
                hid, case_id, src, dst, self.w.units[src]["dept"], self.w.units[dst]["dept"],
                outcome if answered else "pending", "该事项需由职能部门窗口办理",
                self.w.staff.get(src), req_at, self.w.staff.get(dst) if answered else None,
                ans_at if answered else None, reason[1] if answered and reason else None,
                reason[0] if answered and reason else None, "received",
                resolved_at if answered and outcome == "accepted" else None))
        if closed_at is not None:
            self._rated(case_id, unit, closed_at)

    def _rated(self, case_id: int, unit: int, at: dt.datetime) -> None:
        """The citizen's rating on the status page after delivery; a bad one opened a
        rectification, which the manager above closed within about a week, after calling
        the citizen back, unless it is recent."""
        rating = self.rng.choices(RATINGS, RATING_WEIGHTS)[0]
        feedback_id = self._id("feedback")
        self.rows["feedback"].append((feedback_id, case_id, rating, "", "citizen", at, None))
        if rating > 2:
            return
        closed = at + dt.timedelta(days=self.rng.uniform(1, RECTIFY_DAYS))
        manager = self.w.manager_above(unit)
        done = closed <= self.now and manager is not None
        self.rows["rectifications"].append((
            self._id("rectifications"), case_id, unit, feedback_id, at,
            (at + dt.timedelta(days=RECTIFY_DAYS)).date(), closed if done else None,
            manager if done else None, self.rng.choice(RECTIFIED) if done else "",
            closed if done else None, manager if done else None,
            self.rng.choice(CALLED) if done else "",
            self.rng.choice([3, 4, 4, 5]) if done else None))


TABLES = ("citizens", "cases", "case_events", "handoffs", "feedback", "rectifications")
COLUMNS = {
    "citizens": "id, name, phone, created_at",
    "cases": "id, receipt_no, service_type_id, citizen_id, contact_phone, intake_unit_id, unit_id, "
             "assignee_id, status, priority, channel, note, answers, documents, received_at, "
             "due_date, resolved_at, closed_at, version",
    "case_events": "id, case_id, at, actor_id, unit_id, kind, from_status, to_status, data",
    "handoffs": "id, case_id, from_unit_id, to_unit_id, from_department_id, to_department_id, "
                "state, reason, requested_by, requested_at, answered_by, answered_at, "
                "return_reason, return_category, from_status, completed_at",
    "feedback": "id, case_id, rating, comment, source, recorded_at, recorded_by",
    "rectifications": "id, case_id, unit_id, feedback_id, opened_at, due_date, closed_at, "
                      "closed_by, action_taken, called_at, called_by, call_note, new_rating",
}


def _copy(conn: Connection, gen: _Generator) -> None:
    raw: psycopg.Connection = conn.connection.driver_connection
    with raw.cursor() as cur:
        for table in TABLES:
            with cur.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN") as copy:
                for row in gen.rows[table]:
                    copy.write_row(row)
            gen.rows[table].clear()


def _set_sequences(conn: Connection, gen: _Generator) -> None:
    raw: psycopg.Connection = conn.connection.driver_connection
    with raw.cursor() as cur:
        for table in TABLES:
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM {table}))")
        cur.execute("SELECT setval('receipt_seq', %s, false)", (gen.ids["receipt"],))
