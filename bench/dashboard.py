"""Time the dashboard's data at the source programme's scale x10, and count its queries.

Usage: python -m bench.dashboard [--url URL] [--runs 5] [--viewers 40] [--seconds 60]

Uses the `portal_bench` database of bench.queue (load it there first). Measures, through the
functions the page calls (components.dashboard_data: each section, overview, departments
together and efficiency, computed only when shown): folding the completed days
(once, as the background job does), the data cold (nothing cached) and warm (cached), for
the city manager and for the busiest town's manager; then N viewers of one scope refreshing
every DASHBOARD_REFRESH_SECONDS for a minute against one viewer, counting the queries each
causes. Prints a table and writes bench/results/dashboard.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import threading
import time

from sqlalchemy import event, text
from sqlalchemy.orm import sessionmaker

from bench.database import use
from bench.queue import RESULTS, bench_url
from components import dashboard_data
from components.dashboard_data import efficiency, figures, together
from db import migrate
from portal import settings
from portal.accounts import accounts
from portal.dashboard import rollup
from portal.uow import UnitOfWork

SECTIONS = {"overview": figures, "together": together, "efficiency": efficiency}


def dashboard(scope) -> None:
    """What a dashboard on its default section asks for on every refresh."""
    figures(scope)


def forget() -> None:
    dashboard_data.SECTIONS.clear()


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def watch(scope, viewers: int, seconds: float, engine) -> int:
    """Queries caused by `viewers` sessions each redrawing every refresh interval."""
    count = [0]

    def counted(*_):
        count[0] += 1

    event.listen(engine, "before_cursor_execute", counted)
    forget()
    stop = time.monotonic() + seconds

    def viewer():
        while time.monotonic() < stop:
            dashboard(scope)
            time.sleep(settings.current().dashboard_refresh_seconds)

    threads = [threading.Thread(target=viewer) for _ in range(viewers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    event.remove(engine, "before_cursor_execute", counted)
    return count[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--viewers", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    url = bench_url(args.url)
    migrate.upgrade(url)
    engine = use(url)  # figures() use the portal's own engine, as the page does
    factory = sessionmaker(engine, expire_on_commit=False)
    with engine.connect() as conn:
        total = conn.execute(text("SELECT count(*) FROM cases")).scalar_one()
        town = conn.execute(text(
            "SELECT u.username FROM users u JOIN units t ON t.id = u.unit_id "
            "WHERE u.username LIKE 'mgr-%' ORDER BY (SELECT count(*) FROM cases c JOIN units x "
            "ON x.id = c.unit_id WHERE x.path LIKE t.path || '%' AND c.status = 'received') DESC "
            "LIMIT 1")).scalar_one()
    fold_ms = timed(lambda: rollup.ensure(UnitOfWork(factory)))
    results = {"cases": total, "fold_ms": round(fold_ms), "figures": {}}
    for username in ("manager", town):
        scope = accounts.actor(UnitOfWork(factory), username).scope
        for section, load in SECTIONS.items():
            cold, warm = [], []
            for _ in range(args.runs):
                forget()
                cold.append(timed(lambda s=scope, f=load: f(s)))
                warm.append(timed(lambda s=scope, f=load: f(s)))
            results["figures"][f"{username} {section}"] = {
                "cold_ms": round(statistics.median(cold), 1),
                "warm_ms": round(statistics.median(warm), 3)}
    city = accounts.actor(UnitOfWork(factory), "manager").scope
    one = watch(city, 1, args.seconds, engine)
    many = watch(city, args.viewers, args.seconds, engine)
    results["queries"] = {"one_viewer": one, f"{args.viewers}_viewers": many}

    print(f"{total:,} cases; folding the completed days (once): {fold_ms / 1000:.1f} s")
    print(f"{'scope and section':<30}{'cold ms':>12}{'warm ms':>12}")
    for label, row in results["figures"].items():
        print(f"{label:<30}{row['cold_ms']:>12.1f}{row['warm_ms']:>12.3f}")
    print(f"(median of {args.runs}; cold = nothing cached, warm = the cached figures)")
    print(f"queries in {args.seconds:.0f} s: one viewer {one}, {args.viewers} viewers {many}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "dashboard.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
