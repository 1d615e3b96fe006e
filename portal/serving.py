"""The web servers: one Streamlit process, or several behind HAProxy with sticky sessions;
either way, a process that dies is started again.

The portal listens on 127.0.0.1 unless told otherwise (`run --address`): the city's reverse
proxy on the same host is its only door (docs/security.md).

All sessions of one process share its one interpreter lock, so one process serves what one
core can: about 60 reruns a second of the queue. `python -m portal run --workers N` starts N
processes on ports of 127.0.0.1 and HAProxy on the public port in front of them. A browser
stays with its process (HAProxy's cookie): its websocket and the files it downloads live
there. HAProxy checks each process's health every two seconds and sends no one to a process
that is down; the launcher starts a process that died again on its port. A browser whose
process went away reconnects to it (or to another) and is signed in again from its session
cookie, since sessions live in the database.
"""

from __future__ import annotations

import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from db.config import ROOT, config
from portal import clients

HAPROXY = """global
    maxconn {maxconn}

defaults
    mode http
    option forwardfor
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout tunnel 12h
    # A process busy with a burst of reruns answers its health check late; only one that
    # does not answer for 10 s, three times over, is taken out. A process that died refuses
    # the connection at once and is out within three checks (6 s).
    timeout check 10s

frontend portal
    bind {bind}:{port}
    default_backend streamlit

backend streamlit
    balance leastconn
    cookie PORTAL_WORKER insert indirect nocache httponly
    option httpchk GET /_stcore/health
    option redispatch
    default-server check inter 2s fall 3 rise 1
{servers}
"""


def _maxconn() -> int:
    """Connections HAProxy may hold: each takes two file descriptors (browser and server),
    within what this process may open."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return max(256, min(10_000, (soft - 200) // 2))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Workers:
    """The web server processes (and, for more than one, the HAProxy in front), kept running."""

    count: int
    port: int
    env: dict[str, str]
    bind: str = "127.0.0.1"
    ports: list[int] = field(default_factory=list)
    processes: dict[int, subprocess.Popen] = field(default_factory=dict)
    proxy: subprocess.Popen | None = None

    def start(self) -> None:
        if self.count <= 1:  # the one process is the door itself
            self.ports = [self.port]
            self._start_worker(self.port)
            return
        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        if not Path(haproxy).exists():
            raise RuntimeError("--workers needs HAProxy in front: apt-get install haproxy")
        self.ports = [free_port() for _ in range(self.count)]
        for port in self.ports:
            self._start_worker(port)
        conf = config().var_dir / "haproxy.cfg"
        conf.parent.mkdir(parents=True, exist_ok=True)
        conf.write_text(HAPROXY.format(bind=self.bind, port=self.port, maxconn=_maxconn(),
                                       servers="\n".join(
            f"    server w{n} 127.0.0.1:{port} cookie w{n}"
            for n, port in enumerate(self.ports, 1))))
        self.proxy = subprocess.Popen([haproxy, "-f", str(conf), "-db"])

    def _start_worker(self, port: int) -> None:
        env, address = {**self.env, **clients.WEB_SERVER_ENV}, self.bind
        if self.count > 1:
            # Only HAProxy on this machine reaches a worker; its X-Forwarded-For names the client.
            address = "127.0.0.1"
            env = {**env, "PORTAL_TRUSTED_PROXIES": ",".join(filter(None, [
                env.get("PORTAL_TRUSTED_PROXIES"), "127.0.0.1"]))}
        self.processes[port] = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "server.py"),
             "--server.port", str(port), "--server.address", address], cwd=ROOT, env=env)

    def keep_running(self, stop: threading.Event) -> None:
        """Start again, on its port, a process that has stopped; until told to stop."""
        while not stop.wait(1):
            for port, process in list(self.processes.items()):
                if process.poll() is not None and not stop.is_set():
                    print(f"The web server on port {port} stopped ({process.returncode}); "
                          "starting it again.", file=sys.stderr, flush=True)
                    self._start_worker(port)

    def stop(self) -> None:
        for process in [self.proxy, *self.processes.values()]:
            if process is not None and process.poll() is None:
                process.terminate()
        for process in [self.proxy, *self.processes.values()]:
            if process is not None:
                process.wait(timeout=30)


def serve(port: int, workers: int, env: dict[str, str], bind: str,
          background: Callable[[threading.Event], None]) -> int:
    """Serve until Ctrl-C or SIGTERM: one process on `bind`:`port`, or `workers` behind
    HAProxy there.

    `background` runs in a thread of this launcher (supervision, daily figures, digests).
    """
    stop = threading.Event()
    threading.Thread(target=background, args=(stop,), name="background", daemon=True).start()
    group = Workers(workers, port, env, bind)
    group.start()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        group.keep_running(stop)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        group.stop()
    return 0
