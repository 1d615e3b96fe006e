"""Command line: `python -m portal run | seed | migrate | sweep`."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading

from db import demo, migrate
from db.config import ROOT, config, cookie_key
from db.engine import database_url, engine
from db.seed import seed
from portal import background, rollup, settings, supervision
from portal.uow import UnitOfWork

DEFAULT_CASES = 5000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="start the database, migrate, seed if empty, serve")
    run.add_argument("--port", type=int, default=8501)
    run.add_argument("--cases", type=int, default=DEFAULT_CASES,
                     help="historical cases to load into an empty database")
    seed_cmd = commands.add_parser("seed", help="load demo data (historical cases are added)")
    seed_cmd.add_argument("--cases", type=int, default=DEFAULT_CASES)
    commands.add_parser("migrate", help="apply database migrations")
    commands.add_parser("sweep", help="record the supervision notices that have fallen due "
                                      "(run does this every few minutes; for cron elsewhere)")
    args = parser.parse_args(argv)

    url = database_url()
    migrate.upgrade(url)
    if args.command == "migrate":
        return 0
    if args.command == "sweep":
        made = supervision.sweep(UnitOfWork())
        print(", ".join(f"{level}: {count}" for level, count in made.items()))
        return 0
    if args.command == "seed":
        took = seed(engine(), args.cases)
        print(f"Loaded {args.cases} historical cases in {took:.1f} s.")
        return 0
    took = seed(engine(), args.cases, only_if_empty=True)
    if took is not None:
        print(f"Empty database: loaded demo data with {args.cases} cases in {took:.1f} s.")
    rollup.ensure(UnitOfWork())  # the days since the last run, before the first dashboard
    return serve(url, args.port)


def serve(url: str, port: int) -> int:
    """Run the Streamlit app in a child process; the embedded database lives as long as we do."""
    cookie_key()  # generated now, before the first request, when missing
    print(f"\nService Agent Portal: http://localhost:{port}")
    print(f"Demo logins (password for each: {demo.DEMO_PASSWORD}):")
    for username, name, role, unit in demo.DEMO_USERS:
        print(f"  {username:<8} {role:<8} {name}  ({unit})")
    if config().database_url is None:
        print(f"Embedded PostgreSQL data: {config().pgdata}")
    sys.stdout.flush()
    env = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
               "--server.port", str(port)]
    child = subprocess.Popen(command, cwd=ROOT, env=env)
    stop = threading.Event()
    threading.Thread(target=background.keep_running, name="background", daemon=True,
                     args=(stop, settings.SUPERVISION_SWEEP_MINUTES * 60)).start()
    # On SIGTERM as on Ctrl-C: stop the app first, then exit normally so the embedded
    # database shuts down cleanly.
    signal.signal(signal.SIGTERM, lambda *_: child.terminate())
    try:
        return child.wait()
    except KeyboardInterrupt:
        child.terminate()
        return child.wait()
    finally:
        stop.set()


if __name__ == "__main__":
    sys.exit(main())
