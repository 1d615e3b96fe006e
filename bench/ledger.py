"""Time the historical ledger import: a 10,000-row file checked (dry run) and imported.

The file comes as CSV and as Excel, and as CSV once more with each citizen's resident ID
number filled in, as most ledgers record it (citizens are then matched by that number).

Usage: python -m bench.ledger [--url URL] [--rows 10000] [--runs 5]

URL is a postgresql+psycopg:// URL of a server (default: the embedded one under
var/bench-pgdata); a database portal_bench_ledger is made anew there. Each run reads the
file as the page does (CSV and Excel), checks it, imports it, and the imported cases are
removed before the next run. Prints a table of medians and writes bench/results/ledger.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import statistics
import time

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from bench.database import fresh_url, use
from db import demo, migrate
from db.config import ROOT
from db.engine import make_engine
from db.ledger_sample import as_csv, ledger
from portal import identity
from portal.accounts import accounts
from portal.admin import ledger as import_
from portal.uow import UnitOfWork

RESULTS = ROOT / "bench" / "results"
DATABASE = "portal_bench_ledger"


def with_id_numbers(frame):
    """The ledger with a valid, distinct resident ID number for each (name, phone)."""
    people = frame[["citizen_name", "phone"]].drop_duplicates().itertuples(index=False)
    numbers = {}
    for n, person in enumerate(people):
        born = dt.date(1950, 1, 1) + dt.timedelta(days=n % 20_000)  # distinct with n // 20,000
        first17 = f"370285{born:%Y%m%d}{n // 20_000:03d}"
        numbers[tuple(person)] = first17 + identity.check_digit(first17)
    return frame.assign(id_number=[numbers[p] for p in zip(frame["citizen_name"], frame["phone"],
                                                            strict=True)])


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def run_once(factory, admin, data: bytes, name: str) -> dict[str, float]:
    """Seconds to read the file, to check it, and to read, check and import it."""
    rows = import_.read(data, name)
    return {
        "read": timed(lambda: import_.read(data, name)),
        "check (dry run)": timed(
            lambda: import_.load(UnitOfWork(factory), admin, rows, dry_run=True)),
        "read, check and import": timed(lambda: import_.load(
            UnitOfWork(factory), admin, import_.read(data, name), dry_run=False)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    url = fresh_url(args.url, DATABASE)
    migrate.upgrade(url)
    use(url)
    engine = make_engine(url)
    with Session(engine) as session:
        demo.load_reference(session)
        session.commit()
    factory = sessionmaker(engine)
    admin = accounts.actor(UnitOfWork(factory), "admin")
    frame = ledger(args.rows)
    csv_bytes = as_csv(frame)
    excel = io.BytesIO()
    frame.to_excel(excel, index=False)
    files = {"CSV": (csv_bytes, "ledger.csv"), "Excel": (excel.getvalue(), "ledger.xlsx"),
             "CSV with ID numbers": (as_csv(with_id_numbers(frame)), "ledger-ids.csv")}

    times: dict[str, list[float]] = {}
    for _ in range(args.runs):
        for kind, (data, name) in files.items():
            for step, seconds in run_once(factory, admin, data, name).items():
                times.setdefault(f"{kind}: {step}", []).append(seconds)
            with engine.begin() as conn:
                written = conn.execute(text("SELECT count(*) FROM cases")).scalar_one()
                assert written == args.rows, f"{kind}: {written} of {args.rows} rows imported"
                conn.execute(text("TRUNCATE case_events, feedback, cases, citizens CASCADE"))
    medians = {step: statistics.median(values) for step, values in times.items()}
    print(f"{args.rows:,} rows on {make_url(url).host or 'embedded'}; median of {args.runs} runs")
    print(f"{'step':<46}{'seconds':>10}")
    for step, seconds in medians.items():
        print(f"{step:<46}{seconds:>10.2f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ledger.json").write_text(json.dumps(
        {"rows": args.rows, "runs": times, "median_s": medians}, indent=2))
    engine.dispose()


if __name__ == "__main__":
    main()
