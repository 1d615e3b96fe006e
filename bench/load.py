"""A hall full of people at once: agents and managers driven over Streamlit's websocket like
real browsers, against the portal and, interleaved in the same run, a bare Streamlit app
with the portal's libraries (the floor every figure is also a ratio to).

Usage: python -m bench.load [--url URL] [--cases 200000] [--scenarios 10:0,50:0,100:20]
                            [--seconds 60] [--rounds 1] [--think 4]

The database `--database` (default `portal_bench_load`) on the server at URL (default: the
embedded one under var/bench-pgdata) is loaded once with `--cases` cases. Each virtual person logs in through
the log-in form as a browser does (the handover route sets its cookie). An agent, after a
think time of about `--think` seconds each time, changes a queue filter, opens a case of
its unit, claims a case, hands one off, or opens a new tab (a new session's first page),
checking that it sees what a browser would (the queue's table and counts, the case's
receipt number, no exception drawn). A manager keeps the dashboard open, its figures
redrawn by the fragment's timer. Server CPU and RSS are sampled every second, PostgreSQL's
transactions counted. Then, quietly, one person at a time: the server CPU of each kind of
run, and the memory of idle sessions. Prints tables and writes bench/results/load.json.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import bcrypt
import psutil
from sqlalchemy import text

from bench.client import RunFailed, Tab
from bench.database import use
from bench.queue import RESULTS, bench_url, load
from db import migrate, roles
from db.config import ROOT
from db.engine import make_engine
from portal import clients
from portal.dashboard import rollup
from portal.messages import t
from portal.uow import UnitOfWork
from tests.browser import free_port

DATABASE = "portal_bench_load"
PASSWORD = "Bench-pass-2026"


def zh(key: str, **params: object) -> str:
    return t(key, "zh", **params)


@dataclass
class Person:
    username: str
    role: str  # "agent" or "manager"
    receipts: list[str] = field(default_factory=list)  # open cases of the agent's unit
    cookie: str = ""


@dataclass
class Phase:
    """What one phase measured: waits by kind of run, errors, and the server's costs."""

    waits: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)  # a few error messages
    runs: int = 0
    cpu_seconds: float = 0.0
    wall_seconds: float = 0.0
    rss_mb: float = 0.0
    transactions: int = 0
    driver_cpu_seconds: float = 0.0  # this load driver's own, on the same cores
    database_cpu_seconds: float = 0.0  # PostgreSQL's processes

    def waited(self, kind: str, seconds: float) -> None:
        self.waits.setdefault(kind, []).append(seconds)
        self.runs += 1

    def failed(self, kind: str, error: BaseException) -> None:
        self.errors[kind] += 1
        if len(self.samples) < 5:
            self.samples.append(f"{kind}: {type(error).__name__}: {error}"[:300])

    def summary(self) -> dict[str, object]:
        def pct(kind: str, q: float) -> float | None:
            values = sorted(self.waits.get(kind, []))
            return round(values[min(len(values) - 1, int(q * len(values)))] * 1000) \
                if values else None
        kinds = {k: {"n": len(v), "p50_ms": pct(k, 0.5), "p95_ms": pct(k, 0.95)}
                 for k, v in sorted(self.waits.items())}
        return {"waits": kinds, "errors": dict(self.errors), "error_samples": self.samples,
                "runs": self.runs, "cpu_percent": round(100 * self.cpu_seconds /
                                                         max(self.wall_seconds, 1e-9)),
                "cpu_ms_per_run": round(1000 * self.cpu_seconds / max(self.runs, 1), 1),
                "rss_mb": round(self.rss_mb), "transactions_per_s":
                    round(self.transactions / max(self.wall_seconds, 1e-9), 1),
                "driver_cpu_percent": round(100 * self.driver_cpu_seconds /
                                            max(self.wall_seconds, 1e-9)),
                "database_cpu_percent": round(100 * self.database_cpu_seconds /
                                              max(self.wall_seconds, 1e-9))}




class Server:
    """A Streamlit server started for the benchmark: the portal or the bare app."""

    def __init__(self, script: str, env: dict[str, str], log: Path, workers: int = 1) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log.open("w")
        command = [sys.executable, "-m", "streamlit", "run", str(ROOT / script),
                   "--server.port", str(self.port), "--server.address", "127.0.0.1"]
        if workers > 1:  # the way production runs several: the launcher, HAProxy in front
            command = [sys.executable, "-m", "portal", "run", "--workers", str(workers),
                       "--port", str(self.port)]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        self.ps = psutil.Process(self.process.pid)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=1):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{script} did not start; see {log}")

    def _processes(self) -> list[psutil.Process]:
        """The server, or with --workers the launcher's web servers and HAProxy."""
        children = [p for p in self.ps.children(recursive=True)
                    if "server.py" in " ".join(p.cmdline()) or p.name() == "haproxy"]
        return children or [self.ps]

    def cpu(self) -> float:
        total = 0.0
        for process in self._processes():
            try:
                times = process.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                pass
        return total

    def rss_mb(self) -> float:
        return sum(p.memory_info().rss for p in self._processes()) / 2**20

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        self.log.close()


async def log_in(base: str, username: str) -> str:
    """Log in through the form as a browser does; the session cookie the server set."""
    tab = Tab(base)
    try:
        form = await tab.open("")
        await tab.set(form.widget(zh("login.username")), "string_value", username)
        await tab.set(form.widget(zh("login.password")), "string_value", PASSWORD)
        done = await tab.click(form.widget(zh("login.submit")))
    finally:
        await tab.close()
    if not done.redirect:
        raise RuntimeError(f"{username} was not logged in: {done.texts()[:200]}")
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    connection.request("GET", done.redirect)
    cookie = connection.getresponse().getheader("set-cookie") or ""
    return cookie.split(";", 1)[0].split("=", 1)[1]




async def agent(person: Person, base: str, bare: bool, until: float, phase: Phase,
                think: float) -> None:
    tab = Tab(base, {"portal_session": person.cookie})
    try:
        page = await first_page(tab, "queue", bare, phase)
        while time.monotonic() < until:
            await asyncio.sleep(random.expovariate(1 / think))
            if time.monotonic() >= until:
                return
            action = random.choices(["filter", "case", "claim", "handoff", "new tab"],
                                    [40, 25, 15, 10, 10])[0]
            try:
                page = await act(tab, page, action, person, bare, phase)
            except (RunFailed, LookupError, KeyError, OSError) as error:
                phase.failed(action, error)
                page = await first_page(tab, "queue", bare, phase)
    except (RunFailed, OSError) as error:
        phase.failed("first page", error)
    finally:
        await tab.close()


async def first_page(tab: Tab, page: str, bare: bool, phase: Phase):
    run = await tab.open(page)
    checked(run, "dataframe" if page == "queue" else "metric")
    phase.waited("first page", run.seconds)
    return run


def checked(run, kind: str, text: str | None = None):
    """What a browser would have seen: no exception, the element expected, the text."""
    if run.exceptions:
        raise RunFailed(f"exception drawn: {run.exceptions[0][:200]}")
    if kind not in run.kinds():
        raise LookupError(f"no {kind} drawn")
    if text is not None and text not in run.texts():
        raise LookupError(f"{text!r} not shown")
    return run


async def act(tab: Tab, page, action: str, person: Person, bare: bool, phase: Phase):
    """One action of an agent; the page it leaves the tab on."""
    if action == "new tab":
        return await first_page(tab, "queue", bare, phase)
    if bare:  # the same rhythm of runs: a filter, or a form submitted
        if action == "filter":
            box = page.widget("状态", "multiselect")
            run = await tab.set(box, "string_array_value",
                                random.sample(list(box.options), random.randint(0, 2)))
        else:
            run = await tab.click(page.widget("认领"))
        phase.waited(action, run.seconds)
        return checked(run, "dataframe")
    if tab.page_name != "queue" and action in ("filter", "claim"):
        page = await tab.go("queue")
        phase.waited("open queue", page.seconds)
    if action == "filter":
        box = page.widget(zh("col.status"), "multiselect")
        run = await tab.set(box, "string_array_value",
                            random.sample(list(box.options), random.randint(0, 2)))
        phase.waited(action, run.seconds)
        return checked(run, "metric")
    if action == "claim":
        try:
            button = page.widget(zh("queue.claim"))
        except LookupError:  # nothing left to claim in this view
            return page
        run = await tab.click(button)
        phase.waited(action, run.seconds)
        return checked(run, "metric")
    receipt = random.choice(person.receipts)
    run = await tab.go("case", f"receipt={receipt}")
    phase.waited("case", run.seconds)
    checked(run, "text_input", receipt)
    if action == "handoff":
        try:
            reason = run.widget(zh("handoff.reason"), "text_input")
            send = run.widget(zh("handoff.send"))
        except LookupError:  # not in a state to be handed off (already sent, resolved)
            return run
        await tab.set(reason, "string_value", "请贵单位协助办理")
        run = await tab.click(send)
        phase.waited(action, run.seconds)
        checked(run, "text_input")
    return run


async def manager(person: Person, base: str, bare: bool, until: float, phase: Phase) -> None:
    tab = Tab(base, {"portal_session": person.cookie})
    try:
        await first_page(tab, "dashboard", bare, phase)
        while time.monotonic() < until:
            fragment, every = next(iter(tab.timers.items()), (None, 10.0))
            await asyncio.sleep(every)
            if fragment is None or time.monotonic() >= until:
                continue
            try:
                run = await tab.tick(fragment)
                phase.waited("dashboard tick", run.seconds)
                checked(run, "metric")
            except (RunFailed, LookupError, OSError) as error:
                phase.failed("dashboard tick", error)
                await first_page(tab, "dashboard", bare, phase)
    except (RunFailed, LookupError, OSError) as error:
        phase.failed("first page", error)
    finally:
        await tab.close()


def postgres_cpu() -> float:
    """CPU seconds of every PostgreSQL process on this machine (the servers and backends)."""
    total = 0.0
    for process in psutil.process_iter(["name", "cpu_times"]):
        if (process.info["name"] or "").startswith("postgres") and process.info["cpu_times"]:
            total += process.info["cpu_times"].user + process.info["cpu_times"].system
    return total


async def run_phase(server: Server, people: list[Person], seconds: float, bare: bool,
                    think: float, transactions, profile: Path | None = None) -> Phase:
    phase = Phase()
    driver = psutil.Process()
    driver_cpu, database_cpu = sum(driver.cpu_times()[:2]), postgres_cpu()
    spy = None
    if profile is not None:  # the server's stacks, sampled while the phase runs
        spy = subprocess.Popen(["py-spy", "record", "--pid", str(server.process.pid), "--format",
                                "raw", "--output", str(profile), "--duration",
                                str(int(seconds)), "--rate", "50", "--nonblocking"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started_cpu, started = server.cpu(), time.monotonic()
    before = transactions()
    until = started + seconds
    rss = []

    async def sample() -> None:
        while time.monotonic() < until:
            rss.append(server.rss_mb())
            await asyncio.sleep(1)

    async def start(person: Person, delay: float) -> None:
        await asyncio.sleep(delay)  # people arrive over the first seconds, not at once
        if person.role == "agent":
            await agent(person, server.base, bare, until, phase, think)
        else:
            await manager(person, server.base, bare, until, phase)

    await asyncio.gather(sample(), *(start(p, random.uniform(0, min(10, seconds / 4)))
                                     for p in people))
    phase.wall_seconds = time.monotonic() - started
    phase.cpu_seconds = server.cpu() - started_cpu
    phase.driver_cpu_seconds = sum(driver.cpu_times()[:2]) - driver_cpu
    phase.database_cpu_seconds = postgres_cpu() - database_cpu
    if spy is not None:
        spy.wait(timeout=120)
    phase.rss_mb = max(rss, default=server.rss_mb())
    phase.transactions = transactions() - before
    return phase




async def quiet(server: Server, agent_: Person, manager_: Person, bare: bool,
                runs: int = 30) -> dict[str, float]:
    """Server CPU (ms) of each kind of run, one after another with nobody else about."""
    costs = {}
    tab = Tab(server.base, {"portal_session": agent_.cookie})
    page = await tab.open("queue")
    box = page.widget("状态" if bare else zh("col.status"), "multiselect")

    async def measured(kind: str, call) -> None:
        await call()  # once to warm
        cpu = server.cpu()
        for _ in range(runs):
            await call()
        costs[kind] = round(1000 * (server.cpu() - cpu) / runs, 1)

    await measured("queue rerun", lambda: tab.set(box, "string_array_value", []))
    if not bare:
        receipt = agent_.receipts[0]
        await measured("case file", lambda: tab.go("case", f"receipt={receipt}"))
    await measured("first page", lambda: tab.open("queue"))
    await tab.close()
    boss = Tab(server.base, {"portal_session": manager_.cookie})
    await boss.open("dashboard")
    fragment = next(iter(boss.timers))
    await measured("dashboard tick", lambda: boss.tick(fragment))
    await boss.close()
    return costs


async def idle_memory(server: Server, person: Person, sessions: int = 100) -> float:
    """MB of server memory each open, idle session holds (its first page drawn)."""
    tabs = [Tab(server.base, {"portal_session": person.cookie}) for _ in range(sessions)]
    await asyncio.sleep(2)
    before = server.rss_mb()
    for tab in tabs:
        await tab.open("queue")
    await asyncio.sleep(2)
    after = server.rss_mb()
    for tab in tabs:
        await tab.close()
    return round((after - before) / sessions, 2)




def prepare(server_url: str | None, cases: int,
            database: str = DATABASE) -> tuple[str, list[Person], list[Person]]:
    """The loaded database, its agents (busiest units first) and managers, passwords set."""
    url = bench_url(server_url, database)
    migrate.upgrade(url)
    use(url)
    engine = make_engine(url)
    took = load(engine, cases)
    if took:
        print(f"loaded {cases:,} cases in {took:.0f} s")
    rollup.ensure(UnitOfWork())  # the completed days folded, as `portal run` does first
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt()).decode()
    with engine.begin() as conn:
        conn.execute(text("UPDATE users SET password_hash = :h, must_change_password = false "
                          "WHERE username LIKE 'staff-%' OR username LIKE 'mgr-%' "
                          "OR username = 'manager'"), {"h": hashed})
        rows = conn.execute(text(
            "SELECT u.username, array_agg(c.receipt_no ORDER BY c.id DESC) FROM users u "
            "JOIN cases c ON c.unit_id = u.unit_id AND c.status IN ('received', "
            "'in_progress', 'reopened') WHERE u.username LIKE 'staff-%' AND u.role = 'agent' "
            "GROUP BY u.username ORDER BY count(*) DESC")).all()
        managers = conn.execute(text(
            "SELECT username FROM users WHERE username LIKE 'mgr-%' OR username = 'manager' "
            "ORDER BY username")).scalars().all()
    engine.dispose()
    agents = [Person(name, "agent", list(receipts[:50])) for name, receipts in rows]
    return url, agents, [Person(name, "manager") for name in managers]


def people_for(agents: list[Person], managers: list[Person], n_agents: int,
               n_managers: int) -> list[Person]:
    chosen = [agents[i % len(agents)] for i in range(n_agents)]
    chosen += [managers[i % len(managers)] for i in range(n_managers)]
    return chosen


def table(results: list[dict]) -> None:
    print(f"\n{'scenario':<22}{'app':<8}{'agent p50/p95 ms':>18}{'first page p50/p95':>20}"
          f"{'tick p50/p95':>14}{'errors':>8}{'CPU %':>7}{'CPU ms/run':>11}{'RSS MB':>8}"
          f"{'PG tx/s':>9}{'PG CPU %':>9}{'driver CPU %':>13}")
    for row in results:
        for app in ("portal", "bare"):
            s = row[app]
            waits = s["waits"]
            acts = [v for k, v in waits.items() if k not in ("first page", "dashboard tick")]
            agent_ = _merged(acts)
            first = waits.get("first page", {})
            tick = waits.get("dashboard tick", {})
            print(f"{row['scenario'] if app == 'portal' else '':<22}{app:<8}"
                  f"{agent_:>18}{_pair(first):>20}{_pair(tick):>14}"
                  f"{sum(s['errors'].values()):>8}{s['cpu_percent']:>7}{s['cpu_ms_per_run']:>11}"
                  f"{s['rss_mb']:>8}{s['transactions_per_s']:>9}"
                  f"{s['database_cpu_percent']:>9}{s['driver_cpu_percent']:>13}")
        print(f"{'':<22}{'ratio':<8}{row['ratio_agent_p50']:>18}{row['ratio_first_p50']:>20}"
              f"{row['ratio_tick_p50']:>14}")


def _pair(w: dict) -> str:
    return f"{w.get('p50_ms')}/{w.get('p95_ms')}" if w else "-"


def _merged(kinds: list[dict]) -> str:
    """p50/p95 of the agents' actions, weighted by how many of each there were."""
    if not kinds:
        return "-"
    n = sum(k["n"] for k in kinds)
    p50 = sum(k["p50_ms"] * k["n"] for k in kinds) / n
    p95 = max(k["p95_ms"] for k in kinds)
    return f"{p50:.0f}/{p95}"


def ratio(portal: dict, bare: dict, kind: str) -> str:
    a, b = portal["waits"].get(kind, {}).get("p50_ms"), bare["waits"].get(kind, {}).get("p50_ms")
    return f"{a / b:.1f}x" if a and b else "-"


async def main_async(args) -> dict:
    url, agents, managers = prepare(args.url, args.cases, args.database)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATABASE_APP_URL"] = roles.app_url(url, "portal_app", None)
    env.update(clients.WEB_SERVER_ENV)
    logs = RESULTS / "load-logs"
    logs.mkdir(parents=True, exist_ok=True)
    if args.workers > 1:  # the launcher migrates and serves as the owner would run it
        env = {**env, "DATABASE_URL": url, "PORTAL_VAR_DIR": str(logs)}
        env.pop("DATABASE_APP_URL")
    portal = Server("server.py", env, logs / "portal.log", args.workers)
    bare = Server("bench/bare_app.py", dict(os.environ), logs / "bare.log")
    owner = make_engine(url)

    def transactions() -> int:
        with owner.connect() as conn:
            return conn.execute(text(
                "SELECT xact_commit + xact_rollback FROM pg_stat_database "
                "WHERE datname = current_database()")).scalar_one()
    try:
        scenarios = [tuple(int(n) for n in s.split(":")) for s in args.scenarios.split(",")]
        most_a = max(a for a, _ in scenarios)
        most_m = max(m for _, m in scenarios)
        everyone = people_for(agents, managers, most_a, most_m)
        started = time.monotonic()
        for group in [everyone[i:i + 8] for i in range(0, len(everyone), 8)]:
            cookies = await asyncio.gather(*(log_in(portal.base, p.username) for p in group))
            for person, cookie in zip(group, cookies, strict=True):
                person.cookie = cookie
        print(f"{len(everyone)} people logged in through the form in "
              f"{time.monotonic() - started:.0f} s")
        results = []
        for n_agents, n_managers in scenarios:
            people = people_for(agents, managers, n_agents, n_managers)
            label = f"{n_agents} agents" + (f" + {n_managers} mgrs" if n_managers else "")
            rounds: dict[str, list[dict]] = {"portal": [], "bare": []}
            for _ in range(args.rounds):  # interleaved: the same noise for both
                for app, server in (("portal", portal), ("bare", bare)):
                    profile = (RESULTS / f"profile-{n_agents}-{n_managers}.txt"
                               if args.profile and app == "portal" else None)
                    phase = await run_phase(server, people, args.seconds, app == "bare",
                                            args.think, transactions if app == "portal"
                                            else lambda: 0, profile)
                    rounds[app].append(phase.summary())
            row = {"scenario": label, "portal": rounds["portal"][-1], "bare": rounds["bare"][-1],
                   "rounds": rounds}
            for kind, name in (("first page", "ratio_first_p50"),
                               ("dashboard tick", "ratio_tick_p50"), ("filter", "ratio_agent_p50")):
                row[name] = ratio(row["portal"], row["bare"], kind)
            results.append(row)
            table([row])
        costs = {"portal": await quiet(portal, agents[0], managers[0], False),
                 "bare": await quiet(bare, agents[0], managers[0], True)}
        memory = {"portal": await idle_memory(portal, agents[0]),
                  "bare": await idle_memory(bare, agents[0])}
    finally:
        portal.stop()
        bare.stop()
        owner.dispose()
    print(f"\nserver CPU per run, one person at a time (ms): portal {costs['portal']}, "
          f"bare {costs['bare']}")
    print(f"memory per idle session (MB): portal {memory['portal']}, bare {memory['bare']}")
    table(results)
    return {"cases": args.cases, "seconds": args.seconds, "think_s": args.think,
            "workers": args.workers,
            "scenarios": results, "cpu_ms_per_run_quiet": costs, "mb_per_idle_session": memory}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--database", default=DATABASE,
                        help="kept between runs and loaded up to --cases (one per size)")
    parser.add_argument("--scenarios", default="10:0,50:0,100:20")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--think", type=float, default=4.0)
    parser.add_argument("--workers", type=int, default=1,
                        help="serve the portal as python -m portal run --workers N does")
    parser.add_argument("--profile", action="store_true",
                        help="record the portal server's stacks with py-spy in each phase "
                             "(bench/results/profile-<agents>-<managers>.txt, collapsed)")
    args = parser.parse_args()
    result = asyncio.run(main_async(args))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
