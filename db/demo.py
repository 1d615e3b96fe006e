"""Demo data: the Laixi unit tree, service catalogue, holidays, demo users and historical cases."""

from __future__ import annotations

import csv
import datetime as dt
import random

import bcrypt
from sqlalchemy import select
from sqlalchemy.orm import Session

from db import reference as ref
from db.config import ROOT
from db.models import Department, Holiday, ServiceType, Unit, User

DEMO_PASSWORD = "laixi2026"
# username, display name, role, unit code
DEMO_USERS = [
    ("agent", "姜秀英", "agent", "jiangshan-v01"),
    ("officer", "王建国", "officer", "jiangshan-hrss"),
    ("manager", "李志强", "manager", "city"),
    ("admin", "张卫东", "admin", "city"),
]
CITY_DEPARTMENTS = [d[0] for d in ref.DEPARTMENTS if d[0] not in ("edu", "veterans")]


def load_reference(session: Session, seed: int = 7, villages: tuple[int, int] = (20, 60),
                   password: str = DEMO_PASSWORD) -> None:
    """Departments, units, services, holidays and users; the caller commits.

    The demo logins get `password`; any other than the published one must be changed at the
    first log-in (a demo loaded outside development)."""
    rng = random.Random(seed)
    departments = {code: Department(code=code, name_zh=zh, name_en=en)
                   for code, zh, en in ref.DEPARTMENTS}
    session.add_all(departments.values())
    session.flush()
    _units(session, departments, rng, villages)
    for code, zh, en, category, dept, tier, days, docs in ref.SERVICES:
        session.add(ServiceType(
            code=code, name_zh=zh, name_en=en, category=category,
            department_id=departments[dept].id if dept else None, min_tier=tier,
            time_limit_days=days,
            documents=[{"name_zh": z, "name_en": e, "required": r} for z, e, r in docs],
            form_fields=ref.FORM_FIELDS.get(code, [])))
    session.add_all(Holiday(day=dt.date.fromisoformat(r["date"]), kind=r["kind"],
                            name_zh=r["name_zh"], name_en=r["name_en"]) for r in holidays())
    session.flush()
    _users(session, rng, password)


def holidays() -> list[dict[str, str]]:
    with (ROOT / "db" / "data" / "holidays-cn.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _units(session: Session, departments: dict[str, Department], rng: random.Random,
           villages: tuple[int, int]) -> None:
    def add(code, zh, en, tier, parent=None, dept=None) -> Unit:
        unit = Unit(code=code, name_zh=zh, name_en=en, tier=tier,
                    parent_id=parent.id if parent else None,
                    department_id=departments[dept].id if dept else None,
                    path=f"{parent.path if parent else '/'}{code}/", active=True)
        session.add(unit)
        session.flush()
        return unit

    hall = add("city", "莱西市民中心行政服务大厅", "Laixi Administrative Service Hall", "city")
    for dept in CITY_DEPARTMENTS:
        d = departments[dept]
        add(f"city-{dept}", f"市民中心{d.name_zh}窗口", f"City Hall {d.name_en} Window",
            "city", hall, dept)
    for code, zh, en, _kind in ref.TOWNS:
        centre = add(code, f"{zh}便民服务中心", f"{en} Service Centre", "township", hall)
        for dept, wzh, wen in ref.TOWNSHIP_WINDOWS:
            add(f"{code}-{dept}", f"{zh}{wzh}", f"{en} {wen}", "township", centre, dept)
        for i, (vzh, ven) in enumerate(_village_names(code, rng, rng.randint(*villages)), 1):
            add(f"{code}-v{i:02d}", f"{zh}{vzh}代理点", f"{ven} Village Agency Point, {en}",
                "village", centre)


def _village_names(town: str, rng: random.Random, count: int) -> list[tuple[str, str]]:
    names = list(ref.JIANGSHAN_VILLAGES) if town == "jiangshan" else []
    seen = {zh for zh, _ in names}
    while len(names) < count:
        (szh, sen), (xzh, xen) = rng.choice(ref.SURNAMES), rng.choice(ref.VILLAGE_SUFFIXES)
        zh = f"{szh}{xzh}" if xzh == "村" else f"{szh}{xzh}村"
        if zh not in seen:
            seen.add(zh)
            names.append((zh, f"{sen}{xen}"))
    return names[:count]


def _users(session: Session, rng: random.Random, password: str) -> None:
    """The demo logins, plus one member of staff per unit so history has people in it."""
    demo_hash = bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()
    # Staff accounts exist for history only: they get an unguessable password.
    staff_hash = bcrypt.hashpw(bcrypt.gensalt(), bcrypt.gensalt()).decode()
    units = {u.code: u for u in session.scalars(select(Unit))}
    for username, name, role, unit in DEMO_USERS:
        session.add(User(username=username, display_name=name, role=role,
                         unit_id=units[unit].id, password_hash=demo_hash, language="zh",
                         must_change_password=password != DEMO_PASSWORD))
    for unit in units.values():
        role = "agent" if unit.tier == "village" or unit.department_id is None else "officer"
        if unit.tier == "township" and unit.department_id is None:
            session.add(User(username=f"mgr-{unit.code}", display_name=_person(rng),
                             role="manager", unit_id=unit.id, password_hash=staff_hash))
        session.add(User(username=f"staff-{unit.code}", display_name=_person(rng), role=role,
                         unit_id=unit.id, password_hash=staff_hash))
    session.flush()


def _person(rng: random.Random) -> str:
    return rng.choice(ref.SURNAMES)[0] + rng.choice(ref.GIVEN_NAMES)


def is_empty(session: Session) -> bool:
    return session.scalar(select(Unit.id).limit(1)) is None
