"""What one PostgreSQL carries of the portal's writes: intakes per second from many threads.

Usage: python -m bench.intake [--url URL] [--threads 1,4,8,16] [--seconds 20]

Takes cases in through portal.intake.intake.take_in, as the intake page does (each its own
transaction: the citizen, the case, its first event with its hash, assignment), from each
number of threads in turn for `--seconds`, on a fresh database portal_bench_intake on the
server at URL (default: the embedded one under var/bench-pgdata). Prints intakes a second,
statements a second and the time of one intake, and writes bench/results/intake.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import threading
import time

from sqlalchemy import event
from sqlalchemy.orm import Session

from bench.database import fresh_url, use
from bench.queue import RESULTS
from db import demo, migrate
from db.engine import owner_engine
from portal.accounts import accounts
from portal.uow import UnitOfWork
from tests.factories import new_case

DATABASE = "portal_bench_intake"


def burst(threads: int, seconds: float, engine) -> dict[str, float]:
    agents = [accounts.actor(UnitOfWork(), name) for name in ("agent", "staff-jiangshan-v02")]
    took: list[float] = []
    statements = [0]

    def counted(*_):
        statements[0] += 1

    def intake(n: int) -> None:
        agent = agents[n % len(agents)]
        while time.monotonic() < stop:
            started = time.perf_counter()
            new_case(UnitOfWork(), agent, phone=f"139{n:02d}{len(took) % 1_000_000:06d}")
            took.append(time.perf_counter() - started)

    event.listen(engine, "before_cursor_execute", counted)
    stop = time.monotonic() + seconds
    workers = [threading.Thread(target=intake, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    event.remove(engine, "before_cursor_execute", counted)
    took.sort()
    return {"threads": threads, "intakes_per_s": round(len(took) / seconds, 1),
            "statements_per_s": round(statements[0] / seconds),
            "p50_ms": round(statistics.median(took) * 1000, 1),
            "p95_ms": round(took[int(0.95 * len(took))] * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--threads", default="1,4,8,16")
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    url = fresh_url(args.url, DATABASE)
    migrate.upgrade(url)
    engine = use(url)
    with Session(owner_engine()) as session:
        demo.load_reference(session, villages=(3, 3))
        session.commit()
    rows = [burst(int(n), args.seconds, engine) for n in args.threads.split(",")]
    print(f"{'threads':>8}{'intakes/s':>11}{'statements/s':>14}{'p50 ms':>9}{'p95 ms':>9}")
    for row in rows:
        print(f"{row['threads']:>8}{row['intakes_per_s']:>11}{row['statements_per_s']:>14}"
              f"{row['p50_ms']:>9}{row['p95_ms']:>9}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "intake.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
