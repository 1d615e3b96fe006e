"""Time the queue page's data calls and the queue search at the source programme's scale x10.

Usage: python -m bench.queue [--url URL] [--cases 2000000] [--runs 25]

URL is a postgresql+psycopg:// URL of a server (default: the embedded one under
var/bench-pgdata); the script loads a `portal_bench` database there once, then reuses it.
Every call goes through portal.casework.queue exactly as pages/queue.py makes it, through the
portal's own engine settings. Prints a table of medians and writes bench/results/queue.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from bench.database import use
from db import demo, embedded, history, migrate
from db.config import ROOT
from db.engine import make_engine
from portal.accounts import accounts
from portal.casework import queue
from portal.uow import UnitOfWork

RESULTS = ROOT / "bench" / "results"


def bench_url(server: str | None, database: str = "portal_bench") -> str:
    """The benchmark's database on the given server or the embedded one, kept between runs."""
    if server is None:
        return embedded.start(ROOT / "var" / "bench-pgdata", database=database)
    url = make_url(server).set(database=database)
    admin = url.set(drivername="postgresql", database="postgres")
    embedded.create_database(admin.render_as_string(hide_password=False), database)
    return url.render_as_string(hide_password=False)


def load(engine, cases: int) -> float | None:
    """Bring the database to `cases` cases; seconds it took, None if it already had them."""
    with engine.connect() as conn:
        have = conn.execute(text("SELECT count(*) FROM cases")).scalar_one()
    if have >= cases:
        return None
    started = time.perf_counter()
    with Session(engine) as session:
        if demo.is_empty(session):
            demo.load_reference(session)
            session.commit()
    with engine.begin() as conn:
        history.generate(conn, cases - have, seed=have + 1)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    return time.perf_counter() - started


def busiest_unit_staff(engine) -> str:
    with engine.connect() as conn:
        return conn.execute(text(
            "SELECT u.username FROM cases c JOIN users u ON u.unit_id = c.unit_id "
            "WHERE c.status IN ('received','in_progress','waiting_citizen','handoff_pending',"
            "'reopened') AND u.username LIKE 'staff-%' "
            "GROUP BY u.username ORDER BY count(*) DESC LIMIT 1")).scalar_one()


def median_ms(call, runs: int) -> float:
    call()  # warm the caches once
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--cases", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=25)
    args = parser.parse_args()
    url = bench_url(args.url)
    migrate.upgrade(url)
    use(url)  # what the queue reads through the portal's own engine (settings) comes from here
    engine = make_engine(url)
    loaded = load(engine, args.cases)
    factory = sessionmaker(engine, expire_on_commit=False)
    with engine.connect() as conn:
        total = conn.execute(text("SELECT count(*) FROM cases")).scalar_one()
        grams = conn.execute(text(
            "SELECT count(*) FROM pg_indexes WHERE indexname LIKE '%_grams'")).scalar_one()
        name, phone, receipt = conn.execute(text(
            "SELECT ci.name, right(c.contact_phone, 4), right(c.receipt_no, 7) FROM cases c "
            "JOIN citizens ci ON ci.id = c.citizen_id ORDER BY c.id DESC LIMIT 1")).one()
    staff = accounts.actor(UnitOfWork(factory), busiest_unit_staff(engine))
    city = accounts.actor(UnitOfWork(factory), "manager")

    def uow() -> UnitOfWork:
        return UnitOfWork(factory)

    def page_data(actor, flt: queue.QueueFilter | None = None):
        # What pages/queue.py asks for on every rerun: the badge counts and the first page.
        flt = flt or queue.QueueFilter()
        queue.badge_counts(uow(), actor, flt)
        queue.unit_queue(uow(), actor, "zh", flt)

    subtree = queue.QueueFilter(view="subtree")
    rows = {
        "unit queue page data (busiest unit)": lambda: page_data(staff),
        "unit queue, first page only": lambda: queue.unit_queue(uow(), staff, "zh"),
        "city manager, all units": lambda: page_data(city, subtree),
        f"search name '{name}' (all units)": lambda: page_data(
            city, queue.QueueFilter(view="subtree", text=name)),
        f"search phone '{phone}' (all units)": lambda: page_data(
            city, queue.QueueFilter(view="subtree", text=phone)),
        f"search receipt '{receipt}' (all units)": lambda: page_data(
            city, queue.QueueFilter(view="subtree", text=receipt)),
    }
    results = {label: round(median_ms(call, args.runs), 2) for label, call in rows.items()}
    print(f"{total:,} cases; n-gram search indexes: {grams}; "
          f"loaded now: {f'{loaded:.0f} s' if loaded else 'no'}")
    print(f"{'call':<48}{'median ms':>12}")
    for label, ms in results.items():
        print(f"{label:<48}{ms:>12.2f}")
    print(f"(median of {args.runs} runs after one warm-up; more than five runs each, so a "
          "prepared-statement plan switch would show)")
    engine.dispose()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "queue.json").write_text(json.dumps({
        "server": make_url(url).render_as_string(), "cases": total, "gram_indexes": grams,
        "runs": args.runs, "median_ms": results}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
