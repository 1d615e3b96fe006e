"""Time what every script run spends on its session: portal.accounts.sessions.current, as app.py calls it.

Usage: python -m bench.session [--url URL] [--users 500] [--ended 200000] [--calls 2000]
                               [--runs 5]

A database portal_bench_session is made anew on the server at URL (default: the embedded one
under var/bench-pgdata), with the demo units and `--users` people, each signed in once, and
`--ended` sessions that have ended (months of log-ins). Each run checks `--calls` random live
sessions as a plain rerun does (one SELECT) and as the rerun that notes the click does (one
UPDATE … RETURNING, at most once a minute per session), counting the statements each sends;
beside them, in the same run, the two queries the signed log-in cookie cost every run before
(the user for streamlit-authenticator, then the user and unit again). Prints a table of
medians and writes bench/results/session.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import time

from sqlalchemy import event, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from bench.database import fresh_url, use
from db import demo, migrate
from db.config import ROOT
from db.engine import make_engine
from db.models import Unit, User, UserSession
from portal import clock
from portal.accounts import sessions
from portal.uow import UnitOfWork

RESULTS = ROOT / "bench" / "results"
DATABASE = "portal_bench_session"


def before(factory, username: str) -> None:
    """What every run cost before, with streamlit-authenticator and a signed cookie: the user
    for the library (accounts.credentials), then the user and unit again (accounts.signed_in),
    each in its own unit of work."""
    with UnitOfWork(factory) as uow:
        uow.session.execute(select(User.display_name, User.role).where(
            User.username == username, User.active)).first()
    with UnitOfWork(factory) as uow:
        uow.session.execute(select(User, Unit.path, Unit.name_zh, Unit.name_en).join(
            Unit, User.unit_id == Unit.id).where(User.username == username, User.active)).first()


def populate(engine, users: int, ended: int) -> list[tuple[str, str]]:
    """(token, username) of one live session per person; plus `ended` ended sessions."""
    with Session(engine) as session:
        demo.load_reference(session, villages=(2, 4))
        unit = session.scalar(select(Unit.id).where(Unit.code == "city"))
        session.execute(insert(User), [
            {"username": f"bench{n:05d}", "display_name": f"测试{n}", "role": "agent",
             "unit_id": unit, "password_hash": "x", "language": "zh"} for n in range(users)])
        session.commit()
        people = session.execute(select(User.id, User.username).where(
            User.username.like("bench%"))).all()
    factory = sessionmaker(engine, expire_on_commit=False)
    live = [(sessions.start(UnitOfWork(factory), uid, "198.51.100.7", "bench").token, name)
            for uid, name in people]
    now = clock.now()
    with engine.begin() as conn:
        for start in range(0, ended, 20_000):
            conn.execute(insert(UserSession), [{
                "user_id": people[n % len(people)][0], "token_hash": os.urandom(32),
                "created_at": now - dt.timedelta(days=30), "expires_at": now - dt.timedelta(days=29),
                "last_seen_at": now - dt.timedelta(days=30), "revoked_at": now - dt.timedelta(days=30),
                "revoked_reason": "logout", "client": "198.51.100.7", "user_agent": "bench"}
                for n in range(start, min(start + 20_000, ended))])
        conn.execute(text("ANALYZE"))
    return live


def time_calls(engine, factory, live, calls: int, touch: bool | None) -> tuple[float, float]:
    """Median microseconds per check, and statements per check; `touch` None: the old way."""
    statements = [0]

    def count(*_):
        statements[0] += 1
    event.listen(engine, "before_cursor_execute", count)
    seconds = []
    try:
        for token, username in random.choices(live, k=calls):
            started = time.perf_counter()
            if touch is None:
                before(factory, username)
            else:
                found = sessions.current(UnitOfWork(factory), token, touch=touch)
                assert not isinstance(found, str), found
            seconds.append(time.perf_counter() - started)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return statistics.median(seconds) * 1e6, statements[0] / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--ended", type=int, default=200_000)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    url = fresh_url(args.url, DATABASE)
    migrate.upgrade(url)
    use(url)
    engine = make_engine(url)
    live = populate(engine, args.users, args.ended)
    factory = sessionmaker(engine, expire_on_commit=False)
    kinds = {"before: signed cookie, user read twice": None,
             "session check (a rerun)": False, "session check noting the click": True}
    runs: dict[str, list[tuple[float, float]]] = {kind: [] for kind in kinds}
    for _ in range(args.runs):
        for kind, touch in kinds.items():  # side by side in every run
            runs[kind].append(time_calls(engine, factory, live, args.calls, touch))
    medians = {kind: (statistics.median(r[0] for r in results), results[0][1])
               for kind, results in runs.items()}
    print(f"{len(live)} live sessions, {args.ended:,} ended; {args.calls} checks a run, "
          f"median of {args.runs} runs")
    print(f"{'per script run':<42}{'µs':>10}{'statements':>12}")
    for kind, (micros, statements) in medians.items():
        print(f"{kind:<42}{micros:>10.0f}{statements:>12.1f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "session.json").write_text(json.dumps(
        {"live": len(live), "ended": args.ended, "calls": args.calls, "runs": runs,
         "median_us_and_statements": medians}, indent=2))
    engine.dispose()


if __name__ == "__main__":
    main()
