"""Command line: `python -m portal run | seed | migrate | sweep | send-messages | create-admin
| verify-history | history-digest | backup | restore`.

Every command but `run`'s web server works as the owning role (DATABASE_URL, or the embedded
server's superuser); the web server gets only the app role's URL.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import threading
from pathlib import Path

from db import backup, demo, migrate
from db.config import ConfigError, config
from db.engine import app_url, owner_engine, owner_url
from db.seed import seed
from portal import audit, serving
from portal.accounts import accounts
from portal.casework import supervision
from portal.dashboard import rollup
from portal.errors import InvalidInput
from portal.messages import t
from portal.messaging import adapters, worker
from portal.run import background, bootstrap, demo_desk
from portal.uow import UnitOfWork

DEFAULT_CASES = 5000


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "restore":  # into an empty database: nothing to migrate first
            backup.restore(owner_url(), args.file)
            migrate.upgrade()
            print(f"Restored {args.file}.")
            return 0
        migrate.upgrade()
        return COMMANDS[args.command](args)
    except (backup.BackupError, ConfigError) as error:
        print(f"{args.command}: {error}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m portal", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="start the database, migrate, seed if asked, serve")
    run.add_argument("--port", type=int, default=8501)
    run.add_argument("--cases", type=int, default=DEFAULT_CASES,
                     help="historical cases to load into an empty database")
    run.add_argument("--workers", type=int, default=1,
                     help="Streamlit processes behind HAProxy (sticky sessions); default one, "
                          "with no proxy")
    run.add_argument("--address", default="127.0.0.1",
                     help="the address to listen on (default 127.0.0.1, for the reverse proxy "
                          "on this host; 0.0.0.0 or :: to be reached from other hosts)")
    run.add_argument("--demo", action="store_true",
                     help="load the demo data into an empty database outside development too")
    seed_cmd = commands.add_parser("seed", help="load demo data (historical cases are added)")
    seed_cmd.add_argument("--cases", type=int, default=DEFAULT_CASES)
    commands.add_parser("migrate", help="apply database migrations and grant the app role")
    commands.add_parser("sweep", help="record the supervision notices that have fallen due "
                                      "(run does this every few minutes; for cron elsewhere)")
    send = commands.add_parser("send-messages", help="send the outbox's messages that are due "
                                                     "(run does this every few seconds)")
    send.add_argument("--watch", action="store_true",
                      help="keep sending as messages arrive, until stopped")
    admin = commands.add_parser("create-admin", help="add an admin (the first one of a new "
                                                     "database); the password must be changed")
    admin.add_argument("--username", required=True)
    admin.add_argument("--name", default="系统管理员", help="display name")
    admin.add_argument("--hall", default="行政服务大厅",
                       help="name of the top unit, created on an empty database")
    admin.add_argument("--ask-password", action="store_true",
                       help="type the password (else one is generated and shown once)")
    verify = commands.add_parser("verify-history", help="check every case event's hash chain "
                                                        "and the history's digests")
    verify.add_argument("--against", type=Path,
                        help="a file of digests kept elsewhere (lines from history-digest)")
    commands.add_parser("history-digest", help="record a digest of the history now and print "
                                               "every digest, to keep outside the database")
    for name, what in (("backup", "write a backup (pg_dump's custom format) to FILE"),
                       ("restore", "restore FILE into the configured, empty database")):
        command = commands.add_parser(name, help=what)
        command.add_argument("file", type=Path)
    return parser


def run(args: argparse.Namespace) -> int:
    development = config().is_development
    if development or args.demo:
        _seed_demo(args.cases, development)
    if not development and (found := bootstrap.demo_password_accounts(UnitOfWork())):
        print("Refusing to start: these accounts still have the published demo password: "
              f"{', '.join(found)}. Reset them on the Users page or deactivate them.",
              file=sys.stderr)
        return 2
    if not bootstrap.has_accounts(UnitOfWork()):
        print("No accounts yet: add the first admin with "
              "`python -m portal create-admin --username NAME`.")
    rollup.ensure(UnitOfWork())  # the days since the last run, before the first dashboard
    return serve(args.port, args.workers, args.address)


def _seed_demo(cases: int, development: bool) -> None:
    password = demo.DEMO_PASSWORD if development else accounts.temporary_password()
    took = seed(owner_engine(), cases, only_if_empty=True, password=password)
    if took is not None:
        demo_desk.stage()  # today's work on the demo users' own desks
        print(f"Empty database: loaded demo data with {cases} cases in {took:.1f} s.")
    if development or took is not None:  # a generated password is shown once only
        print(f"Demo logins (password for each: {password}"
              f"{'' if development else '; each must choose its own at the first log-in'}):")
        for username, name, role, unit in demo.DEMO_USERS:
            print(f"  {username:<8} {role:<8} {name}  ({unit})")


def serve(port: int, workers: int, address: str) -> int:
    """The web server (or `workers` of them behind HAProxy) and the background job; the
    embedded database lives as long as this process does."""
    host = ("localhost" if address in ("127.0.0.1", "0.0.0.0", "::")
            else f"[{address}]" if ":" in address else address)
    print(f"\nService Agent Portal: http://{host}:{port}"
          + (f" ({workers} processes behind HAProxy)" if workers > 1 else ""))
    if config().database_url is None:
        print(f"Embedded PostgreSQL data: {config().pgdata}")
    sys.stdout.flush()
    # The web servers hold the app role's URL, never the owner's.
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env["DATABASE_APP_URL"] = app_url()
    return serving.serve(port, workers, env, address, lambda stop: background.keep_running(
        stop, background.EVERY_MINUTES * 60))


def seed_command(args: argparse.Namespace) -> int:
    took = seed(owner_engine(), args.cases)
    print(f"Loaded {args.cases} historical cases in {took:.1f} s.")
    return 0


def sweep(args: argparse.Namespace) -> int:
    made = supervision.sweep(UnitOfWork())
    print(", ".join(f"{level}: {count}" for level, count in made.items()))
    return 0


def create_admin(args: argparse.Namespace) -> int:
    password = getpass.getpass("Password: ") if args.ask_password else None
    try:
        given = bootstrap.create_admin(UnitOfWork(), args.username, args.name, password,
                                       args.hall)
    except InvalidInput as invalid:
        for field, key in invalid.errors.items():
            print(f"{field}: {t(key, 'en')}", file=sys.stderr)
        return 2
    print(f"Admin {args.username.strip().lower()} created; they must choose a new password "
          "at the first log-in.")
    if password is None:
        print(f"Password (shown once): {given}")
    return 0


def verify_history(args: argparse.Namespace) -> int:
    against = [audit.Digest.parse(line) for line in args.against.read_text().splitlines()
               if line.strip()] if args.against else []
    result = audit.verify(UnitOfWork(), against)
    print(f"{result.events} events of {result.cases} cases checked.")
    if result.first_break:
        print(f"BROKEN: {result.first_break.describe()}")
    for cut in result.cut_short:
        print(f"CUT: {cut.describe()}")
    for digest, holds in result.digests:
        print(f"digest up to {digest.upto.isoformat()}: {'holds' if holds else 'DOES NOT HOLD'}")
    return 0 if result.intact else 1


def history_digest(args: argparse.Namespace) -> int:
    audit.record(UnitOfWork())
    for digest in audit.recorded(UnitOfWork()):
        print(digest.line())
    return 0


def send_messages(args: argparse.Namespace) -> int:
    chosen = adapters.configured()
    if args.watch:
        worker.keep_sending(threading.Event(), chosen, background.SEND_EVERY_SECONDS)
    done = worker.send_due(chosen, limit=10_000)
    print(f"{done.sent} sent, {done.failed} to try again, {done.dead} given up.")
    return 0


def backup_command(args: argparse.Namespace) -> int:
    backup.dump(owner_url(), args.file)
    print(f"Backup written to {args.file}.")
    return 0


COMMANDS = {"run": run, "seed": seed_command, "migrate": lambda args: 0, "sweep": sweep,
            "send-messages": send_messages,
            "create-admin": create_admin, "verify-history": verify_history,
            "history-digest": history_digest, "backup": backup_command}


if __name__ == "__main__":
    sys.exit(main())
